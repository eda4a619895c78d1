"""The boundary itself: what crosses it and how (data, references, exceptions, time, HTTP),
what learner code in the worker may not do, and how the deciding side ends a runaway call."""

from __future__ import annotations

import os
import random
import sys
import textwrap
from pathlib import Path

import pytest
import requests
import responses

from sysdesign import wallclock
from sysdesign.clock import VirtualClock
from sysdesign.exercise import Exercise
from sysdesign.grade.channel import DEFER_LIMIT
from sysdesign.grade import codec as codec_module
from sysdesign.grade.codec import TAG, Codec, DecodeError, EncodeError
from sysdesign.grade.framing import HEADER, Pipe, ProtocolError
from sysdesign.grade.proxies import Proxy
from sysdesign.grade.remote_errors import RemoteError
from sysdesign.grade.worker_errors import WorkerLoadError, WorkerTimedOut
from sysdesign.grade.worker_provider import WorkerProvider
from sysdesign.reads import attr, call, call_each, contains, length, map_calls, read_all

PROBE = textwrap.dedent('''
    import collections, os, time
    import requests

    Row = collections.namedtuple("Row", "key value")

    class ProbeError(LookupError):
        def __init__(self, key):
            super().__init__(f"no {key!r}")
            self.key = key

    class Box:
        def __init__(self):
            self.items = []
            self.seen = {}
        def __len__(self):
            return len(self.items)
        def __contains__(self, item):
            return item in self.items

    class Shouty(str):
        def __eq__(self, other):
            return True
        __hash__ = str.__hash__

    def data():
        return {"tuple": (1, "a"), "set": {1, 2}, "bytes": b"\\x00\\xff", 3: [None, 1.5], "row": Row("k", 2),
                "shouty": Shouty("x")}

    def now():
        return time.time(), time.monotonic()

    def nap(seconds):
        time.sleep(seconds)
        return time.time()

    def use(db, key):
        db.put(key, db.get(key) + 1)
        return db.get(key)

    def peek(db, name):
        return getattr(db, name)

    def poke(db, name, value):
        setattr(db, name, value)

    def call(fn, *args):
        return fn(*args)

    def missing(key):
        raise ProbeError(key)

    def stub():
        raise NotImplementedError("task 1: implement stub")

    def fetch(url):
        try:
            answer = requests.get(url, timeout=2)
        except requests.ConnectionError:
            return "down"
        return answer.status_code, answer.text

    def write_file(path):
        with open(path, "w") as fh:
            fh.write("x")

    def fork():
        return os.fork()

    def spin():
        while True:
            pass

    def names(things):
        return [t.name for t in things]

    def rename(thing):
        thing.name = "changed"

    def chatter(node, n):
        body = {"n": 0}
        for i in range(n):
            body["n"] = i
            node.send("peer", body)
        node.mark("after")
        node.send("peer", "last")
        return "done"

    def napper(record, i):
        time.sleep(1.0)
        record.add(("woke", i))

    def keep_log(holder, item):
        holder.memory.setdefault("log", []).append(item)
        holder.memory["log"].append(item + 1)
        return len(holder.memory.get("log"))

    def sort_log(holder, reverse, keyed=True):
        log = holder.memory["log"]
        if keyed:
            log.sort(key=lambda item: item["at"], reverse=reverse)
        else:
            log.sort(reverse=reverse)
        return holder.memory["log"] == sorted(log, key=lambda item: item["at"], reverse=reverse)

    def sort_with(holder, name, key):
        getattr(holder.memory, "sort") if name == "dict" else holder.memory["log"].sort(key=key)

    def sync_put(node, peer, ack):
        node.send(peer, {"put": 1})
        return ack.result(timeout=1.0)

    def make_op(key):
        from sysdesign.cluster.services import etcd
        return etcd.put_op(key, 1)

    def is_real_kv(kv):
        from sysdesign.cluster.services import etcd
        return isinstance(kv, etcd.KeyValue) and kv.value

    def requests_protocol_checks():
        import requests
        return requests.utils._SupportsItems.__name__, requests.models._SupportsRead.__name__

    _held = []

    def read_node(node, times):
        _held[:] = [node]  # as a wiring's handlers hold their node
        return [(node.app, dict(node.memory), node.durable.get("disk")) for _ in range(times)][-1]

    def send_to(node, dest):
        node.send(dest, "x")
        return "returned"

    import contextvars
    _remembered = contextvars.ContextVar("remembered", default=None)

    def remember(value):
        previous = _remembered.get()
        _remembered.set(value)
        return previous

    def remember_into(record, value):
        record.add(("previous", remember(value)))
''')


