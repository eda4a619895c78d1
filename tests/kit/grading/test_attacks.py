"""Grading attacks seen in the wild: none of them moves a submission's score away from what
honest code earns.

Every attack in the first part is the pristine ``hashing`` stub (honest score: 0, every test
"not started") plus one trick. They are graded together in one ``grade_batch`` run with the
reference and the honest stub beside them, so each test also shows the batch goes on past a
broken submission. The second part speaks the grading protocol by hand, as learner code in the
worker can (batch reads, deferred calls, conversations, constants and live containers).
"""

from __future__ import annotations

import csv
import json
import os as _os
import sqlite3
import textwrap
from pathlib import Path

import pytest
from greenlet import greenlet

from sysdesign.grade import channel as grade_channel
from sysdesign.grade.batch import grade_batch
from sysdesign.grade.codec import TAG
from sysdesign.grade.deciding_channel import DecidingChannel
from sysdesign.grade.framing import Pipe, ProtocolError
from sysdesign.grade.proxies import _CHANNELS, BoundRemoteMethod, Proxy, _is_verdict
from sysdesign.grade.remote_errors import RemoteError
from sysdesign.grade.worker_errors import WorkerCrashed
from sysdesign.grade.grader import GradeOptions

from .conftest import STUB, write_submission

ZERO_STATUSES = {"not_started", "failed", "error", "crashed", "timed_out", "out_of_memory"}
REPORTS_LEAK_PROBE = "all-points"
STUB_BODY = STUB.replace("from __future__ import annotations\n", "")  # for code placed before the stub

FORCE_PASS_CONFTEST = textwrap.dedent('''
    import pytest

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(item, call):
        outcome = yield
        report = outcome.get_result()
        report.outcome = "passed"
        report.longrepr = None
''')

RESULTS_WRITER = textwrap.dedent('''
    import atexit, json, os

    FAKE = {{"format": 1, "implementation": "{marker}", "points": 36, "max_points": 36, "exercises": []}}
    TARGETS = [{json_path!r}, {canary!r}]

    def _from_command_lines():
        found = []
        for pid in os.listdir("/proc"):
            try:
                with open(f"/proc/{{pid}}/cmdline", "rb") as fh:
                    args = fh.read().decode(errors="replace").split("\\0")
            except OSError:
                continue
            for i, arg in enumerate(args[:-1]):
                if arg in ("--json", "--gradescope", "--exercism", "--out"):
                    found.append(args[i + 1])
        return found

    def _overwrite():
        for path in TARGETS + _from_command_lines():
            try:
                with open(path, "w") as fh:
                    json.dump(FAKE, fh)
            except OSError:
                pass
        try:
            if os.fork() == 0:  # a daemon that would write after the grader finished
                os.setsid()
                _overwrite()
                os._exit(0)
        except OSError:
            pass

    _overwrite()
    atexit.register(_overwrite)
''')

EQ_TRICKS = textwrap.dedent('''
    import os

    RIGGED = {rigged}  # the honest twin is the same code without the rigged methods

    class _AlwaysEqual:
        if RIGGED:
            def __eq__(self, other):
                return True
            def __ne__(self, other):
                return False
            def __hash__(self):
                return 0
            def __reduce__(self):
                return (os.system, ("touch {canary}",))

    class _AlwaysEqualStr(str):
        if RIGGED:
            def __eq__(self, other):
                return True
            __hash__ = str.__hash__

    class _AlwaysEqualList(list):
        if RIGGED:
            def __eq__(self, other):
                return True

    def stable_hash(key):
        return _AlwaysEqual()

    class ModHashing:
        def __init__(self, nodes=()):
            self.nodes = list(nodes)
        def add_node(self, node):
            self.nodes.append(node)
        def remove_node(self, node):
            self.nodes.remove(node)
        def node_for(self, key):
            return _AlwaysEqualStr("nobody")

    class ConsistentHashRing(ModHashing):
        def __init__(self, nodes=(), vnodes=100):
            super().__init__(nodes)
        def add_node(self, node, weight=1):
            self.nodes.append(node)
        def points(self):
            return _AlwaysEqualList()
''')


