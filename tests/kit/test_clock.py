"""The virtual clock: what learner code sees, and how it moves."""

from __future__ import annotations

import datetime
import sys
import time

import pytest

from sysdesign.clock import EPOCH, EPOCH_SECONDS, VirtualClock


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


def test_the_kits_wall_clock_and_pytests_timing_stay_real_inside_a_clock():
    import _pytest.timing

    from sysdesign import wallclock

    with VirtualClock() as clock:
        clock.tick(3600)
        assert abs(_pytest.timing.time() - time_module_real()) < 60  # pytest's durations: real
        before = wallclock.wall_seconds()
        assert 0 <= wallclock.wall_seconds() - before < 60
        assert time.time() == clock.time()  # learner code: virtual, with no stack walk


def time_module_real() -> float:
    import freezegun.api

    return freezegun.api.real_time()


def test_leaving_restores_real_time():
    real_sleep = time.sleep
    with VirtualClock() as virtual:
        virtual.tick(100)
        assert time.sleep is not real_sleep
    assert time.sleep is real_sleep
    assert abs(time.time() - datetime.datetime.now().timestamp()) < 60
    assert not virtual.running


# -- threads: one clock, one thread ---------------------------------------------------------------
def _start_a_thread() -> None:
    import threading

    threading.Timer(0.01, lambda: None).start()


def _start_a_low_level_thread() -> None:
    import _thread

    _thread.start_new_thread(lambda: None, ())


@pytest.mark.parametrize("starter", [_start_a_thread, _start_a_low_level_thread], ids=["Timer", "_thread"])
def test_code_under_a_clock_may_not_start_threads(starter):
    from sysdesign.clock import ThreadsRefused

    with VirtualClock():
        with pytest.raises(ThreadsRefused, match="may not start threads") as refused:
            starter()
    message = str(refused.value)
    assert "test_clock.py:" in message, "the message names the line that started the thread"
    assert "virtual clock" in message and "sysdesign grade" in message
    assert isinstance(refused.value, RuntimeError), "what Python raises when a thread cannot start"


def test_refusal_nests_and_ends_with_the_last_clock():
    import threading

    original = threading.Thread.start
    with VirtualClock(), VirtualClock():
        assert threading.Thread.start is not original
    assert threading.Thread.start is original
    thread = threading.Thread(target=lambda: None)
    thread.start()  # allowed again once no clock runs
    thread.join()


def test_threads_the_kit_starts_are_not_refused():
    import threading

    started = []
    kit_code = compile("thread = threading.Thread(target=started.append, args=(1,))\nthread.start()\nthread.join()",
                       "harness/fake.py", "exec")
    with VirtualClock():
        exec(kit_code, {"__name__": "sysdesign.fake", "threading": threading, "started": started})
    assert started == [1]


def test_a_timer_thread_library_fails_the_same_way_every_time():
    """A store that expires keys from a background timer (as limits' MemoryStorage does) would
    see the real clock in its thread and race the test; refused, it fails alike on every run."""
    import threading

    class TimerExpiringStore:
        def __init__(self):
            self.data, self.timer = {}, None

        def incr(self, key):
            if self.timer is None:
                self.timer = threading.Timer(0.01, self.data.clear)
                self.timer.start()
            self.data[key] = self.data.get(key, 0) + 1
            return self.data[key]

    outcomes = set()
    for _ in range(5):
        with VirtualClock():
            try:
                TimerExpiringStore().incr("k")
            except RuntimeError as exc:
                outcomes.add(str(exc).split(" called from ")[0])
    assert outcomes == {"threading: Timer.start()"}


def test_the_grading_worker_refuses_threads_with_the_same_message(tmp_path):
    from sysdesign import wallclock
    from sysdesign.exercise import Exercise
    from sysdesign.grade.worker_provider import WorkerProvider

    (tmp_path / "threads.py").write_text(
        "import threading\n\ndef start():\n    threading.Timer(0.01, print).start()\n", encoding="utf-8")
    exercise = Exercise(slug="threads", title="threads", order=0, summary="", components=("start",), tasks=(),
                        stub=tmp_path / "threads.py", reference=tmp_path / "threads.py", suite=tmp_path)
    provider = WorkerProvider(tmp_path, deadline=wallclock.wall_seconds() + 60, memory_mb=256, timeout=60,
                              output_path=tmp_path / "output.txt", scratch=tmp_path / "scratch")
    try:
        module = provider.load(exercise)
        with pytest.raises(RuntimeError, match="may not start threads") as refused:
            module.start()
        assert "threads.py:4" in str(refused.value)
    finally:
        provider.stop()


