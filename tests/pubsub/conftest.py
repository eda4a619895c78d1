"""Fixtures for the pubsub suite: the broker and consumers under test on cluster nodes, and the
suite's own parts around them: a publisher that retries until it is answered, endpoints that
record what they receive and ack on command, and a handler whose side effect is a counter per
message id."""

from __future__ import annotations

import itertools
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field

import pytest

from sysdesign.messages import explain


@pytest.fixture
def pubsub(impl):
    """The active implementation of exercises/pubsub.py."""
    return impl("pubsub")


def add_broker(cluster, pubsub, subscriptions, *, visibility_timeout=2.0, max_attempts=5, name="broker",
               durable=True):
    """A node running ``Broker(node, subscriptions, ...)``, rebuilt by every restart.
    ``subscriptions``: ``(name, topic, endpoint)`` triples. With ``durable`` (the default), the
    invariant "every publish the broker answered is in its log on disk" is checked after every
    event (see :class:`DurableAnswers`)."""
    specs = [pubsub.Subscription(*s) for s in subscriptions]

    def build(node):
        return pubsub.Broker(node, specs, visibility_timeout=visibility_timeout, max_attempts=max_attempts)

    node = cluster.add_node(name, start=build)
    if durable:
        DurableAnswers(cluster, node, build, [spec.name for spec in specs]).install()
    return node


# -- invariant: an answered publish is on disk at the moment it is answered -----------------------
class _Inert:
    def cancel(self):
        pass

    active = False


class _DiskOnly:
    """A stand-in node for rebuilding a broker from what its node has on disk: the same
    ``disk`` folder and a copy of ``durable``, while messages, timers and tasks go nowhere."""

    def __init__(self, real):
        import copy

        self._real = real
        self.name, self.disk = real.name, real.disk
        self.durable = copy.deepcopy(real.durable)
        self.memory = {}

    def __getattr__(self, attr):  # read-only attributes of the real node (cluster, status...)
        return getattr(self._real, attr)

    def _nothing(self, *args, **kwargs):
        return _Inert()

    on_message = route = on_http = send = reply = broadcast = note = _nothing
    set_timer = every = post = spawn = _nothing


def dead_letters_if_written(broker, subscription):
    """``broker.dead_letters(subscription)`` as a set, or an empty set while that method is still
    its stub (task 5): a broker that does not dead-letter yet holds every message it was not
    acknowledged for in ``pending``, so the check needs nothing more from it. Task 5's own tests
    call ``dead_letters`` directly."""
    try:
        return set(broker.dead_letters(subscription))
    except NotImplementedError:
        return set()


class DurableAnswers:
    """After every event: each publish the broker has answered ``published`` and still holds
    pending is also pending (or dead-lettered) in a broker rebuilt from its node's disk right
    now. The suite wraps the broker node's ``send`` and ``reply`` to see the answers leave; the
    rebuild runs only after an event that sent one. Reading the disk through the learner's own
    ``Broker`` keeps the log format the learner's choice."""

    NAME = "every publish answered to a publisher is in the broker's log on disk"

    def __init__(self, cluster, node, build, subscriptions):
        self.cluster, self.node, self.build = cluster, node, build
        self.subscriptions = subscriptions
        self.answered: list[str] = []
        self.unchecked = False

    def install(self):
        node = self.node
        send, reply = node.send, node.reply

        def watched_send(dest, body, *args, **kwargs):
            self._saw(body)
            return send(dest, body, *args, **kwargs)

        def watched_reply(msg, body, *args, **kwargs):
            self._saw(body)
            return reply(msg, body, *args, **kwargs)

        node.send, node.reply = watched_send, watched_reply
        self.cluster.add_invariant(self.NAME, self.check)

    def _saw(self, body):
        if isinstance(body, dict) and body.get("type") == "published":
            self.answered.append(body.get("id"))
            self.unchecked = True

    def check(self, cluster):
        if not self.unchecked or self.node.app is None:
            return None
        self.unchecked = False
        live = self.node.app
        rebuilt = self.build(_DiskOnly(self.node))
        missing = []
        for sub in self.subscriptions:
            held, kept = set(live.pending(sub)), set(rebuilt.pending(sub)) | dead_letters_if_written(rebuilt, sub)
            missing += [(sub, mid) for mid in dict.fromkeys(self.answered) if mid in held and mid not in kept]
        if missing:
            return explain(f"Broker(...) rebuilt from {self.node.name}'s disk right after it answered "
                           f"'published' for {missing[-1][1]!r}: its pending() lists",
                           f"{len(missing)} answered message(s) missing: {missing[:6]}",
                           "every answered message the live broker still holds",
                           f"invariant: {self.NAME}; write the publish to node.disk (and flush it) before "
                           "answering: a crash at any moment after the answer must not lose it; and rebuild each "
                           "subscription from the log as it is: only that subscription's own ack (or dead letter) "
                           "ends a message's life in it")
        return None


