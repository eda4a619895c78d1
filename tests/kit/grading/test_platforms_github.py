"""The GitHub workflows, run here as GitHub would run their grading steps.

``sysdesign classroom-workflow`` (GitHub Classroom) and ``sysdesign github-workflow`` (plain
Actions) are written, parsed as YAML, and the ``run`` scripts of their grading steps are run
with bash in a fake ``$GITHUB_WORKSPACE`` (``submission/exercises``), with the files GitHub gives
a step (``$GITHUB_ENV``, ``$GITHUB_OUTPUT``, ``$GITHUB_STEP_SUMMARY``). The checkout and install
steps are not run (no network): the kit is the one installed here.

The Classroom run grades every exercise (the installed packs' too): the references of three
quick exercises and the pristine stubs of the rest. What the grading reporter
(classroom-resources/autograding-grading-reporter@v1, src/main.js) then reads is checked the way
it reads it: each runner's ``<RUNNER>_RESULTS`` variable (base64 JSON) must stay far below
Linux's 128 KiB per variable, its console total (``passed / tests * max_score`` per runner) and
the points it sends to Classroom (the tests' ``score`` over the runners' ``max_score``) must both
equal the kit's ``Points X/Y``.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from sysdesign.results import GradeReport
from sysdesign.plugin_manager import shared_kit

KIT = shared_kit()
ENV_VALUE_LIMIT = 128 * 1024
REFERENCES = ("http_basics", "performance", "monitoring")
RUNNERS_INPUT = re.compile(r"^([a-zA-Z0-9]+,)*[a-zA-Z0-9]+$")  # what the reporter accepts
BIN = str(Path(sys.executable).parent)


def weak_sandbox_option() -> str:
    """The option that lets ``sysdesign grade`` run where learner code cannot be fully confined
    (this test's interpreter lives in root's home, which an unprivileged user cannot read); on
    a GitHub runner the grader is not root and needs none."""
    done = subprocess.run([sys.executable, "-m", "sysdesign.cli", "grade", "--help"], capture_output=True, text=True)
    return "--allow-weak-sandbox" if "--allow-weak-sandbox" in done.stdout else ""


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "SYSDESIGN_STATE_DIR": str(cwd / "state")}
    return subprocess.run([sys.executable, "-m", "sysdesign.cli", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)


def load_workflow(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps_of(workflow: dict) -> list[dict]:
    (job,) = workflow["jobs"].values()
    return job["steps"]


def step(workflow: dict, name: str) -> dict:
    return next(s for s in steps_of(workflow) if s.get("name") == name)


def major(uses: str) -> int:
    return int(uses.rsplit("@v", 1)[1].split(".")[0])


def workspace(root: Path, slugs: list[str], references: tuple[str, ...]) -> Path:
    """A fake $GITHUB_WORKSPACE: the learner's repository checked out in submission/."""
    folder = root / "submission" / "exercises"
    folder.mkdir(parents=True)
    for slug in slugs:
        exercise = KIT.exercise(slug)
        source = exercise.reference if slug in references else exercise.stub
        shutil.copy(source, folder / f"{slug}.py")
    return root


def run_step(script: str, root: Path) -> tuple[subprocess.CompletedProcess, dict[str, Path]]:
    """A step's ``run`` script as GitHub runs it (``bash -e``), with GitHub's files."""
    files = {name: root / f"github-{name.lower()}.txt" for name in ("ENV", "OUTPUT", "STEP_SUMMARY")}
    for path in files.values():
        path.touch()
    option = weak_sandbox_option()
    if option:
        script = script.replace("sysdesign grade ", f"sysdesign grade {option} ")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "GITHUB_"))}
    env.update({f"GITHUB_{name}": str(path) for name, path in files.items()})
    env.update(GITHUB_WORKSPACE=str(root), GITHUB_ACTIONS="true", PATH=f"{BIN}:{env.get('PATH', '')}",
               SYSDESIGN_STATE_DIR=str(root / "state"))
    done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=root, env=env,
                          capture_output=True, text=True, timeout=1200)
    return done, files


def points_line(stdout: str) -> str:
    return next(line for line in stdout.splitlines() if line.startswith("Points "))


def unreachable_pack_specs() -> list[str]:
    """``--pack-spec`` options for installed packs a runner could not install as they were
    installed here (e.g. from a scratch folder outside the kit repository)."""
    from sysdesign.grade import bundles
    from sysdesign.grade.release import ReleaseError

    options = []
    for pack in bundles.pack_sources(KIT):
        try:
            bundles.pack_requirement(pack, "kit")
        except ReleaseError:
            options += ["--pack-spec", f"{pack.name}={pack.dist_name}=={pack.version}"]
    return options


