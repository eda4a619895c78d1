"""Task 4: a restarted broker rebuilds itself from node.disk: it keeps what was not acknowledged,
forgets nothing it accepted, and does not resend what was acknowledged."""

from __future__ import annotations

import pytest

from sysdesign.messages import expect_equal, expect_true

from .conftest import (AT_LEAST_ONCE, Effects, add_broker, add_consumer, add_endpoint, add_publisher, check_exactly_once,
                       check_order, guard_broker, guard_key_order, publish)

pytestmark = pytest.mark.task(4)


@pytest.mark.points(3)
def test_a_restart_resends_what_was_not_acknowledged_and_only_that(cluster, pubsub):
    unacked = {"m3", "a2"}
    sink = add_endpoint(cluster, "sink", ack_when=lambda body: body["id"] not in unacked)
    broker = add_broker(cluster, pubsub, [("billing", "orders", "sink")], visibility_timeout=30.0)
    add_publisher(cluster)
    for key, mid in ((None, "m1"), (None, "m2"), (None, "m3"), ("a", "a1"), ("a", "a2"), ("a", "a3")):
        publish(cluster, "orders", key, {"id": mid}, mid)
    cluster.run_for(1.0)
    expect_equal("broker.pending('billing') before the restart", broker.app.pending("billing"), ["m3", "a2", "a3"])
    before = len(sink.received)
    cluster.restart("broker")
    unacked.clear()
    cluster.run_for(2.0)
    again = [r.body["id"] for r in sink.received[before:]]
    expect_equal("ids delivered after the restart", again, ["m3", "a2", "a3"],
                 why="the rebuilt broker delivers at once what was pending (a2 before a3: the key's order holds) and "
                 "never what was acknowledged before the crash (log the acks too)")
    expect_equal("broker.pending('billing') at the end", broker.app.pending("billing"), [])


class CrashPlan:
    """A fault schedule drawn per seed for a broker with two subscriptions, hung on what the
    broker does (so a crash lands right where it hurts):

    * two or three broker crashes, each at a drawn moment, right after the broker answers a
      drawn publish, or right after it receives a drawn ack; each down for a drawn time;
    * one or two subscriber crashes in the middle of a drawn delivery (after it arrived, before
      the subscriber's ack left), each down for a drawn time;
    * a drawn share of the messages between the broker and the subscribers lost on the way.

    Every lost delivery or ack is repaired only by a redelivery after the visibility timeout."""

    def __init__(self, cluster, guard, broker, endpoints, ids, work):
        self.cluster, self.broker = cluster, broker
        rng = cluster.random("faults")
        self.loss = rng.choice((0.0, 0.1, 0.25))
        for endpoint in endpoints if self.loss else ():
            cluster.drop(broker, endpoint, self.loss)
        self.story = [f"{self.loss:.0%} of broker-subscriber messages lost"]
        self.on_answer, self.on_ack, self.on_deliver = {}, {}, {}
        for _ in range(rng.choice((2, 3))):
            how, mid, lasting = rng.choice(("at", "answer", "ack")), rng.choice(ids), rng.uniform(0.1, 1.0)
            if how == "at":
                at = rng.uniform(0.3, 4.0)
                cluster.at(at, self.crash, broker, lasting)
                self.story.append(f"broker down at {at:.2f}s for {lasting:.2f}s")
            elif how == "answer":
                self.on_answer[mid] = lasting
                self.story.append(f"broker down right after answering {mid} for {lasting:.2f}s")
            else:
                sub = rng.choice(sorted(guard.subs))
                self.on_ack[(sub, mid)] = lasting
                self.story.append(f"broker down right after {sub}'s ack of {mid} for {lasting:.2f}s")
        for _ in range(rng.choice((1, 2))):
            sub, mid = rng.choice(sorted(guard.subs)), rng.choice(ids)
            into, lasting = rng.uniform(0.1, 0.9) * work, rng.uniform(0.2, 1.5)
            self.on_deliver[(sub, mid)] = (into, lasting)
            self.story.append(f"{guard.subs[sub][1]} down {into * 1000:.0f} ms into its first delivery of {mid} "
                              f"for {lasting:.2f}s")
        guard.on_answer(lambda sub, mid: self._hit(self.on_answer.pop(mid, None), 0.0, broker))
        guard.on_ack(lambda sub, mid: self._hit(self.on_ack.pop((sub, mid), None), 0.0, broker))
        guard.on_deliver(self._delivered)
        cluster.trace.record("note", "faults", "", "plan: " + self.describe())

    def describe(self):
        return "; ".join(self.story)

    def _delivered(self, sub, mid, attempt, endpoint):
        hit = self.on_deliver.pop((sub, mid), None)
        if hit is not None:
            into, lasting = hit
            self._hit(lasting, 0.002 + into, endpoint)  # links take 0.5-1.5 ms: it has arrived by then

    def _hit(self, lasting, delay, target):
        if lasting is not None:
            self.cluster.after(delay, self.crash, target, lasting)

    def crash(self, target, lasting):
        cluster = self.cluster
        if cluster[target].status != "up":
            return  # already down: one fault at a time per node
        cluster.crash(target)
        cluster.after(lasting, lambda: None if cluster[target].alive else cluster.restart(target))


