"""Polling and streaming: getting fresh data from a server to a client.

A chat window, a stock ticker, a build log: the server learns something new and the client
should show it soon. HTTP is request-response, so the client has to ask; the question is how.

* **Short polling.** Ask every ``interval`` seconds: "anything since version 41?". Simple and
  stateless on the server, but it wastes requests when nothing changed, and an update waits
  for the next poll: in the worst case it is published just after a poll was answered and
  reaches the client an interval plus a round trip later. To promise a *freshness* (a bound on
  that delay), the interval must be at most ``freshness - rtt``, and a tighter promise costs
  proportionally more requests, almost all of them answered "nothing new".
* **Long polling.** Ask, and let the server *hold* the request until there is something new
  (answer at once) or until ``hold`` seconds pass (answer "nothing new"). The client asks again
  the moment it gets an answer. An update now reaches the client about one network trip after
  it is published, and an idle client costs one request per ``hold`` seconds. The server must
  really hold: a long poll answered at once with nothing is short polling with no interval,
  the worst of both. And it must let go: a request held forever never learns that the client
  went away, and proxies on the way cut connections that stay silent too long.
* **Streaming (server push).** Subscribe once over a connection that stays open (a
  WebSocket, server-sent events, a chunked HTTP response); the server pushes each update as it
  happens. The fewest requests and the freshest data, but the server keeps a connection and
  some state per client, and a connection can break silently: the server sends a *heartbeat*
  every few seconds so the client notices a silence and reconnects.

Whatever the method, connections drop. A client that reconnects must not lose what was
published meanwhile: every update carries a **version** (1, 2, 3, ... in order), the client
remembers the last version it delivered (its **cursor**) and always asks "everything after my
cursor". The server keeps its log of updates, so it can answer that. A pushed update whose
version is not ``cursor + 1`` reveals a gap (something was lost): resubscribe from the cursor.
Delivering exactly once, in order, follows: deliver only ``cursor + 1``, ignore what you have.

In this kit, clients and the server are nodes of the simulated cluster, and requests are
**messages** (the cluster's HTTP model runs each handler on one Python stack, so a handler
holding a request for 20 s would block everything; a long-poll request is a message whose
reply the server sends later). Your components get the ``node`` they run on and use:

* ``node.send(dest, body)`` and ``node.reply(msg, body)``: send a message (a dict) to the node
  named ``dest``, or back to the sender of ``msg``. Messages take a network latency and may be
  lost (partitions, lossy links); a link never reorders them.
* ``node.set_timer(delay, fn, *args)``: call ``fn(*args)`` on this node after ``delay``
  seconds; returns a timer with ``cancel()``. ``node.every(interval, fn, *args)``: the same,
  repeatedly (the first call after one ``interval``).
* ``time.monotonic()``: the node's clock (virtual seconds).

The suite delivers every message a node receives to ``node.app.handle(msg)``; ``msg.src`` is
the sender's name and ``msg.body`` the dict. No threads, no sleeping: react to messages and
timers. Run ``sysdesign check polling_streaming``.

The protocol (message bodies)
-----------------------------
Client to server::

    {"type": "poll", "cursor": c}                 short poll
    {"type": "long_poll", "cursor": c, "id": n}   long poll; n identifies the request
    {"type": "subscribe", "cursor": c}            start (or restart) a stream; c may be None

Server to client::

    {"type": "updates", "updates": [[v, value], ...], "latest": L}           answer to a poll
    {"type": "updates", "updates": [...], "latest": L, "id": n}              answer to a long poll
    {"type": "update", "version": v, "value": value}                         one pushed update
    {"type": "heartbeat", "latest": L}                                       to every subscriber

``updates`` lists every update with a version above the cursor, oldest first; ``latest`` is the
newest version the server has (0 before the first).

Tasks
-----
1. ``UpdateServer``: the versioned log (``publish``, ``latest``, ``updates_since``) and the answer to a short poll.
2. ``ShortPollClient`` and ``poll_interval_for``: ask every interval, deliver each update once, in order.
3. ``UpdateServer``: hold a long poll until an update or ``hold`` seconds, whichever comes first.
4. ``LongPollClient``: ask again at once after every answer, and again after ``timeout`` with no answer.
5. ``UpdateServer``: streams: subscribe from a cursor, push every update, heartbeats.
6. ``StreamClient``: deliver pushes in order, notice gaps and silence, resubscribe from the cursor.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def poll_interval_for(freshness: float, rtt: float) -> float:
    """Task 2. The longest short-polling interval that still delivers every update within
    ``freshness`` seconds, when a round trip takes up to ``rtt`` seconds: ``freshness - rtt``.

    ``ValueError`` when ``freshness`` is not above 0, ``rtt`` is negative, or the answer would
    not be above 0 (no interval can meet that freshness).
    """
    raise NotImplementedError("task 2: implement poll_interval_for")


class UpdateServer:
    """Tasks 1, 3, 5. The server: a log of updates, and the three ways to hand them out.

    Versions start at 1 and go up by one with each ``publish``. A client is known by its node
    name (``msg.src``).
    """

    def __init__(self, node: Any, *, hold: float = 20.0, heartbeat: float = 5.0) -> None:
        """Tasks 1, 3, 5. An empty log on ``node``. ``hold``: how long a long poll may be held
        (task 3). ``heartbeat``: the interval of the heartbeats to subscribers (task 5): start
        them here with ``node.every(heartbeat, ...)``. A ``hold`` or ``heartbeat`` not above 0
        raises ``ValueError``."""
        raise NotImplementedError("task 1: implement UpdateServer.__init__")

    @property
    def latest(self) -> int:
        """Task 1. The newest version (0 when nothing was published)."""
        raise NotImplementedError("task 1: implement UpdateServer.latest")

    def updates_since(self, cursor: int) -> list[list[Any]]:
        """Task 1. ``[[version, value], ...]`` for every version above ``cursor``, oldest first
        (empty when ``cursor >= latest``). A negative cursor raises ``ValueError``."""
        raise NotImplementedError("task 1: implement UpdateServer.updates_since")

    def publish(self, value: Any) -> int:
        """Tasks 1, 3, 5. Append ``value`` to the log and return its version. Then answer every
        held long poll (task 3) and push the update to every subscriber (task 5)."""
        raise NotImplementedError("task 1: implement UpdateServer.publish")

    def handle(self, msg: Any) -> None:
        """Tasks 1, 3, 5. One message from a client (ignore any other type).

        * ``poll`` (task 1): reply at once with ``{"type": "updates", "updates":
          updates_since(cursor), "latest": latest}``.
        * ``long_poll`` (task 3): if there is anything above the cursor, answer at once (the
          same body plus ``"id"``, echoed from the request). Otherwise hold the request: answer
          it when the next update is published (with that update), or after ``hold`` seconds
          with ``"updates": []``, whichever comes first; never both, never earlier, never
          later. A new long poll from a client replaces that client's held one (the old one
          gets no answer).
        * ``subscribe`` (task 5): make the sender a subscriber (once, however often it
          subscribes), then send it one ``update`` message for every version above the cursor,
          in order; a cursor of None means "from now on" (nothing old is sent). From then on
          every ``publish`` pushes the update to it, and every ``heartbeat`` seconds it gets
          ``{"type": "heartbeat", "latest": latest}``.
        """
        raise NotImplementedError("task 1: implement UpdateServer.handle")


class ShortPollClient:
    """Task 2. Asks the server every ``interval`` seconds for everything after its cursor.

    ``on_update(version, value)`` is called exactly once per version, in version order: deliver
    only ``cursor + 1`` and move the cursor, ignore versions already delivered.
    """

    def __init__(self, node: Any, server: str, on_update: Callable[[int, Any], Any], *, interval: float,
                 cursor: int = 0) -> None:
        """Task 2. A client on ``node`` of the server named ``server``, starting after version
        ``cursor``. An ``interval`` not above 0 or a negative cursor raises ``ValueError``.
        Sends nothing until ``start``."""
        raise NotImplementedError("task 2: implement ShortPollClient.__init__")

    @property
    def cursor(self) -> int:
        """Task 2. The last version delivered (the starting cursor before any)."""
        raise NotImplementedError("task 2: implement ShortPollClient.cursor")

    def start(self) -> None:
        """Task 2. Send a ``poll`` now, then one every ``interval`` seconds."""
        raise NotImplementedError("task 2: implement ShortPollClient.start")

    def handle(self, msg: Any) -> None:
        """Task 2. An ``updates`` answer: deliver what is new."""
        raise NotImplementedError("task 2: implement ShortPollClient.handle")


class LongPollClient:
    """Task 4. Keeps one long poll outstanding at all times.

    Each request gets the next ``id`` (1, 2, 3, ...). An answer carrying the id of the current
    request: deliver what is new (exactly once, in order, as in ``ShortPollClient``), then send
    the next long poll at once. An answer with any other id is stale: ignore it entirely. If
    ``timeout`` seconds pass without an answer to the current request (the request or its
    answer was lost), send a new one (a new id). Choose ``timeout`` a little above the
    server's ``hold`` plus a round trip.
    """

    def __init__(self, node: Any, server: str, on_update: Callable[[int, Any], Any], *, timeout: float,
                 cursor: int = 0) -> None:
        """Task 4. As ``ShortPollClient``; a ``timeout`` not above 0 or a negative cursor raises
        ``ValueError``. Sends nothing until ``start``."""
        raise NotImplementedError("task 4: implement LongPollClient.__init__")

    @property
    def cursor(self) -> int:
        """Task 4. The last version delivered."""
        raise NotImplementedError("task 4: implement LongPollClient.cursor")

    def start(self) -> None:
        """Task 4. Send the first long poll."""
        raise NotImplementedError("task 4: implement LongPollClient.start")

    def handle(self, msg: Any) -> None:
        """Task 4. An ``updates`` answer (see the class)."""
        raise NotImplementedError("task 4: implement LongPollClient.handle")


class StreamClient:
    """Task 6. Subscribes once and receives pushed updates; resubscribes from its cursor when
    the stream breaks.

    * An ``update`` with version ``cursor + 1``: deliver it (``on_update``) and move the
      cursor. Version ``<= cursor``: a duplicate, ignore it. Version above ``cursor + 1``: a
      gap, something was lost: do not deliver it; resubscribe from the cursor.
    * A ``heartbeat`` whose ``latest`` is above the cursor: a gap too (the last updates were
      lost); resubscribe from the cursor.
    * Silence: if nothing (update or heartbeat) arrived for ``dead_after`` seconds, resubscribe
      from the cursor. Check with a timer every ``dead_after / 2`` seconds, started by
      ``start``; sending a subscribe counts as hearing from the server (so a dead server is
      asked again every ``dead_after`` seconds, not on every check).
    * Gaps arrive in bunches (every push sent before the server saw your resubscribe shows the
      same gap): do not resubscribe for a gap if you already subscribed from this same cursor
      less than ``dead_after`` seconds ago.

    Choose ``dead_after`` a few heartbeats long.
    """

    def __init__(self, node: Any, server: str, on_update: Callable[[int, Any], Any], *, dead_after: float,
                 cursor: int = 0) -> None:
        """Task 6. As ``ShortPollClient``; a ``dead_after`` not above 0 or a negative cursor
        raises ``ValueError``. Sends nothing until ``start``."""
        raise NotImplementedError("task 6: implement StreamClient.__init__")

    @property
    def cursor(self) -> int:
        """Task 6. The last version delivered."""
        raise NotImplementedError("task 6: implement StreamClient.cursor")

    def start(self) -> None:
        """Task 6. Subscribe from the cursor and start the silence check."""
        raise NotImplementedError("task 6: implement StreamClient.start")

    def handle(self, msg: Any) -> None:
        """Task 6. An ``update`` or a ``heartbeat`` (see the class)."""
        raise NotImplementedError("task 6: implement StreamClient.handle")
