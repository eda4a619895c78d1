"""Reference: leader election on the etcd-like store, and a fenced subscription charger."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import requests

from sysdesign.cluster.services import LeaseNotFound, StaleToken, get_op, mod_revision, put_op, version

LEADER_KEY = "/billing/leader"
PROGRESS_PREFIX = "/billing/charged/"

_STORE_ERRORS = (requests.RequestException, LeaseNotFound)
_TICK = 1e-6


@dataclass(frozen=True)
class Subscription:
    """A recurring charge (given)."""

    id: str
    customer: str
    amount: int
    first_due: float
    period: float

    def due(self, k: int) -> float:
        return self.first_due + k * self.period

    def reference(self, k: int) -> str:
        return f"{self.id}/{k}"


class LeaderElection:
    def __init__(self, node: Any, store: Any, *, key: str = LEADER_KEY, ttl: float = 5.0,
                 refresh_interval: float | None = None, safety_margin: float | None = None,
                 retry_interval: float | None = None, on_elected: Callable[[int], Any] | None = None,
                 on_deposed: Callable[[], Any] | None = None) -> None:
        if not ttl > 0:
            raise ValueError(f"ttl must be positive, got {ttl!r}")
        margin = ttl / 10 if safety_margin is None else safety_margin
        refresh = ttl / 3 if refresh_interval is None else refresh_interval
        retry = ttl / 5 if retry_interval is None else retry_interval
        if not 0 <= margin < ttl:
            raise ValueError(f"safety_margin must be in [0, ttl), got {margin!r}")
        if not 0 < refresh < ttl - margin:
            raise ValueError(f"refresh_interval must be in (0, ttl - safety_margin), got {refresh!r}")
        if not retry > 0:
            raise ValueError(f"retry_interval must be positive, got {retry!r}")
        self.node, self.store, self.key, self.ttl = node, store, key, ttl
        self.safety_margin, self.refresh_interval, self.retry_interval = margin, refresh, retry
        self.on_elected, self.on_deposed = on_elected, on_deposed
        self.token: int | None = None
        self._lease: Any = None
        self._leader = False
        self._deadline = 0.0
        self._refresher: Any = None
        self._deadline_timer: Any = None
        self._watch: Any = None
        self._watch_gen = 0
        self._holder: Any = None
        self._started = False

    # -- task 1: one campaign ----------------------------------------------------------------
    def campaign(self) -> bool:
        if self._leader:
            return self.is_leader()
        started = time.monotonic()
        lease = self.store.grant(self.ttl)
        result = self.store.txn(compare=[version(self.key) == 0],
                                success=[put_op(self.key, self.node.name, lease=lease)],
                                failure=[get_op(self.key)])
        if not result.succeeded:
            self._holder = result.responses[0]
            _quietly(lease.revoke)  # unused; it would expire anyway, nobody refreshes it
            return False
        self._lease, self.token, self._leader = lease, result.responses[0], True
        self._deadline = started + self.ttl - self.safety_margin
        self._refresher = self.node.every(self.refresh_interval, self._keepalive)
        self._deadline_timer = self.node.set_timer(max(0.0, self._deadline - time.monotonic()), self._on_deadline)
        if self.on_elected is not None:
            self.on_elected(self.token)
        return True

    def is_leader(self) -> bool:
        return self._leader and time.monotonic() < self._deadline

    def time_left(self) -> float:
        return max(0.0, self._deadline - time.monotonic()) if self._leader else 0.0

    # -- task 2: keep the lease, or stop ------------------------------------------------------
    def refresh(self) -> bool:
        if not self._leader:
            return False
        sent = time.monotonic()
        try:
            self._lease.refresh()
        except LeaseNotFound:
            self.step_down()
            return False
        except requests.RequestException:
            if time.monotonic() >= self._deadline:
                self.step_down()
            return False
        self._deadline = max(self._deadline, sent + self.ttl - self.safety_margin)
        if time.monotonic() >= self._deadline:  # the answer came too late to be of use
            self.step_down()
            return False
        return True

    def _keepalive(self) -> None:
        self.refresh()

    def _on_deadline(self) -> None:
        left = self._deadline - time.monotonic()
        if left > _TICK:  # extended by a refresh meanwhile
            self._deadline_timer = self.node.set_timer(left, self._on_deadline)
            return
        self.step_down()

    def step_down(self) -> None:
        if not self._leader:
            return
        self._leader, self.token = False, None
        self._refresher.cancel()
        self._deadline_timer.cancel()
        lease, self._lease = self._lease, None
        if self.on_deposed is not None:
            self.on_deposed()
        _quietly(lease.revoke)  # hand over at once instead of after the lease runs out
        if self._started:
            self.node.post(self._elect)

    # -- task 3: follow, and run again --------------------------------------------------------
    def start(self) -> None:
        self._started = True
        self.node.post(self._elect)

    def _elect(self) -> None:
        self._drop_watch()
        try:
            if self.campaign() or self._leader:
                return
            gen = self._watch_gen
            self._watch = self.store.watch(self.key, lambda event: self._on_event(gen, event),
                                           start_revision=self._holder.mod_revision + 1)
        except _STORE_ERRORS:
            self.node.set_timer(self.retry_interval, self._elect)

    def _on_event(self, gen: int, event: Any) -> None:
        if gen != self._watch_gen or event.type == "put":
            return
        if event.type == "cancelled":
            self._watch = None  # the stream is gone already: nothing to cancel
        self._elect()

    def _drop_watch(self) -> None:
        watch, self._watch = self._watch, None
        self._watch_gen += 1
        if watch is not None:
            _quietly(watch.cancel)


def _quietly(call: Callable[[], Any]) -> None:
    """A courtesy call to the store whose failure changes nothing."""
    try:
        call()
    except _STORE_ERRORS:
        pass


class _Stop(Exception):
    """Ends a charging round early."""


class SubscriptionCharger:
    def __init__(self, election: LeaderElection, store: Any, payments: Any, subscriptions: Iterable[Subscription],
                 *, poll_interval: float = 1.0, prefix: str = PROGRESS_PREFIX) -> None:
        subs = sorted(subscriptions, key=lambda s: s.id)
        if len({s.id for s in subs}) != len(subs):
            raise ValueError("subscription ids must be unique")
        if not poll_interval > 0:
            raise ValueError(f"poll_interval must be positive, got {poll_interval!r}")
        self.election, self.store, self.payments = election, store, payments
        self.subscriptions, self.poll_interval, self.prefix = subs, poll_interval, prefix
        self._token: int | None = None
        self._progress: dict[str, tuple[int, int]] = {}
        self._unrecorded: dict[str, tuple[int, int]] = {}
        self._next_due = float("-inf")  # nothing can be due before this (for this leadership)
        self._presented = False  # has this leadership's token reached the payments service?
        self._charged = 0

    def start(self) -> None:
        self.election.node.every(self.poll_interval, self.run_due, first=0.0)

    def run_due(self) -> int:
        self._charged = 0
        try:
            for sub_id in sorted(self._unrecorded):  # facts first, leader or not
                self._record(sub_id)
            if not self.election.is_leader():
                return 0
            token = self.election.token
            if token != self._token:  # a new leadership: what another leader did is in the store
                self._token, self._progress, self._next_due = token, {}, float("-inf")
                self._presented = False
            if not self._presented:
                # Fence first, read progress after: a deposed leader's charge that arrives from now
                # on is refused, and one accepted before is already recorded when we read.
                self._present(token)
            now = time.time()
            if now < self._next_due:
                return 0
            for sub in self.subscriptions:
                self._charge_due(sub, token, now)
            self._next_due = min((s.due(self._progress[s.id][0]) for s in self.subscriptions), default=float("inf"))
        except (_Stop, requests.RequestException):
            pass
        return self._charged

    def _present(self, token: int) -> None:
        try:
            self.payments.fence(token)
        except StaleToken:
            self.election.step_down()
            raise _Stop from None
        self._presented = True

    def _charge_due(self, sub: Subscription, token: int, now: float) -> None:
        k, rev = self._load(sub)
        while sub.due(k) <= now:
            if not self.election.is_leader():
                raise _Stop
            try:
                self.payments.charge(sub.customer, sub.amount, token=token, reference=sub.reference(k))
            except StaleToken:
                self.election.step_down()
                raise _Stop from None
            self._charged += 1
            self._unrecorded[sub.id] = (k + 1, rev)
            self._record(sub.id)
            k, rev = self._progress[sub.id]

    def _load(self, sub: Subscription) -> tuple[int, int]:
        if sub.id not in self._progress:
            kv = self.store.get(self.prefix + sub.id)
            self._progress[sub.id] = (kv.value, kv.mod_revision) if kv is not None else (0, 0)
        return self._progress[sub.id]

    def _record(self, sub_id: str) -> None:
        k, rev = self._unrecorded[sub_id]
        key = self.prefix + sub_id
        while True:
            result = self.store.txn(compare=[mod_revision(key) == rev], success=[put_op(key, k)],
                                    failure=[get_op(key)])
            if result.succeeded:
                self._progress[sub_id] = (k, result.responses[0])
                break
            kv = result.responses[0]  # somebody else wrote it meanwhile: keep whichever is further
            if kv is not None and kv.value >= k:
                self._progress[sub_id] = (kv.value, kv.mod_revision)
                break
            rev = kv.mod_revision if kv is not None else 0
        del self._unrecorded[sub_id]
