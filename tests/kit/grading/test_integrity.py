"""The code graded is the code submitted, the grader judges data, and the totals are honest.

- **Source, never bytecode.** A submission whose ``hashing.py`` is the untouched stub, shipped
  with a ``__pycache__/hashing.cpython-*.pyc`` compiled from the reference with unchecked-hash
  invalidation (or a sibling module only as bytecode), earns what the stub earns: in the
  worker, in the suite's fresh interpreters, and in plain pytest. The report names the
  ignored files.
- **Data, not objects.** Learner objects with rigged ordering, truth value, conversions,
  ``__contains__``, ``__iter__`` or ``__exit__`` earn nothing over the same code without the
  rigging; a comparison between a learner object and data is a TypeError in the deciding
  process.
- **Accounting.** An exercise whose suite does not collect keeps its maximum (or says it is
  unknown) and scores 0; a fresh interpreter that ends without its answer, an answer over the
  size limit and a killed deciding process are reported as what they are.
"""

from __future__ import annotations

import json
import math
import operator
import py_compile
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sysdesign import KIT_ROOT, wallclock
from sysdesign.exercise import Exercise
from sysdesign.grade import channel
from sysdesign.grade.batch import grade_batch
from sysdesign.grade.worker_provider import WorkerProvider
from sysdesign.grade.grader import ChildRun, Expected, GradeOptions, merge, merge_uncollected
from sysdesign.results import GradeReport
from sysdesign.interpreters import FreshInterpreters, InterpreterError
from sysdesign.plugin_manager import shared_kit
from sysdesign.providers import ImplementationLoadError, load_module_from

from .conftest import HASHING, STUB, write_submission

KIT = shared_kit()
MONITORING = KIT.exercise("monitoring")
TAG = sys.implementation.cache_tag
#: These tests are about what is graded, not about confinement: they grade wherever the kit runs
#: (with the option that allows a weaker sandbox, when grading has one).
WEAK = [name for name in GradeOptions.__dataclass_fields__ if name.startswith("allow_")]


def options(**kwargs) -> GradeOptions:
    return GradeOptions(**kwargs, **{name: True for name in WEAK})


def compile_unchecked(source: Path, target: Path, shown_as: Path) -> None:
    """``source`` compiled into ``target`` with unchecked-hash invalidation: Python's loader
    runs it for ``shown_as`` without ever looking at that file's text."""
    target.parent.mkdir(parents=True, exist_ok=True)
    py_compile.compile(str(source), cfile=str(target), dfile=str(shown_as), doraise=True,
                       invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)


