"""Broken packs, really installed (a ``.dist-info`` with entry points on a child process's
``sys.path``): each costs one line naming it, and the rest of the kit keeps working."""

from __future__ import annotations

import shutil

import pytest

from sysdesign import KIT_ROOT
from sysdesign.plugin_manager import build_kit

from .conftest import run_child, write_dist_info

CORE_SLUGS = build_kit(load_packs=False).slugs
BROKEN = ("broken-import", "bad-metadata", "unknown-hook")


@pytest.fixture(scope="module")
def broken_site(tmp_path_factory):
    """A site folder with three broken packs installed."""
    site = tmp_path_factory.mktemp("broken-site")
    (site / "sdk_broken_import.py").write_text('raise RuntimeError("the plugin crashed at import")\n')
    bad = site / "sdk_bad_metadata"
    (bad / "oops").mkdir(parents=True)
    (bad / "__init__.py").write_text(
        "from sysdesign.packs import exercises_hook\n"
        "sysdesign_exercises = exercises_hook(__file__, pack='bad-metadata')\n")
    (bad / "oops" / "exercise.toml").write_text('format = 1\nslug = "oops"\ntitle = "No order, no tasks"\n')
    (site / "sdk_unknown_hook.py").write_text("def sysdesign_exercise():\n    return []\n")
    write_dist_info(site, "sdk_broken", {
        "broken-import": "sdk_broken_import",
        "bad-metadata": "sdk_bad_metadata",
        "unknown-hook": "sdk_unknown_hook",
    })
    return site


def _pack_lines(stderr: str, pack: str) -> list[str]:
    return [line for line in stderr.splitlines() if f"'{pack}'" in line]


def test_list_names_each_broken_pack_in_one_line_and_lists_the_core(broken_site, tmp_path):
    # a scratch workspace and state: list may give installed packs' exercises working copies
    done = run_child(["-m", "sysdesign.cli", "list"], [broken_site], NO_COLOR="1",
                     SYSDESIGN_WORKSPACE=str(tmp_path / "exercises"), SYSDESIGN_STATE_DIR=str(tmp_path / "state"))
    assert done.returncode == 0, done.stderr
    for pack in BROKEN:
        lines = _pack_lines(done.stderr, pack)
        assert len(lines) == 1, f"{pack}: {lines}\n{done.stderr}"
        assert lines[0].startswith(f"sysdesign: pack '{pack}'") and lines[0].endswith("skipped"), lines[0]
    assert "RuntimeError: the plugin crashed at import" in done.stderr
    assert "missing order, components, tasks" in done.stderr
    assert "unknown hook sysdesign_exercise()" in done.stderr
    for slug in CORE_SLUGS:
        assert slug in done.stdout


def test_pytest_still_grades_the_core_with_broken_packs_installed(broken_site):
    suite = KIT_ROOT / "tests" / "hashing" / "test_stable_hash.py"
    done = run_child(["-m", "pytest", str(suite), "--solutions", "-q", "-p", "no:cacheprovider"], [broken_site])
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "passed" in done.stdout and "hashing" in done.stdout
    for pack in BROKEN:
        assert f"sysdesign: pack '{pack}'" in done.stdout + done.stderr


@pytest.mark.parametrize("pack", ["broken-import", "bad-metadata"])
def test_dev_check_fails_a_broken_pack_with_its_line(broken_site, pack):
    done = run_child(["-m", "sysdesign.cli", "dev", "check", "--pack", pack], [broken_site], NO_COLOR="1")
    assert done.returncode == 1, done.stdout + done.stderr
    problems = [line for line in done.stdout.splitlines() if line.startswith("  - ")]
    assert len(problems) == 1 and f"pack '{pack}'" in problems[0], done.stdout


def test_dev_check_of_an_unknown_pack_is_a_usage_error(broken_site):
    done = run_child(["-m", "sysdesign.cli", "dev", "check", "--pack", "no-such-pack"], [broken_site])
    assert done.returncode == 2
    assert "no pack named 'no-such-pack'" in done.stderr and "core" in done.stderr


def test_a_pack_claiming_a_core_slug_is_reported_by_dev_check(tmp_path):
    site = tmp_path / "site"
    folder = site / "sdk_thief" / "hashing"
    folder.mkdir(parents=True)
    shutil.copy(KIT_ROOT / "tests" / "hashing" / "exercise.toml", folder)
    (folder / "test_tiny.py").write_text(
        "import pytest\n\n@pytest.mark.task(1)\ndef test_tiny(impl):\n    assert impl('hashing').stable_hash('a') >= 0\n")
    shutil.copy(KIT_ROOT / "plugins" / "pristine" / "hashing.py", folder / "stub.py")
    shutil.copy(KIT_ROOT / "solutions" / "hashing.py", folder / "reference.py")
    (site / "sdk_thief" / "__init__.py").write_text(
        "from sysdesign.packs import exercises_hook\nsysdesign_exercises = exercises_hook(__file__, pack='thief')\n")
    write_dist_info(site, "sdk_thief", {"thief": "sdk_thief"})
    done = run_child(["-m", "sysdesign.cli", "dev", "check", "--pack", "thief", "--exercise", "hashing",
                      "--no-coverage"], [site], NO_COLOR="1")
    assert "pack 'thief': exercise 'hashing' clashes with the core exercise of that slug" in done.stdout
    assert done.returncode == 1