def attacks(tmp: Path) -> dict[str, dict[str, str]]:
    canary = str(tmp / "canary")
    json_path = str(tmp / "reports" / "results_file_writer.json.json")
    return {
        "honest_stub": {"hashing.py": STUB},
        "os_exit_at_import": {"hashing.py": STUB + "\nimport os\nos._exit(0)\n"},
        "system_exit_at_import": {"hashing.py": STUB + "\nraise SystemExit(0)\n"},
        "conftest_report_hook": {"hashing.py": STUB, "conftest.py": FORCE_PASS_CONFTEST},
        "pytest_ini_collect_only": {"hashing.py": STUB, "pytest.ini": "[pytest]\naddopts = --co\n",
                                    "setup.cfg": "[tool:pytest]\naddopts = --co\n"},
        "conftest_system_exit": {"hashing.py": STUB, "conftest.py": "raise SystemExit(0)\n"},
        "skip_from_learner_code": {"hashing.py": STUB + textwrap.dedent('''
            import pytest

            def _skip(*args, **kwargs):
                pytest.skip("free points")

            stable_hash = ModHashing = ConsistentHashRing = RendezvousHashing = _skip
        ''')},
        "monkeypatch_at_import": {"hashing.py": STUB + textwrap.dedent('''
            import contextlib
            import _pytest.runner, pytest
            import sysdesign.results, sysdesign.messages
            sysdesign.messages.expect_equal = lambda *a, **k: None
            sysdesign.messages.expect_true = lambda *a, **k: None
            sysdesign.results.TestResult.points = property(lambda self: self.max_points)
            pytest.raises = lambda *a, **k: contextlib.nullcontext()
            _pytest.runner.call_and_report = lambda *a, **k: None
        ''')},
        "results_file_writer": {"hashing.py": STUB + RESULTS_WRITER.format(marker=REPORTS_LEAK_PROBE,
                                                                          json_path=json_path, canary=canary)},
        "infinite_loop": {"hashing.py": STUB + textwrap.dedent('''
            import sys

            def stable_hash(key):
                if sys.argv[:1] == ["-c"]:  # the suite's fresh interpreters: fail fast there
                    raise NotImplementedError("task 1")
                while True:
                    pass
        ''')},
        "memory_bomb": {"hashing.py": STUB + textwrap.dedent('''
            def stable_hash(key):
                hoard = []
                while True:
                    hoard.append(bytearray(50_000_000))
        ''')},
        "fork_bomb": {"hashing.py": textwrap.dedent('''
            import os
            children = 0
            try:
                while children < 10_000:
                    if os.fork() == 0:
                        while True:
                            pass
                    children += 1
            except OSError:
                pass
        ''') + STUB_BODY},
        "enormous_output": {"hashing.py": textwrap.dedent('''
            import sys
            try:
                for _ in range(320):  # 20 MB: more than any file a learner process may write
                    sys.stdout.write("spam" * 16384)
            except OSError:
                pass
        ''') + STUB_BODY + textwrap.dedent('''
            def stable_hash(key):
                print("eggs" * 100_000)
                raise NotImplementedError("task 1: implement stable_hash")
        ''')},
        "forged_frames": {"hashing.py": STUB + textwrap.dedent('''
            import sys

            def stable_hash(key):
                channel = next(iter(sys.modules["sysdesign.grade.proxies"]._CHANNELS.values()))
                me = channel.conversation()
                # a reply for another conversation, then one to a request never made
                channel.pipe.send({"c": me + 1, "r": 1, "ok": 0})
                channel.pipe.send({"c": me, "r": 10**6, "ok": 0})
                return 0
        ''')},
        "eq_tricks": {"hashing.py": STUB + EQ_TRICKS.format(canary=canary, rigged=True)},
        "eq_tricks_honest_twin": {"hashing.py": STUB + EQ_TRICKS.format(canary=canary, rigged=False)},
        "empty_submission": {},
        "syntax_error": {"hashing.py": "def stable_hash(key)\n    return 1\n"},
    }


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("attacks")
    root = tmp / "submissions"
    root.mkdir()
    for name, files in attacks(tmp).items():
        write_submission(root, name, files)
    out = tmp / "gradebook.csv"
    # The timeout bounds the infinite-loop attack; it leaves honest code ample room on a busy machine.
    options = GradeOptions(exercises=["hashing"], timeout=20, memory_mb=256, jobs=2)
    rows = grade_batch(root, options, out, report_dirs={"json": tmp / "reports"})
    return {"rows": {row.name: row for row in rows}, "csv": out, "tmp": tmp}


