"""Fixtures for the kit's own tests: run a grading suite in-process against any
implementation and read back the grading model."""

from __future__ import annotations

import json

import pytest

from sysdesign import KIT_ROOT
from sysdesign.results import GradeReport
from sysdesign.selfcheck import statuses, variant_as_impl  # noqa: F401  (re-exported for the tests)


@pytest.fixture(autouse=True, scope="session")
def _scratch_workspace(tmp_path_factory: pytest.TempPathFactory):
    """Every kit test, and every process it starts (module-scoped fixtures included), works in a
    scratch workspace: a learner run (plain ``pytest``, ``sysdesign check``...) copies stubs into
    its workspace, and the real ``exercises/`` of the checkout is never written by the kit's own
    tests. A test that needs a particular workspace sets ``SYSDESIGN_WORKSPACE`` itself."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SYSDESIGN_WORKSPACE", str(tmp_path_factory.mktemp("workspace") / "exercises"))
        yield


class SuiteRun:
    """Runs pytest in-process on suites, with ``--impl`` and ``--grade-json``."""

    def __init__(self, pytester: pytest.Pytester) -> None:
        self.pytester = pytester
        self.runs = 0

    def __call__(self, paths: list[str], impl: str, *extra: str) -> tuple[GradeReport, pytest.RunResult]:
        self.runs += 1
        target = self.pytester.path / f"grade-{self.runs}.json"
        result = self.pytester.runpytest_inprocess(
            *paths, "--impl", impl, "--grade-json", str(target), "-p", "no:cacheprovider",
            "--rootdir", str(KIT_ROOT), "-c", str(KIT_ROOT / "pyproject.toml"), *extra,
        )
        if not target.exists():
            raise AssertionError(f"the inner run wrote no grading model:\n{result.stdout.str()[-3000:]}")
        return GradeReport.from_dict(json.loads(target.read_text())), result


@pytest.fixture
def run_suite(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> SuiteRun:
    monkeypatch.setenv("SYSDESIGN_STATE_DIR", str(pytester.path / "state"))
    return SuiteRun(pytester)
