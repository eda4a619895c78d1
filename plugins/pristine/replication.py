"""Replication: keeping a second copy of the data on another node.

A system is only as available as its database: when the one database server dies, every
request that needs data fails. **Replication** keeps a copy of the data on a second server, the
*replica*, so that it can take over (*failover*) when the *primary* dies. Replicas can also sit
closer to users in other regions and serve their reads faster.

The whole design turns on one question: **when is a write done?**

* **Synchronous replication.** The primary sends the write to the replica and acknowledges the
  client only once the replica confirmed it has it. An acknowledged write is then on two
  machines, so losing the primary loses nothing, and a read from the replica is never stale.
  The price: every write waits a round trip to the replica, and when the replica does not
  confirm in time (it is down, cut off, or too slow) the write is reported *failed*: the
  primary must not apply it. With one replica, a sync pair cannot accept writes while either
  node is down.

  A failed write is not the same as a write that did not happen: its outcome is **unknown**.
  The replica may have applied it and only its confirmation was lost. While the primary lives it
  resynchronises the replica and the write ends up nowhere; but if the primary dies first, the
  replica is promoted *with* that write. A client that must know retries, and a retry must not
  apply the write twice (it could overwrite a newer value of the key): each write carries a
  client **write id**, the same on every retry, and a node's data remembers the ids it reflects.
* **Asynchronous replication.** The primary applies the write, acknowledges at once, and ships
  it to the replica later. Writes are fast and survive a replica outage, but reads from the
  replica are stale for a while (bounded by how often the primary ships), and a write the
  primary acknowledged but had not shipped yet is lost if the primary dies. Choose it when a
  little staleness is fine (a post that reaches the other side of the world a second later).

**Failover.** The primary sends the replica a *heartbeat* every ``heartbeat_interval`` seconds,
even when there is nothing to write. A replica that hears nothing from the primary for
``failover_timeout`` seconds concludes it is dead and promotes itself. A timeout cannot tell a
dead primary from a slow or cut-off one, so two nodes may both believe they are primary (*split
brain*). **Terms** settle it: every promotion starts a new, higher term, every message carries
the sender's term, and a node that hears of a higher term than its own adopts it and becomes a
replica. A deposed primary therefore stops accepting writes as soon as it hears from the new
one, and takes the new primary's data, dropping whatever it accepted on its own.

**Rejoining.** A node that restarts cannot know whether it was replaced while it was down, so
it always comes back as a replica and waits to hear from the primary; if no primary speaks up
within ``failover_timeout``, it may promote itself. In sync mode, only a replica that holds
everything the primary acknowledged may promote itself: one that lost its disk and has not
caught up since would throw acknowledged writes away. In async mode no replica can promise
that (the primary acknowledged writes it had not shipped yet), so a promotion may lose the last
acknowledged writes: that is the price of asynchronous replication. Either way, a replica that
started without state must catch up with a primary before it may promote itself.

One failure this pair does not survive: the node *configured* as primary losing its disk. With
nothing on its disk it cannot tell a lost disk from the pair's first start, so it starts as the
primary again, at term 0, and a replica still at term 0 takes its empty data. (A real system
keeps the pair's membership and term somewhere replicated, or starts every node as a replica
and lets an operator name the first primary.) The suite loses only the configured replica's disk.

**Consistency models: what a reader may see.** A store is *strongly consistent*
(linearizable) when every read sees the latest acknowledged write, as if there were one copy of
the data: reading from the primary, or from a synchronous replica, gives that. Reads from an
asynchronous replica are only *eventually consistent*: once writes stop, every replica ends up
with the same data, but until then a read may return an old value, and two reads in a row, from
two replicas that lag by different amounts, may even go back in time. Between the two sit the
**session guarantees**, which a client can get from lagging replicas without paying for strong
consistency everywhere:

* **read-your-writes**: once the client's own write was acknowledged, its reads of that key
  return that value or a newer one, never an older one (the user who just changed their profile
  picture sees the new picture, even if the rest of the world sees it a second later);
* **monotonic reads**: once a read returned a value, later reads of that key never return an
  older one (a comment does not appear on one refresh and disappear on the next, because the
  second refresh went to a replica further behind).

The usual way to provide them: the client's *session* remembers the highest position in the
primary's log (here: the ``index``) that it wrote *or* read, and a read goes only to a node that
has applied at least that much. A replica that is behind makes the read wait for it to catch up,
or the read goes to another node (the primary has everything). Remembering only the writes is
not enough: a read served by the primary (or by a replica further ahead) can show a value that a
replica which already has the session's writes does not have yet.

With more than two nodes you would use a majority (quorum) for both writes and elections, as
Raft does: a pair cannot tell "the other node died" from "I am cut off", which is why a sync
pair stops accepting writes rather than risk losing one.

Your component runs inside a node of the kit's simulated cluster. It gets the ``node`` it runs
on and uses it to talk and to keep time:

* ``node.send(peer, body)`` sends a message (a dict of plain data) to the other node; the suite
  delivers incoming messages to your ``on_message(msg)`` (``msg.src``, ``msg.body``). Messages
  can be lost (crash, partition), but on one link they never overtake each other.
* ``node.every(seconds, fn)`` and ``node.set_timer(seconds, fn, *args)`` run ``fn`` later on the
  node (``timer.cancel()`` stops one). A crash cancels them all.
* ``node.durable`` is a dict the cluster keeps across crashes, as a disk would be kept (it is
  emptied only when the node loses its disk): keep your state in ``node.durable[STATE_KEY]``.
  Everything else in your object is lost in a crash; after a restart the suite builds a new
  ``Replica`` with the same arguments.
* ``time.monotonic()`` gives the node's clock (virtual time: read it at call time).

A protocol that works (you may use another one that meets the contracts):

* the primary numbers its writes: ``index`` is how many writes it has applied;
* ``write`` (sync mode): ``{term, id, index, key, value, write_id}``; the replica applies it if
  the index follows its own, and answers ``ack`` ``{term, id, index, ok}``. The primary applies
  the write and calls ``done(True)`` when an ``ok`` ack with that write's ``id`` arrives within
  ``ack_timeout``, else ``done(False)`` (and ignores that id's ack if it comes later);
* ``heartbeat`` ``{term, id, index}`` every ``heartbeat_interval``; the replica acks it (ok when
  its index matches). When the primary does not know that the replica's data equals its own
  (just promoted, a write failed, an ack said otherwise, the replica is behind), it sends a
  ``snapshot`` ``{term, id, index, data, write_ids}`` instead of a heartbeat, and the replica
  replaces its state with it. In async mode this is also how writes reach the replica. Never
  while a write waits for its confirmation: the replica may already hold that write, and a
  snapshot without it would roll back a write you are about to acknowledge;
* any message with a higher term than yours: adopt the term and become a replica.

Tasks
-----
1. ``Replica``: state kept in ``node.durable``, roles on first start and after a restart,
   ``get``/``data``, a replica refuses writes.
2. Asynchronous replication: acknowledge at once, ship on heartbeats, the replica converges.
3. Synchronous replication: acknowledge only what the replica confirmed; a write the replica
   did not confirm fails on the primary (its outcome is unknown); a retried write id is applied
   at most once.
4. Failover: heartbeats, promotion after ``failover_timeout`` of silence, terms, and never
   promote a replica that may miss acknowledged writes.
5. Rejoin: step down on a higher term, refuse writes as a replica, catch up.
6. ``Session``: a client that writes through the primary and reads from replicas, with
   read-your-writes and monotonic reads against a lagging replica, and reads that still complete
   (a bounded wait, or another node) when a replica is behind.

Run ``sysdesign check replication``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

PRIMARY, REPLICA = "primary", "replica"
"""The two roles."""

SYNC, ASYNC = "sync", "async"
"""The two replication modes."""

STATE_KEY = "replica"
"""Where a ``Replica`` keeps its state in ``node.durable``."""


class Replica:
    """One node of a primary-replica pair (tasks 1-5).

    Public attributes, kept up to date: ``role`` (``PRIMARY`` or ``REPLICA``), ``term`` (an int
    that only grows; 0 on a new pair), ``index`` (how many writes this node's data reflects,
    each write counted once, an overwrite of a key too) and ``in_sync`` (True for a primary; for
    a replica, once it has caught up with a primary since it last started without state: in
    sync mode it then holds every write the primary acknowledged). Both nodes of a pair run
    with the same ``mode`` and timings.
    """

    def __init__(self, node: Any, peer: str, role: str = REPLICA, mode: str = SYNC, *,
                 ack_timeout: float = 0.5, heartbeat_interval: float = 0.5, failover_timeout: float = 2.0) -> None:
        """Task 1. Start (or restart) the replica running on ``node``; ``peer`` is the other
        node's name.

        ``role`` is the role the node was configured with; it applies only when
        ``node.durable`` holds no state of yours (the pair's first start, or a lost disk): the
        node then starts in that role with no data, term 0, ``in_sync`` true for a primary and
        false for a replica, and saves that state. When ``node.durable[STATE_KEY]`` holds state
        (a restart), load term, index, data, ``in_sync`` and the write ids from it and start as a
        ``REPLICA``, whatever ``role`` says. Save your state to ``node.durable[STATE_KEY]``
        after every change, before acknowledging anything.

        Start a timer that fires every ``heartbeat_interval`` seconds (``node.every``). On each
        tick a primary sends a heartbeat, or a snapshot when it does not know that the replica
        holds exactly its data and no write is waiting for its confirmation (tasks 2-3); a
        replica that is ``in_sync`` and has not heard from a primary for ``failover_timeout``
        seconds or more promotes itself: term + 1, role ``PRIMARY``, saved (task 4). Raise
        ``ValueError`` for an unknown ``role`` or ``mode``, for ``ack_timeout <= 0``, and unless
        ``0 < heartbeat_interval < failover_timeout``.
        """
        raise NotImplementedError("task 1: implement Replica.__init__")

    def get(self, key: str) -> Any:
        """Task 1. The value of ``key`` in this node's data, or ``None``. Any role may answer
        (reads from a replica may be stale in async mode)."""
        raise NotImplementedError("task 1: implement Replica.get")

    def data(self) -> dict[str, Any]:
        """Task 1. A copy of this node's data (key -> value)."""
        raise NotImplementedError("task 1: implement Replica.data")

    def put(self, key: str, value: Any, done: Callable[[bool], None], write_id: Any = None) -> None:
        """Tasks 1-3. A client write; call ``done(ok)`` exactly once when it is decided.

        ``write_id`` (optional, a plain value such as a string): the client's name for this
        write, the same on every retry. A node remembers the ids of the writes its data
        reflects (saved with its data, and sent along with it to the replica), and a write
        whose id is among them is never applied again: it is confirmed like a new write, without
        changing the data or ``index``.

        * Not the primary (task 1): ``done(False)`` at once, nothing changes.
        * ``ASYNC`` (task 2): apply the write, save, ``done(True)`` at once; it reaches the
          replica with a later heartbeat, within ``heartbeat_interval`` (plus latency) while
          the replica can be reached, and after it comes back otherwise.
        * ``SYNC`` (task 3): send the write to the replica and call ``done(True)`` only when the
          replica has confirmed it; apply it on the primary at that moment, not before. When no
          confirmation arrives within ``ack_timeout`` seconds of sending it (or the replica
          refuses it), ``done(False)``: the primary never applies it and resynchronises a
          replica that did, but the outcome is *unknown*: if the primary dies before that, the
          replica may be promoted holding the write. Only a retry with the same ``write_id``
          settles it. A retry of a write the primary's data already reflects: ``done(True)``
          once the replica confirms it holds the primary's data. One write at a time: writes
          put while one is waiting queue up and are sent in order. A primary that steps down
          calls ``done(False)`` for every write still waiting.
        """
        raise NotImplementedError("task 1: implement Replica.put")

    def on_message(self, msg: Any) -> None:
        """Tasks 2-5. Handle a message from the peer: ``msg.src`` (its name) and ``msg.body``
        (the dict it sent). The suite wires every message the node receives to this method.

        The replica applies what the primary sends (writes, snapshots) and confirms it; the
        primary matches confirmations to the writes waiting for them. A replica resets its
        failover countdown whenever it hears from a primary whose term is at least its own.
        A message carrying a higher term than yours makes you adopt that term (save it) and, if
        you were the primary, step down to replica (task 5); so does a message from another
        primary of your own term. A message from a primary with a lower term is refused, with
        your term in the answer, so that it steps down.
        """
        raise NotImplementedError("task 2: implement Replica.on_message")


class Session:
    """One client's session over a pair (task 6): writes go through the primary, reads go to a
    replica, and every read keeps two guarantees, per key: **read-your-writes** (after the
    session's write of a key was acknowledged, a read of that key returns that value or a newer
    one) and **monotonic reads** (a read of a key never returns a value older than one an earlier
    read of the session returned). "Older" is by the primary's order of the writes.

    The guarantees are about asynchronous replication while the primary stays the primary, and
    the suite grades them there. In sync mode a replica never lags behind an acknowledged write,
    but it may show a write whose outcome is still unknown and roll it back later, so a read from
    it can go back in time; after a failover in async mode, acknowledged writes may be gone from
    every node, and then no read can keep them.
    """

    def __init__(self, connect: Callable[[str], Any], primary: str, replicas: list[str], *,
                 max_wait: float = 1.0) -> None:
        """Task 6. ``connect(name)`` gives the ``Replica`` running on node ``name`` right now
        (or ``None`` while that node is down): a call on it stands for a request to that node,
        answered at once. Use its public API only: ``put``, ``get``, ``index``, ``role``.
        ``primary`` is the node to write through; ``replicas`` the nodes to read from (may be
        empty: then every read goes to the primary). ``max_wait`` (seconds, ``>= 0``; ``0``:
        never wait) is how long a read may wait for a replica to catch up. Raise
        ``ValueError`` for ``max_wait < 0``.
        """
        raise NotImplementedError("task 6: implement Session.__init__")

    def put(self, key: str, value: Any, done: Callable[[bool], None], write_id: Any = None) -> None:
        """Task 6. Write through the primary (``Replica.put`` on ``connect(primary)``) and call
        ``done(ok)`` exactly once with its answer; ``done(False)`` at once when the primary is
        down. An acknowledged write is what later reads must reflect: the primary has applied
        it when it calls its ``done(True)``, so its ``index`` at that moment covers the write."""
        raise NotImplementedError("task 6: implement Session.put")

    def get(self, key: str) -> Any:
        """Task 6. The value of ``key`` (``None`` when absent) as a node that has applied
        everything this session must see has it: every write the session had acknowledged and
        everything its earlier reads returned.

        * Read from a replica in ``replicas`` whenever one that is up has applied that much: a
          session over a healthy pair does not load the primary with its reads.
        * When none has, wait for one to catch up (``time.sleep``: virtual time, the cluster runs
          meanwhile), or read from another node that has (the primary has everything it
          acknowledged); either way return within ``max_wait`` seconds of the call.
        * Raise ``TimeoutError`` when no node that is up has applied that much within
          ``max_wait`` (the primary is down and the replica is behind): never return a value
          the session must not see.
        """
        raise NotImplementedError("task 6: implement Session.get")