def make_provider(tmp: Path, timeout: float = 60) -> tuple[WorkerProvider, Exercise]:
    (tmp / "probe.py").write_text(PROBE, encoding="utf-8")
    exercise = Exercise(slug="probe", title="probe", order=0, summary="", components=("Box", "data"), tasks=(),
                        stub=tmp / "probe.py", reference=tmp / "probe.py", suite=tmp)
    provider = WorkerProvider(tmp, deadline=wallclock.wall_seconds() + timeout, memory_mb=256, timeout=timeout,
                              output_path=tmp / "output.txt", scratch=tmp / "scratch")
    return provider, exercise


@pytest.fixture(scope="module")
def probe(tmp_path_factory):
    provider, exercise = make_provider(tmp_path_factory.mktemp("probe"))
    yield provider.load(exercise)
    provider.stop()


class FakeDB:
    def __init__(self):
        self.data = {"a": 1}
        self.reads = 0
        self._secret = "hunter2"

    def get(self, key):
        self.reads += 1
        return self.data[key]

    def put(self, key, value):
        self.data[key] = value


def test_a_random_generator_crosses_as_a_copy_of_its_state(probe):
    rng = random.Random("seed")
    rng.random()
    box = probe.Box()
    box.items.append(rng)  # to the worker and back: each side rebuilds the generator from its state
    back = box.items[0]
    assert type(back) is random.Random and back is not rng
    assert back.getstate() == rng.getstate() and back.random() == rng.random()


@pytest.mark.parametrize("state", [
    {TAG: "tuple", "v": [3, {TAG: "tuple", "v": [-1] * 625}, None]},
    {TAG: "tuple", "v": [3, {TAG: "tuple", "v": [1 << 40] * 625}, None]},
    {TAG: "tuple", "v": [3, {TAG: "tuple", "v": ["1"] * 625}, None]},
    {TAG: "tuple", "v": [3, {TAG: "tuple", "v": [1] * 3}, None]},
    {TAG: "tuple", "v": [3, [1] * 625, None]},
    {TAG: "tuple", "v": [3, {TAG: "tuple", "v": [1] * 625}, "x"]},
    [3, [1] * 625, None],
], ids=["negative", "too-large", "not-int", "too-short", "untagged", "bad-gauss", "not-a-tuple"])
def test_a_malformed_random_state_is_refused_as_a_decode_error(state):
    codec = Codec(lambda obj: {}, lambda tag: None)
    with pytest.raises(DecodeError):
        codec.decode({TAG: "random", "v": state})


def test_the_codec_learns_which_classes_go_by_reference_and_nothing_else():
    class Opaque:
        pass

    class Name(str):
        pass

    made = []
    codec = Codec(lambda obj: made.append(obj) or {TAG: "ref", "h": len(made)}, lambda tag: None)
    first, second = Opaque(), Opaque()
    assert codec.encode([first, second]) == [{TAG: "ref", "h": 1}, {TAG: "ref", "h": 2}] and made == [first, second]
    assert Opaque in codec_module._BY_REFERENCE
    codec.encode(Opaque)  # a class as a value goes by reference too, but its metaclass is not learned
    assert type not in codec_module._BY_REFERENCE and made[-1] is Opaque
    assert type(codec.encode(Name("x"))) is str  # subclasses of plain types stay plain data
    with pytest.raises(EncodeError):
        codec.encode_data(second)  # data only: a learned class is still refused


@pytest.mark.parametrize("body, problem", [(b'{"c":1}{}', "extra data"), (b'{"c":1} ', "extra data"),
                                           (b' {"c":1}', "not JSON"), (b'{"c":"\xff"}', "not JSON"),
                                           (b'[1]', "a JSON object")])
def test_a_frame_that_is_not_exactly_one_json_object_is_a_protocol_error(body, problem):
    read_end, write_end = os.pipe()
    try:
        os.write(write_end, len(body).to_bytes(HEADER, "big") + body)
        with pytest.raises(ProtocolError, match=problem):
            Pipe(read_end, write_end).recv()
    finally:
        os.close(read_end)
        os.close(write_end)


