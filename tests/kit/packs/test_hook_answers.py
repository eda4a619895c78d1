"""The kit asks each plugin for its exercises and cluster extensions once; every later reader
(slug clashes, ``dev check``'s pack names, the cluster's extensions) reuses that record."""

from __future__ import annotations

from dataclasses import replace

import pytest

from sysdesign.commands.cmd_dev import pack_name_problems
from sysdesign.hookspecs import hookimpl
from sysdesign.packs import cluster_extensions
from sysdesign.plugin_manager import build_kit
from sysdesign.selfcheck import slug_clashes

CORE_HASHING = build_kit(load_packs=False).exercise("hashing")


def _fault(cluster, **params):
    return "fault"


class _Counting:
    """A pack that counts how often the kit asks it."""

    def __init__(self) -> None:
        self.calls = {"sysdesign_exercises": 0, "sysdesign_cluster_extensions": 0}

    @hookimpl
    def sysdesign_exercises(self):
        self.calls["sysdesign_exercises"] += 1
        return iter([replace(CORE_HASHING, pack="counting")])  # a one-shot iterable: read once

    @hookimpl
    def sysdesign_cluster_extensions(self):
        self.calls["sysdesign_cluster_extensions"] += 1
        return {"faults": {"brownout": _fault}}


class _Raising:
    @hookimpl
    def sysdesign_exercises(self):
        raise RuntimeError("metadata file missing")

    @hookimpl
    def sysdesign_cluster_extensions(self):
        raise RuntimeError("no faults today")


def test_each_plugin_is_asked_once_per_kit():
    counting = _Counting()
    kit = build_kit(load_packs=False, extra_plugins=(counting,))
    for _ in range(2):
        assert slug_clashes(kit) == ["pack 'counting': exercise 'hashing' clashes with the core exercise of that slug"]
        pack_name_problems(kit)
        assert cluster_extensions(kit)["faults"] == {"brownout": _fault}
    assert counting.calls == {"sysdesign_exercises": 1, "sysdesign_cluster_extensions": 1}


def test_a_raising_plugin_costs_one_line_and_the_others_still_count():
    counting = _Counting()
    kit = build_kit(load_packs=False, extra_plugins=(_Raising(), counting))
    assert sum("metadata file missing" in p for p in kit.problems) == 1
    assert kit.exercise("hashing") is not None
    merged = cluster_extensions(kit)
    assert merged["faults"] == {"brownout": _fault}
    assert len(merged["problems"]) == 1 and "raised RuntimeError: no faults today" in merged["problems"][0]
    answers = kit.hook_answers("sysdesign_exercises")
    assert [type(a.error).__name__ for a in answers if a.error is not None] == ["RuntimeError"]
    assert counting.calls == {"sysdesign_exercises": 1, "sysdesign_cluster_extensions": 1}


def test_only_the_recorded_hooks_are_recorded():
    with pytest.raises(ValueError, match="sysdesign_write_report is not recorded"):
        build_kit(load_packs=False).hook_answers("sysdesign_write_report")
