"""Leader election: one server does the job, the others stand by, and nobody does it twice.

The job: a subscription service (think of a streaming site's monthly plans) must charge every
customer once per period through a third-party payments provider. A database knows who pays
what and when; a small service in the middle reads it and asks the provider to charge. One such
service is a single point of failure, so we run three. But three servers doing the same job
charge every customer three times. So they **elect a leader**: only the leader charges; the
others wait and take over when it dies.

Agreeing on a leader across machines that crash and lose messages is a consensus problem
(Paxos, Raft). You rarely write that yourself: a strongly consistent coordination store that
runs consensus internally (etcd, ZooKeeper) gives you the three tools that make election easy:

* **A lease.** A timer the store keeps for a client: it expires ``ttl`` seconds after it was
  granted or last refreshed, unless refreshed again (a heartbeat). Keys written *with* the
  lease are deleted when it expires. A leader that crashes stops refreshing, and its key
  disappears on its own.
* **A transaction** "create the leader key only if it does not exist": compare the key's
  ``version == 0`` and, in the same atomic step, put it with your name and your lease. Of any
  number of simultaneous candidates exactly one succeeds; the others are told who holds it.
* **A watch**: followers ask the store to tell them when the key changes. When it is deleted
  (the leader's lease ran out, or it resigned), they run the election again.

That is the whole protocol in the notes' etcd example. Two things make it *safe*, and they are
what this exercise is really about.

**A leader must stop before its lease ends.** A leader cut off from the store (a partition) or
frozen (a long garbage-collection pause, a stalled VM) cannot refresh; the store expires its
lease and a follower takes over. The old leader does not know. So it keeps its own **local
deadline**: the time it *sent* the grant or the last successful refresh, plus ``ttl``, minus a
**safety margin**. Measured from the sending, because the store started the lease's clock
later than that, never earlier; measured on the node's own monotonic clock, because the wall
clock can jump; with a margin, because clocks run at slightly different speeds. Past its
deadline a node is not the leader, whatever it last heard, and does nothing a leader does.

**The resource must check.** Even a careful leader can be frozen between "am I still the
leader?" and the charge request leaving the machine; when it wakes, a new leader may have
taken over, and the old one's request goes out anyway. No check inside the process can close
that gap. The fix is a **fencing token**: a number that grows with every leadership (here the
leader key's ``create_revision``, which the store increases with every write). The leader sends
it with every charge; the payments service remembers the highest token it has seen and rejects
a lower one (``StaleToken``). The deposed leader's late charge bounces; on ``StaleToken`` a
node knows it is no longer the leader and steps down.

**Fencing works only once the newer token has arrived.** Until the new leader's token reaches
the payments service, the old token is still the highest it has seen, and a late charge from
the old leader is accepted. Nothing can refuse it in that window (it opens when the new leader
is elected), so the new leader makes the window short and harmless: it **presents its token
first** (``payments.fence(token)``, a token without a charge), and reads the progress only
after the payments service took it. A late charge that arrives after that is refused; one that
arrived before has been recorded by the old leader by the time the new one reads (unless the
old leader stalls right between that charge and its record: the window of the next paragraph).
Reading the progress first and presenting the token with the first charge is the trap: if that
charge cannot get through at once, the old leader may charge and record meanwhile, and the new
leader charges the same period again from what it had read.

**Exactly once.** Which periods have been charged must survive the leader: keep the progress in
the store (``PROGRESS_PREFIX + subscription id`` holds how many periods are charged), read it
when you become leader, and record a period only after the provider accepted its charge. A
record written first and a charge that then never happens is a customer never charged; no
record at all is a customer charged again by the next leader. A record can also arrive late: a
deposed leader whose answer was lost writes it again after a newer leader recorded more, so
write it in a transaction on the key's ``mod_revision`` and never let it move backwards (or the
next leader charges those periods again). One window cannot be closed this way: a crash *after*
the provider accepted a charge and *before* the record was written. Real providers offer
idempotency keys (the same key twice is charged once) for exactly that reason; this provider
has none, so the suite never crashes a leader inside that window (it stalls one just *before* a
charge leaves instead, which fencing must handle).

When would you choose otherwise? If the work is idempotent (re-running it is harmless), you may
not need a leader at all: let every server try and let the resource deduplicate. If you already
run a consensus system (a Raft log), its leader can do the job directly.

The API, in this kit's simulated cluster:

* ``node``: the process you run on. ``node.name``; ``node.set_timer(delay, fn, *args)`` and
  ``node.every(interval, fn, *args, first=None)`` (both return a timer with ``cancel()``);
  ``node.post(fn, *args)`` runs ``fn`` soon. Your handlers run one at a time; a network call
  blocks only your node. Do not loop forever or sleep in a loop: schedule a timer.
* ``store``: the etcd-like client (``sysdesign.cluster.services``): ``grant(ttl)`` -> ``Lease``
  (``.id``, ``.refresh()``, ``.revoke()``), ``txn(compare, success, failure)`` -> result with
  ``.succeeded`` and ``.responses`` (a put: the new revision; a get: a ``KeyValue`` or None),
  ``get(key)``, ``watch(key, callback, start_revision=None)`` -> ``Watch`` (``.cancel()``).
  Comparisons and operations: ``version(key) == 0``, ``mod_revision(key) == r``,
  ``put_op(key, value, lease=lease)``, ``get_op(key)``. A ``KeyValue`` has ``value``,
  ``version``, ``create_revision``, ``mod_revision``, ``lease``. A refresh of an expired lease
  raises ``LeaseNotFound``; watch callbacks get events with ``type`` ``"put"``, ``"delete"`` or
  ``"cancelled"`` (the stream broke: watch again). Network failures raise ``requests``
  exceptions (``requests.RequestException``): the store may be down, or you may be cut off.
* ``payments``: ``charge(customer, amount, token=..., reference=...)``; raises ``StaleToken``
  when the token is older than one it has seen. ``fence(token)`` presents a token without
  charging anybody (``StaleToken`` likewise): from then on every lower token is refused.

Time: read ``time.monotonic()`` (deadlines) and ``time.time()`` (due dates) at call time. The
suite runs hours of virtual time with crashes, pauses and partitions in seconds.

Run ``sysdesign check leader_election``.

Tasks
-----
1. ``LeaderElection.__init__``, ``campaign``, ``is_leader``, ``time_left``: one election
   attempt (lease + create-if-absent transaction), the token, the local deadline.
2. ``LeaderElection.refresh`` and ``step_down``: keep the lease alive every
   ``refresh_interval``, extend the deadline only from when the refresh was sent, and stop
   being leader when a refresh is refused or the deadline passes.
3. ``LeaderElection.start``: campaign, and while following watch the leader key; run the
   election again when it is deleted, watch again when the watch breaks, retry after errors.
4. ``SubscriptionCharger``: charge every due period once, as the leader, keeping progress in
   the store; catch up on missed periods; record only after the charge was accepted.
5. Fencing: present the token before reading the progress, send it with every charge, step
   down on ``StaleToken``; everything together under hours of crashes, pauses and partitions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import requests  # noqa: F401  (network failures are requests.RequestException)

from sysdesign.cluster.services import LeaseNotFound, StaleToken, get_op, mod_revision, put_op, version  # noqa: F401

LEADER_KEY = "/billing/leader"
"""The key whose holder is the leader (its value: the leader's node name)."""

PROGRESS_PREFIX = "/billing/charged/"
"""``PROGRESS_PREFIX + subscription.id`` holds how many periods of it have been charged (absent: 0)."""


@dataclass(frozen=True)
class Subscription:
    """A recurring charge. (Given.)

    Period ``k`` (0, 1, 2, ...) is due at ``first_due + k * period`` (``time.time()`` seconds)
    and is charged ``amount`` to ``customer`` with the reference ``f"{id}/{k}"``.
    """

    id: str
    customer: str
    amount: int
    first_due: float
    period: float

    def due(self, k: int) -> float:
        """When period ``k`` is due (``time.time()`` seconds)."""
        return self.first_due + k * self.period

    def reference(self, k: int) -> str:
        """The payments reference of period ``k``: ``"<id>/<k>"``."""
        return f"{self.id}/{k}"


class LeaderElection:
    """One node's side of the election (tasks 1-3).

    Attributes the suite reads: ``node``, ``store``, ``key``, ``ttl``, ``refresh_interval``,
    ``safety_margin``, ``retry_interval``, and ``token`` (the leader key's ``create_revision``
    while this node is leader, else None).
    """

    def __init__(self, node: Any, store: Any, *, key: str = LEADER_KEY, ttl: float = 5.0,
                 refresh_interval: float | None = None, safety_margin: float | None = None,
                 retry_interval: float | None = None, on_elected: Callable[[int], Any] | None = None,
                 on_deposed: Callable[[], Any] | None = None) -> None:
        """Task 1. Keep the settings; talk to nobody yet.

        Defaults: ``refresh_interval = ttl / 3``, ``safety_margin = ttl / 10``,
        ``retry_interval = ttl / 5``. Raise ``ValueError`` unless ``ttl > 0``,
        ``0 <= safety_margin < ttl``, ``0 < refresh_interval < ttl - safety_margin`` and
        ``retry_interval > 0``. ``on_elected(token)`` is called each time this node becomes
        leader, ``on_deposed()`` each time a leadership of this node ends (once per leadership).
        """
        raise NotImplementedError("task 1: implement LeaderElection.__init__")

    def campaign(self) -> bool:
        """Task 1. One election attempt; returns whether this node is now the leader.

        Already leader: return True and do nothing else. Otherwise read ``time.monotonic()``,
        then grant a lease of ``ttl`` and, in one transaction, put ``key`` = ``node.name`` with
        that lease only if ``version(key) == 0``. Won: ``token`` is the put's revision (the
        key's create revision), the local deadline is the time read before the grant + ``ttl``
        - ``safety_margin``, call ``on_elected(token)``, and (task 2) schedule the refreshes.
        Lost: return False without touching the key (revoking the unused lease is polite).
        Network failures propagate (``requests.RequestException``).
        """
        raise NotImplementedError("task 1: implement LeaderElection.campaign")

    def is_leader(self) -> bool:
        """Task 1. True while this node won and its local deadline has not passed
        (``time.monotonic() < deadline``). Local: never a network call."""
        raise NotImplementedError("task 1: implement LeaderElection.is_leader")

    def time_left(self) -> float:
        """Task 1. Seconds before the local deadline (``time.monotonic()`` seconds), 0.0 when
        not leader. ``is_leader() == (time_left() > 0)``. Local: never a network call."""
        raise NotImplementedError("task 1: implement LeaderElection.time_left")

    def refresh(self) -> bool:
        """Task 2. One keepalive of the leader's lease; returns whether still leader.

        Not leader: return False. Read ``time.monotonic()`` before sending the refresh. On
        success the deadline becomes that time + ``ttl`` - ``safety_margin`` (never the time
        the answer arrived: a pause in between would stretch your leadership past the lease).
        ``LeaseNotFound`` (the store expired it): step down at once. A network error: keep
        going if the deadline has not passed, else step down. Run it every
        ``refresh_interval`` while leader, and make sure the node steps down at its deadline
        even if no refresh ever comes back (a timer).
        """
        raise NotImplementedError("task 2: implement LeaderElection.refresh")

    def step_down(self) -> None:
        """Task 2. Stop being leader now (nothing if not leader).

        ``is_leader()`` is False from this call on, ``token`` is None, the refresh timers are
        cancelled, ``on_deposed()`` is called, then revoke the lease so the key goes at once
        (ignore failures: it expires anyway). If ``start()`` was called, go back to following
        (task 3): this node may well win again. If it was not, do nothing more: only ``start()``
        makes a node campaign on its own.
        """
        raise NotImplementedError("task 2: implement LeaderElection.step_down")

    def start(self) -> None:
        """Task 3. Take part in elections from now on (call once; return quickly).

        Campaign soon (``node.post``). Lost: watch ``key`` from the revision after the one the
        transaction's failure branch showed you (so a delete that happened in between is
        replayed), and campaign again when a ``delete`` event comes. A ``cancelled`` event means
        the watch is gone: campaign again (and so watch again). A network error: try again after
        ``retry_interval``. After stepping down, follow again. A follower must notice a deleted
        key within a second.
        """
        raise NotImplementedError("task 3: implement LeaderElection.start")


class SubscriptionCharger:
    """The leader's job (tasks 4-5): charge each subscription once per period."""

    def __init__(self, election: LeaderElection, store: Any, payments: Any, subscriptions: Iterable[Subscription],
                 *, poll_interval: float = 1.0, prefix: str = PROGRESS_PREFIX) -> None:
        """Task 4. Keep the settings; talk to nobody yet.

        ``ValueError`` for two subscriptions with one id or ``poll_interval <= 0``.
        ``prefix + subscription.id`` is the store key holding the number of periods charged.
        """
        raise NotImplementedError("task 4: implement SubscriptionCharger.__init__")

    def start(self) -> None:
        """Task 4. Call ``run_due`` every ``poll_interval`` seconds on ``election.node``,
        the first time right away."""
        raise NotImplementedError("task 4: implement SubscriptionCharger.start")

    def run_due(self) -> int:
        """Tasks 4-5. One round; returns how many charges were accepted (an int: 0 when none).

        Only while ``election.is_leader()``, checked again before *every* charge. For each
        subscription (in id order) charge every period due by now (``time.time()``), oldest
        first, with ``token=election.token`` and ``reference=subscription.reference(k)``, and
        after each accepted charge record ``k + 1`` under ``prefix + id`` (a transaction on the
        key's ``mod_revision``; if somebody wrote the key meanwhile, keep the larger value: the
        record never moves backwards). Whenever this node's leadership changed (another leader
        may have charged meanwhile), first present the new token (``payments.fence(token)``,
        task 5), and only once it was taken read the progress from the store; within one
        leadership you may keep it in memory. ``StaleToken``: step down and stop. A network
        error: stop this round (try again next round); a charge whose record failed must be
        recorded later, never charged again.
        """
        raise NotImplementedError("task 4: implement SubscriptionCharger.run_due")
