"""What the kit proves about every exercise, as functions: the kit's own tests
(``tests/kit/test_exercises.py``) and ``sysdesign dev check`` share them.

For one exercise:

- the reference passes the whole suite, and the suite runs at least 90% of the reference's
  statements and branches (:func:`check_reference`);
- the pristine stub is "not started" in every graded test and the run fails
  (:func:`check_pristine`);
- every known-wrong variant fails each test its ``EXPECT_FAIL`` names (:func:`check_variant`);
- every graded test has a task (one of the exercise's) and points, every task has a test and a
  hint, the stub's docstring numbers every task, enough variants ship (:func:`check_metadata`).

For the kit: no two packs (or a pack and the core) claim one slug (:func:`slug_clashes`).

Each check returns a list of problems: the first line of each is the problem in one line, any
further lines are detail (the tail of the suite's output). A suite is run through a *runner*,
``runner(paths, impl) -> SuiteRun``; :func:`run_suite_in_process` is the one the command line
uses, the kit's own tests adapt pytester's.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sysdesign import KIT_ROOT
from sysdesign.exercise import Exercise
from sysdesign.results import FAILED, NOT_STARTED, PASSED, GradeReport

MIN_BRANCH_COVERAGE = 90.0
#: Known-wrong variants every core exercise ships (writing-exercises.md asks the same of packs).
MIN_VARIANTS = 3
#: What ``sysdesign dev check`` demands of a pack exercise (a fresh scaffold ships one).
MIN_PACK_VARIANTS = 1
OUTPUT_TAIL = 3000


@dataclass
class SuiteRun:
    """One run of suites against one implementation: its grading model (None when the run
    wrote none), its terminal output and its exit code."""

    report: GradeReport | None
    output: str
    exit_code: int

    def statuses(self) -> dict[str, str]:
        return statuses(self.report) if self.report is not None else {}

    def tail(self, limit: int = OUTPUT_TAIL) -> str:
        return self.output[-limit:]


Runner = Callable[[Sequence[str], str], SuiteRun]


@dataclass(frozen=True)
class GradedTest:
    """What the metadata check needs to know about one graded test."""

    nodeid: str
    task: int | None
    points: float


def where(exercise: Exercise) -> str:
    """``slug`` for a core exercise, ``pack:slug`` for a pack's."""
    return exercise.slug if exercise.pack == "core" else f"{exercise.pack}:{exercise.slug}"


def statuses(report: GradeReport) -> dict[str, str]:
    """nodeid -> status for every graded test in ``report``."""
    return {t.nodeid: t.status for ex in report.exercises for t in ex.tests}


def expected_failures(variant: Path) -> list[str]:
    """The ``EXPECT_FAIL`` list a variant declares: the tests that must catch it."""
    tree = ast.parse(Path(variant).read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "EXPECT_FAIL" for t in node.targets):
            return list(ast.literal_eval(node.value))
    return []


def variant_as_impl(variant: Path, slug: str, tmp: Path) -> Path:
    """A directory holding ``variant`` as ``<slug>.py``: the shape ``--impl DIR`` takes."""
    folder = Path(tmp) / f"impl-{slug}-{variant.stem}"
    folder.mkdir(parents=True)
    shutil.copyfile(variant, folder / f"{slug}.py")
    return folder


def _detail(summary: str, run: SuiteRun | None = None) -> str:
    return f"{summary}\n{run.tail()}" if run is not None and run.output else summary


# -- the checks --------------------------------------------------------------------------------
def check_reference(exercise: Exercise, runner: Runner, *, measure_coverage: bool = True,
                    min_coverage: float = MIN_BRANCH_COVERAGE) -> list[str]:
    """The reference passes every graded test of the suite; with ``measure_coverage``, the
    suite runs at least ``min_coverage`` % of the reference's statements and branches."""
    cov = None
    if measure_coverage:
        import coverage

        # The cluster runs blocked handlers as greenlets: without "greenlet" coverage misses them.
        cov = coverage.Coverage(branch=True, data_file=None, include=[str(exercise.reference)],
                                concurrency=["greenlet", "thread"])
        cov.start()
    try:
        run = runner([str(exercise.suite)], "reference")
    finally:
        if cov is not None:
            cov.stop()
    got = run.statuses()
    if not got:
        return [_detail(f"{where(exercise)}: no graded test ran with the reference "
                        f"(pytest exit code {run.exit_code})", run)]
    bad = {k: v for k, v in got.items() if v != PASSED}
    if bad:
        first = next(iter(bad))
        return [_detail(f"{where(exercise)}: the reference does not pass {len(bad)} of {len(got)} tests "
                        f"(first: {first}: {bad[first]})", run)]
    if cov is None:
        return []
    out = io.StringIO()
    try:
        percent = cov.report(file=out, show_missing=True)
    except Exception as exc:  # coverage.CoverageException: nothing measured
        return [f"{where(exercise)}: could not measure the suite's coverage of the reference: {exc}"]
    if percent < min_coverage:
        return [f"{where(exercise)}: the suite runs only {percent:.1f}% of the reference's statements and "
                f"branches (need {min_coverage:g}%): a branch no test runs is a branch no test can judge\n"
                f"{out.getvalue()}"]
    return []