# -- a publisher that retries ---------------------------------------------------------------------
class Publisher:
    """The suite's publisher: one message in flight per key (so the broker sees each key's
    messages in order), resent with the same id every ``retry`` seconds until the broker
    answers ``published``. Keyless messages are all sent at once."""

    def __init__(self, node, broker="broker", retry=0.5):
        self.node, self.broker = node, broker
        self.waiting: dict[object, deque] = defaultdict(deque)
        self.bodies: dict[str, dict] = {}
        self.answered: dict[str, float] = {}
        self.sent: list[str] = []
        node.on_message(self.on_message)
        node.every(retry, self.resend)

    def publish(self, topic, key, payload, mid):
        body = {"type": "publish", "topic": topic, "id": mid, "key": key, "payload": payload}
        self.bodies[mid] = body
        self.sent.append(mid)
        queue = self.waiting[key if key is not None else ("none", mid)]
        queue.append(mid)
        if len(queue) == 1:
            self.node.send(self.broker, body)

    def resend(self):
        for queue in self.waiting.values():
            if queue:
                self.node.send(self.broker, self.bodies[queue[0]])

    def on_message(self, msg):
        body = msg.body
        if body.get("type") != "published" or body.get("id") in self.answered:
            return
        mid = body["id"]
        self.answered[mid] = self.node.cluster.now()
        key = self.bodies[mid]["key"]
        queue = self.waiting[key if key is not None else ("none", mid)]
        if queue and queue[0] == mid:
            queue.popleft()
            if queue:
                self.node.send(self.broker, self.bodies[queue[0]])

    def order_of(self, key) -> list[str]:
        return [m for m in self.sent if self.bodies[m]["key"] == key]


def add_publisher(cluster, name="pub", retry=0.5):
    return cluster.add_node(name, start=lambda node: Publisher(node, retry=retry))


def publish(cluster, topic, key, payload, mid, publisher="pub"):
    node = cluster[publisher]
    node.execute(node.app.publish, topic, key, payload, mid)


# -- endpoints that record and ack on command ------------------------------------------------------
@dataclass
class Received:
    at: float
    body: dict


@dataclass
class Endpoint:
    """A subscription endpoint run by the suite: it records every ``deliver`` and acks it when
    ``ack_when(body)`` says so (default: always), ``work`` seconds after it arrived (on a timer,
    which a crash of the endpoint's node cancels)."""

    node: object
    ack_when: object = None
    work: float = 0.0
    received: list[Received] = field(default_factory=list)

    def __call__(self, msg):
        body = msg.body
        if body.get("type") != "deliver":
            return
        self.received.append(Received(self.node.cluster.now(), body))
        if self.ack_when is None or self.ack_when(body):
            if self.work:  # the ack leaves once the work is done; a crash meanwhile loses it
                self.node.set_timer(self.work, self.ack, body["id"], body["subscription"], msg.src)
            else:
                self.ack(body["id"], body["subscription"], to=msg.src)

    def ack(self, mid, subscription, to="broker"):
        self.node.send(to, {"type": "ack", "subscription": subscription, "id": mid})

    def ids(self) -> list[str]:
        return [r.body["id"] for r in self.received]

    def first_seen(self, key=...) -> list[str]:
        """Distinct ids in the order they first arrived (only those of ``key`` if given)."""
        out: list[str] = []
        for r in self.received:
            if r.body["id"] not in out and (key is ... or r.body["key"] == key):
                out.append(r.body["id"])
        return out

    def times_of(self, mid) -> list[float]:
        return [r.at for r in self.received if r.body["id"] == mid]

    def attempts_of(self, mid) -> list[int]:
        return [r.body["attempt"] for r in self.received if r.body["id"] == mid]


