"""Installed exercise packs in a plain ``pytest`` run (registered through the ``pytest11`` entry
point, beside the grading plugin).

- ``pytest`` at the kit's root with no path arguments collects ``testpaths`` (the core suites);
  this plugin adds the suites of every installed pack exercise, so they are graded and appear in
  the points table like the core ones. With explicit paths nothing is added.
- Working copies of pack exercises are made like the core's (:mod:`sysdesign.plugins.pytest_workspace`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sysdesign import KIT_ROOT
from sysdesign.packs import pack_suites
from sysdesign.plugin_manager import shared_kit


def _uses_default_testpaths(config: pytest.Config) -> bool:
    """No path was given and pytest fell back to the kit's ``testpaths``."""
    try:
        at_kit_root = Path(config.rootpath).resolve() == KIT_ROOT.resolve()
    except OSError:  # pragma: no cover - an unreadable root
        return False
    return at_kit_root and config.args_source == pytest.Config.ArgsSource.TESTPATHS


_ROOTS = pytest.StashKey[tuple[tuple[Path, ...], tuple[Path, ...]]]()


def _resolve_arg(arg: str, base: Path) -> Path:
    target = Path(arg.split("::", 1)[0])
    return (target if target.is_absolute() else base / target).resolve()


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def add_pack_suites(config: pytest.Config, suites: list[Path]) -> None:
    """Add the pack suites the arguments do not cover yet. Each pack's folder of suites is
    added (so a test's id reads ``<slug>/test_x.py::test`` even for a pack installed outside
    the kit) and everything in it but the suites is skipped by :func:`pytest_ignore_collect`."""
    base = Path(config.invocation_params.dir)
    args = [_resolve_arg(a, base) for a in config.args]
    missing = [s for s in (p.resolve() for p in suites) if not any(_inside(s, a) for a in args)]
    roots, extra = [], []
    for suite in missing:
        root = suite.parent
        if any(_inside(a, root) for a in args):  # the folder would take other suites in: add the suite alone
            extra.append(suite)
        elif root not in roots:
            roots.append(root)
    config.stash[_ROOTS] = (tuple(roots), tuple(missing))
    config.args = [*config.args, *map(str, roots), *map(str, extra)]


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    if _uses_default_testpaths(config):
        add_pack_suites(config, pack_suites(shared_kit()))


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Below a pack folder this plugin added, collect the pack's suites and nothing else."""
    roots, suites = config.stash.get(_ROOTS, ((), ()))
    path = Path(collection_path)
    if not roots or not any(root in path.parents for root in roots):
        return None
    if any(_inside(path, suite) or path in suite.parents for suite in suites):
        return None
    return True
