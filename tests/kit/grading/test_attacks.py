"""Grading attacks seen in the wild: none of them moves a submission's score away from what
honest code earns.

Every attack below is the pristine ``hashing`` stub (honest score: 0, every test "not started")
plus one trick. They are graded together in one ``grade_batch`` run with the reference and the
honest stub beside them, so each test also shows the batch goes on past a broken submission.
"""

from __future__ import annotations

import csv
import json
import textwrap
from pathlib import Path

import pytest

from harness.grade.batch import grade_batch
from harness.grade.runner import GradeOptions

from .conftest import STUB, write_submission

ZERO_STATUSES = {"not_started", "failed", "error", "crashed", "timed_out", "out_of_memory"}
REPORTS_LEAK_PROBE = "all-points"
STUB_BODY = STUB.replace("from __future__ import annotations\n", "")  # for code placed before the stub

FORCE_PASS_CONFTEST = textwrap.dedent('''
    import pytest

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(item, call):
        outcome = yield
        report = outcome.get_result()
        report.outcome = "passed"
        report.longrepr = None
''')

RESULTS_WRITER = textwrap.dedent('''
    import atexit, json, os

    FAKE = {{"format": 1, "implementation": "{marker}", "points": 36, "max_points": 36, "exercises": []}}
    TARGETS = [{json_path!r}, {canary!r}]

    def _from_command_lines():
        found = []
        for pid in os.listdir("/proc"):
            try:
                with open(f"/proc/{{pid}}/cmdline", "rb") as fh:
                    args = fh.read().decode(errors="replace").split("\\0")
            except OSError:
                continue
            for i, arg in enumerate(args[:-1]):
                if arg in ("--json", "--gradescope", "--exercism", "--out"):
                    found.append(args[i + 1])
        return found

    def _overwrite():
        for path in TARGETS + _from_command_lines():
            try:
                with open(path, "w") as fh:
                    json.dump(FAKE, fh)
            except OSError:
                pass
        try:
            if os.fork() == 0:  # a daemon that would write after the grader finished
                os.setsid()
                _overwrite()
                os._exit(0)
        except OSError:
            pass

    _overwrite()
    atexit.register(_overwrite)
''')

EQ_TRICKS = textwrap.dedent('''
    import os

    RIGGED = {rigged}  # the honest twin is the same code without the rigged methods

    class _AlwaysEqual:
        if RIGGED:
            def __eq__(self, other):
                return True
            def __ne__(self, other):
                return False
            def __hash__(self):
                return 0
            def __reduce__(self):
                return (os.system, ("touch {canary}",))

    class _AlwaysEqualStr(str):
        if RIGGED:
            def __eq__(self, other):
                return True
            __hash__ = str.__hash__

    class _AlwaysEqualList(list):
        if RIGGED:
            def __eq__(self, other):
                return True

    def stable_hash(key):
        return _AlwaysEqual()

    class ModHashing:
        def __init__(self, nodes=()):
            self.nodes = list(nodes)
        def add_node(self, node):
            self.nodes.append(node)
        def remove_node(self, node):
            self.nodes.remove(node)
        def node_for(self, key):
            return _AlwaysEqualStr("nobody")

    class ConsistentHashRing(ModHashing):
        def __init__(self, nodes=(), vnodes=100):
            super().__init__(nodes)
        def add_node(self, node, weight=1):
            self.nodes.append(node)
        def points(self):
            return _AlwaysEqualList()
''')


