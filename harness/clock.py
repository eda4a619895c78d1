"""The virtual clock: one freezegun freeze per test (or per cluster), moved forward in exact
microseconds, never backwards.

Learner code reads time the normal way (``time.time()``, ``time.monotonic()``,
``datetime.now()``) and sees virtual time. ``time.sleep(s)`` advances the virtual clock by
``s`` instead of blocking, so a 30-second lease costs microseconds of real time. Entering a
clock costs about a millisecond (freezegun's walk over loaded modules remembers what it found:
:func:`use_module_scan_cache`), and leaving it restores the real clock everywhere.

One clock means one thread. freezegun shows a thread the real clock (``threading`` is on its
default ignore list, and every thread's stack starts there), and a thread runs at moments no
test controls: a library with a background timer thread (``limits``' in-memory storage expires
keys that way) would make results change from run to run. So while a clock runs, code under
test may not start threads: ``threading.Thread.start`` (``Timer``, thread pools) and
``_thread.start_new_thread`` raise :class:`ThreadsRefused`, one message everywhere. The kit's
plugin refuses them during every test too, and the grading worker always does, so pytest,
``sysdesign check`` and ``sysdesign grade`` agree. Threads the kit itself starts (code in
``harness``, ``plugins`` or pytest) are not refused.
"""

from __future__ import annotations

import _thread
import calendar
import contextlib
import datetime as _dt
import functools
import sys
import threading
import time
import weakref
from collections.abc import Callable, Iterator

#: Virtual time starts here (a whole second, UTC), so boundaries like ``t0 + 10`` are exact.
EPOCH = _dt.datetime(2026, 1, 5, 9, 0, 0)
EPOCH_SECONDS = float((EPOCH - _dt.datetime(1970, 1, 1)).total_seconds())

#: Modules that must keep the real clock: pytest's durations and the harness's wall clock.
IGNORE = ("_pytest.timing", "sysdesign.wallclock")

_MICRO = 1_000_000
MICROS_PER_SECOND = _MICRO  # the public name: modules that count virtual time in microseconds import it


def to_micros(seconds: float) -> int:
    """Seconds (int or float) to whole microseconds, rounded to the nearest."""
    return round(seconds * _MICRO)


def late_bound_sleep(seconds: float) -> None:
    """``time.sleep`` looked up at call time (stands in for ``from time import sleep``)."""
    time.sleep(seconds)


# -- threads ---------------------------------------------------------------------------------------
class ThreadsRefused(RuntimeError):
    """Code under test tried to start a thread (see the module docstring)."""


def is_threads_refused(exc: BaseException) -> bool:
    """Whether ``exc`` is a :class:`ThreadsRefused`, raised here or in the grading worker (where
    it comes back as a stand-in class that names it)."""
    return isinstance(exc, ThreadsRefused) or \
        getattr(type(exc), "remote_type", None) == f"{__name__}.{ThreadsRefused.__qualname__}"


#: Modules whose threads are the kit's own business, never refused.
KIT_MODULES = ("sysdesign.", "_pytest.", "pytest", "pluggy.")

THREADS_REFUSED = (
    "{what} called from {where} was refused: code under test may not start threads. The suite runs on a "
    "virtual clock that a thread would not follow (a thread reads the real clock and runs at moments no test "
    "controls), so results would change from run to run; `sysdesign grade` refuses threads as well. Do the "
    "work in the calling thread (expire an entry when it is read, flush when the next call comes), or on a "
    "cluster timer (node.set_timer / node.every) where the exercise runs in the cluster. A library that "
    "starts a background thread (for example limits' MemoryStorage, which expires keys from a timer thread) "
    "cannot be used here."
)

_refusing = 0
_saved_starters: dict[str, Callable] = {}


def _refuse_unless_kit(what: str, depth: int = 2) -> None:
    frame = sys._getframe(depth)
    module = str(frame.f_globals.get("__name__", ""))
    if module.startswith(KIT_MODULES) or module in ("pytest", "sysdesign"):
        return
    raise ThreadsRefused(THREADS_REFUSED.format(what=what, where=f"{frame.f_code.co_filename}:{frame.f_lineno}"))


