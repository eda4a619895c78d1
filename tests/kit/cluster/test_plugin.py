"""The cluster's pytest plugin: seeds, the failure report section, replay, trace files."""

from __future__ import annotations

import json
import re

from sysdesign.plugins.pytest_cluster import replay_command, seed_for

pytest_plugins = ["pytester"]

#: Inner runs load the cluster plugin alone (the kit's main plugin is not needed here).
ISOLATED = ("-p", "no:cacheprovider", "-p", "no:sysdesign")

SUITE = """
def test_boom(cluster):
    a = cluster.add_node("a")
    a.on_message(lambda m: None)
    a.send("a", "hello")
    cluster.run_for(1.0)
    assert cluster.seed < 0, "invariant broken"

def test_not_started(cluster):
    raise NotImplementedError("task 1")

def test_many(run_cluster_seeds):
    def scenario(cluster):
        cluster.add_node("n").memory["seed"] = cluster.seed
        assert cluster.seed % 3 != 0, "bad seed"
    run_cluster_seeds(scenario, n=10)
"""


def test_default_seed_is_stable_and_per_test():
    assert seed_for("tests/x.py::test_a") == seed_for("tests/x.py::test_a") != seed_for("tests/x.py::test_b")
    assert replay_command("t.py::test_a", 5) == 'pytest "t.py::test_a" --cluster-seed=5'


def test_failure_report_shows_seed_trace_and_replay_and_replays(pytester):
    pytester.makepyfile(test_sample=SUITE)
    traces = pytester.path / "traces"
    result = pytester.runpytest(*ISOLATED, f"--cluster-trace={traces}")
    result.assert_outcomes(failed=3)
    out = result.stdout.str()
    seed = seed_for("test_sample.py::test_boom")
    assert f'replay: pytest "test_sample.py::test_boom" --cluster-seed={seed}' in out
    assert re.search(r"send\s+a -> a\s+#1 'hello'", out)
    # not started is not a cluster failure: no section for it
    not_started = out.split("test_not_started")[1].split("test_many")[0]
    assert "replay:" not in not_started
    # the multi-seed test names the failing seed, and replaying runs that seed alone
    many = re.search(r'replay: pytest "test_sample.py::test_many" --cluster-seed=(\d+)', out)
    assert many and int(many.group(1)) % 3 == 0
    first_trace = (traces / "test_sample.py_test_boom.jsonl").read_text().splitlines()
    assert json.loads(first_trace[0])["header"]["seed"] == seed
    again = pytester.runpytest(*ISOLATED, "test_sample.py::test_boom", f"--cluster-seed={seed}",
                               f"--cluster-trace={traces}")
    again.assert_outcomes(failed=1)
    assert f"cluster seed: {seed}" in again.stdout.str()
    assert (traces / "test_sample.py_test_boom.jsonl").read_text().splitlines() == first_trace
    replay = pytester.runpytest(*ISOLATED, "test_sample.py::test_many",
                                f"--cluster-seed={many.group(1)}")
    replay.assert_outcomes(failed=1)
    assert "seed 1 of 1" in replay.stdout.str()
