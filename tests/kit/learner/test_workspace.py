"""sysdesign.learner.workspace: each stub is stored once, with its exercise; the learner's working
copy is made from it on first use and never overwritten."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import replace

import pytest

from sysdesign import KIT_ROOT
from sysdesign.learner.workspace import materialise_workspace
from sysdesign.plugin_manager import build_kit

from .conftest import FakeKit, make_exercise

CORE = build_kit(load_packs=False)


def _tracked_files() -> list[str]:
    if not (KIT_ROOT / ".git").exists() or shutil.which("git") is None:
        pytest.skip("not a git checkout: which files the repository holds is unknown")
    listing = subprocess.run(["git", "ls-files", "-z"], cwd=KIT_ROOT, capture_output=True, check=True)
    return [name for name in listing.stdout.decode().split("\0") if name]


def test_no_stub_is_stored_twice_in_the_repository():
    tracked = _tracked_files()
    assert [n for n in tracked if n.startswith("exercises/")] == ["exercises/__init__.py"], (
        "exercises/ holds the learner's copies, made on first use; the stubs live with their exercises")
    stubs = {e.stub.read_bytes(): e.slug for e in CORE.exercises}
    assert all(e.stub.parent == KIT_ROOT / "plugins" / "pristine" for e in CORE.exercises)
    twice = [n for n in tracked if n.endswith(".py") and not n.startswith("plugins/pristine/")
             and (KIT_ROOT / n).is_file() and (KIT_ROOT / n).read_bytes() in stubs]
    assert twice == [], f"a stub stored a second time: {twice}"


def test_every_missing_copy_is_made_from_its_stub_and_existing_ones_are_kept(tmp_path):
    workspace = tmp_path / "exercises"
    workspace.mkdir()
    mine = workspace / "hashing.py"
    mine.write_text("# my work\n")
    created, problems = materialise_workspace(CORE, workspace)
    assert problems == []
    assert sorted(p.name for p in created) == sorted(f"{s}.py" for s in CORE.slugs if s != "hashing")
    for path in created:
        assert path.read_bytes() == CORE.exercise(path.stem).stub.read_bytes()
    assert mine.read_text() == "# my work\n", "an existing working copy is never overwritten"
    assert materialise_workspace(CORE, workspace) == ([], [])


def test_only_the_exercises_asked_for_get_a_copy(tmp_path):
    created, _ = materialise_workspace(CORE, tmp_path / "new" / "exercises", only=["caching"])
    assert [p.name for p in created] == ["caching.py"]


def test_a_pack_exercise_is_copied_like_a_core_one_and_named_by_its_pack(tmp_path):
    pack = replace(make_exercise(tmp_path, "breaker", 30), pack="cb")
    created, problems = materialise_workspace(FakeKit([pack]), tmp_path / "exercises")
    assert problems == [] and created[0].read_bytes() == pack.stub.read_bytes()
    broken = replace(pack, slug="gone", stub=tmp_path / "missing.py")
    created, problems = materialise_workspace(FakeKit([broken]), tmp_path / "exercises")
    assert created == [] and len(problems) == 1
    assert problems[0].startswith("pack 'cb': cannot copy the stub of 'gone' to ")


def test_an_unwritable_workspace_is_one_line_not_one_per_exercise(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    created, problems = materialise_workspace(CORE, blocker)
    assert created == [] and len(problems) == 1 and "\n" not in problems[0]
    assert problems[0].startswith(f"cannot create the workspace {blocker} for the stubs of ")
    assert blocker.read_text() == ""


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_workspace_names_each_file_it_could_not_write(tmp_path):
    workspace = tmp_path / "exercises"
    workspace.mkdir()
    workspace.chmod(0o555)
    try:
        created, problems = materialise_workspace(CORE, workspace, only=["hashing"])
    finally:
        workspace.chmod(0o755)
    assert created == [] and problems == [
        f"the kit: cannot copy the stub of 'hashing' to {workspace / 'hashing.py'}: Permission denied"]


def test_the_first_learner_command_copies_every_stub_and_says_so_once(learner_env, capsys):
    from sysdesign.cli import main
    from sysdesign.plugin_manager import shared_kit

    assert main(["list"]) == 0
    err = capsys.readouterr().err
    kit = shared_kit()
    assert f"sysdesign: copied {len(kit.exercises)} stubs into " in err and "never overwritten" in err
    assert sorted(p.stem for p in (learner_env / "exercises").glob("*.py")) == sorted(kit.slugs)
    assert main(["list"]) == 0
    assert "copied" not in capsys.readouterr().err, "only missing copies are made, and only they are announced"