def hashing_max(batch) -> float:
    """The hashing suite's maximum: its expected tests' points, as the honest stub's report has them."""
    return sum(t.max_points for e in batch["rows"]["honest_stub"].report.exercises for t in e.tests)


def statuses(row) -> dict[str, str]:
    return {t.nodeid: t.status for e in row.report.exercises for t in e.tests}


def assert_zero(batch, name: str, allowed=ZERO_STATUSES) -> dict[str, str]:
    row = batch["rows"][name]
    assert row.points == 0, (name, row.points, row.problem)
    got = statuses(row)
    assert got and set(got.values()) <= allowed, (name, sorted(set(got.values())))
    assert len(got) == len(statuses(batch["rows"]["honest_stub"])), "every expected test has one result"
    return got


def test_the_honest_stub_is_not_started_everywhere(batch):
    honest = batch["rows"]["honest_stub"]
    assert set(statuses(honest).values()) == {"not_started"}
    assert honest.points == 0 and honest.max_points == hashing_max(batch) > 0


def test_os_exit_at_import_scores_zero(batch):
    got = assert_zero(batch, "os_exit_at_import")
    assert set(got.values()) == {"crashed"}
    assert "exit code 0" in batch["rows"]["os_exit_at_import"].report.exercises[0].error


def test_system_exit_at_import_is_a_load_error(batch):
    assert set(assert_zero(batch, "system_exit_at_import").values()) == {"error"}
    assert "SystemExit" in batch["rows"]["system_exit_at_import"].report.exercises[0].error


@pytest.mark.parametrize("name", ["conftest_report_hook", "pytest_ini_collect_only", "conftest_system_exit",
                                  "monkeypatch_at_import"])
def test_submission_files_and_patches_never_reach_the_deciding_process(batch, name):
    assert assert_zero(batch, name) == statuses(batch["rows"]["honest_stub"])


def test_skip_from_learner_code_is_a_failure_not_a_skip(batch):
    got = assert_zero(batch, "skip_from_learner_code")
    assert "skipped" not in got.values() and "failed" in got.values()


def test_results_file_cannot_be_written_by_learner_code(batch):
    assert_zero(batch, "results_file_writer")
    written = json.loads((batch["tmp"] / "reports" / "results_file_writer.json.json").read_text())
    assert written["implementation"] != REPORTS_LEAK_PROBE and written["points"] == 0
    assert not (batch["tmp"] / "canary").exists()
    gradebook = {r["submission"]: r for r in csv.DictReader(batch["csv"].open())}
    assert gradebook["results_file_writer"]["total"] == "0"


def test_infinite_loop_times_out_the_rest_of_the_exercise(batch):
    got = assert_zero(batch, "infinite_loop")
    assert "timed_out" in got.values()
    assert "passed" not in got.values()


def test_memory_bomb_is_out_of_memory(batch):
    assert "out_of_memory" in assert_zero(batch, "memory_bomb").values()


def test_fork_bomb_gets_no_process(batch):
    assert assert_zero(batch, "fork_bomb") == statuses(batch["rows"]["honest_stub"])


def test_enormous_output_is_cut(batch):
    assert_zero(batch, "enormous_output")
    report = (batch["tmp"] / "reports" / "enormous_output.json.json").read_text()
    assert len(report) < 300_000
    messages = [t.message for e in batch["rows"]["enormous_output"].report.exercises for t in e.tests]
    assert any("output cut" in m for m in messages)
    assert max(len(m) for m in messages) < 8_000


def test_forged_protocol_frames_crash_the_worker_never_hang_the_grader(batch):
    got = assert_zero(batch, "forged_frames")
    assert "crashed" in got.values() and "passed" not in got.values()
    messages = [t.message for e in batch["rows"]["forged_frames"].report.exercises for t in e.tests]
    assert any("broke the grading protocol" in m for m in messages), messages


