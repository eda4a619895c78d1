"""The virtual clock: what learner code sees, and how it moves."""

from __future__ import annotations

import datetime
import time

import pytest

from harness.clock import EPOCH, EPOCH_SECONDS, VirtualClock


def test_learner_visible_clocks_start_at_the_epoch(clock):
    assert time.time() == EPOCH_SECONDS
    assert datetime.datetime.utcnow() == EPOCH
    assert clock.now() == 0.0


def test_tick_moves_every_clock_exactly(clock):
    t0, m0 = time.time(), time.monotonic()
    clock.tick(10)
    assert time.time() - t0 == 10.0
    assert time.monotonic() - m0 == 10.0
    clock.tick(0.25)
    assert time.time() == t0 + 10.25
    assert clock.now() == 10.25


def test_sleep_advances_virtual_time_instead_of_blocking(clock):
    start = time.monotonic()
    time.sleep(3600)  # an hour of virtual time; a real sleep would hang the suite
    assert time.monotonic() - start == 3600.0
    with pytest.raises(ValueError):
        time.sleep(-1)


def test_the_clock_never_goes_back(clock):
    clock.tick(5)
    with pytest.raises(ValueError):
        clock.tick(-1)
    with pytest.raises(ValueError):
        clock.advance_to_micros(1)


def test_on_sleep_can_be_routed_elsewhere(clock):
    asked = []
    clock.on_sleep = asked.append
    time.sleep(2.5)
    assert asked == [2.5] and clock.now() == 0.0


def test_leaving_restores_real_time():
    real_sleep = time.sleep
    with VirtualClock() as virtual:
        virtual.tick(100)
        assert time.sleep is not real_sleep
    assert time.sleep is real_sleep
    assert abs(time.time() - datetime.datetime.now().timestamp()) < 60
    assert not virtual.running