def test_data_crosses_as_plain_data(probe):
    got = probe.data()
    assert got == {"tuple": (1, "a"), "set": {1, 2}, "bytes": b"\x00\xff", 3: [None, 1.5], "row": ("k", 2), "shouty": "x"}
    box = probe.Box()
    box.items.extend("abcd")
    assert box.items[-3:] == ["b", "c", "d"] and box.items[::2] == ["a", "c"]  # slices cross as slices
    assert type(got["shouty"]) is str and got["shouty"] != "y"  # the learner's __eq__ stayed in the worker
    assert got["row"].key == "k"
    assert probe.__file__.endswith("probe.py")


def test_objects_stay_in_the_worker_and_compare_by_identity(probe):
    box = probe.Box()
    assert isinstance(box, Proxy) and type(box).__name__ == "Box"
    assert len(box) == 0 and "x" not in box and box == box and box != probe.Box()
    box.items.append("x")  # a learner object's list attribute is live: the suite may change it
    assert box.items == ["x"] and len(box) == 1 and "x" in box


def test_many_reads_cross_in_one_request_with_the_same_answers(probe, monkeypatch):
    box = probe.Box()
    box.items.extend(["a", "b"])
    reads = [contains("a"), contains("z"), length(), attr("seen"), call("__len__")]
    channel = box._ch
    sent = []
    real = channel.request
    monkeypatch.setattr(channel, "request", lambda op, **f: sent.append(op) or real(op, **f))
    got = read_all(box, reads)
    assert sent == ["batch"]
    assert got == [True, False, 2, {}, 2] == read_all(Box(["a", "b"]), reads)
    assert map_calls(box.__contains__, ["a", "q"]) == [True, False]
    assert read_all(probe, [call("call", len, "abc")]) == [3] and call_each(probe, "nap", [0]) != []  # module functions
    with pytest.raises(AttributeError):  # the first failing read ends the batch, as one by one
        read_all(box, [length(), attr("nope"), length()])


class Box:
    def __init__(self, items):
        self.items, self.seen = items, {}

    def __len__(self):
        return len(self.items)

    def __contains__(self, item):
        return item in self.items


class Named:
    sysdesign_remote_constant = ("name", "tags", "parent")

    def __init__(self, name):
        self.name, self.tags, self.parent = name, ["x"], object()
        self.reads = 0


def test_constant_attributes_travel_with_the_reference(probe, monkeypatch):
    things = [Named("a"), Named("b")]
    channel = probe.__dict__["_sysdesign_remote"]._ch
    served = []
    real = channel._h_getattr
    monkeypatch.setitem(channel.handlers, "getattr", lambda msg: served.append(msg["n"]) or real(msg))
    assert probe.names(things) == ["a", "b"]
    assert served == []  # read in the worker without a request
    with pytest.raises(AttributeError, match="may not set 'name'"):  # constant means constant
        probe.rename(things[0])
    assert things[0].name == "a"


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="requests' protocol checks are slow on Python 3.11 only")
def test_the_workers_requests_answers_its_protocol_checks_once_per_class(probe):
    assert probe.requests_protocol_checks() == ("_HasItems", "_HasRead")


def test_node_attributes_replaced_only_by_assignment_are_read_once_until_replaced(probe, cluster, monkeypatch):
    """``memory``, ``durable`` and ``app`` change only when assigned anew (a crash, a restart, a
    wipe): the worker keeps what it read of them until some node's were replaced."""
    node = cluster.add_node("n", start=lambda n: f"app {n.incarnation}")
    node.memory["k"], node.durable["disk"] = 1, "kept"
    channel = probe.__dict__["_sysdesign_remote"]._ch
    served = []
    real = channel._h_getattr
    monkeypatch.setitem(channel.handlers, "getattr", lambda msg: served.append(msg["n"]) or real(msg))
    assert probe.read_node(node, 5) == ("app 0", {"k": 1}, "kept")
    assert sorted(served) == ["app", "durable", "memory"]  # once each, not five times
    node.memory["k"] = 2  # the same dict, changed in place: read live
    assert probe.read_node(node, 1) == ("app 0", {"k": 2}, "kept") and len(served) == 3
    cluster.crash("n")
    cluster.restart("n")
    assert probe.read_node(node, 3) == ("app 1", {}, "kept")
    cluster.lose_disk("n")
    assert probe.read_node(node, 1) == (None, {}, None)
    node.app = "assigned"
    assert probe.read_node(node, 1)[0] == "assigned"
    assert len(served) == 12


