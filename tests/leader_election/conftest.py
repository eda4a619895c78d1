"""Wiring for the leader-election suite.

A :class:`Bench` builds the cluster every test uses: the etcd-like store (node ``etcd``), a
payments service that notes, for every charge that reaches it, who held the leader key at that
moment, and also takes ``fence(token)``, a token presented without a charge (node ``payments``;
the kit's own payments service has no ``fence``), and worker nodes ``n1``, ``n2``, ``n3`` each
running the learner's ``LeaderElection`` and ``SubscriptionCharger`` (rebuilt by their start
hook after a restart).

The workers get wrapped clients, so the suite sees every charge *as it leaves* a node and can
inject two precise faults the cluster cannot time from outside: a stall (a GC-like pause of the
node) just before a charge request leaves, or just after a lease refresh has been answered.

Checks, each failing with the invariant it protects:

- at every write of a progress key at the store: it never holds less than before;
- sampled every ``interval`` seconds: at most one node says ``is_leader()``; that node holds the
  leader key at the store; its ``time_left()`` (converted from its own clock) never outlasts the
  lease's remaining time at the store;
- at every charge sent: the sender holds the leader key at the store;
- on the ledger: nothing accepted from a node that no longer held the key once a newer token had
  reached the payments service (before that, fencing cannot refuse it), every accepted charge
  carries its sender's leadership token, every due period charged exactly once (never early),
  and no charge rejected as stale unless the suite stalled it. ``check_at_every_step`` checks the
  same after every event of the cluster (``cluster.add_invariant``), each charge as it arrives,
  and that every due period is charged within a given lateness, so a long run fails at the event
  that broke a guarantee.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import pytest

from sysdesign.cluster.services.etcd import Etcd, EtcdClient, EtcdState
from sysdesign.cluster.services.payments import Payments, PaymentsClient, PaymentsState, StaleToken
from sysdesign.messages import explain

KEY = "/billing/leader"
PREFIX = "/billing/charged/"
TTL = 5.0
MARGIN = 0.5
REFRESH = 1.5
RETRY = 1.0
POLL = 1.0
CLIENT_TIMEOUT = 1.0
WORKERS = ("n1", "n2", "n3")
#: After the leader fails, a new one must be in place within TTL + this many seconds.
ELECTION_SLACK = 1.5
_TICK = 1e-6


@pytest.fixture
def le(impl):
    """The active implementation of exercises/leader_election.py."""
    return impl("leader_election")


@pytest.fixture
def bench(le):
    """``bench(cluster, **options)``: a :class:`Bench` on that cluster."""
    return lambda cluster, **options: Bench(cluster, le, **options)


@pytest.fixture
def make_subs():
    """``make_subs(count=8, first=62.0, step=0.25, periods=(60.0,))``: see :func:`subscriptions`."""
    return subscriptions


def subscriptions(count=8, first=62.0, step=0.25, periods=(60.0,)):
    """``count`` subscriptions as ``(id, customer, amount, first_due, period)``, first due at
    cluster time ``first + i * step``: every due time falls 2-4 s into a minute."""
    return [(f"sub-{i:02d}", f"customer-{i:02d}", 500 + 100 * i, first + i * step, periods[i % len(periods)])
            for i in range(count)]


@dataclass(frozen=True)
class Arrival:
    """A charge as it reached the payments service, with the leader key's holder at that moment."""

    time: float
    caller: str
    customer: str
    amount: int
    token: Any
    reference: Any
    holder: str | None
    holder_token: int | None
    accepted: bool


@dataclass(frozen=True)
class Send:
    """A charge as it left a worker node (before any stall the suite injects)."""

    time: float
    node: str
    token: Any
    reference: Any
    holder: str | None


