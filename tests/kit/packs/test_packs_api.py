"""sysdesign.packs: reading a pack's exercises, the learner's working copies, merging the packs'
cluster extensions; sysdesign.selfcheck: slug clashes."""

from __future__ import annotations

import shutil
import types
from dataclasses import replace

import pytest

from sysdesign.exercise import ExerciseDefinitionError
from sysdesign.hookspecs import hookimpl
from sysdesign.packs import cluster_extensions, exercises_from_directory, exercises_hook
from sysdesign.plugin_manager import build_kit
from sysdesign.selfcheck import slug_clashes

from .conftest import EXAMPLE_PACK

PACKAGE = EXAMPLE_PACK / "src" / "sysdesign_pack_circuit_breaker"


def pack_module(name: str, **hooks) -> types.ModuleType:
    """A plugin module called ``name`` holding ``hooks`` (as a pack's plugin module would)."""
    module = types.ModuleType(name)
    for hook_name, fn in hooks.items():
        setattr(module, hook_name, fn)
    return module


def about(kit, pack: str) -> list[str]:
    """The kit's problems that concern ``pack`` (the core's own are not these tests' business)."""
    return [p for p in kit.problems if f"'{pack}'" in p or p.startswith(f"{pack}:")]


def copy_exercise(tmp_path, folder_name: str = "circuit_breaker"):
    """A copy of the example exercise's folder in ``tmp_path/pkg/<folder_name>``."""
    target = tmp_path / "pkg" / folder_name
    shutil.copytree(PACKAGE / "circuit_breaker", target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


# -- reading a pack ------------------------------------------------------------------------------
def test_exercises_from_directory_reads_the_folder_layout():
    (exercise,) = exercises_from_directory(PACKAGE / "plugin.py", pack="circuit-breaker")
    folder = PACKAGE / "circuit_breaker"
    assert (exercise.slug, exercise.pack, exercise.format) == ("circuit_breaker", "circuit-breaker", 1)
    assert exercise.stub == folder / "stub.py" and exercise.reference == folder / "reference.py"
    assert exercise.suite == folder and exercise.owns(folder / "test_closed.py")
    assert len(exercise.variant_files()) >= 3
    assert [t.number for t in exercise.tasks] == [1, 2, 3, 4, 5] and all(t.hints for t in exercise.tasks)


def test_a_slug_that_differs_from_its_folder_is_refused(tmp_path):
    copy_exercise(tmp_path, "breaker")
    with pytest.raises(ExerciseDefinitionError, match=r"slug 'circuit_breaker' differs from its folder 'breaker'"):
        exercises_from_directory(tmp_path / "pkg", pack="p")


def test_a_folder_without_exercises_is_refused(tmp_path):
    with pytest.raises(ExerciseDefinitionError, match="no exercise found"):
        exercises_from_directory(tmp_path, pack="p")


def test_a_pack_with_bad_metadata_costs_one_line_and_the_kit_keeps_working(tmp_path):
    folder = copy_exercise(tmp_path)
    (folder / "exercise.toml").write_text('slug = "circuit_breaker"\ntitle = [unclosed\n', encoding="utf-8")
    kit = build_kit(load_packs=False, extra_plugins=(
        pack_module("bad-pack", sysdesign_exercises=exercises_hook(tmp_path / "pkg", pack="bad-pack")),))
    (line,) = about(kit, "bad-pack")
    assert line.startswith("pack 'bad-pack': ") and "exercise.toml" in line
    assert "\n" not in line and "pack skipped" in line
    assert kit.exercise("hashing") is not None and kit.exercise("circuit_breaker") is None


def test_an_unsupported_format_is_reported(tmp_path):
    folder = copy_exercise(tmp_path)
    toml = folder / "exercise.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("format = 1", "format = 99"), encoding="utf-8")
    kit = build_kit(load_packs=False, extra_plugins=(
        pack_module("future", sysdesign_exercises=exercises_hook(tmp_path / "pkg", pack="future")),))
    assert about(kit, "future") == ["future:circuit_breaker: metadata format 99, this kit reads 1"]


def test_exercises_hook_registers_like_a_pack(tmp_path):
    copy_exercise(tmp_path)
    kit = build_kit(load_packs=False, extra_plugins=(
        pack_module("cb", sysdesign_exercises=exercises_hook(tmp_path / "pkg", pack="cb")),))
    assert about(kit, "cb") == []
    assert kit.exercise("circuit_breaker").pack == "cb"
    assert kit.slugs[-1] == "circuit_breaker", "order 500 puts it after the core exercises"


# -- slug clashes --------------------------------------------------------------------------------
def _claiming(name, *exercises):
    return pack_module(name, sysdesign_exercises=hookimpl(lambda: list(exercises)))


def test_a_pack_claiming_a_core_slug_is_named_as_the_clash():
    core = build_kit(load_packs=False).exercise("hashing")
    kit = build_kit(load_packs=False, extra_plugins=(_claiming("thief", replace(core, pack="thief")),))
    assert slug_clashes(kit) == ["pack 'thief': exercise 'hashing' clashes with the core exercise of that slug"]
    assert any("'thief'" in p and "clashes" in p for p in kit.problems)


def test_two_packs_claiming_one_slug_is_a_clash(tmp_path):
    copy_exercise(tmp_path)
    one = pack_module("one", sysdesign_exercises=exercises_hook(tmp_path / "pkg", pack="one"))
    two = pack_module("two", sysdesign_exercises=exercises_hook(tmp_path / "pkg", pack="two"))
    kit = build_kit(load_packs=False, extra_plugins=(one, two))
    assert slug_clashes(kit) == ["pack 'two': exercise 'circuit_breaker' clashes with pack 'one'"]
    assert len([e for e in kit.exercises if e.slug == "circuit_breaker"]) == 1
    assert any("clashes" in p and "'one'" in p and "'two'" in p for p in kit.problems)


def test_the_first_registered_owner_keeps_a_clashing_slug():
    core = build_kit(load_packs=False).exercise("hashing")
    kit = build_kit(load_packs=False, extra_plugins=(_claiming("thief", replace(core, pack="thief")),))
    assert kit.exercise("hashing").pack == "core"
    assert about(kit, "thief") == ["pack 'thief': exercise 'hashing' clashes with pack 'core'; skipped"]


# -- cluster extensions --------------------------------------------------------------------------
def _fault(cluster, *args, **params):
    return "fault"


def _service(cluster, name, **params):
    return "service"


def _extending(name, answer):
    def hook():
        if isinstance(answer, BaseException):
            raise answer
        return answer

    return pack_module(name, sysdesign_cluster_extensions=hookimpl(hook))


def test_cluster_extensions_merge_every_pack():
    kit = build_kit(load_packs=False, extra_plugins=(
        _extending("a", {"faults": {"brownout": _fault}}),
        _extending("b", {"services": {"queue": _service}, "faults": {"clock_jump": _fault}}),
        _extending("quiet", None),
    ))
    merged = cluster_extensions(kit)
    assert merged == {"faults": {"brownout": _fault, "clock_jump": _fault}, "services": {"queue": _service},
                      "problems": []}


def test_cluster_extension_clashes_and_mistakes_are_one_line_each():
    kit = build_kit(load_packs=False, extra_plugins=(
        _extending("first", {"faults": {"brownout": _fault}}),
        _extending("second", {"faults": {"brownout": _fault, "crash": _fault}, "services": {"etcd": _service}}),
        _extending("typo", {"fault": {}}),
        _extending("uncallable", {"services": {"queue": "not a factory"}}),
        _extending("raising", RuntimeError("boom")),
    ))
    merged = cluster_extensions(kit)
    assert merged["faults"] == {"brownout": _fault} and merged["services"] == {}
    assert merged["problems"] == [
        "pack 'second': cluster fault 'brownout' clashes with pack 'first'; skipped",
        "pack 'second': cluster fault 'crash' clashes with the built-in fault of that name; skipped",
        "pack 'second': cluster service 'etcd' clashes with the built-in service of that name; skipped",
        "pack 'typo': sysdesign_cluster_extensions() must return {'faults': {...}, 'services': {...}}, "
        "got ['fault']; skipped",
        "pack 'uncallable': cluster service 'queue' is str, not callable; skipped",
        "pack 'raising': sysdesign_cluster_extensions() raised RuntimeError: boom; its cluster extensions "
        "are skipped",
    ]


def test_the_example_pack_extends_a_real_cluster(clock, tmp_path, monkeypatch):
    import requests

    monkeypatch.syspath_prepend(str(EXAMPLE_PACK / "src"))

    from sysdesign.cluster import Cluster
    from sysdesign_pack_circuit_breaker import plugin  # noqa: F401  (importable from the checkout)

    kit = build_kit(load_packs=False, extra_plugins=(pack_module("circuit-breaker", **{
        "sysdesign_cluster_extensions": plugin.sysdesign_cluster_extensions}),))
    extensions = cluster_extensions(kit)
    assert extensions["problems"] == []
    with Cluster(1, clock=clock, base_path=tmp_path, extensions=extensions) as cluster:
        backend = cluster.add_service("flaky_backend", "backend")
        assert requests.get("http://backend/items/7", timeout=1).json() == {"id": "7"}
        cluster.fault("http_errors", "backend", status=503, duration=5.0)
        assert requests.get("http://backend/items/7", timeout=1).status_code == 503
        cluster.run_for(5.0)
        assert requests.get("http://backend/items/7", timeout=1).status_code == 200
        assert backend.requests == 3