def check_pristine(exercise: Exercise, runner: Runner) -> list[str]:
    """With the pristine stub, every graded test is "not started" and the run exits non-zero."""
    run = runner([str(exercise.suite)], "pristine")
    got = run.statuses()
    if not got:
        return [_detail(f"{where(exercise)}: no graded test ran with the stub (pytest exit code {run.exit_code})", run)]
    problems = []
    wrong = {k: v for k, v in got.items() if v != NOT_STARTED}
    if wrong:
        first = next(iter(wrong))
        problems.append(_detail(f"{where(exercise)}: with the pristine stub {len(wrong)} tests are not "
                                f"'not started' (first: {first}: {wrong[first]}); every body must raise "
                                "NotImplementedError before a test can pass or fail", run))
    if run.exit_code == 0:
        problems.append(f"{where(exercise)}: a run of the untouched stub exits 0; it must fail")
    return problems


def check_variant(exercise: Exercise, variant: Path, runner: Runner, tmp: Path) -> list[str]:
    """The known-wrong ``variant`` fails (not errors, not "not started") every test it names; a
    parametrised test named without its parameters must fail in one case at least."""
    label = f"{where(exercise)}: variant {variant.name}"
    try:
        expected = expected_failures(variant)
    except (SyntaxError, ValueError, OSError) as exc:
        return [f"{label}: cannot read its EXPECT_FAIL ({type(exc).__name__}: {exc})"]
    if not expected:
        return [f"{label}: declare EXPECT_FAIL, the tests that must catch this mistake"]
    folder = variant_as_impl(variant, exercise.slug, tmp)
    run = runner([str(exercise.suite / test) for test in expected], str(folder))
    got = run.statuses()
    problems = []
    for test in expected:
        matching = {k: v for k, v in got.items() if _names(k, test)}
        seen = set(matching.values())
        if not matching:
            problems.append(_detail(f"{label}: {test} did not run", run))
        elif FAILED not in seen or not seen <= {FAILED, PASSED}:
            problems.append(_detail(f"{label}: should fail {test}, got {sorted(seen)}", run))
    return problems


def _names(nodeid: str, test: str) -> bool:
    """``nodeid`` is the test ``test`` names (``file.py::test``), or one parametrisation of it
    (``test[3]``). A parametrised test catches a mistake when one of its cases fails and none
    errors."""
    return nodeid.endswith(test) or ("[" in nodeid and nodeid.split("[", 1)[0].endswith(test))


def check_metadata(exercise: Exercise, graded: Iterable[GradedTest], *,
                   min_variants: int = MIN_VARIANTS) -> list[str]:
    """Tasks, hints, points and variants are all there, and the stub numbers every task."""
    name = where(exercise)
    problems = []
    graded = list(graded)
    variants = exercise.variant_files()
    if len(variants) < min_variants:
        problems.append(f"{name}: {len(variants)} known-wrong variants, fewer than {min_variants} "
                        f"(add them to {exercise.variants})")
    if not exercise.tasks:
        problems.append(f"{name}: no tasks in exercise.toml")
    for task in exercise.tasks:
        if not task.hints:
            problems.append(f"{name}: task {task.number} has no hint")
    if not graded:
        problems.append(f"{name}: no graded tests collected")
    numbers = {t.number for t in exercise.tasks}
    seen = set()
    for test in graded:
        if test.task is None:
            problems.append(f"{test.nodeid}: no @pytest.mark.task(n)")
        elif test.task not in numbers:
            problems.append(f"{test.nodeid}: task {test.task} is not one of {sorted(numbers)}")
        else:
            seen.add(test.task)
        if not test.points > 0:
            problems.append(f"{test.nodeid}: worth {test.points:g} points; @pytest.mark.points(n) needs n > 0")
    if graded and seen != numbers:
        problems.append(f"{name}: tasks without a graded test: {sorted(numbers - seen)}")
    try:
        docstring = ast.get_docstring(ast.parse(exercise.stub.read_text(encoding="utf-8"))) or ""
    except (OSError, SyntaxError, ValueError) as exc:
        problems.append(f"{name}: cannot read the stub {exercise.stub}: {type(exc).__name__}: {exc}")
        docstring = None
    if docstring is not None:
        for task in exercise.tasks:
            if not re.search(rf"^{task.number}\. ", docstring, re.M):
                problems.append(f"{exercise.stub.name} ({name}): the module docstring does not number task {task.number}")
    return problems