class _AuditedState(PaymentsState):
    def charge(self, customer, amount, token=None, reference=None):
        service = self.service
        kv = service.bench.etcd.peek(KEY)
        holder, holder_token = (kv.value, kv.create_revision) if kv is not None else (None, None)
        caller = self.node.cluster.caller or "client"
        now = self.node.cluster.now()
        try:
            charge = super().charge(customer, amount, token, reference)
        except StaleToken:
            service.arrivals.append(Arrival(now, caller, customer, amount, token, reference, holder, holder_token, False))
            raise
        service.arrivals.append(Arrival(now, caller, customer, amount, token, reference, holder, holder_token, True))
        return charge

    def fence(self, token):
        """Present ``token`` without charging: from now on a lower token is refused."""
        service = self.service
        now = self.node.cluster.now()
        caller = self.node.cluster.caller or "client"
        if not isinstance(token, int):
            raise TypeError(f"a fencing token is an int, got {token!r}")
        d = self.node.durable
        highest = d["highest_token"]
        accepted = highest is None or token >= highest
        service.fences.append(Fence(now, caller, token, accepted))
        if not accepted:
            raise StaleToken(f"stale fencing token {token} < {highest}")
        d["highest_token"] = token if highest is None else max(highest, token)
        return token


@dataclass(frozen=True)
class Fence:
    """A token presented to the payments service without a charge."""

    time: float
    caller: str
    token: int
    accepted: bool


class AuditedPayments(Payments):
    """The cluster's payments service, noting the leader key's holder at each arrival; it also
    takes ``fence(token)``, a token presented without a charge."""

    def __init__(self, cluster, bench):
        self.bench = bench
        self.arrivals: list[Arrival] = []
        self.fences: list[Fence] = []
        super().__init__(cluster, "payments")

    def make_app(self, node):
        return _AuditedState(self, node)


class _AuditedEtcdState(EtcdState):
    def _notify(self, event):
        super()._notify(event)
        if event.type in ("put", "delete") and event.key.startswith(PREFIX):
            self.service.bench._progress_written(event.key[len(PREFIX):], event.value)


class AuditedEtcd(Etcd):
    """The cluster's etcd-like store, reporting every write of a progress key as it happens."""

    def __init__(self, cluster, bench):
        self.bench = bench
        super().__init__(cluster, "etcd")

    def make_app(self, node):
        return _AuditedEtcdState(self, node)


class AuditedStore(EtcdClient):
    """A worker's store client; can stall its node right after a lease refresh is answered, or
    act just before the node's next watch request leaves (``bench.before_watch[node] = action``)."""

    def __init__(self, bench, node_name):
        super().__init__(bench.etcd, node_name, CLIENT_TIMEOUT)
        self.bench = bench

    def refresh(self, lease):
        answer = super().refresh(lease)
        self.bench._maybe_stall(self.node, "refresh", None)
        return answer

    def watch(self, key, callback, **options):
        action = self.bench.before_watch.pop(self.node, None)
        if action is not None:
            action()
        return super().watch(key, callback, **options)


class AuditedPaymentsClient(PaymentsClient):
    """A worker's payments client: audits each charge as it leaves; can stall the node just
    before the request leaves, or, just after the answer, cut the node off the store (both ways, or
    only the store's answers)."""

    def __init__(self, bench, node_name):
        super().__init__(bench.payments, node_name, CLIENT_TIMEOUT)
        self.bench = bench

    def charge(self, customer, amount, token=None, reference=None):
        self.bench._sent(self.node, token, reference)
        self.bench._maybe_stall(self.node, "charge", reference)
        try:
            return super().charge(customer, amount, token=token, reference=reference)
        finally:
            self.bench._after_charge(self.node)

    def fence(self, token):
        """Present ``token`` to the payments service without charging (``StaleToken`` if lower
        than a token it has seen); from then on it refuses every lower token."""
        return self._call("fence", token)


@dataclass(frozen=True)
class WakeAfterElection:
    """A stall that ends ``delay`` seconds after another node is elected."""

    delay: float


@dataclass
class Member:
    """What a worker's start hook returns (``node.app``)."""

    election: Any
    charger: Any