def test_objects_with_rigged_eq_or_reduce_compare_as_data(batch):
    """Rigged ``__eq__``/``__reduce__`` earn nothing over the same code without them (a wrong
    ring that owns every key as "nobody" does pass one test honestly: nothing ever moves)."""
    rigged, twin = batch["rows"]["eq_tricks"], batch["rows"]["eq_tricks_honest_twin"]
    assert rigged.points == twin.points < hashing_max(batch)
    twin_statuses = statuses(twin)
    for nodeid, status in statuses(rigged).items():
        assert status != "passed" or twin_statuses[nodeid] == "passed", nodeid
    assert "failed" in statuses(rigged).values()
    assert not (batch["tmp"] / "canary").exists()


def test_a_broken_submission_never_stops_the_batch(batch):
    for name in ("empty_submission", "syntax_error"):
        assert set(assert_zero(batch, name).values()) == {"error"}
    gradebook = list(csv.DictReader(batch["csv"].open()))
    assert [r["submission"] for r in gradebook] == sorted(batch["rows"])
    assert {r["max_total"] for r in gradebook} == {f"{hashing_max(batch):g}"}
    assert "file not found" in {r["submission"]: r["problems"] for r in gradebook}["empty_submission"]


# -- the channel itself: a worker that writes its own messages ----------------------------------
# Learner code shares the worker's process with the channel (``proxies._CHANNELS``), so it can send
# any frame it likes. The tests below put the deciding process's end of a channel on two pipes
# and write the "worker's" frames by hand: each attack must end as the threat model says (an
# error the suite sees, or the worker declared crashed), never as a read, a write or a verdict it
# could not get through the ordinary requests, and never as a hang.

class _Provider:
    """What a DecidingChannel asks of its provider, without a process."""

    memory_mb = 64
    channel: DecidingChannel | None = None

    def fail(self, error):
        if self.channel.dead is None:
            self.channel.dead = error
        return error

    def exit_error(self):
        return WorkerCrashed("the worker exited")


class _Raw:
    """The worker's end, written by hand: frames go out at once; what the deciding side sent
    is read without blocking."""

    def __init__(self, rfd: int, wfd: int) -> None:
        _os.set_blocking(rfd, False)
        self.pipe = Pipe(rfd, wfd)

    def send(self, **msg) -> None:
        self.pipe.send(msg)

    def received(self) -> list[dict]:
        out = []
        while True:
            try:
                out.append(self.pipe.recv())
            except BlockingIOError:
                return out


@pytest.fixture
def wire():
    to_deciding_r, to_deciding_w = _os.pipe()
    to_worker_r, to_worker_w = _os.pipe()
    provider = _Provider()
    channel = provider.channel = DecidingChannel(Pipe(to_deciding_r, to_worker_w), provider)
    yield channel, _Raw(to_worker_r, to_deciding_w)
    _CHANNELS.pop(channel.number, None)
    for fd in (to_deciding_r, to_deciding_w, to_worker_r, to_worker_w):
        _os.close(fd)


class SuiteThing:
    """A suite object handed to learner code."""

    def __init__(self) -> None:
        self._secret = "the answer key"
        self.public = 1
        self.ran: list = []
        self.settings: dict = {"level": 1}

    def send(self, dest, body) -> None:
        self.ran.append(("send", dest, body))

    def crash(self) -> None:
        self.ran.append(("crash",))

    def _hidden(self) -> None:
        self.ran.append(("hidden",))


class Deferring(SuiteThing):
    sysdesign_remote_deferred = ("send", "_hidden")


def handle(channel: DecidingChannel, obj) -> int:
    """A handle for ``obj`` as learner code would hold it (the suite passed ``obj`` to it)."""
    return channel.codec.encode(obj)["h"]


def ask(channel: DecidingChannel, raw: _Raw, *frames: dict, ok=None):
    """The suite calls learner code; the worker answers with ``frames`` then the reply ``ok``.
    Returns (the call's value or exception, what the deciding side sent the worker after its
    request)."""
    c = channel.conversation()
    for frame in frames:
        raw.send(**{"c": c, **frame})
    raw.send(c=c, r=_next_id(channel), ok=ok)
    try:
        value = channel.request("call", h=1, a=[], k={})
    except BaseException as exc:  # noqa: BLE001
        value = exc
    return value, raw.received()[1:]