def graded_tests(report: GradeReport | None) -> list[GradedTest]:
    """The graded tests of a run, as :func:`check_metadata` reads them."""
    if report is None:
        return []
    return [GradedTest(t.nodeid, t.task, t.max_points) for ex in report.exercises for t in ex.tests]


def slug_clashes(kit) -> list[str]:
    """Slugs claimed twice: by a pack and the core, or by two packs (the pack that is not the
    core is named as the one at fault). Reads every plugin's own answer, as the kit recorded it."""
    owners: dict[str, list[str]] = {}
    for answer in kit.hook_answers("sysdesign_exercises"):
        if answer.error is not None:  # reported by the kit already (the pack is skipped)
            continue
        for exercise in answer.value:
            slug, pack = getattr(exercise, "slug", None), getattr(exercise, "pack", answer.plugin)
            if isinstance(slug, str):
                owners.setdefault(slug, []).append(pack)
    problems = []
    for slug, packs in sorted(owners.items()):
        if len(packs) < 2:
            continue
        keeper = "core" if "core" in packs else packs[0]
        others = list(packs)
        others.remove(keeper)
        against = "the core exercise of that slug" if keeper == "core" else f"pack '{keeper}'"
        problems += [f"pack '{pack}': exercise '{slug}' clashes with {against}" for pack in others]
    return problems


# -- running suites from the command line ---------------------------------------------------------
class _Quiet:
    """A pytest plugin that keeps collection errors (one line each)."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def pytest_collectreport(self, report) -> None:
        if report.failed:
            lines = str(report.longrepr).strip().splitlines()
            self.problems.append(f"{report.nodeid}: {lines[-1] if lines else 'collection failed'}")


def rootdir_for(paths: Sequence[str]) -> Path:
    """The kit's root for its own suites; for a pack's suite (installed anywhere), the folder
    holding the suite, so that test ids read ``<slug>/test_x.py::test``."""
    for arg in paths:
        path = Path(arg.split("::", 1)[0]).resolve()
        if KIT_ROOT.resolve() in path.parents:
            return KIT_ROOT
        suite = path.parent if path.suffix == ".py" else path
        return suite.parent
    return KIT_ROOT


def run_suite_in_process(paths: Sequence[str], impl: str, *extra: str) -> SuiteRun:
    """Run pytest in this process on ``paths`` with ``--impl impl`` and the kit's configuration,
    and read back the grading model (the command line's runner)."""
    import pytest

    with tempfile.TemporaryDirectory(prefix="sysdesign-selfcheck-") as tmp:
        target = Path(tmp) / "grade.json"
        args = [*paths, "--impl", impl, "--grade-json", str(target), "-p", "no:cacheprovider", "-q",
                "--tb=short", "-W", "ignore::pytest.PytestAssertRewriteWarning",
                "--rootdir", str(rootdir_for(paths)), "-c", str(KIT_ROOT / "pyproject.toml"), *extra]
        captured = io.StringIO()
        quiet = _Quiet()
        with contextlib.redirect_stdout(captured):
            code = pytest.main(args, plugins=[quiet])
        report = GradeReport.from_dict(json.loads(target.read_text(encoding="utf-8"))) if target.exists() else None
    output = captured.getvalue()
    if quiet.problems:
        output = "\n".join(quiet.problems) + "\n" + output
    return SuiteRun(report=report, output=output, exit_code=int(code))


def check_exercise(exercise: Exercise, runner: Runner, *, min_variants: int = MIN_PACK_VARIANTS,
                   measure_coverage: bool = True) -> list[str]:
    """Every check of one exercise (reference, stub, variants, metadata), for the command line.
    The metadata check reads the graded tests from the reference's run (or the stub's)."""
    runs: list[SuiteRun] = []

    def recording(paths: Sequence[str], impl: str) -> SuiteRun:
        run = runner(paths, impl)
        runs.append(run)
        return run

    problems = check_reference(exercise, recording, measure_coverage=measure_coverage)
    problems += check_pristine(exercise, recording)
    graded = next((g for g in (graded_tests(r.report) for r in runs) if g), [])
    with tempfile.TemporaryDirectory(prefix="sysdesign-variants-") as tmp:
        for variant in exercise.variant_files():
            problems += check_variant(exercise, variant, runner, Path(tmp))
    problems += check_metadata(exercise, graded, min_variants=min_variants)
    return problems


# -- the mutation check (opt-in: ``sysdesign dev check --mutants``) --------------------------------
#: Comparison operators and what a mutant turns each into (an off-by-one at a boundary, or the
#: opposite test).
_COMPARE_SWAPS = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq,
                  ast.NotEq: ast.Eq}