class Outbox:
    sysdesign_remote_deferred = ("send",)

    def __init__(self):
        self.log = []

    def send(self, dest, body):
        if dest not in ("peer",):
            raise LookupError(f"no node {dest!r}")
        self.log.append((dest, body))

    def mark(self, what):
        self.log.append(what)


def test_calls_that_return_nothing_travel_with_the_next_message_in_order(probe, monkeypatch):
    node = Outbox()
    channel = probe.__dict__["_sysdesign_remote"]._ch
    served = []
    real = channel._h_call
    monkeypatch.setitem(channel.handlers, "call", lambda msg: served.append(msg.get("n")) or real(msg))
    assert probe.chatter(node, 3) == "done"
    # each body as it was when sent (encoded at the call), the other call in between in order
    assert node.log == [("peer", {"n": 0}), ("peer", {"n": 1}), ("peer", {"n": 2}), "after", ("peer", "last")]
    assert served == ["mark"]  # only the call that returns something was a round trip
    node.log.clear()
    probe.chatter(node, DEFER_LIMIT * 2 + 5)  # a long queue goes in pieces, still in order
    assert [b["n"] for _, b in node.log[:-2]] == list(range(DEFER_LIMIT * 2 + 5))
    with pytest.raises(LookupError, match="no node 'nowhere'"):  # an error surfaces at the caller's call
        probe.send_to(node, "nowhere")
    assert probe.send_to(node, "peer") == "returned"


class Holder:
    sysdesign_remote_live = ("memory",)

    def __init__(self):
        self.memory = {}


def test_containers_inside_a_live_container_are_live(probe):
    """``node.memory.setdefault("log", []).append(x)`` changes the node's memory in grading as it
    does in-process (the list read out of a live dict is live too)."""
    holder = Holder()
    assert probe.keep_log(holder, 1) == 2 and probe.keep_log(holder, 5) == 4
    assert holder.memory == {"log": [1, 2, 5, 6]}


def test_learner_code_sorts_a_live_list_in_place_as_list_sort_does(probe):
    """A live list sorted by a learner key is sorted in the worker and written back whole (no
    crossing per key): the node's list ends sorted, stable, reversed when asked; without a key
    (or with the suite's own key function) the list sorts itself on the deciding side."""
    holder = Holder()
    holder.memory["log"] = [{"at": 3, "n": "c"}, {"at": 1, "n": "a"}, {"at": 3, "n": "d"}, {"at": 2, "n": "b"}]
    log = holder.memory["log"]
    assert probe.sort_log(holder, False) is True
    assert holder.memory["log"] is log and [x["n"] for x in log] == ["a", "b", "c", "d"]
    assert probe.sort_log(holder, True) is True
    assert [x["n"] for x in log] == ["c", "d", "b", "a"]  # stable, as list.sort is
    with pytest.raises(ZeroDivisionError):
        probe.sort_with(holder, "list", lambda item: 1 / 0)  # the suite's key: sorted there
    with pytest.raises(TypeError):
        probe.sort_log(holder, False, keyed=False)  # dicts do not compare: list.sort's error
    assert [x["n"] for x in log] == ["c", "d", "b", "a"]  # its first comparison failed: unchanged
    with pytest.raises(AttributeError):
        probe.sort_with(holder, "dict", None)  # a live dict has no sort


def test_a_synchronous_put_in_learner_code_waits_for_its_ack(probe, cluster):
    """The threaded-server style in grading: learner code sends, then blocks on the ack's future;
    the node keeps receiving (the ack arrives) while that task is suspended."""
    a, b = cluster.add_node("a"), cluster.add_node("b")
    ack, results = cluster.future(), []
    b.on_message(lambda msg: b.send(msg.src, "ack"))
    a.on_message(lambda msg: ack.set_result(msg.body))
    a.spawn(lambda: results.append(probe.sync_put(a, "b", ack)))
    cluster.run_for(0.5)
    assert results == ["ack"] and cluster.errors == []


def test_kit_records_cross_by_value_as_their_own_class(probe):
    from sysdesign.cluster.services.etcd import KeyValue, Op

    op = probe.make_op("k")
    assert type(op) is Op and op == Op("put", "k", 1, 0)  # rebuilt here, not a proxy
    assert probe.is_real_kv(KeyValue("k", "v", 1, 2, 2)) == "v"  # and there


class Recorder:
    def __init__(self, cluster):
        self.cluster, self.log = cluster, []

    def add(self, what):
        self.log.append((*what, self.cluster.now()))


