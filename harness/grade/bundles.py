"""Course CI files: GitHub workflows (with or without GitHub Classroom) and the Gradescope
autograder bundle.

All of them grade with the kit's *pristine* suites: the GitHub workflows check out the kit from
the instructor's repository (``--kit-repo``) next to the learner's repository, because a learner
can edit every file of their own repository; the Gradescope bundle carries the kit itself.
Exercises of installed packs travel with them (a pip requirement in the workflows, a wheel in the
bundle); a pack that cannot travel is refused with one line naming it.

GitHub Classroom's grading reporter reads each runner's results from one environment variable,
``<RUNNER>_RESULTS`` (base64 JSON), and Linux caps one variable at 128 KiB; its console summary
weighs every test of a runner equally (``passed / tests * max_score``), while the points it
sends to Classroom are the sum of the tests' ``score``. So the workflow gives the reporter one
runner per exercise (split by point value where an exercise's tests weigh differently), each a
small payload with one-line messages, written by ``sysdesign classroom-results``.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

from sysdesign import KIT_ROOT
from sysdesign.exercise import Exercise
from sysdesign.grade.release import (PackSource, ReleaseError, build_release, pack_sources, pack_wheel, wheel_name,
                                   write_wheel)
from sysdesign.grade.reporting import ERROR_STATUSES, capped, fmt, learner_message
from sysdesign.results import PASSED, GradeReport, TestResult
from sysdesign.plugin_manager import Kit, UnknownExercise, shared_kit

#: The per-variable cap of Linux (MAX_ARG_STRLEN), and the size a runner's payload is kept under.
ENV_VALUE_LIMIT = 128 * 1024
PAYLOAD_BUDGET = 32 * 1024
#: Characters of a test's message in a Classroom runner payload (the reporter prints them all).
RUNNER_MESSAGE_CAP = 200
#: The folder the workflows write their reports to (uploaded as an artifact by github-workflow).
REPORTS_DIR = "grading"

HEADER = """\
# {title} for sysdesign-kit (written by `sysdesign {command}`).
# The learner's code is graded by `sysdesign grade` with the kit's pristine suites,
# {kit_note}
"""

CHECKOUTS = """\
      - name: Check out the submission
        uses: actions/checkout@v4
        with:
          path: submission
{kit_checkout}      - uses: actions/setup-python@v5
        with:
          python-version: "{python}"
      - name: Install the kit
        run: |
{install}"""

KIT_CHECKOUT = """\
      - name: Check out the kit (pristine suites)
        uses: actions/checkout@v4
        with:
          repository: {repo}
          ref: {ref}
          path: kit
{token}"""

CLASSROOM = """\
name: Autograding Tests
on: [push, workflow_dispatch, repository_dispatch]
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  run-autograding-tests:
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    steps:
{checkouts}      - name: Grade
        id: grade
        run: |
          {grade}
          sysdesign classroom-results {reports}/grade.json
      - name: Autograding Reporter
        uses: classroom-resources/autograding-grading-reporter@v1
        with:
          runners: ${{{{ steps.grade.outputs.runners }}}}
"""

PLAIN = """\
name: Grade
on: [push, workflow_dispatch]
permissions:
  contents: read
jobs:
  grade:
    runs-on: ubuntu-latest
    steps:
{checkouts}      - name: Grade
        run: |
          {grade}
      - name: Upload the reports
        if: always()
        uses: actions/upload-artifact@v4
        with:
          name: grading-reports
          path: {reports}/
          if-no-files-found: warn
{check}"""

CHECK = """\
      - name: Check the score
        run: |
          sysdesign grade-check {reports}/grade.json --fail-under {fail_under:g}
"""

SETUP_SH = """\
#!/usr/bin/env bash
# Gradescope autograder setup (written by `sysdesign gradescope-bundle`): Python {python} and the kit.
# Gradescope's base image (Ubuntu 22.04) ships Python 3.10; the kit needs 3.11 or newer, so the
# deadsnakes PPA provides python{python} through apt. SYSDESIGN_PYTHON names a Python 3.11+ to use
# instead; AUTOGRADER_ROOT (default /autograder) is where Gradescope unpacks the bundle.
# Everything installs from the wheels in this bundle: nothing is downloaded after this step.
set -euo pipefail
ROOT="${{AUTOGRADER_ROOT:-/autograder}}"
SOURCE="$ROOT/source"
PY="${{SYSDESIGN_PYTHON:-}}"
if [ -z "$PY" ]; then
  if ! command -v python{python} >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y software-properties-common
    add-apt-repository -y ppa:deadsnakes/ppa
    apt-get update
    apt-get install -y python{python} python{python}-venv
  fi
  PY="$(command -v python{python})"