def stub_with_reference_bytecode(folder: Path) -> Path:
    """The pristine hashing stub, and beside it the reference as cached bytecode."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "hashing.py").write_text(STUB, encoding="utf-8")
    compile_unchecked(HASHING.reference, folder / "__pycache__" / f"hashing.{TAG}.pyc", folder / "hashing.py")
    return folder


# -- source, never bytecode: in-process and in fresh interpreters ---------------------------------
def test_the_in_process_provider_compiles_the_source_not_a_shipped_pyc(tmp_path):
    folder = stub_with_reference_bytecode(tmp_path / "sub")
    module = load_module_from(folder / "hashing.py", HASHING, "integrity")
    with pytest.raises(NotImplementedError):
        module.stable_hash("key")
    assert module.__file__ == str(folder / "hashing.py")


def test_a_sibling_module_is_compiled_from_source_and_bytecode_alone_is_refused(tmp_path):
    folder = tmp_path / "sub"
    folder.mkdir()
    (folder / "helper_src.py").write_text("VALUE = 'source'\n", encoding="utf-8")
    (tmp_path / "other.py").write_text("VALUE = 'bytecode'\n", encoding="utf-8")
    compile_unchecked(tmp_path / "other.py", folder / "__pycache__" / f"helper_src.{TAG}.pyc", folder / "helper_src.py")
    compile_unchecked(tmp_path / "other.py", folder / "helper_lonely.pyc", folder / "helper_lonely.py")
    (folder / "hashing.py").write_text(STUB + textwrap.dedent('''
        import os, sys
        sys.path.insert(0, os.path.dirname(__file__))
        import helper_src
        HELPER = helper_src.VALUE
        try:
            import helper_lonely
            LONELY = helper_lonely.VALUE
        except ImportError as exc:
            LONELY = str(exc)
    '''), encoding="utf-8")
    try:
        module = load_module_from(folder / "hashing.py", HASHING, "integrity")
    finally:
        sys.path[:] = [p for p in sys.path if p != str(folder)]
        for name in ("helper_src", "helper_lonely"):
            sys.modules.pop(name, None)
    assert module.HELPER == "source"
    assert "only Python source is run" in module.LONELY


def test_a_syntax_error_still_names_the_file_and_line(tmp_path):
    (tmp_path / "hashing.py").write_text("def stable_hash(key)\n    return 1\n", encoding="utf-8")
    with pytest.raises(ImplementationLoadError, match=r"hashing.py:1: SyntaxError"):
        load_module_from(tmp_path / "hashing.py", HASHING, "integrity")


def test_fresh_interpreters_compile_the_source_and_write_no_bytecode(tmp_path):
    folder = stub_with_reference_bytecode(tmp_path / "sub")
    snippet = "try:\n    result = m.stable_hash('k')\nexcept NotImplementedError:\n    result = 'stub'\n"
    assert FreshInterpreters(folder / "hashing.py", snippet).results() == {1: "stub", 2: "stub"}
    assert sorted(p.name for p in (folder / "__pycache__").iterdir()) == [f"hashing.{TAG}.pyc"]


@pytest.mark.parametrize("body, expected", [
    ("import os\nos._exit(0)\n", "without printing its answer"),
    ("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n", "was killed by SIGKILL"),
    ("raise ValueError('learner bug')\n", "exit code 1"),
    ("print('\\x1esysdesign-result:{not json', flush=True)\nimport os\nos._exit(0)\n", "not JSON"),
])
def test_a_fresh_interpreter_that_fails_says_how(tmp_path, body, expected):
    (tmp_path / "mod.py").write_text(body, encoding="utf-8")
    children = FreshInterpreters(tmp_path / "mod.py", "result = 1")
    with pytest.raises(InterpreterError, match=expected) as caught:
        children.results()
    assert "IndexError" not in str(caught.value)
    with pytest.raises(InterpreterError, match=expected):  # asked again: the same answer
        children.results()


def test_learner_prints_around_the_answer_are_ignored(tmp_path):
    (tmp_path / "mod.py").write_text("print('[1, 2, 3]')\n", encoding="utf-8")
    assert FreshInterpreters(tmp_path / "mod.py", "result = {'a': 1}\nprint('noise')").results() == {1: {"a": 1},
                                                                                                   2: {"a": 1}}


def test_plain_pytest_grades_the_source_not_a_shipped_pyc(tmp_path):
    folder = stub_with_reference_bytecode(tmp_path / "sub")
    run = subprocess.run([sys.executable, "-m", "pytest", str(HASHING.suite / "test_stable_hash.py"), "-q",
                          "-p", "no:cacheprovider", "--impl", str(folder), "-x"],
                         cwd=KIT_ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode != 0 and " passed" not in run.stdout.splitlines()[-1], run.stdout[-2000:]


# -- data, not objects: the proxy rules, directly -------------------------------------------------
RIGGED = textwrap.dedent('''
    import itertools

    class Anything:
        def __lt__(self, other):
            return True
        __le__ = __gt__ = __ge__ = __lt__
        def __eq__(self, other):
            return True
        def __ne__(self, other):
            return False
        def __hash__(self):
            return 0
        def __bool__(self):
            return True
        def __len__(self):
            return 1
        def __int__(self):
            return 42
        def __float__(self):
            return 0.5
        def __index__(self):
            return 3
        def __format__(self, spec):
            return "0.500"
        def __contains__(self, item):
            return True
        def __iter__(self):
            return itertools.count()
        def __enter__(self):
            return self
        def __exit__(self, *exc):
            return True

    class Claims(type):
        def __instancecheck__(cls, instance):
            return True
        def __subclasscheck__(cls, subclass):
            return True

    class Anyone(metaclass=Claims):
        pass

    def anything():
        return Anything()

    def huge():
        return "x" * (40 * 1024 * 1024)

    def ok():
        return 1

    def truth(value):
        return bool(value), len(value), "a" in value, value <= 3
''')


class SuiteBox:
    """A suite object learner code receives by reference: its own truth value, len, ordering."""

    def __len__(self):
        return 2

    def __contains__(self, item):
        return item == "a"

    def __le__(self, other):
        return True


@pytest.fixture(scope="module")
def rigged(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("rigged")
    (tmp / "probe.py").write_text(RIGGED, encoding="utf-8")
    exercise = Exercise(slug="probe", title="probe", order=0, summary="", components=("Anything",), tasks=(),
                        stub=tmp / "probe.py", reference=tmp / "probe.py", suite=tmp)
    provider = WorkerProvider(tmp, deadline=wallclock.wall_seconds() + 120, memory_mb=512, timeout=120,
                              output_path=tmp / "output.txt", scratch=tmp / "scratch")
    yield provider.load(exercise)
    provider.stop()


def test_ordering_against_data_is_a_type_error(rigged):
    value = rigged.anything()
    for compare in (operator.lt, operator.le, operator.gt, operator.ge):
        for other in (0, 0.5, 1e9, "z", None):
            with pytest.raises(TypeError, match="compares data"):
                compare(value, other)
            with pytest.raises(TypeError):
                compare(other, value)
    with pytest.raises(TypeError):
        assert 0 <= value <= 1


def test_equality_with_data_is_identity_only(rigged):
    value = rigged.anything()
    assert (value == 1) is False and (value != 1) is True and value != rigged.anything()
    assert value == value
    assert (value <= value) is True  # learner objects among themselves: the learner's (real bool) answer


def test_truth_value_and_conversions_are_not_learner_decisions(rigged):
    value = rigged.anything()
    for convert in (bool, int, float, operator.index, complex, round, lambda v: f"{v:.3f}",
                    lambda v: math.isclose(v, 0.5), lambda v: [0, 1, 2, 3][v]):
        with pytest.raises(TypeError):
            convert(value)
    assert len(value) == 1  # an int from learner code is data, like any value it returns


def test_an_endless_iterator_stops(rigged, monkeypatch):
    monkeypatch.setattr(channel, "ITERATION_LIMIT", 500)
    with pytest.raises(RuntimeError, match="more than 500 items"):
        list(rigged.anything())


def test_a_learner_context_manager_cannot_swallow_the_verdict(rigged):
    with pytest.raises(AssertionError):
        with rigged.anything():
            raise AssertionError("the suite's check failed")
    with pytest.raises(pytest.fail.Exception):
        with rigged.anything():
            pytest.fail("the suite's verdict")
    with rigged.anything():
        raise ValueError("an error learner code may choose to suppress")


def test_isinstance_follows_the_real_classes(rigged):
    assert not isinstance(rigged.anything(), rigged.Anyone)
    assert isinstance(rigged.Anyone(), rigged.Anyone)


def test_an_answer_over_the_size_limit_is_refused_and_the_worker_goes_on(rigged):
    with pytest.raises(Exception, match="over the .*-byte limit") as caught:
        rigged.huge()
    assert type(caught.value).__name__ == "MessageTooLarge"
    assert rigged.ok() == 1


def test_suite_objects_answer_learner_code_as_themselves(rigged):
    assert rigged.truth(SuiteBox()) == (True, 2, True, True)


# -- graded submissions ---------------------------------------------------------------------------
ANYTHING = textwrap.dedent('''
    import itertools

    RIGGED = {rigged}  # the honest twin is the same code without the rigged methods

    class _Anything:
        if RIGGED:
            def __lt__(self, other):
                return True
            __le__ = __gt__ = __ge__ = __lt__
            def __bool__(self):
                return True
            def __len__(self):
                return 10 ** 6
            def __contains__(self, item):
                return True
            def __iter__(self):
                return itertools.count()
            def __float__(self):
                return 0.5
            def __int__(self):
                return 7
            def __index__(self):
                return 7
''')

HASHING_TRICKS = ANYTHING + textwrap.dedent('''
    def stable_hash(key):
        return _Anything()

    class ModHashing:
        def __init__(self, nodes=()):
            self.nodes = list(nodes)
        def add_node(self, node):
            self.nodes.append(node)
        def remove_node(self, node):
            self.nodes.remove(node)
        def node_for(self, key):
            return _Anything()

    class ConsistentHashRing(ModHashing):
        def __init__(self, nodes=(), vnodes=100):
            super().__init__(nodes)
        def add_node(self, node, weight=1):
            self.nodes.append(node)
        def points(self):
            return _Anything()

    class RendezvousHashing(ModHashing):
        def add_node(self, node, weight=1.0):
            self.nodes.append(node)
        def score(self, key, node):
            return _Anything()
''')

QUANTILE_TRICK = ANYTHING + textwrap.dedent('''
    def _quantile(self, q):
        if not 0 < q <= 1:
            raise ValueError("q must be in (0, 1]")
        return _Anything() if RIGGED else 0.0

    Histogram.quantile = _quantile
''')


def hashing_attacks(tmp: Path) -> dict[str, dict[str, str]]:
    other = tmp / "reference_as_helper.py"
    other.write_text(HASHING.reference.read_text(encoding="utf-8"), encoding="utf-8")
    return {
        "honest_stub": {"hashing.py": STUB},
        "reference_bytecode": {"hashing.py": STUB},
        "sibling_bytecode": {"hashing.py": STUB + textwrap.dedent('''
            import os, sys
            sys.path.insert(0, os.path.dirname(__file__))
            try:
                from helper import *  # helper.py is empty; its cached bytecode is the reference
            except ImportError:
                pass
            try:
                from lonely import *  # only bytecode: refused
            except ImportError:
                pass
        '''), "helper.py": ""},
        "rigged_objects": {"hashing.py": STUB + HASHING_TRICKS.format(rigged=True)},
        "rigged_objects_honest_twin": {"hashing.py": STUB + HASHING_TRICKS.format(rigged=False)},
    }


@pytest.fixture(scope="module")
def hashing_batch(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("integrity")
    root = tmp / "submissions"
    root.mkdir()
    for name, files in hashing_attacks(tmp).items():
        write_submission(root, name, files)
    stub_with_reference_bytecode(root / "reference_bytecode")
    sibling = root / "sibling_bytecode"
    compile_unchecked(HASHING.reference, sibling / "__pycache__" / f"helper.{TAG}.pyc", sibling / "helper.py")
    compile_unchecked(HASHING.reference, sibling / "lonely.pyc", sibling / "lonely.py")
    options_ = options(exercises=["hashing"], timeout=120, memory_mb=256, jobs=2)
    reports = tmp / "reports"
    rows = grade_batch(root, options_, tmp / "gradebook.csv",
                       report_dirs={"json": reports, "markdown": reports, "junit": reports, "gradescope": reports})
    return {"rows": {row.name: row for row in rows}, "tmp": tmp}


def statuses(row) -> dict[str, str]:
    return {t.nodeid: t.status for e in row.report.exercises for t in e.tests}


@pytest.mark.parametrize("name", ["reference_bytecode", "sibling_bytecode"])
def test_shipped_bytecode_earns_what_the_stub_earns(hashing_batch, name):
    row, honest = hashing_batch["rows"][name], hashing_batch["rows"]["honest_stub"]
    assert row.report is not None, row.problem
    assert row.points == 0 and statuses(row) == statuses(honest)


def test_the_report_names_the_ignored_bytecode(hashing_batch):
    row = hashing_batch["rows"]["reference_bytecode"]
    lines = [p for p in row.report.problems if "ignored compiled files" in p]
    assert len(lines) == 1 and f"__pycache__/hashing.{TAG}.pyc" in lines[0]
    saved = json.loads((hashing_batch["tmp"] / "reports" / "reference_bytecode.json.json").read_text())
    assert any("ignored compiled files" in p for p in saved["problems"])
    for name in ("reference_bytecode.markdown.md", "reference_bytecode.junit.xml", "reference_bytecode.gradescope.json"):
        assert "ignored compiled files" in (hashing_batch["tmp"] / "reports" / name).read_text(), name
    sibling = hashing_batch["rows"]["sibling_bytecode"].report.problems
    assert any("lonely.pyc" in p and f"helper.{TAG}.pyc" in p for p in sibling)
    assert not hashing_batch["rows"]["honest_stub"].report.problems


def test_rigged_objects_earn_nothing_over_their_honest_twin(hashing_batch):
    rigged, twin = hashing_batch["rows"]["rigged_objects"], hashing_batch["rows"]["rigged_objects_honest_twin"]
    assert rigged.points == twin.points
    twin_statuses = statuses(twin)
    for nodeid, status in statuses(rigged).items():
        assert status != "passed" or twin_statuses[nodeid] == "passed", nodeid


@pytest.fixture(scope="module")
def monitoring_batch(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("integrity-monitoring")
    root = tmp / "submissions"
    root.mkdir()
    reference = MONITORING.reference.read_text(encoding="utf-8")
    stub = MONITORING.stub.read_text(encoding="utf-8")
    for name, text in {"reference": reference,
                       "quantile_rigged": reference + QUANTILE_TRICK.format(rigged=True),
                       "quantile_honest_twin": reference + QUANTILE_TRICK.format(rigged=False),
                       "stub_quantile_rigged": stub + QUANTILE_TRICK.format(rigged=True)}.items():
        write_submission(root, name, {"monitoring.py": text})
    rows = grade_batch(root, options(exercises=["monitoring"], timeout=240, memory_mb=512, jobs=2),
                       tmp / "gradebook.csv")
    return {row.name: row for row in rows}


def test_an_always_true_ordering_earns_nothing(monitoring_batch):
    reference = monitoring_batch["reference"]
    assert reference.points == reference.max_points > 0, reference.problem
    rigged, twin = monitoring_batch["quantile_rigged"], monitoring_batch["quantile_honest_twin"]
    assert rigged.points <= twin.points < reference.points
    twin_statuses = statuses(twin)
    for nodeid, status in statuses(rigged).items():
        assert status != "passed" or twin_statuses[nodeid] == "passed", nodeid
    assert monitoring_batch["stub_quantile_rigged"].points == 0


def test_an_always_true_ordering_earns_nothing_in_plain_pytest(tmp_path):
    reference = MONITORING.reference.read_text(encoding="utf-8")
    (tmp_path / "monitoring.py").write_text(reference + QUANTILE_TRICK.format(rigged=True), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "pytest", str(MONITORING.suite / "test_histogram.py"), "-q",
                          "-p", "no:cacheprovider", "--impl", str(tmp_path), "-k", "quantile or fleet"],
                         cwd=KIT_ROOT, capture_output=True, text=True, timeout=300)
    summary = run.stdout.strip().splitlines()[-1]
    assert "failed" in summary, run.stdout[-3000:]


# -- accounting -----------------------------------------------------------------------------------
def _report_with(result) -> GradeReport:
    return GradeReport(implementation="a submission", exercises=[result], problems=["a problem line"])


def test_an_exercise_that_does_not_collect_scores_zero_and_its_maximum_is_unknown(tmp_path):
    expected = [t for t in _expected_hashing().tests["hashing"]][:3]
    problem = "tests/hashing/test_broken.py: SyntaxError: invalid syntax"
    result = merge_uncollected(HASHING, expected, [problem])
    assert result.points == 0 and not result.collected and not result.max_known
    assert result.status == "not collected" and "could not be collected" in result.error
    report = _report_with(result)
    assert report.points_line.startswith("Points 0/? (maximum unknown: hashing could not be collected")
    data = report.to_dict()
    assert data["max_points_known"] is False and data["exercises"][0]["collected"] is False
    again = GradeReport.from_dict(json.loads(json.dumps(data)))
    assert again.points_line == report.points_line and again.problems == ["a problem line"]
    for fmt, suffix in (("markdown", "md"), ("gradescope", "json"), ("exercism", "json"), ("junit", "xml"),
                        ("json", "json")):
        path = tmp_path / f"report.{suffix}.{fmt}"
        KIT.pm.hook.sysdesign_write_report(report=report, fmt=fmt, path=str(path))
        assert "could not be collected" in path.read_text(encoding="utf-8"), fmt
    exercism = json.loads((tmp_path / "report.json.exercism").read_text(encoding="utf-8"))
    assert exercism["status"] == "error" and exercism["message"].startswith("Points 0/?")


def test_a_declared_maximum_is_kept_when_the_suite_does_not_collect(tmp_path, monkeypatch):
    from sysdesign.grade import grader as runner

    monkeypatch.setattr(runner, "declared_points", lambda exercise: 50.0)
    expected = _expected_hashing().tests["hashing"][:2]
    result = merge_uncollected(HASHING, expected, ["tests/hashing/test_x.py: SyntaxError"])
    assert result.max_known and result.max_points == 50 and result.points == 0
    assert _report_with(result).points_line == "Points 0/50"


def _expected_hashing() -> Expected:
    from sysdesign.results import TestResult

    tests = [TestResult(nodeid=f"tests/hashing/test_a.py::test_{i}", name=f"test_{i}", exercise="hashing", task=1,
                        max_points=2.0, status="missing") for i in range(4)]
    return Expected(tests={"hashing": tests})


@pytest.mark.parametrize("returncode, tail, expected", [
    (-9, "", "the deciding process was killed by SIGKILL"),
    (1, "INTERNALERROR> Traceback (most recent call last):\nINTERNALERROR> ValueError: boom\n",
     "stopped on an error of the grader (exit code 1): INTERNALERROR> ValueError: boom"),
    (0, "", "ended without reporting its results"),
])
def test_a_deciding_process_that_dies_is_reported_as_what_happened(returncode, tail, expected):
    expected_tests = _expected_hashing().tests["hashing"]
    first = {"event": "result", "test": {"nodeid": expected_tests[0].nodeid, "status": "passed"}}
    run = ChildRun(events=[first], killed=False, returncode=returncode, output_tail=tail)
    result = merge(HASHING, expected_tests, run, GradeOptions())
    assert expected in result.error and "Traceback" not in result.error
    assert [t.status for t in result.tests] == ["passed", "crashed", "crashed", "crashed"]
    assert all(expected in t.message for t in result.tests[1:])
    assert result.max_points == 8 and result.points == 2


def test_a_suite_that_does_not_collect_keeps_the_total_honest(tmp_path):
    """A hidden test file with a syntax error: the exercise scores 0 and the total says its
    maximum is unknown, in every report."""
    hidden = tmp_path / "hidden" / "hashing"
    hidden.mkdir(parents=True)
    (hidden / "test_extra.py").write_text("def test_broken(:\n    pass\n", encoding="utf-8")
    reference = tmp_path / "reference"
    reference.mkdir()
    (reference / "hashing.py").write_text(HASHING.reference.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    run = subprocess.run([sys.executable, "-m", "sysdesign.cli", "grade", "--impl", str(reference), "--exercise",
                          "hashing", "--hidden", str(tmp_path / "hidden"), "--timeout", "120",
                          "--json", str(out / "r.json"), "--markdown", str(out / "r.md"),
                          "--gradescope", str(out / "g.json"), "--exercism", str(out / "e.json"),
                          "--junit", str(out / "j.xml"), *["--" + name.replace("_", "-") for name in WEAK]],
                         cwd=KIT_ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    data = json.loads((out / "r.json").read_text())
    assert data["points"] == 0 and data["max_points_known"] is False
    assert data["exercises"][0]["status"] == "not collected"
    assert "Points 0/?" in run.stdout, run.stdout
    for name in ("r.md", "g.json", "e.json", "j.xml"):
        assert "could not be collected" in (out / name).read_text(), name


def test_a_threshold_check_never_passes_on_an_unknown_maximum(tmp_path):
    known = merge_uncollected(HASHING, [], ["tests/hashing/test_x.py: SyntaxError: invalid syntax"])
    report = _report_with(known)
    model = tmp_path / "model.json"
    model.write_text(report.to_json(), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "sysdesign.cli", "grade-check", str(model), "--fail-under", "0"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 1 and "Points 0/?" in run.stdout and "cannot check" in run.stdout, run.stdout + run.stderr