@pytest.mark.points(4)
def test_a_drawn_schedule_of_broker_and_subscriber_crashes_loses_nothing(run_cluster_seeds, pubsub):
    """A seeded sweep of fault schedules (see :class:`CrashPlan`) while 30 messages of three keys
    (and keyless ones) flow to two subscriptions whose endpoints ack after 50 ms of work. After
    every event: at least once, acked stays acked, one unacknowledged message per key and
    subscription, redelivery on time, every answered publish on disk. At the end: every message
    acked by both subscriptions, first received in publish order per key."""

    def scenario(cluster):
        vt, work = 1.0, 0.05
        subs = [("billing", "orders", "bill-svc"), ("audit", "orders", "audit-svc")]
        ends = {name: add_endpoint(cluster, endpoint, work=work) for name, _, endpoint in subs}
        broker = add_broker(cluster, pubsub, subs, visibility_timeout=vt, max_attempts=100)
        pub = add_publisher(cluster)
        guard = guard_broker(cluster, broker, subs, vt)
        rng = cluster.random("workload")
        keys = ["cust-0", "cust-1", "cust-2"]
        ids = [f"order-{i:02d}" for i in range(30)]
        for i, mid in enumerate(ids):
            cluster.at(0.1 + i * 0.12, publish, cluster, "orders", rng.choice(keys + [None]), {"amount": 10}, mid)
        plan = CrashPlan(cluster, guard, "broker", [e for _, _, e in subs], ids, work)
        finished = cluster.run_until(lambda: len(pub.app.answered) == len(ids) and broker.status == "up"
                                     and all((s, m) in guard.acked for s in ends for m in ids)
                                     and not any(broker.app.pending(s) for s in ends), timeout=60)
        cluster.run_for(2.0)  # the redelivery timers of acked messages fire: nothing more may be sent
        crashes = [e.time for e in cluster.trace.find(kind="fault", node="broker") if e.data == "crash"]
        expect_true(crashes and guard.deliveries, f"broker crashes and deliveries seen with {plan.describe()}",
                    got=(len(crashes), guard.deliveries), expected="at least one of each",
                    why="the plan must crash the broker while deliveries flow (a check of the suite itself)")
        expect_true(finished, f"(published, acked per subscription) after 60 s with {plan.describe()}",
                    got=(len(pub.app.answered), {s: sum((s, m) in guard.acked for m in ids) for s in ends}),
                    expected=f"all {len(ids)} published and acked by both", why=f"invariant: {AT_LEAST_ONCE}")
        for sub, end in ends.items():
            for key in keys:
                expect_equal(f"ids of key {key!r} in the order {sub!r}'s endpoint first received them, with "
                             f"{plan.describe()}", end.first_seen(key=key), pub.app.order_of(key),
                             why="invariant: order per key and subscription")

    run_cluster_seeds(scenario, n=8)


@pytest.mark.task(6)
@pytest.mark.points(3)
def test_nothing_lost_across_broker_restarts(run_cluster_seeds, pubsub):
    """A seeded sweep of fault schedules: each seed draws when the broker crashes (four times)
    and when the consumer crashes, and for how long each stays down, while 40 messages of four
    keys flow. The order per key is checked after every event."""

    def scenario(cluster):
        effects = Effects(work=0.02)
        subs = [("billing", "orders", "c1")]
        guard_broker(cluster, add_broker(cluster, pubsub, subs, visibility_timeout=1.0, max_attempts=100), subs, 1.0)
        add_consumer(cluster, pubsub, effects)
        pub = add_publisher(cluster)
        keys = [f"cust-{k}" for k in range(4)]
        guard_key_order(cluster, effects, pub.app, keys)
        ids = []
        for i in range(40):
            mid = f"order-{i}"
            ids.append(mid)
            cluster.at(0.1 + i * 0.15, publish, cluster, "orders", keys[i % 4], {"amount": 10}, mid)
        faults = cluster.random("faults")
        plan = sorted((faults.uniform(0.5, 6.0), "broker", faults.uniform(0.1, 0.8)) for _ in range(4))
        plan.append((faults.uniform(0.5, 6.0), "c1", faults.uniform(0.1, 0.8)))
        down_until = {}
        for at, target, lasting in sorted(plan):
            at = max(at, down_until.get(target, 0.0) + 0.05)  # one fault at a time per node
            cluster.at(at, "crash", target)
            cluster.at(at + lasting, "restart", target)
            down_until[target] = at + lasting
        schedule = ", ".join(f"{target} down at {at:.2f}s for {lasting:.2f}s" for at, target, lasting in sorted(plan))
        done = cluster.run_until(lambda: all(effects.counts.get(m) for m in ids) and cluster["broker"].status == "up"
                                 and not cluster["broker"].app.pending("billing"), timeout=60)
        cluster.run_for(3.0)
        expect_true(done, f"messages processed within 60 s ({schedule})", got=sum(1 for m in ids if effects.counts.get(m)),
                    expected=len(ids), why="invariant: nothing is lost across broker restarts")
        check_exactly_once(effects, ids, f"the broker crashed four times while messages flowed ({schedule})")
        check_order(effects, pub.app, keys)

    run_cluster_seeds(scenario, n=6)
