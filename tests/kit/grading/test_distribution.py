"""The learner's release, the GitHub Classroom workflow and the Gradescope bundle."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from sysdesign.grade.release import BLOB_DIR, build_release, read_reference
from sysdesign.plugin_manager import shared_kit

KIT = shared_kit()
CORE = [e for e in KIT.exercises if e.pack == "core"]


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    out = tmp_path_factory.mktemp("release") / "kit"
    build_release(out, kit=KIT)
    return out


def test_release_holds_stubs_and_visible_suites_but_no_reference_source(release):
    assert sorted(p.name for p in (release / "exercises").iterdir()) == ["__init__.py"], (
        "the stubs are stored once (plugins/pristine/); the learner's first command copies them")
    for exercise in CORE:
        assert (release / "plugins" / "pristine" / f"{exercise.slug}.py").read_text() == exercise.stub.read_text()
        assert (release / "tests" / exercise.slug / "exercise.toml").is_file()
        assert not (release / "tests" / exercise.slug / "variants").exists()
        placeholder = (release / "solutions" / f"{exercise.slug}.py").read_text()
        assert "raise ImportError" in placeholder and "def " not in placeholder
        assert read_reference(release, exercise.slug) == exercise.reference.read_text()
    assert not (release / "tests" / "kit").exists() and not (release / BLOB_DIR / "__init__.py").exists()
    assert not list(release.rglob("__pycache__"))
    references = "\n".join(e.reference.read_text() for e in CORE)
    for path in release.rglob("*.py"):
        if path.parts[-2] != "pristine":
            assert path.read_text() not in references or not path.read_text().strip()


def test_release_without_solutions_has_no_blobs(tmp_path):
    build_release(tmp_path / "kit", solutions=False, kit=KIT)
    assert not (tmp_path / "kit" / BLOB_DIR).exists()


#: Imports ``sysdesign`` from a kit folder that is not installed, as an editable install would
#: (its ``harness/`` is the package ``sysdesign``, its ``plugins/`` is ``sysdesign.plugins``).
IMPORT_FROM_FOLDER = """
import importlib.abc, importlib.util, os, sys
ROOT = os.environ["SYSDESIGN_TEST_KIT"]
PACKAGES = {"sysdesign": os.path.join(ROOT, "harness"), "sysdesign.plugins": os.path.join(ROOT, "plugins")}
class _FromFolder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name not in PACKAGES:
            return None
        folder = PACKAGES[name]
        return importlib.util.spec_from_file_location(name, os.path.join(folder, "__init__.py"),
                                                      submodule_search_locations=[folder])
sys.meta_path.insert(0, _FromFolder())
"""


def env_for_folder(kit: Path, tmp: Path) -> dict[str, str]:
    """An environment whose Python imports the kit in ``kit`` (a release, not installed)."""
    boot = tmp / "boot"
    boot.mkdir(exist_ok=True)
    (boot / "sitecustomize.py").write_text(IMPORT_FROM_FOLDER, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PYTEST_"))}
    env.update({"PYTHONPATH": str(boot), "SYSDESIGN_TEST_KIT": str(kit), "SYSDESIGN_STATE_DIR": str(tmp / "state")})
    return env


def test_release_imports_lists_and_grades_a_copy_of_the_references(release, tmp_path):
    copy = tmp_path / "solutions-copy"
    shutil.copytree(KIT.exercise("hashing").reference.parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    env = env_for_folder(release, tmp_path)
    env["SYSDESIGN_WORKSPACE"] = str(tmp_path / "exercises")  # the release itself stays as built
    where = subprocess.run([sys.executable, "-c", "import sysdesign; print(sysdesign.KIT_ROOT)"], cwd=release,
                           env=env, capture_output=True, text=True, timeout=60)
    assert where.stdout.strip() == str(release), where.stderr
    listed = subprocess.run([sys.executable, "-m", "sysdesign.cli", "list"], cwd=release, env=env,
                            capture_output=True, text=True, timeout=120)
    assert listed.returncode == 0, listed.stderr
    assert all(f" {e.slug} " in listed.stdout for e in CORE)
    assert all((tmp_path / "exercises" / f"{e.slug}.py").read_text() == e.stub.read_text() for e in CORE), (
        "the first learner command gives every exercise its working copy")
    graded = subprocess.run([sys.executable, "-m", "pytest", "tests/hashing", "--impl", str(copy), "-q",
                             "-p", "no:cacheprovider"], cwd=release, env=env, capture_output=True, text=True, timeout=300)
    assert graded.returncode == 0, graded.stdout[-2000:]
    assert "passing" in graded.stdout and "sysdesign-kit: modules in" in graded.stdout


def test_release_carries_installed_packs_as_wheels_without_their_references(release):
    packs = [e for e in KIT.exercises if e.pack != "core"]
    if not packs:
        pytest.skip("no exercise pack is installed")
    wheels = sorted((release / "packs").glob("*.whl"))
    assert wheels and (release / "packs" / "README.md").is_file()
    for exercise in packs:
        assert read_reference(release, exercise.slug) == exercise.reference.read_text()
    members = {}
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as archive:
            members.update({name: archive.read(name) for name in archive.namelist()})
    for exercise in packs:
        suite = [n for n in members if n.endswith(f"/{exercise.slug}/exercise.toml")]
        assert suite, f"the suite of {exercise.slug} is not in packs/"
        folder = suite[0].rsplit("/", 1)[0]
        assert b"raise ImportError" in members[f"{folder}/reference.py"]
        assert members[f"{folder}/stub.py"] == exercise.stub.read_bytes()
        assert not any(n.startswith(f"{folder}/variants/") for n in members)
        assert any(n.startswith(f"{folder}/test_") for n in members)
    assert any(n.endswith(".dist-info/entry_points.txt") and b"sysdesign.packs" in members[n] for n in members)


def test_release_without_solutions_leaves_pack_references_out_too(tmp_path):
    build_release(tmp_path / "kit", solutions=False, kit=KIT)
    assert not (tmp_path / "kit" / BLOB_DIR).exists()
    assert (tmp_path / "kit" / "packs").is_dir() == any(e.pack != "core" for e in KIT.exercises)