def attacks(tmp: Path) -> dict[str, dict[str, str]]:
    canary = str(tmp / "canary")
    json_path = str(tmp / "reports" / "results_file_writer.json.json")
    return {
        "honest_stub": {"hashing.py": STUB},
        "os_exit_at_import": {"hashing.py": STUB + "\nimport os\nos._exit(0)\n"},
        "system_exit_at_import": {"hashing.py": STUB + "\nraise SystemExit(0)\n"},
        "conftest_report_hook": {"hashing.py": STUB, "conftest.py": FORCE_PASS_CONFTEST},
        "pytest_ini_collect_only": {"hashing.py": STUB, "pytest.ini": "[pytest]\naddopts = --co\n",
                                    "setup.cfg": "[tool:pytest]\naddopts = --co\n"},
        "conftest_system_exit": {"hashing.py": STUB, "conftest.py": "raise SystemExit(0)\n"},
        "skip_from_learner_code": {"hashing.py": STUB + textwrap.dedent('''
            import pytest

            def _skip(*args, **kwargs):
                pytest.skip("free points")

            stable_hash = ModHashing = ConsistentHashRing = RendezvousHashing = _skip
        ''')},
        "monkeypatch_at_import": {"hashing.py": STUB + textwrap.dedent('''
            import contextlib
            import _pytest.runner, pytest
            import harness.grading, harness.messages
            harness.messages.expect_equal = lambda *a, **k: None
            harness.messages.expect_true = lambda *a, **k: None
            harness.grading.TestResult.points = property(lambda self: self.max_points)
            pytest.raises = lambda *a, **k: contextlib.nullcontext()
            _pytest.runner.call_and_report = lambda *a, **k: None
        ''')},
        "results_file_writer": {"hashing.py": STUB + RESULTS_WRITER.format(marker=REPORTS_LEAK_PROBE,
                                                                          json_path=json_path, canary=canary)},
        "infinite_loop": {"hashing.py": STUB + textwrap.dedent('''
            import sys

            def stable_hash(key):
                if sys.argv[:1] == ["-c"]:  # the suite's fresh interpreters: fail fast there
                    raise NotImplementedError("task 1")
                while True:
                    pass
        ''')},
        "memory_bomb": {"hashing.py": STUB + textwrap.dedent('''
            def stable_hash(key):
                hoard = []
                while True:
                    hoard.append(bytearray(50_000_000))
        ''')},
        "fork_bomb": {"hashing.py": textwrap.dedent('''
            import os
            children = 0
            try:
                while children < 10_000:
                    if os.fork() == 0:
                        while True:
                            pass
                    children += 1
            except OSError:
                pass
        ''') + STUB_BODY},
        "enormous_output": {"hashing.py": textwrap.dedent('''
            import sys
            try:
                for _ in range(320):  # 20 MB: more than any file a learner process may write
                    sys.stdout.write("spam" * 16384)
            except OSError:
                pass
        ''') + STUB_BODY + textwrap.dedent('''
            def stable_hash(key):
                print("eggs" * 100_000)
                raise NotImplementedError("task 1: implement stable_hash")
        ''')},
        "eq_tricks": {"hashing.py": STUB + EQ_TRICKS.format(canary=canary, rigged=True)},
        "eq_tricks_honest_twin": {"hashing.py": STUB + EQ_TRICKS.format(canary=canary, rigged=False)},
        "empty_submission": {},
        "syntax_error": {"hashing.py": "def stable_hash(key)\n    return 1\n"},
    }


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("attacks")
    root = tmp / "submissions"
    root.mkdir()
    for name, files in attacks(tmp).items():
        write_submission(root, name, files)
    out = tmp / "gradebook.csv"
    # The timeout bounds the infinite-loop attack; it leaves honest code ample room on a busy machine.
    options = GradeOptions(exercises=["hashing"], timeout=20, memory_mb=256, jobs=2)
    rows = grade_batch(root, options, out, report_dirs={"json": tmp / "reports"})
    return {"rows": {row.name: row for row in rows}, "csv": out, "tmp": tmp}


def hashing_max(batch) -> float:
    """The hashing suite's maximum: its expected tests' points, as the honest stub's report has them."""
    return sum(t.max_points for e in batch["rows"]["honest_stub"].report.exercises for t in e.tests)


def statuses(row) -> dict[str, str]:
    return {t.nodeid: t.status for e in row.report.exercises for t in e.tests}


def assert_zero(batch, name: str, allowed=ZERO_STATUSES) -> dict[str, str]:
    row = batch["rows"][name]
    assert row.points == 0, (name, row.points, row.problem)
    got = statuses(row)
    assert got and set(got.values()) <= allowed, (name, sorted(set(got.values())))
    assert len(got) == len(statuses(batch["rows"]["honest_stub"])), "every expected test has one result"
    return got


