"""``sysdesign new SLUG --pack DIR``: a scaffolded pack installs, is listed, and passes
``sysdesign dev check`` at once (reference passes, stub not started, its variant rejected)."""

from __future__ import annotations

import ast
import re
import tomllib

import pytest

from sysdesign.cli import main
from sysdesign.commands.cmd_new import scaffold_core
from sysdesign.exercise import load_exercise_toml, validate
from sysdesign.selfcheck import expected_failures

from .conftest import fake_install, run_child


@pytest.fixture(scope="module")
def scaffolded(tmp_path_factory):
    """A pack made by ``sysdesign new`` (two exercises), installed without pip."""
    base = tmp_path_factory.mktemp("new")
    pack = base / "sysdesign-pack-course"
    assert main(["new", "token_box", "--pack", str(pack), "--title", "Token box: a first exercise"]) == 0
    assert main(["new", "second_box", "--pack", str(pack)]) == 0
    return pack, fake_install(pack, base / "site")


def test_the_scaffold_is_a_pack(scaffolded):
    pack, _ = scaffolded
    meta = tomllib.loads((pack / "pyproject.toml").read_text(encoding="utf-8"))
    assert meta["project"]["name"] == "sysdesign-pack-course"
    assert meta["project"]["entry-points"]["sysdesign.packs"] == {"course": "sysdesign_pack_course.plugin"}
    package = pack / "src" / "sysdesign_pack_course"
    assert len((package / "plugin.py").read_text().splitlines()) == 3
    folder = package / "token_box"
    for name in ("exercise.toml", "stub.py", "reference.py", "conftest.py", "test_token_box.py",
                 "variants/never_expires.py"):
        assert (folder / name).is_file(), name
    exercise = load_exercise_toml(folder / "exercise.toml", stub=folder / "stub.py",
                                  reference=folder / "reference.py", pack="course")
    assert validate(exercise) == [] and exercise.title == "Token box: a first exercise"
    docstring = ast.get_docstring(ast.parse((folder / "stub.py").read_text()))
    assert all(re.search(rf"^{t.number}\. ", docstring, re.M) for t in exercise.tasks)
    assert expected_failures(folder / "variants" / "never_expires.py") == [
        "test_token_box.py::test_entries_expire_after_ttl"]
    suite = (folder / "test_token_box.py").read_text()
    assert "@pytest.mark.task(1)" in suite and "@pytest.mark.points(2)" in suite


def test_a_scaffolded_pack_passes_dev_check_at_once(scaffolded):
    _, paths = scaffolded
    done = run_child(["-m", "sysdesign.cli", "dev", "check", "--pack", "course"], paths, NO_COLOR="1")
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "checking token_box [course] ... ok" in done.stdout
    assert "checking second_box [course] ... ok" in done.stdout


def test_a_scaffolded_suite_passes_solutions_and_its_stub_is_not_started(scaffolded):
    pack, paths = scaffolded
    suite = pack / "src" / "sysdesign_pack_course" / "token_box"
    done = run_child(["-m", "pytest", str(suite), "--solutions", "-q", "-p", "no:cacheprovider"], paths)
    assert done.returncode == 0 and "passed" in done.stdout, done.stdout[-3000:]
    done = run_child(["-m", "pytest", str(suite), "--impl", "pristine", "-q", "-p", "no:cacheprovider"], paths)
    assert done.returncode == 1 and "not started" in done.stdout and " passed" not in done.stdout, done.stdout[-3000:]


@pytest.mark.parametrize(("argv", "message"), [
    (["new", "hashing"], "exercise 'hashing' exists already"),
    (["new", "Bad-Slug"], "bad slug 'Bad-Slug'"),
    (["new", "class"], "bad slug 'class'"),
    (["new", "token_box"], "exists already"),
    (["new", "other_box", "--name", "elsewhere"], "is the pack 'course', not 'elsewhere'"),
], ids=["core-slug", "bad-slug", "keyword", "slug-in-pack", "wrong-name"])
def test_new_refuses_with_one_line(scaffolded, capsys, argv, message):
    pack, _ = scaffolded
    assert main([*argv, "--pack", str(pack)]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1, err


def test_new_refuses_a_folder_that_is_not_a_pack(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("mine")
    assert main(["new", "token_box", "--pack", str(tmp_path)]) == 2
    assert "is not an exercise pack" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_new_without_a_pack_scaffolds_the_kit_layout(tmp_path):
    made = scaffold_core("queue_box", tmp_path, order=300)
    stub, reference = tmp_path / "plugins" / "pristine" / "queue_box.py", tmp_path / "solutions" / "queue_box.py"
    suite = tmp_path / "tests" / "queue_box"
    assert made.pack is None and not (tmp_path / "exercises").exists(), "the learner's copy is made on first use"
    assert sorted(made.files) == sorted([stub, reference, *(p for p in suite.rglob("*") if p.is_file())])
    exercise = load_exercise_toml(suite / "exercise.toml", stub=stub, reference=reference, pack="core")
    assert validate(exercise) == [] and exercise.order == 300
    assert "from solutions.queue_box import *" in (suite / "variants" / "never_expires.py").read_text()