# -- GitHub Classroom ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    root = tmp_path_factory.mktemp("classroom")
    written = cli("classroom-workflow", str(root / "template"), "--kit-repo", "course/sysdesign-kit", "--kit-ref", "v1",
                  *unreachable_pack_specs(), cwd=root)
    assert written.returncode == 0, written.stderr
    workflow = load_workflow(root / "template" / ".github" / "workflows" / "classroom.yml")
    workspace(root, KIT.slugs, REFERENCES)
    done, files = run_step(step(workflow, "Grade")["run"], root)
    return {"root": root, "workflow": workflow, "done": done, "files": files}


def test_classroom_workflow_uses_current_actions_and_the_instructors_kit(classroom):
    workflow = classroom["workflow"]
    uses = [s["uses"] for s in steps_of(workflow) if "uses" in s]
    for action, least in (("actions/checkout", 4), ("actions/setup-python", 5),
                          ("classroom-resources/autograding-grading-reporter", 1)):
        found = [u for u in uses if u.startswith(action + "@")]
        assert found and all(major(u) >= least for u in found), uses
    kit = next(s for s in steps_of(workflow) if s.get("with", {}).get("path") == "kit")
    assert kit["with"]["repository"] == "course/sysdesign-kit" and kit["with"]["ref"] == "v1"
    install = step(workflow, "Install the kit")["run"]
    assert "python -m pip install -e kit" in install
    if KIT.exercise("circuit_breaker") is not None:  # the example pack, installed from the kit's repository
        assert "python -m pip install ./kit/examples/circuit_breaker_pack" in install
    reporter = step(workflow, "Autograding Reporter")
    assert reporter["with"]["runners"] == "${{ steps.grade.outputs.runners }}"
    assert step(workflow, "Grade")["id"] == "grade"
    assert "push" in workflow["on"] and workflow["permissions"]["checks"] == "write"


def test_classroom_grading_step_gives_the_reporter_small_runners_that_add_up_to_the_points(classroom):
    done, files = classroom["done"], classroom["files"]
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    report = GradeReport.from_dict(json.loads((classroom["root"] / "grading" / "grade.json").read_text()))
    assert {e.slug for e in report.exercises} == set(KIT.slugs) and len(KIT.slugs) >= 20
    assert report.points > 0 and report.max_points > report.points
    console = points_line(done.stdout)
    assert console == f"Points {report.points:g}/{report.max_points:g}"

    outputs = dict(line.split("=", 1) for line in files["OUTPUT"].read_text().splitlines() if "=" in line)
    runners = outputs["runners"]
    assert RUNNERS_INPUT.match(runners), runners
    env = dict(line.split("=", 1) for line in files["ENV"].read_text().splitlines() if "=" in line)
    console_total = console_max = classroom_points = classroom_max = 0.0
    sizes = []
    graded_slugs = set()
    for runner in runners.split(","):
        variable = f"{runner.strip().upper()}_RESULTS"
        value = env[variable]
        sizes.append(len(variable) + 1 + len(value))
        results = json.loads(base64.b64decode(value).decode("utf-8"))
        assert results["status"] in ("pass", "fail", "error") and results["tests"]
        for test in results["tests"]:
            assert {"name", "status", "score", "message", "line_no"} <= set(test)
            assert len(test["message"]) <= 200
            graded_slugs.add(test["name"].split(":", 1)[0])
        # src/helpers/test-helpers.js getTestScore, and src/aggregate-results.js
        passed = sum(t["status"] == "pass" for t in results["tests"])
        console_total += passed / len(results["tests"]) * (results["max_score"] or 0)
        console_max += results["max_score"] or 0
        # src/notify-classroom.js
        if results["max_score"]:
            classroom_max += results["max_score"]
            classroom_points += sum(t["score"] for t in results["tests"])
    print(f"{len(sizes)} runners, largest variable {max(sizes)} bytes, all {sum(sizes)} bytes")
    assert graded_slugs == set(KIT.slugs)
    assert max(sizes) < ENV_VALUE_LIMIT // 4
    assert sum(sizes) < 1024 * 1024  # all of them together stay far below the 2 MiB of a process's environment
    assert console_total == pytest.approx(report.points) and console_max == pytest.approx(report.max_points)
    assert classroom_points == pytest.approx(report.points) and classroom_max == pytest.approx(report.max_points)
    summary = files["STEP_SUMMARY"].read_text()
    assert f"**Points {report.points:g}/{report.max_points:g}**" in summary or console in summary