def add_endpoint(cluster, name, ack_when=None, work=0.0) -> Endpoint:
    node = cluster.add_node(name)
    endpoint = Endpoint(node, ack_when, work)
    node.on_message(endpoint)
    return endpoint


# -- the idempotent consumer and its side effect ---------------------------------------------------
class Effects:
    """The side effect of processing: a counter per message id, and the order per key. Kept by
    the suite, outside every node, like a bank ledger: a crash does not undo it."""

    def __init__(self, work=0.05):
        self.work = work
        self.counts: dict[str, int] = defaultdict(int)
        self.order: dict[object, list[str]] = defaultdict(list)
        self.attempts: dict[str, list[int]] = defaultdict(list)
        self.calls: list = []

    def handler(self, delivery):
        self.attempts[delivery.id].append(delivery.attempt)
        self.calls.append(delivery)
        if self.work:
            time.sleep(self.work)  # virtual: the consumer's node is busy meanwhile
        if isinstance(delivery.payload, dict) and delivery.payload.get("poison"):
            raise ValueError(f"cannot process {delivery.id}")
        self.counts[delivery.id] += 1
        self.order[delivery.key].append(delivery.id)


def add_consumer(cluster, pubsub, effects: Effects, name="c1"):
    return cluster.add_node(name, start=lambda node: pubsub.IdempotentConsumer(node, effects.handler))


def check_exactly_once(effects: Effects, ids, why="") -> None:
    wrong = {m: effects.counts.get(m, 0) for m in ids if effects.counts.get(m, 0) != 1}
    if wrong:
        lost = sorted(m for m, c in wrong.items() if c == 0)
        twice = sorted(m for m, c in wrong.items() if c > 1)
        raise AssertionError(explain(
            f"times each of the {len(ids)} published messages was processed (those not exactly once)",
            {"never": lost[:8], "more than once": {m: wrong[m] for m in twice[:8]}}, "every one exactly once",
            f"invariant: every published message is processed exactly once. {why}"))


def check_order(effects: Effects, publisher: Publisher, keys) -> None:
    for key in keys:
        got, expected = effects.order.get(key, []), publisher.order_of(key)
        if got != expected:
            raise AssertionError(explain(f"ids processed for key {key!r}, in processing order", got, expected,
                                         "invariant: messages with the same key are processed in publish order"))


KEY_ORDER = "a key's messages are processed in publish order, with no gap"


def guard_key_order(cluster, effects: Effects, publisher: Publisher, keys) -> None:
    """After every event: for each key, the ids processed so far are the first ones the
    publisher published for that key, in order (a consumer never processes a key's message
    while an earlier one of that key is still unprocessed)."""
    seen = [0]

    def check(_cluster):
        if len(effects.calls) == seen[0]:
            return None
        seen[0] = len(effects.calls)
        for key in keys:
            got = effects.order.get(key, [])
            expected = publisher.order_of(key)[:len(got)]
            if got != expected:
                return explain(f"ids processed so far for key {key!r}, in processing order", got,
                               f"{expected} (the first {len(got)} published for it)",
                               f"invariant: {KEY_ORDER}; deliver a key's next message only once the previous "
                               "one is acknowledged, also right after a restart")
        return None

    cluster.add_invariant(KEY_ORDER, check)


# -- the broker's guarantees, after every event ------------------------------------------------------
AT_LEAST_ONCE = "a message answered 'published' stays pending for each subscription until that subscription acks it"
ACKED_STAYS_ACKED = "a message a subscription acknowledged is never delivered to it again"
ONE_PER_KEY = "a subscription is sent only the oldest unacknowledged message of each key"
REDELIVERY = "an unacknowledged delivery is repeated between t + visibility_timeout and 0.5 s later"