def test_learner_code_blocked_in_one_task_leaves_the_others_running(probe, cluster):
    """Each cluster task is a conversation of its own with the worker: three tasks whose learner
    code sleeps are suspended at once, the node's timer keeps firing, run_for returns on time."""
    node, record = cluster.add_node("a"), Recorder(cluster)
    for i in range(3):
        node.spawn(probe.napper, record, i)
    node.every(0.25, record.add, ("tick",))
    cluster.run_for(0.5)
    assert record.log == [("tick", 0.25), ("tick", 0.5)] and cluster.now() == 0.5
    assert cluster.tasks_suspended() == 3
    cluster.run_for(1.0)
    # the wake-ups were queued at t=0, before the tick due at 1.0 was (at 0.75): (time, serial) order
    assert record.log[2:] == [("tick", 0.75), ("woke", 0, 1.0), ("woke", 1, 1.0), ("woke", 2, 1.0), ("tick", 1.0),
                              ("tick", 1.25), ("tick", 1.5)]
    assert cluster.tasks_suspended() == 0 and cluster.errors == []


def test_each_conversation_keeps_its_context_when_the_worker_reuses_its_greenlet(probe, cluster):
    """The worker serves conversations on greenlets it keeps for the next one: learner code still
    sees one context per conversation (the test body's value survives a task's call in between,
    which starts from a context of its own)."""
    assert probe.remember("a") is None
    node, record = cluster.add_node("n"), Recorder(cluster)
    node.spawn(probe.remember_into, record, "task")
    cluster.run_for(0.1)
    assert record.log == [("previous", None, 0.0)]
    assert probe.remember("b") == "a"


def test_suite_objects_go_by_reference_with_limits(probe):
    db = FakeDB()
    assert probe.use(db, "a") == 2 and db.data["a"] == 2 and db.reads == 2
    assert probe.call(lambda x: x * 2, 21) == 42
    with pytest.raises(AttributeError, match="may not read '_secret'"):
        probe.peek(db, "_secret")
    with pytest.raises(AttributeError, match="may not set 'reads'"):
        probe.poke(db, "reads", 0)
    assert db.reads == 2


def test_exceptions_come_back_as_builtins_or_stand_ins(probe):
    with pytest.raises(LookupError) as caught:
        probe.missing("k")
    assert isinstance(caught.value, probe.ProbeError) and isinstance(caught.value, RemoteError)
    assert caught.value.key == "k" and str(caught.value) == "no 'k'"
    with pytest.raises(NotImplementedError, match="task 1"):
        probe.stub()
    boom = ValueError("from the suite")

    def raiser():
        raise boom

    with pytest.raises(ValueError) as again:
        probe.call(raiser)
    assert again.value is boom  # the suite's own exception comes back as itself


def test_the_worker_reads_the_deciding_clock_and_sleeps_on_it(probe):
    with VirtualClock() as clock:
        clock.tick(5)
        seen, _ = probe.now()
        assert seen == clock.time()
        woke = probe.nap(30)
        assert clock.now() == 35 and woke == clock.time()


def test_http_from_the_worker_reaches_the_suites_fake_network(probe):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.add(responses.GET, "http://node-1/ping", body="pong", status=201)
        rsps.add(responses.GET, "http://node-2/ping", body=requests.ConnectionError("refused"))
        assert probe.fetch("http://node-1/ping") == (201, "pong")
        assert probe.fetch("http://node-2/ping") == "down"
    assert probe.fetch("http://example.invalid/") == "down"  # no fake network active: never a real one


def test_the_worker_cannot_write_files_or_fork(probe, tmp_path):
    with pytest.raises(PermissionError):
        probe.write_file(str(tmp_path / "x"))
    assert not (tmp_path / "x").exists()
    with pytest.raises(OSError):
        probe.fork()


def test_a_runaway_call_times_out_and_so_does_the_rest(tmp_path):
    provider, exercise = make_provider(tmp_path, timeout=1.5)
    module = provider.load(exercise)
    started = wallclock.wall_seconds()
    with pytest.raises(WorkerTimedOut):
        module.spin()
    assert wallclock.wall_seconds() - started < 10
    with pytest.raises(WorkerTimedOut, match="earlier"):
        module.data()
    provider.stop()


def test_a_missing_module_is_a_load_error(tmp_path):
    provider, exercise = make_provider(tmp_path)
    (tmp_path / "probe.py").unlink()
    with pytest.raises(WorkerLoadError, match="file not found"):
        provider.load(exercise)
    assert provider.process is None