def test_classroom_results_writes_every_runner_of_a_not_importable_submission(tmp_path):
    model = GradeReport.from_dict({"implementation": "x", "exercises": [
        {"slug": "http_basics", "error": "SyntaxError: invalid syntax", "tasks": [{"task": 1, "tests": [
            {"nodeid": "tests/http_basics/test_a.py::test_a", "name": "test_a", "exercise": "http_basics", "task": 1,
             "max_points": 2.0, "status": "error", "message": "SyntaxError: invalid syntax\n" + "x" * 5000}]}]},
        {"slug": "caching", "error": "could not be collected", "collected": False, "tasks": []}]})
    (tmp_path / "grade.json").write_text(model.to_json())
    env, out = tmp_path / "env", tmp_path / "out"
    done = cli("classroom-results", "grade.json", "--env-file", str(env), "--output-file", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    runners = out.read_text().strip().split("=", 1)[1].split(",")
    assert runners == ["httpbasics", "caching"]
    values = dict(line.split("=", 1) for line in env.read_text().splitlines())
    first = json.loads(base64.b64decode(values["HTTPBASICS_RESULTS"]))
    assert first["status"] == "error" and first["max_score"] == 2 and len(first["tests"][0]["message"]) <= 200
    second = json.loads(base64.b64decode(values["CACHING_RESULTS"]))
    assert second["tests"] and second["tests"][0]["status"] == "error" and second["max_score"] == 0


# -- plain GitHub Actions ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    root = tmp_path_factory.mktemp("plain")
    slugs = ["http_basics", "performance"]
    written = cli("github-workflow", str(root / "template"), "--kit-repo", "course/sysdesign-kit", "--fail-under", "50",
                  *[a for s in slugs for a in ("--exercise", s)], cwd=root)
    assert written.returncode == 0, written.stderr
    workflow = load_workflow(root / "template" / ".github" / "workflows" / "grade.yml")
    workspace(root, slugs, ("http_basics",))
    done, files = run_step(step(workflow, "Grade")["run"], root)
    return {"root": root, "workflow": workflow, "done": done, "files": files}


def test_plain_workflow_summary_artifacts_and_threshold(plain):
    workflow, done, files, root = plain["workflow"], plain["done"], plain["files"], plain["root"]
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    uses = [s["uses"] for s in steps_of(workflow) if "uses" in s]
    assert not any("classroom" in u for u in uses)
    upload = step(workflow, "Upload the reports")
    assert upload["uses"].startswith("actions/upload-artifact@") and major(upload["uses"]) >= 4
    assert upload["if"] == "always()"
    reports = root / upload["with"]["path"]
    names = {p.name for p in reports.iterdir()}
    assert {"grade.json", "junit.xml", "results.json", "gradescope.json", "summary.md"} <= names
    report = GradeReport.from_dict(json.loads((reports / "grade.json").read_text()))
    line = f"Points {report.points:g}/{report.max_points:g}"
    assert points_line(done.stdout) == line
    summary = files["STEP_SUMMARY"].read_text()
    assert line in summary and "| http_basics |" in summary

    check = step(workflow, "Check the score")["run"]
    assert "--fail-under 50" in check
    percent = 100 * report.points / report.max_points
    passed, _ = run_step(check, root)
    assert passed.returncode == (0 if percent >= 50 else 1), passed.stdout + passed.stderr
    assert f"({percent:.1f}%)" in passed.stdout
    above = max(1, min(100, int(percent) + 1))
    failed, _ = run_step(check.replace("--fail-under 50", f"--fail-under {above}"), root)
    assert failed.returncode == 1 and "below the required" in failed.stdout


def test_workflows_refuse_a_pack_they_cannot_install(tmp_path):
    from sysdesign.grade import bundles
    from sysdesign.grade.release import ReleaseError

    packs = bundles.pack_sources(KIT)
    if not packs:
        pytest.skip("no exercise pack is installed")
    # A kit repository elsewhere: the pack's folder is outside it, so the runner could not install it.
    with pytest.raises(ReleaseError, match=rf"pack '{packs[0].name}'.*--pack-spec"):
        bundles.pack_requirement(packs[0], "kit", kit_root=tmp_path)
    written = bundles.classroom_workflow(tmp_path / "t", kit_repo="a/b", kit=KIT,
                                        pack_specs={p.name: f"{p.dist_name}==1.0" for p in packs})
    assert f"{packs[0].dist_name}==1.0" in written.read_text()
    # Without --kit-repo the learner's repository is a release: its packs are wheels in packs/.
    from sysdesign.grade.release import build_release

    shipped = {Path(f).name for f in build_release(tmp_path / "release", kit=KIT, solutions=False)}
    own = bundles.classroom_workflow(tmp_path / "w", kit=KIT).read_text()
    for pack in packs:
        wheel = next(n for n in shipped if n.startswith(pack.dist_name.replace("-", "_") + "-"))
        assert f"python -m pip install ./submission/packs/{wheel}" in own
    only_core = bundles.github_workflow(tmp_path / "u", kit_repo="a/b", kit=KIT, exercises=["http_basics"])
    assert "pip install ./" not in only_core.read_text()
    with pytest.raises(ReleaseError, match="unknown exercise 'nope'"):
        bundles.github_workflow(tmp_path / "v", kit=KIT, exercises=["nope"])
