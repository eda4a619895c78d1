"""The example pack shipped in examples/circuit_breaker_pack: installed, it is listed with its
pack's name and ``sysdesign dev check`` proves it (reference passes with full coverage, stub not
started, every known-wrong variant rejected by the tests it names)."""

from __future__ import annotations

import tomllib

from .conftest import EXAMPLE_PACK, run_child


def test_the_example_pack_is_an_installable_distribution():
    meta = tomllib.loads((EXAMPLE_PACK / "pyproject.toml").read_text(encoding="utf-8"))
    assert meta["project"]["name"] == "sysdesign-pack-circuit-breaker"
    assert meta["project"]["entry-points"]["sysdesign.packs"] == {
        "circuit-breaker": "sysdesign_pack_circuit_breaker.plugin"}
    assert "*.toml" in meta["tool"]["setuptools"]["package-data"]["*"], "exercise.toml must be installed"
    plugin = EXAMPLE_PACK / "src" / "sysdesign_pack_circuit_breaker" / "plugin.py"
    assert len(plugin.read_text(encoding="utf-8").splitlines()) <= 4


def test_sysdesign_list_shows_the_pack(example_pack_paths, tmp_path):
    # a scratch workspace: list gives the pack's exercise its working copy there
    done = run_child(["-m", "sysdesign.cli", "list"], example_pack_paths, NO_COLOR="1",
                     SYSDESIGN_STATE_DIR=str(tmp_path), SYSDESIGN_WORKSPACE=str(tmp_path / "exercises"))
    assert done.returncode == 0 and "circuit-breaker" not in done.stderr, done.stderr
    (line,) = [line for line in done.stdout.splitlines() if " circuit_breaker " in line]
    assert line.endswith("[circuit-breaker]")
    assert (tmp_path / "exercises" / "circuit_breaker.py").is_file(), "the pack's stub becomes the working copy"


def test_dev_check_proves_the_example_pack(example_pack_paths):
    done = run_child(["-m", "sysdesign.cli", "dev", "check", "--pack", "circuit-breaker"], example_pack_paths,
                     NO_COLOR="1")
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "checking circuit_breaker [circuit-breaker] ... ok (9 known-wrong variants)" in done.stdout
    assert "pack 'circuit-breaker': well formed (1 exercise)" in done.stdout