fi
"$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "sysdesign-kit needs Python 3.11 or newer")'
# install: the kit (its wheel points at $SOURCE/kit, which holds the suites), packs, dependencies
rm -rf "$ROOT/venv"
"$PY" -m venv "$ROOT/venv"
"$ROOT/venv/bin/python" -m pip install --no-index --find-links "$SOURCE/wheels" -r "$SOURCE/requirements.txt"
# Graded as root, learner code runs as an unprivileged user, which must be able to start this
# Python and read the kit's runtime; hidden tests stay root's alone.
chmod o+x "$ROOT" "$SOURCE"
chmod -R o+rX "$ROOT/venv" "$SOURCE/kit"
if [ -d "$SOURCE/hidden" ]; then chmod -R go-rwx "$SOURCE/hidden"; fi
"$ROOT/venv/bin/sysdesign" list >/dev/null
"""

RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Gradescope entry point (written by `sysdesign gradescope-bundle`). AUTOGRADER_ROOT (default
# /autograder) is where Gradescope keeps everything; SYSDESIGN_GRADE_OPTIONS adds options to
# `sysdesign grade`.
set -uo pipefail
ROOT="${{AUTOGRADER_ROOT:-/autograder}}"
submission="$ROOT/submission"
# A submission uploaded as the whole repository keeps its modules in exercises/.
if [ -d "$submission/exercises" ]; then submission="$submission/exercises"; fi
mkdir -p "$ROOT/results"
cd "$ROOT/source/kit"
"$ROOT/venv/bin/sysdesign" grade --impl "$submission" --gradescope "$ROOT/results/results.json"{options} ${{SYSDESIGN_GRADE_OPTIONS:-}}
status=$?
# Gradescope shows nothing without results.json: say what happened instead.
if [ ! -s "$ROOT/results/results.json" ]; then
  printf '{{"score": 0, "output": "The autograder could not grade this submission (sysdesign grade ended with exit code %s); please tell your instructor.", "tests": []}}\\n' "$status" > "$ROOT/results/results.json"
fi
"""

#: The kit's wheel maps the kit's packages to the bundled kit folder, ``$ROOT/source/kit``, found
#: from ``$ROOT/venv/lib/pythonX.Y/site-packages`` (like an editable install: the kit grades with the
#: suites under its own folder). A finder, not a ``sys.path`` entry, so that a sandboxed process
#: allowed to read ``harness/`` alone can import it.
KIT_FINDER = '''"""Maps the kit's packages to the kit folder of the Gradescope bundle (sysdesign gradescope-bundle)."""
import importlib.util
import os
import sys

KIT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../../source/kit"))
PACKAGES = {packages!r}


class KitFinder:
    @classmethod
    def find_spec(cls, fullname, path=None, target=None):
        if fullname not in PACKAGES:
            return None
        folder = os.path.join(KIT, PACKAGES[fullname])
        return importlib.util.spec_from_file_location(fullname, os.path.join(folder, "__init__.py"),
                                                      submodule_search_locations=[folder])


def install():
    if KitFinder not in sys.meta_path:
        sys.meta_path.append(KitFinder)
'''
#: Platform tags the dependency wheels are downloaded for: Gradescope's Ubuntu 22.04 (glibc 2.35), x86_64.
GRADESCOPE_PLATFORMS = [f"manylinux_2_{minor}_x86_64" for minor in range(35, 16, -1)] + ["manylinux2014_x86_64"]


# -- selection and packs -------------------------------------------------------------------------------
def selected_exercises(kit: Kit, slugs: list[str] | None) -> list[Exercise]:
    """The exercises ``--exercise`` names (default: every exercise, installed packs' included);
    :class:`ReleaseError` for an unknown slug."""
    try:
        return kit.select(slugs)
    except UnknownExercise as exc:
        raise ReleaseError(str(exc)) from None


