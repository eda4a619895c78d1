"""Course CI files: the GitHub Classroom workflow and the Gradescope autograder bundle.

Both grade with the kit's *pristine* suites: GitHub Classroom checks out the kit from the
instructor's repository (``--kit-repo``) next to the learner's repository, because a learner
can edit every file of their own repository; the Gradescope bundle carries the kit itself.
"""

from __future__ import annotations

import io
import shutil
import stat
import tempfile
import zipfile
from pathlib import Path

from harness.grade.release import build_release
from harness.plugin_manager import Kit, shared_kit

WORKFLOW = """\
# GitHub Classroom autograding for sysdesign-kit (written by `sysdesign classroom-workflow`).
# The learner's code is graded by `sysdesign grade` with the kit's pristine suites,
# {kit_note}
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
      - name: Check out the submission
        uses: actions/checkout@v4
        with:
          path: submission
{kit_checkout}      - uses: actions/setup-python@v5
        with:
          python-version: "{python}"
      - name: Install the kit
        run: python -m pip install -e {kit_dir}
      - name: Grade
        id: sysdesign
        run: |
          sysdesign grade --impl submission/exercises{options} --exercism results.json --markdown summary.md
          echo "result=$(base64 -w0 results.json)" >> "$GITHUB_OUTPUT"
      - name: Autograding Reporter
        uses: classroom-resources/autograding-grading-reporter@v1
        env:
          SYSDESIGN_RESULTS: "${{{{ steps.sysdesign.outputs.result }}}}"
        with:
          runners: sysdesign
"""

KIT_CHECKOUT = """\
      - name: Check out the kit (pristine suites)
        uses: actions/checkout@v4
        with:
          repository: {repo}
          ref: {ref}
          path: kit
{token}"""

SETUP_SH = """\
#!/usr/bin/env bash
# Gradescope autograder setup (written by `sysdesign gradescope-bundle`): Python 3.11 and the kit.
set -euo pipefail
apt-get update
apt-get install -y python3.11 python3.11-venv || apt-get install -y python3 python3-venv
PY=$(command -v python3.11 || command -v python3)
"$PY" -m venv /autograder/venv
/autograder/venv/bin/python -m pip install --upgrade pip
/autograder/venv/bin/python -m pip install -e /autograder/source/kit
"""

RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Gradescope entry point (written by `sysdesign gradescope-bundle`).
set -uo pipefail
submission=/autograder/submission
# A submission uploaded as the whole repository keeps its modules in exercises/.
if [ -d "$submission/exercises" ]; then submission="$submission/exercises"; fi
mkdir -p /autograder/results
cd /autograder/source/kit
/autograder/venv/bin/sysdesign grade --impl "$submission" --gradescope /autograder/results/results.json{options}
"""


def _options(exercises: list[str] | None, timeout: float | None, memory: int | None, hidden: str | None) -> str:
    text = "".join(f" --exercise {slug}" for slug in exercises or [])
    if timeout:
        text += f" --timeout {timeout:g}"
    if memory:
        text += f" --memory {memory}"
    if hidden:
        text += f" --hidden {hidden}"
    return text


def classroom_workflow(outdir: Path, *, kit_repo: str | None = None, kit_ref: str = "main", kit_token_secret: str | None = None,
                       python: str = "3.11", exercises: list[str] | None = None, timeout: float | None = None,
                       memory: int | None = None) -> Path:
    """Write ``OUTDIR/.github/workflows/classroom.yml``; returns its path."""
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
    text = WORKFLOW.format(kit_note=note, kit_checkout=checkout, python=python, kit_dir=kit_dir,
                           options=_options(exercises, timeout, memory, None))
    target = Path(outdir) / ".github" / "workflows" / "classroom.yml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


def gradescope_bundle(out_zip: Path, *, hidden: Path | None = None, exercises: list[str] | None = None,
                      timeout: float | None = None, memory: int | None = None, kit: Kit | None = None) -> list[str]:
    """Write the Gradescope autograder zip (``setup.sh`` and ``run_autograder`` at its root, the
    kit's release without references in ``kit/``, hidden tests in ``hidden/``); returns its names."""
    kit = kit or shared_kit()
    out_zip = Path(out_zip)
    out_zip.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        build_release(root / "kit", solutions=False, kit=kit)
        hidden_arg = None
        if hidden is not None:
            shutil.copytree(hidden, root / "hidden", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            hidden_arg = "/autograder/source/hidden"
        files = {"setup.sh": SETUP_SH, "run_autograder": RUN_AUTOGRADER.format(
            options=_options(exercises, timeout, memory, hidden_arg))}
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
            for name, text in files.items():
                info = zipfile.ZipInfo(name)
                info.external_attr = (stat.S_IFREG | 0o755) << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                bundle.writestr(info, text)
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    bundle.write(path, path.relative_to(root).as_posix())
        out_zip.write_bytes(buffer.getvalue())
        with zipfile.ZipFile(out_zip) as bundle:
            return bundle.namelist()
