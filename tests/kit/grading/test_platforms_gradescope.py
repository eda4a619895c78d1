"""The Gradescope bundle, end to end on a fake autograder root: its setup.sh installs the kit,
the installed pack and their dependencies from the bundle's wheels (no index), and its
run_autograder grades a submission into a results.json Gradescope reads.

No network: the dependencies' wheels come from a wheelhouse this test packs from the
distributions installed here (``--wheelhouse``), and setup.sh's Python provisioning (apt) is
skipped by naming this interpreter in ``SYSDESIGN_PYTHON``.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import importlib.metadata
import io
import os
import re
import shutil
import stat
import subprocess
import sys
import time
import tomllib
import zipfile
from pathlib import Path

import pytest

from sysdesign import KIT_ROOT
from sysdesign.grade.bundles import gradescope_bundle
from sysdesign.plugin_manager import shared_kit

KIT = shared_kit()
PACK_SLUG = "circuit_breaker"
#: The bundle's Python is this interpreter's version (setup.sh gets this interpreter itself).
PYTHON = f"{sys.version_info.major}.{sys.version_info.minor}"
pytestmark = pytest.mark.skipif(KIT.exercise(PACK_SLUG) is None, reason="the example pack circuit-breaker is not installed")

HIDDEN_TEST = '''
import pytest


@pytest.mark.points(2)
@pytest.mark.visibility("after_due_date")
def test_hidden_get(http_basics):
    assert http_basics.parse_request(b"GET / HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n").method == "GET"
'''


def weak_sandbox_option() -> str:
    """The option that lets ``sysdesign grade`` run where learner code cannot be fully confined
    (this test's interpreter lives in root's home, which an unprivileged user cannot read)."""
    done = subprocess.run([sys.executable, "-m", "sysdesign.cli", "grade", "--help"], capture_output=True, text=True)
    return "--allow-weak-sandbox" if "--allow-weak-sandbox" in done.stdout else ""


def _closure(requirements: list[str]) -> list[importlib.metadata.Distribution]:
    """Installed distributions ``requirements`` need here, recursively (requirements whose
    markers do not apply to this interpreter, extras included, are left out)."""
    from packaging.requirements import Requirement

    seen: dict[str, importlib.metadata.Distribution] = {}
    todo = list(requirements)
    while todo:
        requirement = Requirement(todo.pop())
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue
        name = requirement.name.lower().replace("_", "-")
        if name in seen or name == "sysdesign-kit":
            continue
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            continue
        seen[name] = dist
        todo += list(dist.requires or [])
    return list(seen.values())


def _wheel_of(dist: importlib.metadata.Distribution, out: Path) -> None:
    """Pack an installed distribution back into a wheel (its files, its own tags)."""
    wheel_meta = dist.read_text("WHEEL") or "Tag: py3-none-any\n"
    tags = [line.split(":", 1)[1].strip() for line in wheel_meta.splitlines() if line.startswith("Tag:")]
    parts = [[], [], []]
    for tag in tags:
        for i, piece in enumerate(tag.split("-")):
            if piece not in parts[i]:
                parts[i].append(piece)
    name = re.sub(r"[-_.]+", "_", dist.metadata["Name"])
    info = f"{name}-{dist.version}.dist-info"
    members: dict[str, bytes] = {}
    base = Path(dist.locate_file(""))
    for file in dist.files or []:
        rel = file.as_posix()
        if rel.startswith("..") or "__pycache__" in rel or rel.endswith(".pyc") or rel.endswith("/RECORD"):
            continue
        path = base / rel
        if not path.is_file():
            continue
        if ".dist-info/" in rel:
            rel = f"{info}/{rel.split('.dist-info/', 1)[1]}"
        members[rel] = path.read_bytes()
    record = io.StringIO()
    writer = csv.writer(record, lineterminator="\n")
    for rel, data in members.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        writer.writerow([rel, f"sha256={digest}", len(data)])
    writer.writerow([f"{info}/RECORD", "", ""])
    members[f"{info}/RECORD"] = record.getvalue().encode()
    target = out / f"{name}-{dist.version}-{'.'.join(parts[0])}-{'.'.join(parts[1])}-{'.'.join(parts[2])}.whl"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as wheel:
        for rel, data in members.items():
            wheel.writestr(rel, data)


@pytest.fixture(scope="module")
def wheelhouse(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheelhouse")
    deps = tomllib.loads((KIT_ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    pack = KIT.exercise(PACK_SLUG)
    pack_dist = next(ep.dist for ep in importlib.metadata.entry_points(group="sysdesign.packs")
                     if pack.suite.resolve().is_relative_to(Path(ep.dist.locate_file("")).resolve()))
    for dist in _closure(list(deps) + list(pack_dist.requires or [])):
        _wheel_of(dist, out)
    return out


@pytest.fixture(scope="module")
def autograder(tmp_path_factory, wheelhouse):
    """A fake /autograder: the bundle unpacked into source/, setup.sh run, a submission in
    submission/ (the reference of http_basics, the pack's pristine stub), run_autograder run."""
    tmp = tmp_path_factory.mktemp("gradescope")
    hidden = tmp / "hidden" / "http_basics"
    hidden.mkdir(parents=True)
    (hidden / "test_hidden.py").write_text(HIDDEN_TEST, encoding="utf-8")
    started = time.monotonic()
    names = gradescope_bundle(tmp / "autograder.zip", hidden=tmp / "hidden", exercises=["http_basics", PACK_SLUG],
                              timeout=120, kit=KIT, wheelhouse=wheelhouse, python=PYTHON)
    bundled = time.monotonic() - started
    root = tmp / "autograder"
    with zipfile.ZipFile(tmp / "autograder.zip") as bundle:
        bundle.extractall(root / "source")
        for info in bundle.infolist():
            mode = (info.external_attr >> 16) & 0o777
            if mode:
                os.chmod(root / "source" / info.filename, mode)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PYTEST_", "VIRTUAL_ENV", "PIP_"))}
    env.update(AUTOGRADER_ROOT=str(root), SYSDESIGN_PYTHON=sys.executable, PIP_NO_INDEX="1",
               SYSDESIGN_STATE_DIR=str(tmp / "state"), HOME=str(tmp), SYSDESIGN_GRADE_OPTIONS=weak_sandbox_option())
    started = time.monotonic()
    setup = subprocess.run(["bash", str(root / "source" / "setup.sh")], env=env, cwd=root, capture_output=True,
                           text=True, timeout=600)
    installed = time.monotonic() - started
    submission = root / "submission"
    submission.mkdir()
    shutil.copy(KIT.exercise("http_basics").reference, submission / "http_basics.py")
    shutil.copy(KIT.exercise(PACK_SLUG).stub, submission / f"{PACK_SLUG}.py")
    started = time.monotonic()
    run = subprocess.run(["bash", str(root / "source" / "run_autograder")], env=env, cwd=root, capture_output=True,
                         text=True, timeout=600) if setup.returncode == 0 else None
    graded = time.monotonic() - started
    print(f"bundle {bundled:.1f}s, setup.sh {installed:.1f}s, run_autograder {graded:.1f}s")
    return {"names": names, "root": root, "setup": setup, "run": run}


def test_the_bundle_carries_scripts_wheels_the_kit_and_the_pack_but_no_reference(autograder):
    names = set(autograder["names"])
    assert {"setup.sh", "run_autograder", "requirements.txt", "kit/pyproject.toml",
            "hidden/http_basics/test_hidden.py"} <= names
    wheels = [n for n in names if n.startswith("wheels/") and n.endswith(".whl")]
    assert any(n.startswith("wheels/sysdesign_kit-") for n in wheels)
    assert any(n.startswith("wheels/sysdesign_pack_circuit_breaker-") for n in wheels)
    assert any(n.startswith("wheels/pytest-") for n in wheels)
    assert not any(n.startswith("kit/.references") for n in names)
    source = autograder["root"] / "source"
    with zipfile.ZipFile(next(source.glob("wheels/sysdesign_pack_circuit_breaker-*.whl"))) as wheel:
        members = wheel.namelist()
        reference = wheel.read(next(n for n in members if n.endswith("circuit_breaker/reference.py"))).decode()
    assert "raise ImportError" in reference and not any("/variants/" in n for n in members)
    assert KIT.exercise(PACK_SLUG).reference.read_text() not in reference
    setup = (source / "setup.sh").read_text()
    assert "ppa:deadsnakes/ppa" in setup and "--no-index" in setup and 'AUTOGRADER_ROOT:-/autograder' in setup
    for script in ("setup.sh", "run_autograder"):
        assert (source / script).stat().st_mode & stat.S_IXUSR


def test_setup_installs_from_the_bundle_and_run_autograder_writes_results(autograder):
    setup, run = autograder["setup"], autograder["run"]
    assert setup.returncode == 0, setup.stdout[-3000:] + setup.stderr[-3000:]
    assert run is not None and run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    results_path = autograder["root"] / "results" / "results.json"
    assert results_path.is_file(), run.stdout[-3000:] + run.stderr[-3000:]
    import json

    results = json.loads(results_path.read_text())
    tests = results["tests"]
    assert tests and {"score", "output", "tests"} <= set(results), (results, run.stdout[-3000:], run.stderr[-3000:])
    for test in tests:
        assert {"name", "score", "max_score", "status", "output", "visibility"} <= set(test)
        assert isinstance(test["score"], (int, float)) and isinstance(test["max_score"], (int, float))
        assert test["status"] in ("passed", "failed") and test["visibility"] in ("visible", "hidden", "after_due_date")
    http = [t for t in tests if t["name"].startswith("http_basics: ")]
    pack = [t for t in tests if t["name"].startswith(f"{PACK_SLUG}: ")]
    assert http and pack, [t["name"] for t in tests]
    assert all(t["status"] == "passed" and t["score"] == t["max_score"] for t in http)
    assert all(t["score"] == 0 for t in pack) and any("not started" in t["output"] for t in pack)
    hidden = [t for t in http if t["name"] == "http_basics: test_hidden_get"]
    assert hidden and hidden[0]["visibility"] == "after_due_date" and hidden[0]["max_score"] == 2
    assert results["score"] == sum(t["score"] for t in tests) == sum(t["max_score"] for t in http)


def test_run_autograder_always_leaves_a_results_file(tmp_path):
    """Without a working installation, Gradescope still gets a results.json saying so."""
    import json

    from sysdesign.grade.bundles import RUN_AUTOGRADER

    script = tmp_path / "source" / "run_autograder"
    (tmp_path / "source" / "kit").mkdir(parents=True)
    (tmp_path / "submission").mkdir()
    script.write_text(RUN_AUTOGRADER.format(options=" --exercise http_basics"), encoding="utf-8")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "AUTOGRADER_ROOT": str(tmp_path)}
    done = subprocess.run(["bash", str(script)], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    results = json.loads((tmp_path / "results" / "results.json").read_text())
    assert results["score"] == 0 and results["tests"] == [] and "exit code 127" in results["output"]