def _next_id(channel: DecidingChannel) -> int:
    rid = next(channel._ids)
    channel._ids = iter(range(rid, 1 << 62))  # the request about to be sent takes this id
    return rid


def assert_crashed(channel: DecidingChannel, value) -> None:
    assert isinstance(value, WorkerCrashed), value
    assert "broke the grading protocol" in str(value)
    assert channel.dead is value


def test_a_batch_from_the_worker_keeps_the_rules_of_single_requests(wire):
    channel, raw = wire
    thing = SuiteThing()
    h = handle(channel, thing)
    conn = sqlite3.connect(":memory:")
    hc = handle(channel, conn)
    for items in ([{"op": "getattr", "h": h, "n": "public"}, {"op": "getattr", "h": h, "n": "_secret"}],
                  [{"op": "call", "h": h, "n": "_hidden", "a": [], "k": {}}],
                  [{"op": "call", "h": h, "n": "__setattr__", "a": ["public", 2], "k": {}}],
                  [{"op": "call", "h": hc, "n": "enable_load_extension", "a": [True], "k": {}}],
                  [{"op": "getattr", "h": hc, "n": "load_extension"}]):
        value, sent = ask(channel, raw, {"i": 1, "op": "batch", "b": items})
        assert value is None and channel.dead is None
        [answer] = sent
        assert answer["r"] == 1 and answer["err"]["type"] == "AttributeError", answer
        assert "the answer key" not in json.dumps(sent)
    assert thing.public == 1 and thing.ran == []
    conn.close()


@pytest.mark.parametrize("item", [
    {"op": "batch", "b": []},  # no nesting
    {"op": "setattr", "n": "public", "v": 2},
    {"op": "delattr", "n": "public"},
    {"op": "sleep", "s": 1},
    {"op": "http", "m": "GET", "u": "http://example.com/"},
    "getattr",
])
def test_a_batch_carries_only_reads_and_calls(wire, item):
    channel, raw = wire
    thing = SuiteThing()
    if isinstance(item, dict):
        item = {"h": handle(channel, thing), **item}
    value, _ = ask(channel, raw, {"i": 1, "op": "batch", "b": [item]})
    assert_crashed(channel, value)
    assert thing.public == 1


def test_a_batch_is_bounded(wire, monkeypatch):
    channel, raw = wire
    monkeypatch.setattr(grade_channel, "BATCH_LIMIT", 3)  # the real limit's frame would not fit this test's pipe
    h = handle(channel, SuiteThing())
    value, _ = ask(channel, raw, {"i": 1, "op": "batch", "b": [{"op": "getattr", "h": h, "n": "public"}] * 4})
    assert_crashed(channel, value)


@pytest.mark.parametrize("call", [
    {"n": "crash"},  # public, but not deferrable
    {"n": "__init__"},
    {"n": "send", "plain": True},  # deferrable on a node, not on this class
    {"n": "send", "h": 10_000},  # a handle learner code never got
    {"n": "not an identifier"},
])
def test_deferred_calls_run_only_what_a_class_lists(wire, call):
    channel, raw = wire
    thing = SuiteThing() if call.get("plain") else Deferring()
    h = call.get("h", handle(channel, thing))
    value, _ = ask(channel, raw, {"dq": [{"h": h, "n": call["n"], "a": [], "k": {}}]})
    assert_crashed(channel, value)
    assert thing.ran == []


@pytest.mark.parametrize("queue", [{"h": 1}, [["send"]], [{"n": "send"}]])
def test_a_malformed_deferred_queue_is_a_crash(wire, queue):
    channel, raw = wire
    value, _ = ask(channel, raw, {"dq": queue})
    assert_crashed(channel, value)


def test_deferred_calls_keep_the_rules_of_single_calls(wire):
    """A class listing a private name defers nothing private: the call is refused as a request
    would be, and the learner call that queued it fails with that error."""
    channel, raw = wire
    thing = Deferring()
    value, _ = ask(channel, raw, {"dq": [{"h": handle(channel, thing), "n": "_hidden", "a": [], "k": {}}]})
    assert isinstance(value, AttributeError) and channel.dead is None
    assert thing.ran == []


