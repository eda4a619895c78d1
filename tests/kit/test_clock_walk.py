"""Entering a clock replaces the clock functions every loaded module holds, whatever the walk
leaves out (sysdesign.clock: modules read before and found holding none are skipped)."""

from __future__ import annotations

import sys
import time
import types

from sysdesign.clock import VirtualClock


def _module(name: str, **names: object) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__dict__.update(names)
    sys.modules[name] = module
    return module


def test_a_module_that_holds_a_clock_function_sees_the_virtual_clock_every_time():
    holder = _module("kit_walk_holder", now=time.time)
    try:
        for _ in range(3):
            with VirtualClock() as clock:
                clock.tick(5)
                assert holder.now() == clock.time()
            assert holder.now is time.time
    finally:
        del sys.modules["kit_walk_holder"]


def test_a_module_read_empty_that_binds_a_clock_function_later_is_read_again():
    late = _module("kit_walk_late", other=1)
    try:
        with VirtualClock():
            pass
        late.now = time.monotonic  # a new name: the namespace changed size
        with VirtualClock() as clock:
            clock.tick(2)
            assert late.now is time.monotonic  # both freezegun's fake now
            assert late.now() == clock.time()
        assert late.now is time.monotonic
    finally:
        del sys.modules["kit_walk_late"]


def test_a_module_imported_during_a_clock_gets_the_real_clock_back():
    with VirtualClock():
        fresh = _module("kit_walk_fresh", now=time.time)
    try:
        assert fresh.now is time.time
        with VirtualClock() as clock:
            assert fresh.now() == clock.time()
    finally:
        del sys.modules["kit_walk_fresh"]
