"""Where the learner's local state lives.

* ``$SYSDESIGN_WORKSPACE`` (default ``exercises/`` in the kit's checkout) holds the learner's
  modules; the folder above it is the learner's project root, where ``PROGRESS.md`` lives
  (see :mod:`sysdesign.progress`).
* ``$SYSDESIGN_STATE_DIR`` (default ``.sysdesign/``, ignored by git) holds the machine-readable
  part: ``results.json`` (:mod:`sysdesign.learner.last_results`), ``hints.json``
  (:mod:`sysdesign.learner.hint_levels`) and ``backups/`` (:mod:`sysdesign.files`).
"""

from __future__ import annotations

import os
from pathlib import Path

from sysdesign import KIT_ROOT


def state_dir() -> Path:
    """``$SYSDESIGN_STATE_DIR`` or ``.sysdesign/`` in the kit's checkout."""
    return Path(os.environ.get("SYSDESIGN_STATE_DIR") or KIT_ROOT / ".sysdesign")


def workspace_dir() -> Path:
    """The folder of the learner's modules: ``$SYSDESIGN_WORKSPACE`` or ``exercises/``."""
    return Path(os.environ.get("SYSDESIGN_WORKSPACE") or KIT_ROOT / "exercises")


def project_root() -> Path:
    """The learner's project root: the folder holding the workspace (``PROGRESS.md`` goes here)."""
    return workspace_dir().resolve().parent


def learner_file(slug: str) -> Path:
    return workspace_dir() / f"{slug}.py"


def results_file() -> Path:
    return state_dir() / "results.json"


def hints_file() -> Path:
    return state_dir() / "hints.json"


def backups_dir() -> Path:
    return state_dir() / "backups"