class BrokerGuard:
    """The broker's delivery guarantees, checked after every event (``cluster.add_invariant``)
    from what the broker receives and sends (the trace) and what it holds (``pending``):

    * **at least once** (tasks 1-4): each message the broker answered ``published`` is, for
      every subscription of its topic, in ``pending`` or acknowledged by that subscription (an
      ack reached the broker) or dead-lettered, whenever the broker is up, right after a
      restart included;
    * **acked stays acked** (tasks 2, 4): no delivery of a message to a subscription after the
      broker received that subscription's ack of it, in this life of the broker or a later one;
    * **one per key** (task 3): a delivery of a keyed message only once every earlier message
      of its key (in the order the broker received them) is acked by that subscription or
      dead-lettered;
    * **redelivery** (task 2): within one life of the broker, a delivery not acked is repeated
      no earlier than ``visibility_timeout`` after it and no later than 0.5 s after that (or
      dead-lettered then).

    ``on_deliver(fn)`` calls ``fn(subscription, id, attempt, endpoint)`` for each delivery, and
    ``on_ack(fn)`` / ``on_answer(fn)`` ``fn(subscription or None, id)`` for each ack received and
    each ``published`` sent, at the event where it happened (fault plans hang faults on them)."""

    def __init__(self, cluster, node, subscriptions, visibility_timeout):
        self.cluster, self.node, self.name = cluster, node, node.name
        self.subs = {name: (topic, endpoint) for name, topic, endpoint in subscriptions}
        self.vt = visibility_timeout
        self.events = cluster.trace.events
        self.scanned, self.seen_ids = 0, set()
        self.published = {}  # id -> (topic, key), in the order the broker first received them
        self.answered = {}  # id -> time of the first 'published'
        self.acked = {}  # (sub, id) -> time the broker first received the ack
        self.last = {}  # (sub, id) -> (time, incarnation) of the latest delivery
        self.due = {}  # (sub, id) -> latest time of its redelivery, in this life of the broker
        self.due_size, self.due_first = 0, None  # len(due) and min(due.values()) when last computed
        self.listeners = {"deliver": [], "ack": [], "answer": []}
        self.broken = None
        self.deliveries = 0

    def on_deliver(self, fn):
        self.listeners["deliver"].append(fn)

    def on_ack(self, fn):
        self.listeners["ack"].append(fn)

    def on_answer(self, fn):
        self.listeners["answer"].append(fn)

    def install(self):
        self.cluster.add_invariant(AT_LEAST_ONCE, self.check_at_least_once)
        self.cluster.add_invariant(ACKED_STAYS_ACKED, lambda c: self._verdict(ACKED_STAYS_ACKED))
        self.cluster.add_invariant(ONE_PER_KEY, lambda c: self._verdict(ONE_PER_KEY))
        self.cluster.add_invariant(REDELIVERY, self.check_redelivery)
        return self

    def _verdict(self, name):
        return self.broken[1] if self.broken is not None and self.broken[0] == name else None

    def _scan(self):
        events = self.events
        new = len(events) - self.scanned
        if new <= 0:
            return False
        assert len(events) != self.cluster.trace.limit, "the trace discarded events: the broker guard needs them all"
        self.scanned = len(events)
        touched = False
        start = self.cluster.trace.start_us
        for when, kind, node, peer, data in reversed(list(itertools.islice(reversed(events), new))):
            if node != self.name:
                continue
            touched = True
            if kind == "fault":
                self.due.clear()  # a crash ends this life's timers; a restart starts a new life
                self.due_first = None
                continue
            body = getattr(data, "body", None)
            if not isinstance(body, dict):
                continue
            t = (when - start) / 1_000_000
            if kind == "recv":
                if body.get("type") == "publish" and body.get("id") not in self.published:
                    self.published[body.get("id")] = (body.get("topic"), body.get("key"))
                elif body.get("type") == "ack":
                    key = (body.get("subscription"), body.get("id"))
                    if self.due.pop(key, None) is not None:
                        self.due_first = None
                    if key not in self.acked:
                        self.acked[key] = t
                        for fn in self.listeners["ack"]:
                            fn(*key)
            elif kind in ("send", "drop", "cut", "down") and data.id not in self.seen_ids:
                self.seen_ids.add(data.id)
                if body.get("type") == "published" and body.get("id") not in self.answered:
                    self.answered[body.get("id")] = t
                    for fn in self.listeners["answer"]:
                        fn(None, body.get("id"))
                elif body.get("type") == "deliver":
                    self._delivered(t, body, peer)
        return touched

    def _delivered(self, t, body, endpoint):
        sub, mid, attempt = body.get("subscription"), body.get("id"), body.get("attempt")
        self.deliveries += 1
        said = f"deliver {mid!r} (attempt {attempt}) to subscription {sub!r} at t={t:.3f}"
        if self.broken is None:
            self.broken = self._judge(t, sub, mid, said)
        life = self.node.incarnation
        self.last[(sub, mid)] = (t, life)
        self.due[(sub, mid)] = t + self.vt + 0.5
        self.due_first = None
        for fn in self.listeners["deliver"]:
            fn(sub, mid, attempt, endpoint)

    def _judge(self, t, sub, mid, said):
        if (sub, mid) in self.acked:
            return (ACKED_STAYS_ACKED, explain(said, f"sent after the broker received {sub!r}'s ack of it at "
                                               f"t={self.acked[(sub, mid)]:.3f}", "no delivery once acked",
                                               f"invariant: {ACKED_STAYS_ACKED}: an ack removes it from pending, "
                                               "its redelivery timer must see that, and a restart must replay the "
                                               "logged acks"))
        topic, key = self.published.get(mid, (None, None))
        if key is not None:
            earlier = []
            for other, (other_topic, other_key) in self.published.items():
                if other == mid:
                    break
                if other_key == key and other_topic == topic and (sub, other) not in self.acked:
                    earlier.append(other)
            if earlier:
                dead = self._dead(sub)
                earlier = [m for m in earlier if m not in dead]
            if earlier:
                return (ONE_PER_KEY, explain(said, f"sent while {earlier} of key {key!r} (received before it) "
                                             f"were not acked by {sub!r}", "only the oldest unacknowledged message "
                                             "of a key is delivered", f"invariant: {ONE_PER_KEY}: if the earlier "
                                             "one is lost and delivered again, it would be processed after this "
                                             "one; also right after a restart"))
        before = self.last.get((sub, mid))
        if before is not None and before[1] == self.node.incarnation and t - before[0] < self.vt - 1e-6:
            return (REDELIVERY, explain(said, f"{t - before[0]:.3f} s after the previous delivery of it (same "
                                        "broker life)", f">= visibility_timeout ({self.vt:g} s)",
                                        f"invariant: {REDELIVERY}: the consumer may still be working on it"))
        return None

    def _dead(self, sub):
        app = self.node.app
        return dead_letters_if_written(app, sub) if app is not None else set()

    def check_at_least_once(self, cluster):
        touched = self._scan()
        if self.broken is None and touched and self.node.status == "up" and self.node.app is not None:
            self.broken = self._held()
        return self._verdict(AT_LEAST_ONCE)

    def _held(self):
        app = self.node.app
        for sub, (topic, _) in self.subs.items():
            pending = None
            for mid in self.answered:
                if self.published.get(mid, (None,))[0] != topic or (sub, mid) in self.acked:
                    continue
                if pending is None:
                    pending = set(app.pending(sub))
                if mid not in pending and mid not in self._dead(sub):
                    return (AT_LEAST_ONCE, explain(f"broker.pending({sub!r}) at t={self.cluster.now():.3f}",
                                                   f"{mid!r} missing ({sub!r} never acked it)",
                                                   f"{mid!r} pending (or dead-lettered)",
                                                   f"invariant: {AT_LEAST_ONCE}: it was answered 'published' at "
                                                   f"t={self.answered[mid]:.3f}; only an ack from {sub!r} itself ends "
                                                   "its life in that subscription, also across restarts"))
        return None

    def check_redelivery(self, cluster):
        if self.broken is None and self.due and self.node.status == "up":
            now = cluster.now()
            if len(self.due) != self.due_size or self.due_first is None:  # changed since: find the first again
                self.due_size, self.due_first = len(self.due), min(self.due.values())
            if now <= self.due_first + 1e-6:
                return None
            self.due_first = None
            late = [(at, key) for key, at in self.due.items() if now > at + 1e-6]
            if late:
                at, (sub, mid) = min(late)
                dead = self._dead(sub)
                if mid in dead:
                    self.due.pop((sub, mid))
                    self.due_first = None
                else:
                    self.broken = (REDELIVERY, explain(
                        f"deliveries of {mid!r} to {sub!r} by t={now:.3f}", f"none since t={at - self.vt - 0.5:.3f}, "
                        "not acked", f"another by t={at:.3f}", f"invariant: {REDELIVERY}: at least once: a "
                        "delivery lost on the way, or a consumer that crashed before acking, is only repaired by "
                        "the redelivery (one timer per delivery)"))
        return self._verdict(REDELIVERY)


def guard_broker(cluster, node, subscriptions, visibility_timeout):
    """Install a :class:`BrokerGuard` on the broker ``node`` (``subscriptions``: the triples given
    to :func:`add_broker`)."""
    return BrokerGuard(cluster, node, subscriptions, visibility_timeout).install()