def test_a_deferred_error_fails_the_call_that_queued_it_and_only_that_one(wire):
    channel, raw = wire
    thing = Deferring()
    h = handle(channel, thing)
    value, _ = ask(channel, raw, {"dq": [{"h": h, "n": "send", "a": ["b"], "k": {}}]}, ok=7)  # a missing argument
    assert isinstance(value, TypeError) and "body" in str(value)
    value, _ = ask(channel, raw, {"dq": [{"h": h, "n": "send", "a": ["b", 1], "k": {}}]}, ok=8)
    assert value == 8 and thing.ran == [("send", "b", 1)]


def test_the_deciding_side_never_defers_its_calls_to_learner_code(wire):
    """A method tag that says ``defer`` from the worker is an ordinary method: the suite's call
    to learner code is a round trip whose error or answer it sees."""
    channel, raw = wire
    tag = {TAG: "meth", "h": 3, "n": "put", "c": 1, "tn": "Cache", "cache": True, "defer": True}
    method = channel.codec.decode(tag)
    assert type(method) is BoundRemoteMethod
    assert ("put" not in str(channel._deferred))


@pytest.mark.parametrize("forged", [
    {"mod": "_pytest.outcomes", "qual": "Skipped", "type": "Skipped", "base": "BaseException"},
    {"mod": "_pytest.outcomes", "qual": "XFailed", "type": "XFailed", "base": "Exception"},
    {"mod": "builtins", "qual": "SystemExit", "type": "SystemExit", "base": "BaseException"},
    {"mod": "builtins", "qual": "KeyboardInterrupt", "type": "KeyboardInterrupt", "base": "BaseException"},
    {"mod": "sysdesign.grade.worker_errors", "qual": "WorkerTimedOut", "type": "WorkerTimedOut", "base": "Exception"},
])
def test_a_forged_error_is_an_ordinary_learner_exception(wire, forged):
    channel, raw = wire
    c = channel.conversation()
    raw.send(c=c, r=_next_id(channel), err={**forged, "msg": "free points", "args": ["free points"], "attrs": {}})
    with pytest.raises(Exception) as caught:
        channel.request("call", h=1, a=[], k={})
    assert isinstance(caught.value, RemoteError) and not _is_verdict(caught.value)
    assert channel.dead is None


def test_a_message_of_another_conversation_is_a_crash_not_a_reply(wire):
    channel, raw = wire
    other = greenlet(channel.conversation).switch()  # a suspended cluster task's conversation
    c = channel.conversation()
    assert other != c
    for frame in ({"c": other, "r": _next_id(channel), "ok": 41},
                  {"c": other, "i": 1, "op": "getattr", "h": 1, "n": "public"},
                  {"r": _next_id(channel), "ok": 41},  # no conversation at all
                  {"c": str(c), "r": _next_id(channel), "ok": 41}):
        channel.dead = None
        raw.send(**frame)
        try:
            value = channel.request("call", h=1, a=[], k={})
        except BaseException as exc:  # noqa: BLE001
            value = exc
        assert_crashed(channel, value)
        raw.received()


def test_a_reply_to_another_request_is_a_crash(wire):
    channel, raw = wire
    c = channel.conversation()
    raw.send(c=c, r=_next_id(channel) + 5, ok=41)
    try:
        value = channel.request("call", h=1, a=[], k={})
    except BaseException as exc:  # noqa: BLE001
        value = exc
    assert_crashed(channel, value)


def test_a_silent_worker_ends_as_its_exit_never_a_hang(wire):
    """The watchdog kills a worker that stops answering: the blocked read ends with the
    worker's exit as the test's error (here the worker's end closes)."""
    channel, raw = wire
    _os.close(raw.pipe.wfd)
    _os.dup2(_os.open(_os.devnull, _os.O_WRONLY), raw.pipe.wfd)  # keep the fixture's close valid
    with pytest.raises(WorkerCrashed, match="exited"):
        channel.request("call", h=1, a=[], k={})