_OP_TEXT = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}
#: Statements a mutant may delete (replace with ``pass``).
_DELETABLE = (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Expr, ast.Delete, ast.Raise)
#: A line carrying this comment is never mutated (for code whose mutants cannot be told apart
#: from it, such as a message text built in an error path).
NO_MUTATE = "pragma: no mutate"


@dataclass(frozen=True)
class Mutant:
    """One small change to a reference: where (line, 1-based) and what."""

    line: int
    what: str
    source: str  # the whole mutated module


@dataclass(frozen=True)
class MutantResult:
    mutant: Mutant
    outcome: str  # "killed", "survived", "timed out" (counted as killed)
    detail: str = ""  # the first test that caught it, or the output tail of a survivor


def _docstring_nodes(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                ids.add(id(first))
    return ids


def _sites(tree: ast.AST, lines: list[str], functions: Sequence[str] | None) -> list[tuple[int, str, str]]:
    """Every place a mutant can be made, as ``(index in ast.walk order, kind, label)``."""
    docstrings = _docstring_nodes(tree)
    inside: dict[int, str] = {}  # node -> the name of the innermost function holding it
    for node in ast.walk(tree):  # outer functions come first, so inner ones overwrite them
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for child in ast.walk(node):
                inside[id(child)] = node.name
    annotations = {id(n) for node in ast.walk(tree) for n in _annotation_nodes(node)}
    sites = []
    for index, node in enumerate(ast.walk(tree)):
        line = getattr(node, "lineno", None)
        if line is None or id(node) in annotations or NO_MUTATE in lines[line - 1]:
            continue
        if functions is not None and inside.get(id(node)) not in functions:
            continue
        if isinstance(node, ast.Compare):
            for i, op in enumerate(node.ops):
                if type(op) in _COMPARE_SWAPS:
                    sites.append((index, f"compare:{i}",
                                  f"{_OP_TEXT[type(op)]} -> {_OP_TEXT[_COMPARE_SWAPS[type(op)]]}"))
        elif isinstance(node, ast.BoolOp):
            sites.append((index, "boolop", "and -> or" if isinstance(node.op, ast.And) else "or -> and"))
        elif (isinstance(node, ast.Constant) and type(node.value) in (int, float)
              and not isinstance(node.value, bool)):
            sites.append((index, "const:+1", f"{node.value!r} -> {node.value + 1!r}"))
            sites.append((index, "const:-1", f"{node.value!r} -> {node.value - 1!r}"))
        elif isinstance(node, ast.Return) and node.value is not None and not (
                isinstance(node.value, ast.Constant) and node.value.value is None):
            sites.append((index, "return", "return value -> None"))
        elif isinstance(node, _DELETABLE) and id(node) not in docstrings:
            sites.append((index, "delete", f"statement deleted: {lines[line - 1].strip()[:60]}"))
    return sites


def _annotation_nodes(node: ast.AST) -> Iterable[ast.AST]:
    """The nodes of ``node``'s type annotations (never mutated: they do not run)."""
    roots = []
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        roots.append(node.returns)
        args = node.args
        roots += [a.annotation for a in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg) if a]
    elif isinstance(node, ast.AnnAssign):
        roots.append(node.annotation)
    for root in roots:
        if root is not None:
            yield from ast.walk(root)


def _apply(tree: ast.AST, index: int, kind: str) -> None:
    node = next(n for i, n in enumerate(ast.walk(tree)) if i == index)
    if kind.startswith("compare:"):
        i = int(kind.split(":")[1])
        node.ops[i] = _COMPARE_SWAPS[type(node.ops[i])]()
    elif kind == "boolop":
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    elif kind == "const:+1":
        node.value = node.value + 1
    elif kind == "const:-1":
        node.value = node.value - 1
    elif kind == "return":
        node.value = ast.Constant(None)
    elif kind == "delete":
        for parent in ast.walk(tree):
            for field in ("body", "orelse", "finalbody"):
                body = getattr(parent, field, None)
                if isinstance(body, list) and any(s is node for s in body):
                    body[[i for i, s in enumerate(body) if s is node][0]] = ast.copy_location(ast.Pass(), node)
                    return