def test_graded_tests_refuse_threads_without_a_clock_too(pytester, tmp_path):
    """Parsing needs no clock, but the grading worker refuses threads everywhere: in-process
    grading says the same thing, so a submission does not pass here and fail there."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    folder = tmp_path / "impl"
    folder.mkdir()
    (folder / "http_basics.py").write_text(
        "import threading\nfrom solutions import http_basics as _reference\nfrom solutions.http_basics import *\n\n"
        "def parse_request(data):\n    threading.Thread(target=print).start()\n    return _reference.parse_request(data)\n",
        encoding="utf-8")
    result = pytester.runpytest_inprocess(str(root / "tests" / "http_basics" / "test_parse_request.py"), "--impl",
                                          str(folder), "-p", "no:cacheprovider", "-q")
    out = result.stdout.str()
    assert result.ret != 0 and "may not start threads" in out and "http_basics.py:6" in out, out[-2000:]


def test_a_refused_thread_in_an_http_handler_reaches_the_test(tmp_path):
    """Not a 500 answer that hides why: the refusal propagates to the caller, like an unfinished stub."""
    import requests

    from sysdesign.clock import ThreadsRefused
    from sysdesign.cluster import Cluster

    with Cluster(seed=1, base_path=tmp_path) as cluster:
        node = cluster.add_node("web")
        node.route("GET", "/", lambda req: _start_a_thread() or (200, {}, "ok"))
        with pytest.raises(ThreadsRefused, match="may not start threads"):
            requests.get("http://web/", timeout=1)


# -- entering cheaply: one walk's memory, each test's own freeze ----------------------------------
def _real_clock_everywhere() -> list[str]:
    """What still shows a frozen clock: an empty list once no clock runs."""
    import freezegun.api as api

    wrong = []
    if api.freeze_factories:
        wrong.append(f"{len(api.freeze_factories)} freeze(s) still entered")
    for name in ("time", "monotonic", "perf_counter", "time_ns", "monotonic_ns"):
        if getattr(time, name) is not getattr(api, f"real_{name}"):
            wrong.append(f"time.{name} is {getattr(time, name)!r}")
    if datetime.datetime is not api.real_datetime or datetime.date is not api.real_date:
        wrong.append("datetime.datetime / datetime.date are freezegun's")
    return wrong


def test_a_module_imported_during_a_clock_sees_virtual_time(tmp_path, monkeypatch):
    """``from time import time`` binds whatever ``time.time`` is at import: while a clock runs
    that is the virtual clock, and leaving the clock gives the module the real one back."""
    import importlib

    (tmp_path / "imported_mid_test.py").write_text(
        "from time import monotonic, time\nfrom datetime import datetime\n\n"
        "def stamps():\n    return time(), monotonic(), datetime.utcnow()\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "imported_mid_test", raising=False)
    with VirtualClock() as virtual:
        virtual.tick(1.5)
        module = importlib.import_module("imported_mid_test")
        wall, mono, utc = module.stamps()
        assert wall == EPOCH_SECONDS + 1.5 and utc == EPOCH + datetime.timedelta(seconds=1.5), \
            f"a module imported under the clock read time() = {wall}, utcnow() = {utc}; expected the epoch + 1.5 s"
        time.sleep(2)
        assert module.stamps()[1] - mono == 2.0, "time.sleep(2) moves the imported module's monotonic() by 2 s"
    assert module.time is time.time and module.monotonic is time.monotonic, \
        "leaving the clock gives the module imported under it the real time functions back"
    assert abs(module.time() - datetime.datetime.now().timestamp()) < 60
    with VirtualClock():  # and the next clock (its walk remembered) finds the module again
        assert module.stamps()[0] == EPOCH_SECONDS, "the next clock starts at the epoch, in that module too"


def test_a_module_that_gains_a_clock_alias_is_read_again(tmp_path, monkeypatch):
    """The walk remembers what each module held; a module whose namespace changed since (a new
    name, or a new module object under the same name) is read again."""
    import types

    module = types.ModuleType("gains_an_alias")
    module.unrelated = 1
    monkeypatch.setitem(sys.modules, "gains_an_alias", module)
    with VirtualClock():
        pass  # the walk reads (and remembers) the module without a clock alias
    module.now = time.monotonic  # the real monotonic, bound after that walk
    with VirtualClock() as virtual:
        virtual.tick(7)
        assert module.now is time.monotonic, "a clock alias added since the last walk is replaced as well"
    assert module.now is time.monotonic
    replacement = types.ModuleType("gains_an_alias")
    replacement.unrelated, replacement.clock = 1, time.time  # as many names as the first one once had
    monkeypatch.setitem(sys.modules, "gains_an_alias", replacement)
    with VirtualClock():
        assert replacement.clock() == EPOCH_SECONDS, "a new module object under a known name is read again"
    assert replacement.clock is time.time


def test_two_modules_under_one_name_are_each_remembered(monkeypatch):
    """``_io`` and ``io`` (so ``_decimal`` and ``decimal``) share a ``__name__``: remembered by
    name, each would push the other out and be read again at every clock."""
    import types

    import freezegun.api as api

    twins = []
    for key in ("twin", "_twin"):
        twin = types.ModuleType("twin")
        twin.clock = time.time
        monkeypatch.setitem(sys.modules, key, twin)
        twins.append(twin)
    with VirtualClock():
        assert [twin.clock() for twin in twins] == [EPOCH_SECONDS, EPOCH_SECONDS]
    read = []
    setup = api._setup_module_cache
    monkeypatch.setattr(api, "_setup_module_cache", lambda module: (read.append(module), setup(module))[1])
    with VirtualClock():
        assert [twin.clock() for twin in twins] == [EPOCH_SECONDS, EPOCH_SECONDS]
    assert not [module for module in read if module in twins], "each twin was read once, at the first clock"
    assert [twin.clock for twin in twins] == [time.time, time.time]


def test_entering_a_clock_is_cheap_after_the_first(monkeypatch):
    """freezegun's own walk lists every loaded module's names again on each entry (tens of ms in
    a pytest run); the remembered walk costs a small fraction of that."""
    import freezegun.api as api

    import sysdesign.clock as clock_module
    from sysdesign import wallclock

    def best_of(runs: int) -> float:
        costs = []
        for _ in range(runs):
            started = wallclock.wall_seconds()
            with VirtualClock():
                pass
            costs.append(wallclock.wall_seconds() - started)
        return min(costs)

    with VirtualClock():
        pass
    remembered = best_of(7)
    monkeypatch.setattr(api, "_get_cached_module_attributes", api._get_cached_module_attributes.__wrapped__)
    monkeypatch.setattr(clock_module, "use_module_scan_cache", lambda: None)
    own = best_of(3)
    assert remembered * 3 < own, (
        f"entering and leaving a clock took {remembered * 1000:.2f} ms at best, freezegun's own walk "
        f"{own * 1000:.2f} ms; expected the remembered walk to cost under a third of it")


def test_no_freeze_leaks_from_a_clock_test_into_the_next(pytester):
    """Tests in one run: a clock test, a test without one (the real clock everywhere, pytest's
    durations real), another clock test (back at the epoch, not where the first one stopped)."""
    pytester.makepyfile(test_sequence="""
        import datetime, importlib, sys, time

        from sysdesign.clock import EPOCH_SECONDS
        from tests.kit.test_clock import _real_clock_everywhere

        def test_first(clock, tmp_path, monkeypatch):
            (tmp_path / "late_import.py").write_text("from time import time\\n")
            monkeypatch.syspath_prepend(str(tmp_path))
            assert importlib.import_module("late_import").time() == EPOCH_SECONDS
            sys.modules["late_import_kept"] = sys.modules.pop("late_import")
            time.sleep(3600)
            assert time.time() == EPOCH_SECONDS + 3600

        def test_without_a_clock():
            assert _real_clock_everywhere() == []
            assert sys.modules["late_import_kept"].time is time.time
            assert time.time() > EPOCH_SECONDS + 3600 * 24 * 30
            assert abs(datetime.datetime.now().timestamp() - time.time()) < 60
            before = time.monotonic()
            time.sleep(0.01)
            assert time.monotonic() - before >= 0.01, "a real sleep"

        def test_second(clock):
            assert time.time() == EPOCH_SECONDS and clock.now() == 0.0
            assert sys.modules["late_import_kept"].time() == EPOCH_SECONDS
    """)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-q", "--durations=0", "--durations-min=0",
                                          "-p", "no:randomly", f"--rootdir={pytester.path}")
    out = result.stdout.str()
    assert result.ret == 0, out[-3000:]
    assert "3 passed" in out, out[-3000:]
    assert "3600" not in out.split("slowest durations")[-1], "pytest's durations stay on the real clock"
    assert _real_clock_everywhere() == []
