"""Learner workspaces for the kit's tests, made the way the kit makes them."""

from __future__ import annotations

from pathlib import Path

from sysdesign.learner.workspace import materialise_workspace
from sysdesign.plugin_manager import shared_kit


def workspace_of_stubs(folder: Path) -> Path:
    """``folder`` as the learner's first command leaves it: every exercise's stub (the core's and
    installed packs') copied in the way learner commands copy them."""
    _, problems = materialise_workspace(shared_kit(), folder)
    assert not problems, problems
    return folder
