"""Helpers for exercise packs: installable packages that add exercises (and cluster extensions)
to the kit without forking it.

A pack is found through the ``sysdesign.packs`` entry-point group (see
:mod:`sysdesign.plugin_manager`). Inside the pack's package, each exercise is one folder::

    <slug>/exercise.toml     metadata (format, slug, title, order, components, [[tasks]] + hints)
    <slug>/stub.py           the pristine stub the learner starts from
    <slug>/reference.py      the reference solution
    <slug>/conftest.py, test_*.py    the grading suite
    <slug>/variants/*.py     known-wrong variants, each with EXPECT_FAIL

and the pack's plugin module is three lines::

    \"\"\"My course's pack.\"\"\"
    from sysdesign.packs import exercises_hook
    sysdesign_exercises = exercises_hook(__file__, pack="my-course")

``docs/packs.md`` is the guide.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sysdesign.exercise import Exercise, ExerciseDefinitionError, load_exercise_toml
from sysdesign.hookspecs import hookimpl
from sysdesign.plugin_manager import one_line

if TYPE_CHECKING:
    from sysdesign.plugin_manager import Kit

__all__ = [
    "CORE",
    "STUB_FILE",
    "REFERENCE_FILE",
    "cluster_extensions",
    "exercises_from_directory",
    "exercises_hook",
    "pack_suites",
]

#: The pack name of the kit's built-in exercises.
CORE = "core"
STUB_FILE = "stub.py"
REFERENCE_FILE = "reference.py"
CLUSTER_KINDS = ("faults", "services")


def _folder(path: str | os.PathLike[str]) -> Path:
    """``path`` itself, or its folder when it is a file (so ``__file__`` works)."""
    path = Path(path)
    return path.parent if path.is_file() else path


def exercises_from_directory(path: str | os.PathLike[str], *, pack: str) -> list[Exercise]:
    """Every exercise laid out as ``<slug>/exercise.toml`` (+ ``stub.py``, ``reference.py``, the
    suite and ``variants/``) in the folder ``path`` (or the folder of the file ``path``).

    Raises :class:`~sysdesign.exercise.ExerciseDefinitionError` (one line, naming the file) when a
    file cannot be read, a slug differs from its folder's name, or there is no exercise at all;
    the kit turns it into one problem line for the pack and keeps working.
    """
    root = _folder(path)
    exercises = []
    for toml in sorted(root.glob("*/exercise.toml")):
        folder = toml.parent
        exercise = load_exercise_toml(toml, stub=folder / STUB_FILE, reference=folder / REFERENCE_FILE, pack=pack)
        if exercise.slug != folder.name:
            raise ExerciseDefinitionError(
                f"{toml}: slug '{exercise.slug}' differs from its folder '{folder.name}' (they must match)"
            )
        exercises.append(exercise)
    if not exercises:
        raise ExerciseDefinitionError(f"{root}: no exercise found (expected <slug>/exercise.toml folders)")
    return exercises


def exercises_hook(path: str | os.PathLike[str], *, pack: str) -> Callable[[], list[Exercise]]:
    """A ready ``sysdesign_exercises`` hook implementation that returns
    :func:`exercises_from_directory` ``(path, pack=pack)``; assign it in a pack's plugin module
    (``sysdesign_exercises = exercises_hook(__file__, pack="name")``). The folder is read when
    the kit asks, so a broken file is reported as the pack's problem, not as an import error."""
    root = _folder(path)

    @hookimpl
    def sysdesign_exercises() -> list[Exercise]:
        return exercises_from_directory(root, pack=pack)

    sysdesign_exercises.__doc__ = f"The exercises of pack '{pack}' in {root}."
    return sysdesign_exercises


def pack_suites(kit: Kit) -> list[Path]:
    """The grading-suite folders of every exercise a pack (not the core) contributes."""
    return [e.suite for e in kit.exercises if e.pack != CORE]


# -- cluster extensions ----------------------------------------------------------------------------
def _builtin_cluster_names() -> dict[str, set[str]]:
    """Names the simulated cluster already has (a pack may not take them)."""
    names: dict[str, set[str]] = {kind: set() for kind in CLUSTER_KINDS}
    try:
        from sysdesign.cluster.faults import BUILTIN_FAULTS

        names["faults"] = set(BUILTIN_FAULTS)
    except ImportError:  # pragma: no cover - the cluster engine is part of the kit
        pass
    try:
        from sysdesign.cluster.services import BUILTIN_SERVICES

        names["services"] = set(BUILTIN_SERVICES)
    except ImportError:  # pragma: no cover
        pass
    return names


def cluster_extensions(kit: Kit) -> dict[str, Any]:
    """Merge every plugin's ``sysdesign_cluster_extensions`` answer into
    ``{"faults": {name: callable}, "services": {name: factory}, "problems": [line, ...]}``
    (pass it as ``Cluster(extensions=...)``).

    Plugins are asked in the order they were registered (built-ins, then packs by entry-point
    name), once per kit: this reads the answers the kit recorded (:meth:`Kit.hook_answers`). A name that a built-in fault or service, or an earlier pack, already has is not
    taken; a hook that raises, a malformed answer or a value that is not callable costs one line
    in ``problems`` naming the pack. Nothing here raises.
    """
    builtin = _builtin_cluster_names()
    merged: dict[str, dict[str, Any]] = {kind: {} for kind in CLUSTER_KINDS}
    owner: dict[tuple[str, str], str] = {}
    problems: list[str] = []
    for recorded in kit.hook_answers("sysdesign_cluster_extensions"):
        pack, answer = recorded.plugin, recorded.value
        if recorded.error is not None:
            problems.append(f"pack '{pack}': sysdesign_cluster_extensions() raised {one_line(recorded.error)}; "
                            "its cluster extensions are skipped")
            continue
        if answer is None:
            continue
        if not isinstance(answer, dict) or set(answer) - set(CLUSTER_KINDS):
            extra = sorted(set(answer) - set(CLUSTER_KINDS)) if isinstance(answer, dict) else type(answer).__name__
            problems.append(f"pack '{pack}': sysdesign_cluster_extensions() must return "
                            f"{{'faults': {{...}}, 'services': {{...}}}}, got {extra}; skipped")
            continue
        for kind in CLUSTER_KINDS:
            entries = answer.get(kind) or {}
            singular = kind[:-1]
            if not isinstance(entries, dict):
                problems.append(f"pack '{pack}': cluster {kind} must be a dict of name -> callable, "
                                f"got {type(entries).__name__}; skipped")
                continue
            for name, value in entries.items():
                if not isinstance(name, str) or not name:
                    problems.append(f"pack '{pack}': cluster {singular} name {name!r} is not a string; skipped")
                elif not callable(value):
                    problems.append(f"pack '{pack}': cluster {singular} '{name}' is {type(value).__name__}, "
                                    "not callable; skipped")
                elif name in builtin[kind]:
                    problems.append(f"pack '{pack}': cluster {singular} '{name}' clashes with the built-in "
                                    f"{singular} of that name; skipped")
                elif name in merged[kind]:
                    problems.append(f"pack '{pack}': cluster {singular} '{name}' clashes with pack "
                                    f"'{owner[kind, name]}'; skipped")
                else:
                    merged[kind][name] = value
                    owner[kind, name] = pack
    return {**merged, "problems": problems}