class Bench:
    """The cluster of a leader-election test and its checks (see the module docstring)."""

    def __init__(self, cluster, le, *, workers=WORKERS, subs=(), charger=True, start=True, ttl=TTL,
                 margin=MARGIN, refresh=REFRESH, retry=RETRY, poll=POLL):
        self.cluster, self.le = cluster, le
        self.key, self.prefix, self.client_timeout, self.slack = KEY, PREFIX, CLIENT_TIMEOUT, ELECTION_SLACK
        self.ttl, self.margin, self.refresh, self.retry, self.poll = ttl, margin, refresh, retry, poll
        self.etcd = AuditedEtcd(cluster, self)
        cluster.services["etcd"] = self.etcd
        self.payments = AuditedPayments(cluster, self)
        cluster.services["payments"] = self.payments
        self.epoch = time.time() - cluster.now()  # time.time() at cluster time 0
        self.subs = [le.Subscription(i, c, a, self.epoch + first, p) for i, c, a, first, p in subs]
        self.plain = list(subs)
        self.with_charger, self.autostart = charger, start
        self.workers = list(workers)
        self.sends: list[Send] = []
        self.violations: list[str] = []
        self.terms: list[dict[str, Any]] = []
        self.armed: dict[tuple[str, str], float] = {}
        self.stalls: list[tuple[float, str, str, Any, float]] = []
        self.cut_after_charge: dict[str, float] = {}
        self.before_watch: dict[str, Any] = {}
        self.lose_replies_after_charge: dict[str, float] = {}
        self.wake_after_election: dict[str, float] = {}
        #: ``action(name)`` for each, every time a node is elected (a suite's own fault injection).
        self.when_elected: list[Any] = []
        self.progress_seen: dict[str, tuple[int, float, Any]] = {}
        for name in self.workers:
            cluster.add_node(name, start=self._boot)

    # -- the workers -----------------------------------------------------------------------
    def _boot(self, node):
        store = AuditedStore(self, node.name)
        election = self.le.LeaderElection(
            node, store, key=KEY, ttl=self.ttl, refresh_interval=self.refresh, safety_margin=self.margin,
            retry_interval=self.retry,
            on_elected=lambda token: self._elected(node, token), on_deposed=lambda: self._deposed(node))
        charger = None
        if self.with_charger:
            charger = self.le.SubscriptionCharger(election, store, self.payments_client(node.name), self.subs,
                                                  poll_interval=self.poll, prefix=PREFIX)
        if self.autostart:
            election.start()
            if charger is not None:
                charger.start()
        return Member(election, charger)

    def payments_client(self, name):
        """A payments client for node ``name``, as the workers get (``charge``, ``fence``)."""
        return AuditedPaymentsClient(self, name)

    def election(self, name):
        return self.cluster.node(name).app.election

    def call(self, name, method, *args):
        """``node.app.election.<method>(*args)`` run as node ``name`` (its clock, its requests)."""
        node = self.cluster.node(name)
        return node.execute(getattr(node.app.election, method), *args)

    def holder(self):
        """The leader key at the store right now (a KeyValue), or None."""
        return self.etcd.peek(KEY)

    def holder_name(self):
        kv = self.holder()
        return kv.value if kv is not None else None

    # -- callbacks ---------------------------------------------------------------------------
    def _elected(self, node, token):
        now = self.cluster.now()
        node.note("elected", token)
        kv = self.holder()
        if kv is None or kv.value != node.name or kv.create_revision != token:
            got = None if kv is None else (kv.value, kv.create_revision)
            self.violations.append(explain(
                f"on_elected({token!r}) on {node.name} at t={now:.6f}", f"leader key (holder, create revision) = {got!r}",
                (node.name, token),
                "invariant: a node is elected only when its transaction created the leader key, and its token "
                "is that key's create revision"))
        self.terms.append({"node": node.name, "incarnation": node.incarnation, "token": token, "start": now,
                           "end": None})
        for name in sorted(self.wake_after_election):
            if name != node.name:
                self._wake(name, self.wake_after_election.pop(name))
        for action in list(self.when_elected):
            action(node.name)

    def _deposed(self, node):
        now = self.cluster.now()
        node.note("deposed")
        for term in reversed(self.terms):
            if term["node"] == node.name and term["incarnation"] == node.incarnation and term["end"] is None:
                term["end"] = now
                return
        self.violations.append(explain(f"on_deposed() on {node.name} at t={now:.6f}", "no leadership to end",
                                       "on_deposed only after on_elected",
                                       "on_deposed is called once each time a leadership ends"))

    # -- wrapped clients ---------------------------------------------------------------------
    def _sent(self, node, token, reference):
        now = self.cluster.now()
        holder = self.holder_name()
        self.sends.append(Send(now, node, token, reference, holder))
        if holder != node:
            self.violations.append(explain(
                f"payments.charge(..., token={token!r}, reference={reference!r}) sent by {node} at t={now:.6f}",
                f"the leader key is held by {holder!r}", f"held by {node!r}",
                "invariant: only the leader charges, and only while its lease is alive at the store "
                "(check is_leader() before every charge)"))

    def _maybe_stall(self, node, where, reference):
        seconds = self.armed.pop((node, where), None)
        if seconds is None:
            return
        self.stalls.append((self.cluster.now(), node, where, reference, seconds))
        self.cluster.pause(node)
        if isinstance(seconds, WakeAfterElection):
            self.wake_after_election[node] = seconds.delay
        else:
            self._wake(node, seconds)
        time.sleep(_TICK)  # virtual: the node is paused, so this wait lasts until it is resumed

    def _wake(self, node, seconds):
        self.cluster.after(seconds, self.cluster.resume, node)
        # Look at every node's belief half a millisecond after it wakes: before any answer to
        # whatever it sends next can come back (a round trip takes at least 1 ms).
        self.cluster.after(seconds + 0.0005, self.check_now)

    def _after_charge(self, node):
        seconds = self.cut_after_charge.pop(node, None)
        if seconds is not None:
            cut = self.cluster.partition([node], ["etcd"])
            self.cluster.after(seconds, self.cluster.heal, cut)
        seconds = self.lose_replies_after_charge.pop(node, None)
        if seconds is not None:
            cut = self.cluster.partition_one_way(["etcd"], [node])
            self.cluster.after(seconds, self.cluster.heal, cut)

    def stall(self, node, where, seconds=None, *, after_election=None):
        """Pause ``node`` the next time it is about to send a charge (``where="charge"``) or has
        just had a lease refresh answered (``"refresh"``): for ``seconds``, or until
        ``after_election`` seconds after another node is elected."""
        self.armed[(node, where)] = seconds if after_election is None else WakeAfterElection(after_election)

    def stalled_charges(self):
        return {(node, ref) for _, node, where, ref, _ in self.stalls if where == "charge"}

    # -- sampling ----------------------------------------------------------------------------
    def believers(self):
        """``[(name, time_left in cluster seconds)]`` of the nodes that say they are leader."""
        out = []
        for name in self.workers:
            node = self.cluster.node(name)
            if not node.alive or node.app is None:
                continue
            election = node.app.election
            if node.execute(election.is_leader):
                left = node.execute(election.time_left)
                if not left > 0:
                    raise AssertionError(explain(f"{name}.time_left() at t={self.cluster.now():.6f}", left,
                                                 "more than 0 while is_leader() is True",
                                                 "both read the same local deadline"))
                out.append((name, left / (1.0 + node.drift)))
        return out

    def check_now(self):
        """Raise if the invariants sampled at this moment do not hold."""
        if self.violations:
            raise AssertionError(self.violations[0])
        now = self.cluster.now()
        believers = self.believers()
        kv = self.holder()
        if len(believers) > 1:
            raise AssertionError(explain(
                f"is_leader() on every node at t={now:.6f}", [name for name, _ in believers],
                f"at most one node ({kv.value if kv else None!r} holds the leader key)",
                "invariant: never two leaders at once"))
        for name, left in believers:
            if kv is None or kv.value != name:
                raise AssertionError(explain(
                    f"{name}.is_leader() at t={now:.6f}", True, False,
                    f"invariant: a leader stops before its lease ends; the leader key is "
                    f"{'gone' if kv is None else 'held by ' + repr(kv.value)}"))
            if not kv.lease:
                raise AssertionError(explain(
                    f"etcd.peek({KEY!r}).lease at t={now:.6f} ({name} is leader)", kv.lease, "the leader's lease id",
                    "invariant: the leader key lives on the leader's lease; without one nothing deletes it when "
                    "the leader dies"))
            store_left = self.etcd.app.time_to_live(kv.lease) if self.etcd.app is not None else None
            if store_left is not None and left > store_left + _TICK:
                raise AssertionError(explain(
                    f"{name}.time_left() at t={now:.6f} (in cluster seconds)", round(left, 6),
                    f"at most {store_left:.6f}, what the lease has left at the store",
                    "invariant: a leader's own deadline ends before its lease at the store (measure it from "
                    "when the grant or refresh was *sent*, minus the safety margin)"))

    def _progress_written(self, sid, value):
        """Every write of a progress key: it must not hold less than before."""
        now = self.cluster.now()
        value = 0 if value is None else value
        before, written_at, writer = self.progress_seen.get(sid, (0, 0.0, None))
        caller = self.cluster.caller or "client"
        if isinstance(value, int) and value < before:
            self.violations.append(explain(
                f"a write of {PREFIX + sid!r} by {caller} at t={now:.6f}", value,
                f"at least {before} (written by {writer} at t={written_at:.6f})",
                "invariant: the progress record only moves forward: a deposed leader's late record must not "
                "overwrite a newer one (write it in a transaction on the key's mod_revision, and keep the "
                "larger value when somebody wrote meanwhile), or the next leader charges those periods again"))
        self.progress_seen[sid] = (value, now, caller)

    def check_progress(self):
        """Raise if a progress key was ever written with less than it held."""
        if self.violations:
            raise AssertionError(self.violations[0])

    def sample_every(self, interval, until=None):
        """Run :meth:`check_now` every ``interval`` seconds (until cluster time ``until``)."""

        def tick():
            self.check_now()
            if until is None or self.cluster.now() + interval <= until:
                self.cluster.after(interval, tick)

        self.cluster.after(interval, tick)

    def expect_leader(self, since, why):
        """There is exactly one leader now, holding the key (liveness after ``why`` at ``since``)."""
        believers = self.believers()
        kv = self.holder()
        if len(believers) != 1 or kv is None or kv.value != believers[0][0]:
            raise AssertionError(explain(
                f"is_leader() on every node at t={self.cluster.now():.6f}, {self.cluster.now() - since:.3f} s after {why}",
                [name for name, _ in believers], "exactly one leader, holding the leader key "
                f"(key: {None if kv is None else kv.value!r})",
                f"invariant: a new leader within TTL + {ELECTION_SLACK:g} s after the leader fails (followers "
                "watch the key and run the election again when it is deleted)"))
        return believers[0][0]

    # -- the ledger --------------------------------------------------------------------------
    def due(self, until):
        """``{reference: (customer, amount, due time)}`` for every period due by cluster time ``until``."""
        out = {}
        for sid, customer, amount, first, period in self.plain:
            k = 0
            while first + k * period <= until:
                out[f"{sid}/{k}"] = (customer, amount, first + k * period)
                k += 1
        return out

    def check_ledger(self, until, lateness=None):
        """Every invariant of the payments ledger; periods due by ``until`` must be charged."""
        if self.violations:
            raise AssertionError(self.violations[0])
        arrivals = self.payments.arrivals
        stale = [a for a in arrivals if a.accepted and a.holder != a.caller and not self._in_window(a)]
        if stale:
            a = stale[0]
            raise AssertionError(explain(
                f"payments.charge({a.customer!r}, {a.amount}, token={a.token!r}, reference={a.reference!r}) from "
                f"{a.caller} arriving at t={a.time:.6f}", "accepted",
                f"rejected as stale (the leader key was held by {a.holder!r}, token {a.holder_token!r})",
                f"invariant: a deposed leader's late charge is refused once a newer token has reached the payments "
                f"service ({len(stale)} such charge(s) accepted); pass the leader key's create revision as the token"))
        twice = self.payments.charged_twice()
        if twice:
            raise AssertionError(explain("payments.charged_twice() at the end", twice, [],
                                         "invariant: no subscription charged twice for one period"))
        due = self.due(until)
        accepted = {}
        for a in arrivals:
            if a.accepted:
                accepted.setdefault(a.reference, a)
        missing = sorted(ref for ref in due if ref not in accepted)
        if missing:
            raise AssertionError(explain(
                f"accepted charges for the periods due by t={until:g}", f"{len(missing)} missing, first {missing[:5]}",
                "one accepted charge per due period",
                "invariant: no subscription period skipped (progress lives in the store and is recorded only "
                "after the charge was accepted)"))
        for ref, a in sorted(accepted.items()):
            customer, amount, due_at = self._expected(ref)
            if (a.customer, a.amount) != (customer, amount) or a.time < due_at:
                raise AssertionError(explain(
                    f"payments.charge({a.customer!r}, {a.amount}, reference={ref!r}) at t={a.time:.6f}",
                    (a.customer, a.amount, round(a.time, 6)), f"({customer!r}, {amount}, at or after {due_at:g})",
                    "period k of a subscription is charged its amount, to its customer, once due"))
            if lateness is not None and ref in due and a.time > due_at + lateness:
                raise AssertionError(explain(
                    f"the charge for {ref!r}", f"at t={a.time:.6f}", f"by t={due_at + lateness:g} (due at {due_at:g})",
                    f"a leader charges what is due within about poll_interval ({self.poll:g} s)"))
            own = a.holder_token if a.holder == a.caller else self._last_token(a.caller, a.time)
            if a.token != own:
                raise AssertionError(explain(
                    f"payments.charge(..., reference={ref!r}) from {a.caller}", f"token={a.token!r}",
                    f"token={own!r}, the create revision of {a.caller}'s leader key",
                    "invariant: every charge carries its leadership's fencing token"))
        stalled = self.stalled_charges()
        unexplained = [a for a in arrivals if not a.accepted and (a.caller, a.reference) not in stalled]
        if unexplained:
            a = unexplained[0]
            raise AssertionError(explain(
                f"payments.charge(..., token={a.token!r}, reference={a.reference!r}) from {a.caller} at t={a.time:.6f}",
                "rejected: stale fencing token", "no stale charge unless the suite stalled the node mid-charge",
                "invariant: a leader stops working before its lease ends (fencing is the last line, not the plan)"))

    def check_at_every_step(self, until, lateness):
        """Check the ledger's invariants after every event of the cluster (``add_invariant``),
        reading only what the payments service and the store saw, never calling a node: every
        violation the wrapped clients noted (a charge sent by a node not holding the leader key,
        a progress record moving back, an election without the key), and for each charge as it
        arrives: not accepted from a deposed leader once a newer token reached the payments
        service (two leaders acting at once), not a period charged twice, not early, carrying its
        leadership's token, not rejected unless the suite stalled it. And progress: every period
        due by cluster time ``until`` is accepted within ``lateness`` seconds of its due time."""
        arrivals = self.payments.arrivals
        accepted: dict[Any, Arrival] = {}
        pending = sorted((due_at + lateness, due_at, ref) for ref, (_, _, due_at) in self.due(until).items())
        seen = {"arrivals": 0, "pending": 0}

        def ledger(cluster):
            if self.violations:
                return self.violations[0]
            while seen["arrivals"] < len(arrivals):
                a = arrivals[seen["arrivals"]]
                seen["arrivals"] += 1
                broken = self._judge_arrival(a, accepted)
                if broken:
                    return broken
            now = cluster.now()
            while seen["pending"] < len(pending) and pending[seen["pending"]][0] < now:
                by, due_at, ref = pending[seen["pending"]]
                seen["pending"] += 1
                if ref not in accepted:
                    return explain(
                        f"accepted charges for {ref!r} (due at t={due_at:g}) at t={now:.6f}", "none",
                        f"one by t={by:g}",
                        f"invariant: progress: a leader charges what is due within {lateness:g} s, across "
                        f"failovers (a new leader within ttl + {ELECTION_SLACK:g} s reads the progress and "
                        "catches up)")
            return None

        self.cluster.add_invariant("the payments ledger", ledger)

    def _judge_arrival(self, a, accepted):
        """What is wrong with charge ``a`` as it reached the payments service (None: nothing)."""
        called = (f"payments.charge({a.customer!r}, {a.amount}, token={a.token!r}, reference={a.reference!r}) from "
                  f"{a.caller} arriving at t={a.time:.6f}")
        if not a.accepted:
            if (a.caller, a.reference) in self.stalled_charges():
                return None
            return explain(called, "rejected: stale fencing token",
                           "no stale charge unless the suite stalled the node mid-charge",
                           "invariant: a leader stops working before its lease ends (fencing is the last line, "
                           "not the plan)")
        if a.holder != a.caller and not self._in_window(a):
            return explain(called, "accepted",
                           f"rejected as stale (the leader key was held by {a.holder!r}, token {a.holder_token!r})",
                           "invariant: never two leaders acting at once: a deposed leader's late charge is refused "
                           "once a newer token has reached the payments service; pass the leader key's create "
                           "revision as the token")
        if a.reference in accepted:
            first = accepted[a.reference]
            return explain(called, "accepted", f"refused: {a.reference!r} was charged at t={first.time:.6f} "
                           f"(from {first.caller}, token {first.token!r})",
                           "invariant: no subscription charged twice for one period")
        accepted[a.reference] = a
        customer, amount, due_at = self._expected(a.reference)
        if (a.customer, a.amount) != (customer, amount) or a.time < due_at:
            return explain(called, (a.customer, a.amount, round(a.time, 6)),
                           f"({customer!r}, {amount}, at or after {due_at:g})",
                           "period k of a subscription is charged its amount, to its customer, once due")
        own = a.holder_token if a.holder == a.caller else self._last_token(a.caller, a.time)
        if a.token != own:
            return explain(called, f"token={a.token!r}", f"token={own!r}, the create revision of {a.caller}'s "
                           "leader key", "invariant: every charge carries its leadership's fencing token")
        return None

    def _last_token(self, node, before):
        """The token of ``node``'s last leadership that began before cluster time ``before``."""
        tokens = [t["token"] for t in self.terms if t["node"] == node and t["start"] <= before]
        return tokens[-1] if tokens else None

    def _in_window(self, arrival):
        """Whether ``arrival`` (a charge from a node that no longer held the leader key) came
        before any larger token reached the payments service (in a charge or a ``fence``): the
        window in which fencing cannot stop it."""
        if arrival.token is None:
            return False
        seen = [a.token for a in self.payments.arrivals if a.time < arrival.time and a.token is not None]
        seen += [f.token for f in self.payments.fences if f.time < arrival.time and f.accepted]
        return not any(token > arrival.token for token in seen)

    def _expected(self, ref):
        sid, _, k = ref.rpartition("/")
        for s_id, customer, amount, first, period in self.plain:
            if s_id == sid and k.isdigit():
                return customer, amount, first + int(k) * period
        raise AssertionError(explain("a charge's reference", ref, "'<subscription id>/<period k>'",
                                     "the reference names the subscription and the period it pays for"))



def last_refresh_sent(cluster, name, before):
    """Cluster time at which node ``name`` sent its last lease refresh answered before ``before``
    (read from the trace: a node's calls to the store are one at a time)."""
    answered, pending = None, None
    for e in cluster.trace:
        if e.time >= before:
            break
        if e.kind == "call" and e.node == name and e.peer == "etcd":
            pending = (e.time, e.data)
        elif e.kind == "reply" and e.node == "etcd" and e.peer == name and pending is not None:
            if pending[1] == "etcd.refresh":
                answered = pending[0]
            pending = None
        elif e.kind == "fail" and e.node == name and e.peer == "etcd":
            pending = None
    return answered


@pytest.fixture
def refresh_sent():
    """``refresh_sent(cluster, name, before)``: see :func:`last_refresh_sent`."""
    return last_refresh_sent