def test_the_honest_stub_is_not_started_everywhere(batch):
    honest = batch["rows"]["honest_stub"]
    assert set(statuses(honest).values()) == {"not_started"}
    assert honest.points == 0 and honest.max_points == hashing_max(batch) > 0


def test_os_exit_at_import_scores_zero(batch):
    got = assert_zero(batch, "os_exit_at_import")
    assert set(got.values()) == {"crashed"}
    assert "exit code 0" in batch["rows"]["os_exit_at_import"].report.exercises[0].error


def test_system_exit_at_import_is_a_load_error(batch):
    assert set(assert_zero(batch, "system_exit_at_import").values()) == {"error"}
    assert "SystemExit" in batch["rows"]["system_exit_at_import"].report.exercises[0].error


@pytest.mark.parametrize("name", ["conftest_report_hook", "pytest_ini_collect_only", "conftest_system_exit",
                                  "monkeypatch_at_import"])
def test_submission_files_and_patches_never_reach_the_deciding_process(batch, name):
    assert assert_zero(batch, name) == statuses(batch["rows"]["honest_stub"])


def test_skip_from_learner_code_is_a_failure_not_a_skip(batch):
    got = assert_zero(batch, "skip_from_learner_code")
    assert "skipped" not in got.values() and "failed" in got.values()


def test_results_file_cannot_be_written_by_learner_code(batch):
    assert_zero(batch, "results_file_writer")
    written = json.loads((batch["tmp"] / "reports" / "results_file_writer.json.json").read_text())
    assert written["implementation"] != REPORTS_LEAK_PROBE and written["points"] == 0
    assert not (batch["tmp"] / "canary").exists()
    gradebook = {r["submission"]: r for r in csv.DictReader(batch["csv"].open())}
    assert gradebook["results_file_writer"]["total"] == "0"


def test_infinite_loop_times_out_the_rest_of_the_exercise(batch):
    got = assert_zero(batch, "infinite_loop")
    assert "timed_out" in got.values()
    assert "passed" not in got.values()


def test_memory_bomb_is_out_of_memory(batch):
    assert "out_of_memory" in assert_zero(batch, "memory_bomb").values()


def test_fork_bomb_gets_no_process(batch):
    assert assert_zero(batch, "fork_bomb") == statuses(batch["rows"]["honest_stub"])


def test_enormous_output_is_cut(batch):
    assert_zero(batch, "enormous_output")
    report = (batch["tmp"] / "reports" / "enormous_output.json.json").read_text()
    assert len(report) < 300_000
    messages = [t.message for e in batch["rows"]["enormous_output"].report.exercises for t in e.tests]
    assert any("output cut" in m for m in messages)
    assert max(len(m) for m in messages) < 8_000


def test_objects_with_rigged_eq_or_reduce_compare_as_data(batch):
    """Rigged ``__eq__``/``__reduce__`` earn nothing over the same code without them (a wrong
    ring that owns every key as "nobody" does pass one test honestly: nothing ever moves)."""
    rigged, twin = batch["rows"]["eq_tricks"], batch["rows"]["eq_tricks_honest_twin"]
    assert rigged.points == twin.points < hashing_max(batch)
    twin_statuses = statuses(twin)
    for nodeid, status in statuses(rigged).items():
        assert status != "passed" or twin_statuses[nodeid] == "passed", nodeid
    assert "failed" in statuses(rigged).values()
    assert not (batch["tmp"] / "canary").exists()


def test_a_broken_submission_never_stops_the_batch(batch):
    for name in ("empty_submission", "syntax_error"):
        assert set(assert_zero(batch, name).values()) == {"error"}
    gradebook = list(csv.DictReader(batch["csv"].open()))
    assert [r["submission"] for r in gradebook] == sorted(batch["rows"])
    assert {r["max_total"] for r in gradebook} == {f"{hashing_max(batch):g}"}
    assert "file not found" in {r["submission"]: r["problems"] for r in gradebook}["empty_submission"]