def _direct_url(pack: PackSource) -> dict | None:
    if pack.dist is None:
        return None
    try:
        return json.loads(pack.dist.read_text("direct_url.json") or "null")
    except ValueError:
        return None


def pack_requirement(pack: PackSource, kit_dir: str, kit_root: Path = KIT_ROOT) -> str:
    """A pip requirement that installs ``pack`` on a GitHub runner: a folder of the kit's
    repository (checked out as ``kit_dir``), the git commit or the index release it was
    installed from. :class:`ReleaseError` (naming the pack) when none applies."""
    if pack.dist is None:
        raise ReleaseError(f"pack '{pack.name}': no installed distribution found for its package {pack.package}; "
                           f"give --pack-spec {pack.name}=REQUIREMENT or leave its exercises out with --exercise")
    direct = _direct_url(pack)
    if direct is None:
        return f"{pack.dist_name}=={pack.version}"
    url = str(direct.get("url", ""))
    vcs = direct.get("vcs_info")
    if isinstance(vcs, dict) and vcs.get("vcs") == "git" and vcs.get("commit_id"):
        return f"{pack.dist_name} @ git+{url}@{vcs['commit_id']}"
    if url.startswith("file://"):
        from urllib.parse import unquote, urlparse

        path = Path(unquote(urlparse(url).path))
        try:
            rel = path.resolve().relative_to(kit_root.resolve())
        except ValueError:
            pass
        else:
            return f"./{kit_dir}/{rel.as_posix()}"
        where = path
    else:
        where = url or "an unknown place"
    raise ReleaseError(f"pack '{pack.name}': installed from {where}, which a GitHub runner cannot reach; "
                       f"give --pack-spec {pack.name}=REQUIREMENT (an index name, a git URL or a folder of the kit "
                       "repository) or leave its exercises out with --exercise")


def _shell_word(text: str) -> str:
    return text if re.fullmatch(r"[A-Za-z0-9_./=:@+-]+", text) else "'" + text.replace("'", "'\"'\"'") + "'"


def _options(exercises: list[str] | None, timeout: float | None, memory: int | None, hidden: str | None) -> str:
    text = "".join(f" --exercise {slug}" for slug in exercises or [])
    if timeout:
        text += f" --timeout {timeout:g}"
    if memory:
        text += f" --memory {memory}"
    if hidden:
        text += f" --hidden {hidden}"
    return text


def _workflow_parts(kit: Kit, *, kit_repo: str | None, kit_ref: str, kit_token_secret: str | None, python: str,
                    exercises: list[str] | None, timeout: float | None, memory: int | None,
                    pack_specs: dict[str, str] | None, reports: list[str]) -> dict[str, str]:
    chosen = selected_exercises(kit, exercises)
    if kit_repo:
        token = f"          token: ${{{{ secrets.{kit_token_secret} }}}}\n" if kit_token_secret else ""
        checkout = KIT_CHECKOUT.format(repo=kit_repo, ref=kit_ref, token=token)
        note = f"checked out from {kit_repo}@{kit_ref}, not from the learner's repository."
        kit_dir = "kit"
    else:
        checkout = ""
        note = ("here from the learner's own repository: give --kit-repo to grade with a pristine copy\n"
                "# (a learner can edit every file of their repository, suites included).")
        kit_dir = "submission"
    installs = [f"python -m pip install -e {kit_dir}"]
    specs = dict(pack_specs or {})
    for pack in pack_sources(kit, chosen):
        if pack.name in specs:
            requirement = specs[pack.name]
        elif kit_repo:
            requirement = pack_requirement(pack, kit_dir)
        else:  # the learner's repository is a release: its packs are wheels in packs/
            requirement = f"./{kit_dir}/packs/{wheel_name(pack.dist_name, pack.version)}"
        installs.append(f"python -m pip install {_shell_word(requirement)}")
    slugs = [e.slug for e in chosen] if exercises else None
    grade = (f"sysdesign grade --impl submission/exercises --jobs 2{_options(slugs, timeout, memory, None)}"
             + "".join(f" --{fmt_} {REPORTS_DIR}/{name}" for fmt_, name in reports))
    install = "".join(f"          {line}\n" for line in installs)
    return {"checkouts": CHECKOUTS.format(kit_checkout=checkout, python=python, install=install),
            "grade": grade, "note": note, "reports": REPORTS_DIR}


