"""The virtual clock: one freezegun freeze per test (or per cluster), moved forward in exact
microseconds, never backwards.

Learner code reads time the normal way (``time.time()``, ``time.monotonic()``,
``datetime.now()``) and sees virtual time. ``time.sleep(s)`` advances the virtual clock by
``s`` instead of blocking, so a 30-second lease costs microseconds of real time.
"""

from __future__ import annotations

import datetime as _dt
import time
from collections.abc import Callable

#: Virtual time starts here (a whole second, UTC), so boundaries like ``t0 + 10`` are exact.
EPOCH = _dt.datetime(2026, 1, 5, 9, 0, 0)
EPOCH_SECONDS = float((EPOCH - _dt.datetime(1970, 1, 1)).total_seconds())

#: Modules that must keep the real clock: pytest's durations and the harness's wall clock.
IGNORE = ("_pytest.timing", "harness.wallclock")

_MICRO = 1_000_000


def to_micros(seconds: float) -> int:
    """Seconds (int or float) to whole microseconds, rounded to the nearest."""
    return round(seconds * _MICRO)


def late_bound_sleep(seconds: float) -> None:
    """``time.sleep`` looked up at call time (stands in for ``from time import sleep``)."""
    time.sleep(seconds)


class VirtualClock:
    """Virtual time for learner code and the simulated cluster.

    ``now()`` is virtual seconds since the clock started; ``time()`` the epoch time learner code
    sees. Use as a context manager, or ``start()`` / ``stop()``.
    """

    def __init__(self, start: _dt.datetime = EPOCH) -> None:
        self._start = start
        self._start_epoch = (start - _dt.datetime(1970, 1, 1)).total_seconds()
        self.micros = 0
        self._freezer = None
        self._factory = None
        self._real_sleep: Callable[[float], None] | None = None
        #: Called with the seconds a ``time.sleep`` asked for; the cluster routes it to its
        #: event loop. Default: advance this clock.
        self.on_sleep: Callable[[float], None] = self.tick

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> VirtualClock:
        if self._freezer is not None:
            return self
        from freezegun import freeze_time  # imported on first use: most pytest runs never need it

        self._freezer = freeze_time(self._start, ignore=list(IGNORE))
        self._factory = self._freezer.start()
        self._real_sleep = time.sleep
        time.sleep = self._sleep
        self._apply()
        return self

    def stop(self) -> None:
        if self._freezer is None:
            return
        time.sleep = self._real_sleep
        self._freezer.stop()
        self._freezer = self._factory = None

    def __enter__(self) -> VirtualClock:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._freezer is not None

    # -- reading ---------------------------------------------------------------------------
    def now(self) -> float:
        """Virtual seconds since this clock started."""
        return self.micros / _MICRO

    def time(self) -> float:
        """The epoch seconds learner code sees from ``time.time()``."""
        return self._start_epoch + self.micros / _MICRO

    # -- moving ----------------------------------------------------------------------------
    def tick(self, seconds: float) -> None:
        """Advance by ``seconds`` (exact to the microsecond)."""
        step = to_micros(seconds)
        if step < 0:
            raise ValueError(f"the virtual clock never goes back (tick({seconds!r}))")
        self.micros += step
        self._apply()

    def advance_to_micros(self, micros: int) -> None:
        """Move to ``micros`` since the start; a time in the past is an error."""
        if micros < self.micros:
            raise ValueError(f"the virtual clock never goes back ({micros} < {self.micros} us)")
        self.micros = micros
        self._apply()

    def show(self, micros: int) -> None:
        """Make learner-visible clocks read ``micros`` since the start without moving this clock
        (a node with a skewed clock sees its own time while it runs)."""
        if self._factory is not None:
            self._factory.time_to_freeze = self._start + _dt.timedelta(microseconds=micros)

    def _apply(self) -> None:
        self.show(self.micros)

    def _sleep(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("sleep length must be non-negative")
        self.on_sleep(seconds)