def test_constants_and_deferral_only_travel_from_the_deciding_side(wire):
    """A reference from the worker carrying "constants" or a deciding-side handle is not
    trusted: the constants are ignored, and a handle resolves to the real suite object."""
    channel, raw = wire
    thing = SuiteThing()
    h = handle(channel, thing)
    proxy = channel.codec.decode({TAG: "ref", "o": "w", "h": 77, "c": 1, "n": "Node", "k": {"name": "n1"}})
    assert isinstance(proxy, Proxy) and channel._constants == {}
    assert channel.codec.decode({TAG: "ref", "o": "d", "h": h, "k": {"public": 5}}) is thing
    assert thing.public == 1


def test_a_node_name_is_constant_and_cannot_be_set(wire):
    from sysdesign.cluster.node import Node

    channel, raw = wire
    node = Node.__new__(Node)
    node.name = "n1"
    tag = channel.codec.encode(node)
    assert tag["k"] == {"name": "n1"}
    value, sent = ask(channel, raw, {"i": 1, "op": "setattr", "h": tag["h"], "n": "name", "v": "n2"})
    assert sent[0]["err"]["type"] == "AttributeError" and node.name == "n1"


def test_only_a_nodes_memory_and_its_nested_containers_are_live(wire):
    """A suite dict read by learner code is a copy, and nothing read out of it is live; a
    container read out of a node's memory is live, and writing it changes that container only."""
    from sysdesign.cluster.node import Node

    channel, raw = wire
    thing = SuiteThing()
    h = handle(channel, thing)
    node = Node.__new__(Node)
    node.name, node.memory = "n1", {"log": [1]}
    hn = handle(channel, node)
    value, sent = ask(channel, raw, {"i": 1, "op": "getattr", "h": h, "n": "settings"},
                      {"i": 2, "op": "getattr", "h": hn, "n": "memory"})
    settings, memory = sent[0]["ok"], sent[1]["ok"]
    assert settings == {"level": 1}  # data: no handle to write through
    assert memory["kind"] == "live"
    value, sent = ask(channel, raw, {"i": 3, "op": "call", "h": memory["h"], "n": "get", "a": ["log"], "k": {}})
    log = sent[0]["ok"]
    assert log["kind"] == "live"
    # Writes through a live handle reach that container only; a handle of the suite's dict was
    # never sent, and naming one is refused.
    value, sent = ask(channel, raw, {"i": 4, "op": "call", "h": log["h"], "n": "append", "a": [2], "k": {}},
                      {"i": 5, "op": "op", "h": h, "n": "setitem", "a": ["level", 9]},
                      {"i": 6, "op": "call", "h": h, "n": "__getattribute__", "a": ["settings"], "k": {}})
    assert node.memory == {"log": [1, 2]}
    assert sent[1]["err"]["type"] == "TypeError" and sent[2]["err"]["type"] == "AttributeError"
    assert thing.settings == {"level": 1}
    # A read of a live container that is not one of the nested reads is a copy.
    value, sent = ask(channel, raw, {"i": 7, "op": "call", "h": memory["h"], "n": "copy", "a": [], "k": {}})
    assert sent[0]["ok"] == {"log": [1, 2]}


def test_a_short_batch_reply_is_refused(wire):
    """A worker answering a batch of reads with fewer values than reads (so that a suite's
    ``zip`` over them checks nothing) breaks the protocol; it earns nothing."""
    from sysdesign.reads import contains, length, read_all

    channel, raw = wire
    cache = channel._proxy_for(5, None, "Cache")
    raw.send(c=channel.conversation(), r=_next_id(channel), ok=[])
    with pytest.raises(ProtocolError, match="3 reads answered with 0 values"):
        read_all(cache, [contains("a"), contains("b"), length()])


def test_stored_pieces_takes_only_bytes_from_the_worker(wire):
    """The worker's answer to ``walk.stored_pieces`` is taken only as [path, bytes]: an int
    never makes the grader allocate that many bytes."""
    from sysdesign import walk

    channel, raw = wire
    blob = channel._proxy_for(5, None, "BlobStore")
    raw.send(c=channel.conversation(), r=_next_id(channel), ok=[[[], 50_000_000]])
    with pytest.raises(TypeError, match="not \\[path, bytes\\]"):
        walk.stored_pieces({"store": blob})