def refuse_threads() -> None:
    """Refuse threads started by code under test until the matching :func:`allow_threads`
    (calls nest: the last ``allow_threads`` restores the real starters)."""
    global _refusing
    _refusing += 1
    if _refusing > 1:
        return
    original_start = threading.Thread.start

    @functools.wraps(original_start)
    def start(self: threading.Thread) -> None:
        _refuse_unless_kit(f"threading: {type(self).__name__}.start()")
        original_start(self)

    _saved_starters["Thread.start"] = original_start
    threading.Thread.start = start  # type: ignore[method-assign]
    for name in ("start_new_thread", "start_new"):
        original = getattr(_thread, name, None)
        if original is None:
            continue

        def low_level(*args, _original=original, _name=name, **kwargs):
            _refuse_unless_kit(f"_thread.{_name}()")
            return _original(*args, **kwargs)

        _saved_starters[name] = original
        setattr(_thread, name, low_level)


def allow_threads() -> None:
    """Undo one :func:`refuse_threads`."""
    global _refusing
    if _refusing == 0:
        return
    _refusing -= 1
    if _refusing:
        return
    threading.Thread.start = _saved_starters.pop("Thread.start")  # type: ignore[method-assign]
    for name in ("start_new_thread", "start_new"):
        if name in _saved_starters:
            setattr(_thread, name, _saved_starters.pop(name))


@contextlib.contextmanager
def threads_refused() -> Iterator[None]:
    """``with threads_refused():`` refuse threads started by code under test inside the block."""
    refuse_threads()
    try:
        yield
    finally:
        allow_threads()


# -- entering freezegun cheaply ------------------------------------------------------------------------
#: Per module object (by id): (a weak reference to the module, the size of its namespace, the
#: time functions it held when freezegun last read it).
_module_scans: dict[int, tuple[Callable[[], object], int, list]] = {}


def _freezegun() -> Callable:
    """``freezegun.freeze_time``, with freezegun's walk over loaded modules made cheap once per
    process (:func:`use_module_scan_cache`)."""
    from freezegun import freeze_time

    use_module_scan_cache()
    _remember_timegm()
    return freeze_time


def use_module_scan_cache() -> None:
    """Make entering freezegun cost about a millisecond instead of tens.

    Entering a freeze visits every loaded module to replace the time functions it holds
    (``from time import time``). freezegun remembers what each module holds, but checks that
    memory with ``dir(module)``, which builds and sorts a list of every name: over the ~1,000
    modules of a pytest run, 15-35 ms per clock, about a third of a test's cost on a stub. This
    memory is checked instead by the module object's identity and the size of its namespace: a
    module that gains or loses a name, or a new module under a known name, is read again. (One
    case freezegun would catch and this does not: a module that drops one name and binds another
    between two clocks, the new one a clock function. A name held already and rebound to a
    clock function is missed by both: neither compares values.) Entering and leaving are
    otherwise freezegun's own: ``time.time`` and the rest are replaced, so a module imported
    during a freeze sees the virtual clock, and leaving restores the real one everywhere, in
    modules imported meanwhile too.
    """
    import freezegun.api as api

    original = getattr(api, "_get_cached_module_attributes", None)
    if original is None or getattr(original, "_kit_cached", False):
        return  # a freezegun without the hook (its own walk then runs), or installed already

    def module_attributes(module: object) -> list:
        try:
            size = len(module.__dict__)  # type: ignore[attr-defined]
        except (AttributeError, TypeError):
            return original(module)
        key = id(module)  # not the name: _io and io, _decimal and decimal share one
        seen = _module_scans.get(key)
        if seen is not None and seen[1] == size and seen[0]() is module:
            return seen[2]
        found = original(module)
        try:
            ref = weakref.ref(module, lambda _ref, key=key: _module_scans.pop(key, None))
        except TypeError:  # an object without weak references in sys.modules: not remembered
            return found
        _module_scans[key] = (ref, size, found)
        return found

    module_attributes._kit_cached = True  # type: ignore[attr-defined]
    module_attributes.__wrapped__ = original  # type: ignore[attr-defined]
    api._get_cached_module_attributes = module_attributes
    if getattr(api, "sys", None) is sys:
        api.sys = _SysForFreezegun()  # type: ignore[attr-defined]