def _write(outdir: Path, name: str, text: str) -> Path:
    target = Path(outdir) / ".github" / "workflows" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


def classroom_workflow(outdir: Path, *, kit_repo: str | None = None, kit_ref: str = "main", kit_token_secret: str | None = None,
                       python: str = "3.11", exercises: list[str] | None = None, timeout: float | None = None,
                       memory: int | None = None, kit: Kit | None = None,
                       pack_specs: dict[str, str] | None = None) -> Path:
    """Write ``OUTDIR/.github/workflows/classroom.yml`` (GitHub Classroom); returns its path."""
    kit = kit or shared_kit()
    parts = _workflow_parts(kit, kit_repo=kit_repo, kit_ref=kit_ref, kit_token_secret=kit_token_secret, python=python,
                            exercises=exercises, timeout=timeout, memory=memory, pack_specs=pack_specs,
                            reports=[("json", "grade.json"), ("exercism", "results.json"), ("markdown", "summary.md")])
    text = HEADER.format(title="GitHub Classroom autograding", command="classroom-workflow", kit_note=parts["note"])
    text += ("# `sysdesign classroom-results` gives the grading reporter one runner per exercise\n"
             "# (<RUNNER>_RESULTS in $GITHUB_ENV, the list in the step's output `runners`).\n")
    text += CLASSROOM.format(checkouts=parts["checkouts"], grade=parts["grade"], reports=parts["reports"])
    return _write(outdir, "classroom.yml", text)


def github_workflow(outdir: Path, *, kit_repo: str | None = None, kit_ref: str = "main", kit_token_secret: str | None = None,
                    python: str = "3.11", exercises: list[str] | None = None, timeout: float | None = None,
                    memory: int | None = None, kit: Kit | None = None, pack_specs: dict[str, str] | None = None,
                    fail_under: float | None = None) -> Path:
    """Write ``OUTDIR/.github/workflows/grade.yml``: plain GitHub Actions, no Classroom (job
    summary, every report as an artifact, optionally a failing check below ``fail_under`` %)."""
    kit = kit or shared_kit()
    if fail_under is not None and not 0 <= fail_under <= 100:
        raise ReleaseError("--fail-under is a percentage between 0 and 100")
    parts = _workflow_parts(kit, kit_repo=kit_repo, kit_ref=kit_ref, kit_token_secret=kit_token_secret, python=python,
                            exercises=exercises, timeout=timeout, memory=memory, pack_specs=pack_specs,
                            reports=[("json", "grade.json"), ("junit", "junit.xml"), ("exercism", "results.json"),
                                     ("gradescope", "gradescope.json"), ("markdown", "summary.md")])
    text = HEADER.format(title="GitHub Actions grading", command="github-workflow", kit_note=parts["note"])
    text += "# The summary goes to the job's page; every report is uploaded as the artifact grading-reports.\n"
    check = CHECK.format(reports=parts["reports"], fail_under=fail_under) if fail_under is not None else ""
    text += PLAIN.format(checkouts=parts["checkouts"], grade=parts["grade"], reports=parts["reports"], check=check)
    return _write(outdir, "grade.yml", text)


