"""plugins/pytest_packs.py and pytest_workspace.py: a plain ``pytest`` at the kit's root grades
installed packs' suites too, and a learner run gives the exercises it grades their working copy.

The pack here is a fresh scaffold installed outside the kit (as a course's pack would be), under
a name no real installation uses, so that it is the only copy this process can import."""

from __future__ import annotations

import json

import pytest

from sysdesign import KIT_ROOT
from sysdesign.commands.cmd_new import scaffold_pack

from .conftest import fake_install

SLUG = "probe_box"


@pytest.fixture(scope="module")
def probe_pack(tmp_path_factory):
    """``sys.path`` entries of a scaffolded pack 'kitprobe' (one exercise, ``probe_box``)."""
    base = tmp_path_factory.mktemp("probe")
    scaffold_pack(SLUG, base / "probe-pack", name="kitprobe")
    return fake_install(base / "probe-pack", base / "site")


def _run_at_kit_root(pytester, monkeypatch, tmp_path, *args):
    """pytest with no path arguments, from the kit's root (so ``testpaths`` applies). The kit's
    own tests are left out, and a core suite that does not collect is not this test's business."""
    monkeypatch.chdir(KIT_ROOT)
    monkeypatch.setenv("SYSDESIGN_STATE_DIR", str(tmp_path / "state"))
    target = tmp_path / "grade.json"
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "--grade-json", str(target),
                                          "--continue-on-collection-errors", "--ignore=tests/kit", *args)
    report = json.loads(target.read_text()) if target.exists() else None
    return result, report


def test_plain_pytest_grades_installed_pack_suites(pytester, monkeypatch, tmp_path, with_packs, probe_pack):
    with_packs(*probe_pack)
    result, report = _run_at_kit_root(pytester, monkeypatch, tmp_path, "--solutions", "-q",
                                      "-k", "sysdesign_pack_kitprobe")
    (graded,) = [e for e in report["exercises"] if e["slug"] == SLUG]
    nodeids = [t["nodeid"] for task in graded["tasks"] for t in task["tests"]]
    assert nodeids and all(n.startswith(f"{SLUG}/test_{SLUG}.py::") for n in nodeids), nodeids
    assert result.parseoutcomes().get("passed") == len(nodeids), "the pack's tests ran (and only they)"
    assert graded["status"] == "passing" and graded["pack"] == "kitprobe"
    assert graded["points"] == graded["max_points"] > 0
    assert f"{SLUG}  " in result.stdout.str(), "the points table lists the pack's exercise"


def test_explicit_paths_collect_only_what_was_asked(pytester, monkeypatch, with_packs, probe_pack):
    with_packs(*probe_pack)
    monkeypatch.chdir(KIT_ROOT)
    result = pytester.runpytest_inprocess("tests/hashing/test_stable_hash.py", "--solutions", "--co", "-q",
                                          "-p", "no:cacheprovider")
    assert "test_stable_hash.py::" in result.stdout.str()
    assert SLUG not in result.stdout.str()


def test_a_learner_run_copies_missing_pack_stubs(pytester, monkeypatch, tmp_path, with_packs, probe_pack):
    kit = with_packs(*probe_pack)
    workspace = tmp_path / "exercises"
    workspace.mkdir()
    monkeypatch.setenv("SYSDESIGN_WORKSPACE", str(workspace))
    (workspace / "kept.py").write_text("# untouched\n")
    _run_at_kit_root(pytester, monkeypatch, tmp_path, "--co", "-q", "-k", "sysdesign_pack_kitprobe")
    copy = workspace / f"{SLUG}.py"
    assert copy.read_text() == kit.exercise(SLUG).stub.read_text()
    copy.write_text("# the learner's work\n")
    _run_at_kit_root(pytester, monkeypatch, tmp_path, "--co", "-q", "-k", "sysdesign_pack_kitprobe")
    assert copy.read_text() == "# the learner's work\n", "an existing working copy is never overwritten"
    assert (workspace / "kept.py").read_text() == "# untouched\n"


def test_a_learner_run_copies_only_the_exercises_it_grades(pytester, monkeypatch, tmp_path, with_packs, probe_pack):
    with_packs(*probe_pack)
    workspace = tmp_path / "exercises"
    monkeypatch.setenv("SYSDESIGN_WORKSPACE", str(workspace))
    monkeypatch.chdir(KIT_ROOT)
    monkeypatch.setenv("SYSDESIGN_STATE_DIR", str(tmp_path / "state"))
    pytester.runpytest_inprocess("tests/hashing/test_stable_hash.py", "--co", "-q", "-p", "no:cacheprovider")
    assert sorted(p.name for p in workspace.iterdir()) == ["hashing.py"], "the core's copies are made like a pack's"
    assert (workspace / "hashing.py").read_bytes() == (KIT_ROOT / "plugins" / "pristine" / "hashing.py").read_bytes()


@pytest.mark.parametrize("option", [["--solutions"], ["--impl", "pristine"]], ids=["solutions", "impl"])
def test_grading_something_else_leaves_the_workspace_alone(pytester, monkeypatch, tmp_path, with_packs,
                                                           probe_pack, option):
    with_packs(*probe_pack)
    workspace = tmp_path / "exercises"
    monkeypatch.setenv("SYSDESIGN_WORKSPACE", str(workspace))
    _run_at_kit_root(pytester, monkeypatch, tmp_path, "--co", "-q", "-k", "sysdesign_pack_kitprobe", *option)
    assert not workspace.exists()
