"""The mutation check (``sysdesign dev check --mutants``): small changes to a reference, each
run against the suite; the ones no test notices are reported as survivors."""

from __future__ import annotations

from sysdesign import selfcheck
from sysdesign.plugin_manager import build_kit

SOURCE = '''"""A module."""


def clamp(x: int, low: int = 0) -> int:
    """Not mutated: a docstring."""
    total = x + 1
    if x < low and total >= 0:
        raise ValueError("below")
    message = "kept"  # pragma: no mutate
    return total
'''


def test_each_kind_of_mutation_is_made_once_per_site():
    found = [(m.line, m.what) for m in selfcheck.mutants(SOURCE)]
    assert found == [
        (4, "0 -> 1"),  # a default value is code too
        (4, "0 -> -1"),
        (6, "statement deleted: total = x + 1"),
        (6, "1 -> 2"),
        (6, "1 -> 0"),
        (7, "and -> or"),
        (7, "< -> <="),
        (7, ">= -> >"),
        (7, "0 -> 1"),
        (7, "0 -> -1"),
        (8, 'statement deleted: raise ValueError("below")'),
        (10, "return value -> None"),
    ], found
    deleted = next(m for m in selfcheck.mutants(SOURCE) if m.what.startswith("statement deleted: total")).source
    assert "total = x + 1" not in deleted and "pass" in deleted
    assert "return None" in [m for m in selfcheck.mutants(SOURCE) if m.what.startswith("return")][0].source
    assert selfcheck.mutants(SOURCE, functions=["other"]) == []


def test_survivors_are_named_by_file_and_line():
    exercise = next(e for e in build_kit(load_packs=False).exercises if e.slug == "performance")
    calls = []

    def everything_passes(paths, impl, *extra, timeout):
        calls.append((paths, extra))
        return selfcheck.SuiteRun(report=None, output="", exit_code=0)

    results = selfcheck.check_mutants(exercise, functions=["nines_of"], limit=2, runner=everything_passes)
    assert [r.outcome for r in results] == ["killed", "killed"], "a run with no graded test counts as killed"
    assert calls and all("-x" in extra for _, extra in calls), "each run stops at its first failure"


def test_a_bounded_mutation_run_on_a_real_suite():
    """Two mutants of performance.nines_of against test_nines.py, each in its own interpreter."""
    exercise = next(e for e in build_kit(load_packs=False).exercises if e.slug == "performance")
    results = selfcheck.check_mutants(exercise, tests=["test_nines.py"], functions=["nines_of"], limit=2,
                                      timeout=120)
    assert len(results) == 2
    assert {r.outcome for r in results} <= {"killed", "survived", "timed out"}
    assert all(r.outcome == "killed" for r in results), [(r.mutant.line, r.mutant.what, r.detail) for r in results]
    assert all("test_nines.py" in r.detail for r in results), [r.detail for r in results]
    assert selfcheck.survivor_lines(exercise, results) == []
    lines = selfcheck.survivor_lines(exercise, [selfcheck.MutantResult(results[0].mutant, "survived")])
    assert lines == [f"solutions/performance.py:{results[0].mutant.line}: {results[0].mutant.what}"]


def test_the_command_lists_survivors_and_fails_when_there_are_some(capsys):
    from sysdesign.cli import main

    code = main(["dev", "check", "--mutants", "--max-mutants", "1", "--test", "test_nines.py",
                 "--function", "nines_of", "performance"])
    out = capsys.readouterr().out
    assert "mutating performance" in out and "1/1 mutants killed, 0 survived" in out, out
    assert code == 0