# -- the grading reporter's runners ------------------------------------------------------------------
def _runner_id(slug: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", slug) or "exercise"


def _runner_test(slug: str, test: TestResult) -> dict:
    status = "pass" if test.status == PASSED else "error" if test.status in ERROR_STATUSES else "fail"
    message = "" if status == "pass" else learner_message(test).splitlines()[0] if learner_message(test) else ""
    return {"name": f"{slug}: {test.name}", "status": status, "score": test.points,
            "message": capped(message, RUNNER_MESSAGE_CAP, " [cut]"), "test_code": "",
            "filename": test.nodeid.split("::", 1)[0] if not test.nodeid.startswith("hidden/") else "",
            "line_no": 0, "duration": 0}


def _runner_payload(tests: list[dict], max_score: float) -> dict:
    statuses = {t["status"] for t in tests}
    status = "pass" if statuses == {"pass"} else "error" if statuses == {"error"} else "fail"
    return {"version": 1, "status": status, "max_score": max_score, "tests": tests}


def classroom_runners(report: GradeReport) -> list[tuple[str, dict]]:
    """``(runner id, results)`` for GitHub Classroom's grading reporter: one runner per exercise,
    split into one runner per point value when its tests weigh differently (the reporter's
    console weighs a runner's tests equally), so the reporter's totals equal ``Points X/Y``."""
    runners: list[tuple[str, dict]] = []
    used: set[str] = set()
    for exercise in report.exercises:
        groups: dict[float, list[TestResult]] = {}
        for test in exercise.tests:
            groups.setdefault(test.max_points, []).append(test)
        if not groups:
            message = capped((exercise.error or "no test was collected").splitlines()[0], RUNNER_MESSAGE_CAP, " [cut]")
            groups_out = [("", [{"name": f"{exercise.slug}: could not be graded", "status": "error", "score": 0,
                                 "message": message, "test_code": "", "filename": "", "line_no": 0, "duration": 0}], 0.0)]
        else:
            split = len(groups) > 1
            groups_out = [(f"{fmt(points).replace('.', 'p')}pt" if split else "",
                           [_runner_test(exercise.slug, t) for t in tests], points * len(tests))
                          for points, tests in sorted(groups.items())]
        for suffix, tests, max_score in groups_out:
            base = _runner_id(exercise.slug) + suffix
            name, n = base, 2
            while name.lower() in used:
                name, n = f"{base}{n}", n + 1
            used.add(name.lower())
            runners.append((name, _runner_payload(tests, max_score)))
    return runners


def encode_runner(results: dict) -> str:
    """A runner's results as the reporter reads them: base64 of the JSON. Messages are dropped
    if the value would still exceed :data:`PAYLOAD_BUDGET`."""
    value = base64.b64encode(json.dumps(results, separators=(",", ":")).encode("utf-8")).decode("ascii")
    if len(value) > PAYLOAD_BUDGET:
        results = {**results, "tests": [{**t, "message": ""} for t in results["tests"]]}
        value = base64.b64encode(json.dumps(results, separators=(",", ":")).encode("utf-8")).decode("ascii")
    return value


# -- Gradescope -------------------------------------------------------------------------------------
def _kit_project(kit_dir: Path) -> dict:
    return tomllib.loads((kit_dir / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def kit_packages(kit_dir: Path) -> dict[str, str]:
    """Import name -> folder (relative to the kit) of every package the kit installs: its
    ``[tool.setuptools] package-dir`` (the folder ``harness/`` is the package ``sysdesign``), else
    each folder with an ``__init__.py`` under its own name."""
    tool = tomllib.loads((kit_dir / "pyproject.toml").read_text(encoding="utf-8")).get("tool", {})
    mapping = tool.get("setuptools", {}).get("package-dir") or {}
    if mapping:
        return {str(k): str(v) for k, v in sorted(mapping.items())}
    return {p.name: p.name for p in sorted(kit_dir.iterdir()) if (p / "__init__.py").is_file()}


def kit_wheel(kit_dir: Path, out_dir: Path) -> Path:
    """The kit's wheel for the bundle: its metadata, entry points (the ``sysdesign`` command,
    the pytest plugins) and dependencies, and a finder (:data:`KIT_FINDER`, loaded by a ``.pth``
    line) for the packages of the bundled kit folder."""
    project = _kit_project(kit_dir)
    lines = ["Metadata-Version: 2.1", f"Name: {project['name']}", f"Version: {project['version']}",
             f"Summary: {project.get('description', '')}"]
    if project.get("requires-python"):
        lines.append(f"Requires-Python: {project['requires-python']}")
    lines += [f"Requires-Dist: {dep}" for dep in project.get("dependencies", [])]
    groups = {"console_scripts": project.get("scripts", {}), **project.get("entry-points", {})}
    entry_points = "".join(f"[{group}]\n" + "".join(f"{k} = {v}\n" for k, v in values.items()) + "\n"
                           for group, values in groups.items() if values)
    name = "_" + re.sub(r"[-_.]+", "_", project["name"]).lower() + "_bundle"
    files = {f"{name}.py": KIT_FINDER.format(packages=kit_packages(kit_dir)).encode("utf-8"),
             f"{name}.pth": f"import {name}; {name}.install()\n".encode("utf-8")}
    return write_wheel(out_dir, project["name"], project["version"], files,
                       metadata="\n".join(lines) + "\n", entry_points=entry_points)


def dependency_wheels(requirements: list[str], out_dir: Path, *, wheelhouse: Path | None = None,
                      python: str = "3.11") -> None:
    """Download the wheels of ``requirements`` (and what they need) for Gradescope's platform into
    ``out_dir`` with pip; from ``wheelhouse`` only (no index) when given."""
    if not requirements:
        return
    cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--dest", str(out_dir),
           "--only-binary=:all:", "--implementation", "cp", "--python-version", python,
           "--abi", "cp" + python.replace(".", "")]
    for platform in GRADESCOPE_PLATFORMS:
        cmd += ["--platform", platform]
    if wheelhouse is not None:
        cmd += ["--no-index", "--find-links", str(wheelhouse)]
    done = subprocess.run(cmd + requirements, capture_output=True, text=True)
    if done.returncode != 0:
        lines = [line for line in (done.stderr or done.stdout).splitlines() if line.strip()]
        raise ReleaseError("pip could not fetch the wheels of the kit's dependencies: "
                           + (lines[-1] if lines else f"exit code {done.returncode}"))


def _requirement_names(requirements: list[str]) -> list[str]:
    return [r for r in requirements if re.split(r"[\s<>=!~;\[(@]", r, maxsplit=1)[0].lower().replace("_", "-")
            not in ("sysdesign-kit",)]


def gradescope_bundle(out_zip: Path, *, hidden: Path | None = None, exercises: list[str] | None = None,
                      timeout: float | None = None, memory: int | None = None, kit: Kit | None = None,
                      wheelhouse: Path | None = None, python: str = "3.11") -> list[str]:
    """Write the Gradescope autograder zip: ``setup.sh`` and ``run_autograder`` at its root, the
    kit's release without references in ``kit/`` (the selected exercises, installed packs'
    included), the wheels to install in ``wheels/`` (the kit's, each pack's, their dependencies'
    for Gradescope's platform), ``requirements.txt``, and the hidden tests in ``hidden/``.
    Returns the zip's member names."""
    kit = kit or shared_kit()
    chosen = selected_exercises(kit, exercises)
    packs = pack_sources(kit, chosen)
    out_zip = Path(out_zip)
    out_zip.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        build_release(root / "kit", solutions=False, kit=kit, exercises=chosen)
        wheels = root / "wheels"
        kit_wheel(root / "kit", wheels)
        requirements = [_kit_project(root / "kit")["name"]]
        deps = list(_kit_project(root / "kit").get("dependencies", []))
        for pack in packs:
            pack_wheel(pack, wheels)
            requirements.append(pack.dist_name)
            deps += list(pack.dist.requires or []) if pack.dist is not None else []
        dependency_wheels(sorted(set(_requirement_names(deps))), wheels, wheelhouse=wheelhouse, python=python)
        (root / "requirements.txt").write_text("".join(f"{r}\n" for r in requirements), encoding="utf-8")
        hidden_arg = None
        if hidden is not None:
            shutil.copytree(hidden, root / "hidden", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            hidden_arg = '"$ROOT/source/hidden"'
        slugs = [e.slug for e in chosen] if exercises else None
        scripts = {"setup.sh": SETUP_SH.format(python=python),
                   "run_autograder": RUN_AUTOGRADER.format(options=_options(slugs, timeout, memory, hidden_arg))}
        with zipfile.ZipFile(out_zip, "w", zipfile.ZIP_DEFLATED) as bundle:
            for name, text in scripts.items():
                info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                info.external_attr = (stat.S_IFREG | 0o755) << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                bundle.writestr(info, text)
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    bundle.write(path, path.relative_to(root).as_posix())
        with zipfile.ZipFile(out_zip) as bundle:
            return bundle.namelist()
