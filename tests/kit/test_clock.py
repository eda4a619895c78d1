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


# -- threads: one clock, one thread ---------------------------------------------------------------
def _start_a_thread() -> None:
    import threading

    threading.Timer(0.01, lambda: None).start()


def _start_a_low_level_thread() -> None:
    import _thread

    _thread.start_new_thread(lambda: None, ())


@pytest.mark.parametrize("starter", [_start_a_thread, _start_a_low_level_thread], ids=["Timer", "_thread"])
def test_code_under_a_clock_may_not_start_threads(starter):
    from harness.clock import ThreadsRefused

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
        exec(kit_code, {"__name__": "harness.fake", "threading": threading, "started": started})
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
    from harness import wallclock
    from harness.exercise import Exercise
    from harness.grade.provider import WorkerProvider

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

    from harness.clock import ThreadsRefused
    from harness.cluster import Cluster

    with Cluster(seed=1, base_path=tmp_path) as cluster:
        node = cluster.add_node("web")
        node.route("GET", "/", lambda req: _start_a_thread() or (200, {}, "ok"))
        with pytest.raises(ThreadsRefused, match="may not start threads"):
            requests.get("http://web/", timeout=1)
