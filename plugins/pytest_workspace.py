"""The learner's working copies in a plain ``pytest`` run (registered through the ``pytest11``
entry point).

When the run grades the learner's code (no ``--solutions``, no ``--impl``), every exercise whose
suite was collected gets its working copy if it has none: the exercise's stub is copied to
``exercises/<slug>.py`` before the first test runs (an existing file is never overwritten; see
:mod:`sysdesign.learner.workspace`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sysdesign.learner.workspace import materialise_workspace
from sysdesign.plugin_manager import shared_kit


def _grades_learner(config: pytest.Config) -> bool:
    return not config.getoption("solutions", False) and config.getoption("impl", None) in (None, "learner")


def pytest_collection_finish(session: pytest.Session) -> None:
    """Before a learner run grades an exercise, give it its working copy."""
    config = session.config
    if not _grades_learner(config) or not session.items:
        return
    kit = shared_kit()
    suites = {e.suite.resolve(): e.slug for e in kit.exercises}
    slugs = set()
    for folder in {Path(item.path).resolve().parent for item in session.items}:
        slug = next((s for suite, s in suites.items() if folder == suite or suite in folder.parents), None)
        if slug is not None:
            slugs.add(slug)
    if not slugs:
        return
    _, problems = materialise_workspace(kit, only=slugs)
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    for problem in problems:
        if reporter is not None:
            reporter.write_line(f"sysdesign: {problem}", yellow=True)
