"""Invariants checked after every event (``cluster.add_invariant``)."""

from __future__ import annotations

import re

import pytest

from sysdesign.cluster import Cluster, InvariantBroken
from sysdesign.cluster.scenario import run_seeds

pytest_plugins = ["pytester"]


def counter_cluster(cluster: Cluster) -> None:
    """Node ``b`` counts up to 5 and then, for one event only, holds a negative count."""
    a, b = cluster.add_node("a"), cluster.add_node("b")

    def on_message(msg):
        count = b.memory.get("count", 0)
        if msg.body == "glitch":
            b.memory["count"] = -1          # broken for one event...
        else:
            b.memory["count"] = abs(count) + 1  # ...and repaired by the next one

    b.on_message(on_message)
    for i in range(5):
        a.send("b", i)
    cluster.after(0.5, a.send, "b", "glitch")
    cluster.after(0.6, a.send, "b", "repair")


def non_negative(cluster: Cluster):
    count = cluster["b"].memory.get("count", 0)
    if count < 0:
        return f"b.memory['count'] is {count}: a count never goes below zero"
    return None


def test_a_break_between_two_sample_points_fails_at_the_event(cluster):
    counter_cluster(cluster)
    cluster.run_for(0.1)
    assert cluster["b"].memory["count"] == 5
    cluster.add_invariant("count never negative", non_negative)
    with pytest.raises(InvariantBroken) as caught:
        cluster.run_for(1.0)
    error = caught.value
    text = str(error)
    assert error.name == "count never negative"
    assert "invariant broken: count never negative" in text
    assert "b.memory['count'] is -1" in text
    assert f"seed: {cluster.seed}" in text
    assert f"--cluster-seed={cluster.seed}" in text            # the fixture's replay command
    assert "recv   a -> b  " in text or "recv" in text           # the trace up to it
    assert 0.5 <= error.time < 0.6                                # the glitch, not the repair
    assert cluster.failed
    assert cluster.trace.find(kind="invariant")


def test_the_same_run_without_the_invariant_passes_its_sample_points(cluster):
    counter_cluster(cluster)
    for step in (0.25, 0.75, 1.0):
        cluster.run_for(step)
        assert cluster["b"].memory["count"] >= 0   # every sample point sees a valid count


def test_assertion_false_and_none(cluster):
    node = cluster.add_node("a")
    state = {"ok": True}
    cluster.add_invariant("holds", lambda c: None)
    cluster.add_invariant("true holds", lambda c: True)
    cluster.add_invariant("asserts", lambda c: (_ for _ in ()).throw(AssertionError("x went wrong"))
                          if not state["ok"] else None)
    node.set_timer(1.0, lambda: state.update(ok=False))
    cluster.run_for(0.5)
    with pytest.raises(InvariantBroken, match="invariant broken: asserts\nx went wrong"):
        cluster.run_for(1.0)


def test_false_is_broken_and_remove_stops_checking(cluster):
    node = cluster.add_node("a")
    flag = {"v": True}
    remove = cluster.add_invariant("flag", lambda c: flag["v"])
    node.set_timer(1.0, lambda: flag.update(v=False))
    remove()
    cluster.run_for(2.0)
    cluster.add_invariant("flag", lambda c: flag["v"])
    with pytest.raises(InvariantBroken, match="check returned False"):
        cluster.run_for(0.1)            # checked as soon as the loop runs


def test_a_task_that_blocks_is_checked_before_the_next_event(cluster):
    node = cluster.add_node("a")
    state = {"v": 0}

    def worker():
        state["v"] = -1
        import time
        time.sleep(1.0)  # virtual
        state["v"] = 0

    cluster.add_invariant("v >= 0", lambda c: None if state["v"] >= 0 else "v went negative")
    node.spawn(worker)
    with pytest.raises(InvariantBroken) as caught:
        cluster.run_for(2.0)
    assert caught.value.time < 1.0


def test_learner_catch_all_does_not_swallow_it(cluster):
    a, b = cluster.add_node("a"), cluster.add_node("b")
    state = {"v": 0}
    b.on_message(lambda msg: state.update(v=-1))

    def sender():
        import time
        try:
            a.send("b", "x")
            time.sleep(1.0)  # virtual
        except Exception:  # noqa: BLE001 - a learner's catch-all
            state["swallowed"] = True

    cluster.add_invariant("v >= 0", lambda c: None if state["v"] >= 0 else "v went negative")
    a.spawn(sender)
    with pytest.raises(InvariantBroken):
        cluster.run_for(2.0)
    assert "swallowed" not in state


def test_run_seeds_reports_the_failing_seed_and_replay(tmp_path):
    def scenario(cluster):
        counter_cluster(cluster)
        cluster.add_invariant("count never negative", non_negative)
        cluster.run_for(1.0)

    with pytest.raises(InvariantBroken) as caught:
        run_seeds(scenario, seeds=[7, 8], base_path=tmp_path, replay=lambda s: f"replay-{s}")
    assert "seed: 7" in str(caught.value) and "replay: replay-7" in str(caught.value)
    assert caught.value.seed == 7


def test_a_check_must_be_callable(cluster):
    from sysdesign.cluster import ClusterError

    with pytest.raises(ClusterError):
        cluster.add_invariant("x", 3)


INNER = """
def test_glitch(cluster):
    a = cluster.add_node("a")
    state = {"v": 0}
    a.set_timer(0.5, lambda: state.update(v=-1))
    a.set_timer(0.6, lambda: state.update(v=0))
    cluster.add_invariant("v never negative", lambda c: None if state["v"] >= 0 else "v is negative")
    cluster.run_for(1.0)
"""


def test_the_plugin_reports_an_invariant_once_with_its_replay_command(pytester):
    pytester.makepyfile(test_inner=INNER)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-p", "no:sysdesign")
    out = result.stdout.str()
    assert result.ret == 1, out
    assert "invariant broken: v never negative" in out and "v is negative" in out
    assert re.search(r'replay: pytest "test_inner.py::test_glitch" --cluster-seed=\d+', out), out
    assert "broken at t=0.500000s" in out
    assert "Captured cluster" not in out and "- cluster -" not in out  # no second copy of the same facts


def test_broken_while_the_test_runs_code_as_a_node_that_waits(cluster):
    a, b = cluster.add_node("a"), cluster.add_node("b")
    state = {"v": 0}
    b.route("GET", "/", lambda req: (state.update(v=-1), (200, "ok"))[1])
    cluster.add_invariant("v >= 0", lambda c: None if state["v"] >= 0 else "v went negative")

    def as_a():
        import requests

        try:
            requests.get("http://b/", timeout=1.0)
        except Exception:  # noqa: BLE001 - a learner's catch-all must not swallow it
            state["swallowed"] = True

    with pytest.raises(InvariantBroken, match="v went negative"):
        a.execute(as_a)
    assert "swallowed" not in state
