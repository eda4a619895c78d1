"""Fixtures for the tests of exercise packs: install a pack without pip (a ``.dist-info`` with
its entry points on a temporary ``sys.path``), in this process or in a child one."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from sysdesign import KIT_ROOT
from sysdesign.plugin_manager import shared_kit

EXAMPLE_PACK = KIT_ROOT / "examples" / "circuit_breaker_pack"


def fake_install(project: Path, target: Path) -> list[Path]:
    """Make the pack at ``project`` findable the way ``pip install -e`` does, without pip: a
    ``<name>-<version>.dist-info`` holding ``METADATA`` and ``entry_points.txt`` (read from the
    pack's ``pyproject.toml``) in ``target``. Returns the ``sys.path`` entries to add: ``target``
    and the pack's ``src`` folder."""
    meta = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    dist = re.sub(r"[-_.]+", "_", meta["name"]).lower()
    info = target / f"{dist}-{meta['version']}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {meta['name']}\nVersion: {meta['version']}\n", encoding="utf-8")
    lines = []
    for group, entries in meta.get("entry-points", {}).items():
        lines.append(f"[{group}]")
        lines += [f"{name} = {value}" for name, value in entries.items()]
    (info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [target, project / "src"]


def write_dist_info(target: Path, name: str, entry_points: dict[str, str]) -> None:
    """A bare ``.dist-info`` declaring ``sysdesign.packs`` entry points (for broken packs)."""
    info = target / f"{name}-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1\n", encoding="utf-8")
    body = "[sysdesign.packs]\n" + "".join(f"{k} = {v}\n" for k, v in entry_points.items())
    (info / "entry_points.txt").write_text(body, encoding="utf-8")


def child_env(paths: list[Path], **extra: str) -> dict[str, str]:
    """The environment of a child process that sees ``paths`` first on ``sys.path``."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([*map(str, paths), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(extra)
    return env


def run_child(args: list[str], paths: list[Path], *, cwd: Path = KIT_ROOT, timeout: float = 120,
              **env: str) -> subprocess.CompletedProcess[str]:
    """``python ARGS`` in a child process with ``paths`` on its ``sys.path``."""
    return subprocess.run([sys.executable, *args], cwd=cwd, env=child_env(paths, **env), capture_output=True,
                          text=True, timeout=timeout, stdin=subprocess.DEVNULL)


@pytest.fixture(scope="session")
def example_pack_paths(tmp_path_factory) -> list[Path]:
    """The example circuit-breaker pack, installed once for the session (``sys.path`` entries)."""
    return fake_install(EXAMPLE_PACK, tmp_path_factory.mktemp("site"))


@pytest.fixture
def with_packs(monkeypatch) -> Iterator:
    """``with_packs(*paths)``: this process's kit is rebuilt with the packs found on ``paths``
    (then rebuilt without them after the test)."""

    def install(*paths: Path):
        for path in paths:
            monkeypatch.syspath_prepend(str(path))
        shared_kit.cache_clear()
        return shared_kit()

    yield install
    monkeypatch.undo()
    shared_kit.cache_clear()