class _ModulesToWalk:
    """``sys.modules`` as freezegun's walk sees it: every name for ``keys()`` and ``get()`` (what
    a freeze restores when it ends), but ``items()`` leaves out the modules this cache has read
    and found holding no clock function, namespace unchanged since: freezegun would visit each
    only to get an empty list back. Its loop did that for each of the ~1,500 modules of the
    references' run at every clock (a fifth of a millisecond per 300 modules), this one at
    about a third of the cost."""

    @staticmethod
    def keys():  # noqa: ANN205 - sys.modules' own view
        return sys.modules.keys()

    @staticmethod
    def get(name: str, default: object = None) -> object:
        return sys.modules.get(name, default)

    @staticmethod
    def items() -> list:
        api = sys.modules.get("freezegun.api")
        if not getattr(getattr(api, "_get_cached_module_attributes", None), "_kit_cached", False):
            return list(sys.modules.items())  # freezegun's own memory is back: its own walk
        scans = _module_scans
        walk = []
        for name, module in list(sys.modules.items()):
            seen = scans.get(id(module))
            if seen is not None and not seen[2]:
                try:
                    if seen[1] == len(module.__dict__) and seen[0]() is module:
                        continue
                except (AttributeError, TypeError):
                    pass
            walk.append((name, module))
        return walk


class _SysForFreezegun:
    """freezegun.api's ``sys``: the real one, but for ``modules`` (see :class:`_ModulesToWalk`)."""

    modules = _ModulesToWalk()

    def __getattr__(self, name: str) -> object:
        return getattr(sys, name)


class _Shown:
    """freezegun's factory for a running :class:`VirtualClock`, in place of its own: the moment
    to show, kept in microseconds and made into a datetime when a clock is first read at it
    (the cluster moves the clock at almost every event; many moves are never read)."""

    __slots__ = ("start", "micros", "_at")

    def __init__(self, start: _dt.datetime) -> None:
        self.start = start
        self.micros = 0
        self._at: _dt.datetime | None = start

    def show(self, micros: int) -> None:
        if micros != self.micros:
            self.micros, self._at = micros, None

    def __call__(self) -> _dt.datetime:
        at = self._at
        if at is None:
            at = self._at = self.start + _dt.timedelta(microseconds=self.micros)
        return at

    @property
    def time_to_freeze(self) -> _dt.datetime:
        return self()


class _Calendar:
    """``calendar`` as freezegun.api sees it: ``timegm`` remembers its last answer. freezegun
    turns the shown moment into seconds with ``calendar.timegm(moment.timetuple())`` at every
    ``time.time()``, ``time.monotonic()`` and ``time.perf_counter()`` (hypothesis reads the last
    two at every draw), mostly for the moment it converted last."""

    def __init__(self) -> None:
        self._last: tuple[tuple, int] = ((), 0)

    def timegm(self, tt: tuple) -> int:
        last = self._last
        if tt == last[0]:
            return last[1]
        seconds = calendar.timegm(tt)
        self._last = (tt, seconds)
        return seconds

    def __getattr__(self, name: str) -> object:
        return getattr(calendar, name)


def _remember_timegm() -> None:
    """Every clock read converts the shown moment to seconds (see :class:`_Calendar`), about half
    a million times in the references' run: ``calendar.timegm`` remembers its last answer."""
    import freezegun.api as api

    if getattr(api, "calendar", None) is calendar:
        api.calendar = _Calendar()  # type: ignore[attr-defined]


def skip_stack_checks() -> None:
    """Let every clock call inside the freeze just entered skip freezegun's stack walk.

    freezegun uses its ignore list twice: entering leaves the clock functions that ignored
    modules hold unreplaced (``_pytest.timing`` and :mod:`sysdesign.wallclock` keep real time
    that way), and every ``time.time()`` made through the ``time`` module walks five frames to
    see whether an ignored module called it. The kit's ignored modules read time only through
    the functions they hold, so the walk never changes an answer; it cost about a tenth of the
    references' run (half a million clock reads). An empty entry makes freezegun skip it."""
    import freezegun.api as api

    lists = getattr(api, "ignore_lists", None)
    if lists:
        lists[-1] = ()


def _show_lazily(start: _dt.datetime) -> _Shown:
    """Put a :class:`_Shown` in place of the factory freezegun's start just made (the last
    one: a freeze inside another adds one), and return it."""
    import freezegun.api as api

    shown = _Shown(start)
    api.freeze_factories[-1] = shown
    return shown


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
        freeze_time = _freezegun()  # imported on first use: most pytest runs never need it
        self._freezer = freeze_time(self._start, ignore=list(IGNORE))
        self._freezer.start()
        self._factory = _show_lazily(self._start)
        skip_stack_checks()
        self._real_sleep = time.sleep
        time.sleep = self._sleep
        refuse_threads()
        self._apply()
        return self

    def stop(self) -> None:
        if self._freezer is None:
            return
        time.sleep = self._real_sleep
        allow_threads()
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
            self._factory.show(micros)

    def _apply(self) -> None:
        self.show(self.micros)

    def _sleep(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("sleep length must be non-negative")
        self.on_sleep(seconds)
