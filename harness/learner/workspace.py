"""The learner's working copies: ``exercises/<slug>.py``, made from the exercise's stub the first
time the learner works on it.

Each stub is stored once, with its exercise (the core's in ``plugins/pristine/``, a pack's in the
pack). The kit never ships or keeps a second copy in ``exercises/``: any learner command
(``sysdesign``, ``check``, ``list``, ``watch``...) and a plain ``pytest`` that grades the
learner's code copy the stub of every exercise that has no working copy yet. An existing file is
never touched: it is the learner's work.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from sysdesign.exercise import Exercise
from sysdesign.packs import CORE
from sysdesign.places import workspace_dir

if TYPE_CHECKING:
    from sysdesign.plugin_manager import Kit

__all__ = ["materialise_workspace"]


def materialise_workspace(kit: Kit, workspace: str | os.PathLike[str] | None = None, *,
                          only: Iterable[str] | None = None) -> tuple[list[Path], list[str]]:
    """Give every exercise (or those whose slugs are in ``only``) a working copy: when
    ``<workspace>/<slug>.py`` is missing, copy the exercise's stub there. ``workspace``: default
    ``$SYSDESIGN_WORKSPACE`` or ``exercises/``.

    Returns ``(files created, problems)``; a problem (a folder that cannot be written, a stub that
    cannot be read) is one line and never raises, so the command goes on (the exercise then
    reports its missing module).
    """
    folder = Path(workspace) if workspace is not None else workspace_dir()
    wanted = None if only is None else set(only)
    missing = [e for e in kit.exercises  # lexists: a link, even a dangling one, is the learner's too
               if (wanted is None or e.slug in wanted) and not os.path.lexists(folder / f"{e.slug}.py")]
    if not missing:
        return [], []
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # one line for the folder, not one per exercise
        return [], [f"cannot create the workspace {folder} for the stubs of {_slugs(missing)}: {exc.strerror or exc}"]
    created: list[Path] = []
    problems: list[str] = []
    for exercise in missing:
        target = folder / f"{exercise.slug}.py"
        try:
            source = exercise.stub.read_bytes()
            with open(target, "xb") as fh:  # "x": never overwrite, even if it appeared meanwhile
                fh.write(source)
        except FileExistsError:
            continue
        except OSError as exc:
            problems.append(f"{_owner(exercise)}: cannot copy the stub of '{exercise.slug}' to {target}: "
                            f"{exc.strerror or exc}")
            continue
        created.append(target)
    return created, problems


def _slugs(exercises: list[Exercise]) -> str:
    names = [e.slug for e in exercises]
    return ", ".join(names) if len(names) <= 3 else f"{', '.join(names[:3])} and {len(names) - 3} more"


def _owner(exercise: Exercise) -> str:
    return "the kit" if exercise.pack == CORE else f"pack '{exercise.pack}'"