def mutants(source: str, functions: Sequence[str] | None = None) -> list[Mutant]:
    """Every mutant of ``source`` (a module's text), in source order: comparisons flipped at the
    boundary (``<`` and ``<=``, ``>`` and ``>=``, ``==`` and ``!=``), number constants one more
    and one less, ``and`` and ``or`` swapped, a returned value replaced with ``None``, a simple
    statement deleted. ``functions`` limits them to code inside functions of those names.
    Docstrings, annotations and lines marked ``# pragma: no mutate`` are left alone."""
    lines = source.splitlines()
    tree = ast.parse(source)
    found = []
    for index, kind, label in _sites(tree, lines, functions):
        copy = ast.parse(source)
        _apply(copy, index, kind)
        line = next(n for i, n in enumerate(ast.walk(copy)) if i == index).lineno
        found.append(Mutant(line=line, what=label, source=ast.unparse(copy) + "\n"))
    found.sort(key=lambda m: m.line)
    return found


def run_suite_in_subprocess(paths: Sequence[str], impl: str, *extra: str, timeout: float = 120.0) -> SuiteRun | None:
    """Like :func:`run_suite_in_process`, in a fresh interpreter that is killed after
    ``timeout`` seconds (a mutant may loop forever); None when it was."""
    import subprocess
    import sys

    with tempfile.TemporaryDirectory(prefix="sysdesign-mutant-") as tmp:
        target = Path(tmp) / "grade.json"
        args = [sys.executable, "-m", "pytest", *paths, "--impl", impl, "--grade-json", str(target),
                "-p", "no:cacheprovider", "-q", "--tb=line", "-W", "ignore::pytest.PytestAssertRewriteWarning",
                "--rootdir", str(rootdir_for(paths)), "-c", str(KIT_ROOT / "pyproject.toml"), *extra]
        try:
            done = subprocess.run(args, capture_output=True, text=True, timeout=timeout, cwd=tmp)
        except subprocess.TimeoutExpired:
            return None
        report = GradeReport.from_dict(json.loads(target.read_text(encoding="utf-8"))) if target.exists() else None
    return SuiteRun(report=report, output=done.stdout + done.stderr, exit_code=done.returncode)


def check_mutants(exercise: Exercise, *, tests: Sequence[str] | None = None, functions: Sequence[str] | None = None,
                  limit: int | None = None, timeout: float = 120.0,
                  runner: Callable[..., SuiteRun | None] = run_suite_in_subprocess,
                  progress: Callable[[MutantResult], None] | None = None) -> list[MutantResult]:
    """Run the exercise's suite (or ``tests``, file names inside it) against each mutant of its
    reference (see :func:`mutants`), stopping each run at its first failure. A mutant the suite
    lets through is a *survivor*: a small wrong change no test noticed. ``limit`` takes the
    first that many mutants in source order."""
    source = exercise.reference.read_text(encoding="utf-8")
    chosen = mutants(source, functions)[:limit] if limit is not None else mutants(source, functions)
    paths = [str(exercise.suite / t) for t in tests] if tests else [str(exercise.suite)]
    results = []
    with tempfile.TemporaryDirectory(prefix="sysdesign-mutants-") as tmp:
        for number, mutant in enumerate(chosen):
            folder = Path(tmp) / f"mutant-{number}"
            folder.mkdir()
            (folder / f"{exercise.slug}.py").write_text(mutant.source, encoding="utf-8")
            run = runner(paths, str(folder), "-x", timeout=timeout)
            if run is None:
                result = MutantResult(mutant, "timed out")
            else:
                got = run.statuses()
                caught = [k for k, v in got.items() if v != PASSED]
                if caught or not got:
                    result = MutantResult(mutant, "killed", caught[0] if caught else "no graded test ran")
                else:
                    result = MutantResult(mutant, "survived", run.tail(600))
            results.append(result)
            if progress is not None:
                progress(result)
    return results


def survivor_lines(exercise: Exercise, results: Iterable[MutantResult]) -> list[str]:
    """One line per survivor: ``solutions/<slug>.py:LINE: <mutation>``."""
    try:
        shown = exercise.reference.relative_to(KIT_ROOT)
    except ValueError:
        shown = exercise.reference
    return [f"{shown}:{r.mutant.line}: {r.mutant.what}" for r in results if r.outcome == "survived"]
