"""Networking: names, addresses, ports, and a reliable stream over a network that loses packets.

Type a web address into a browser and four things happen before the first byte of the page
arrives. This exercise builds a small version of each, on the kit's simulated cluster, where a
node's name plays the part of its IP address and a message plays the part of a packet.

**1. A name becomes an address (DNS).** Machines reach each other by IP address (``a.b.c.d``,
each number from 0 to 255); people use names. So the browser first asks the Domain Name System:
it sends a *query* ("what is the address of shop.example?") to a *resolver*, one of a short,
configured list of servers, and gets an *answer*: an address, or ``NXDOMAIN`` ("no such name").
Every answer carries a **TTL** (time to live, in seconds): the asker may keep it and reuse it
for that long without asking again. Caching is what makes DNS fast (most lookups never leave
the machine) and what makes changes slow (a moved site is reached at its old address until the
TTL runs out everywhere). "No such name" is cached too, for its own TTL (*negative caching*):
otherwise a typo repeated a thousand times costs a thousand queries. A resolver that does not
answer in time is skipped for the next one in the list. An answer counts only if it matches a
question the client asked (by the query's id): a client that caches whatever arrives lets
anyone who can send it a packet plant an address (*cache poisoning*).

**2. An address reaches a machine; a port reaches a program.** One machine runs many programs
that talk on the network, so a packet carries, besides the machine's address, a **port** (a
number from 1 to 65535): the address is the building, the port the apartment. A server
**listens** on a well-known port (80 for HTTP, 443 for HTTPS, 53 for DNS). A client gets a
temporary, *ephemeral* port from its machine (49152-65535) for each conversation, and every
packet it sends carries its **source address and port**. The server replies to exactly that
source: this is how two browser tabs on one laptop, talking to the same server, each get their
own answers.

**3. Packets are not a stream (IP), so we build one (TCP).** IP, the Internet Protocol, moves
packets from one address to another, one at a time, with no promise: a packet may be lost,
arrive twice, or overtake the one sent before it. An application wants a **stream**: bytes that
arrive in order, exactly once, or a clear error. TCP builds one on top of IP:

* a **handshake** opens the connection before any data: the client sends ``SYN``, the server
  answers ``SYN-ACK`` (TCP's third step, the client's ``ACK``, is implied here by its first data);
* every piece of data carries a **sequence number** (TCP counts bytes; this channel counts
  messages, from 0);
* the receiver hands data to the application **in sequence order only**: a piece that arrives
  early waits in a buffer for the ones before it, and a piece it already delivered (a duplicate,
  a retransmission) is dropped. It answers every data packet with a **cumulative
  acknowledgement**: ``ack = n`` means "I have delivered everything before n, send n next".
  An acknowledgement is a promise, so it is sent only *after* the data reached the
  application: acknowledge first and crash, and that data is lost for good, since the sender
  will never send it again;
* the sender keeps every unacknowledged piece and **retransmits** when no acknowledgement comes
  within the retransmission timeout (RTO). Each timeout in a row *doubles* the wait (**exponential
  backoff**, up to a cap): a peer that does not answer may be overloaded, and a sender that
  retransmits at a fixed pace would turn a congested network into a storm;
* at most ``window`` pieces may be unacknowledged at once (the **window**), so a sender cannot
  flood a slow receiver, yet need not wait a round trip per piece.

**4. A dead peer cannot say it is dead.** A crashed machine sends nothing, which looks exactly
like a slow network. The sender can only give up: after ``max_retries`` retransmissions in a
row without progress, the connection has **failed** and the application is told. (The same rule
turns "connecting to a machine that is down" into an error after a bounded wait.)

UDP, the other transport on IP, is task 2's datagrams: ports and nothing else, no order, no
retransmission. It suits DNS (one small question, one small answer: just ask again) and live
audio or games (late data is useless data). Most of the web (HTTP/1.1 and HTTP/2, database
connections) runs on TCP's stream; HTTP/3 builds its own reliable streams on UDP, with the same
ideas.

The cluster, as far as this exercise needs it
---------------------------------------------
Each component runs on a node and gets the ``node``. It uses only: ``node.name`` (its address);
``node.send(dest, body)`` (send ``body``, a dict of plain data, to the node named ``dest``; it
may be lost, duplicated or delayed so that it overtakes an earlier one); ``node.set_timer(delay,
fn, *args)`` (call ``fn(*args)`` after ``delay`` seconds; it returns a timer with
``cancel()``); ``time.monotonic()`` (the node's clock, in seconds; read it at call time). The
suite delivers every message that reaches the node to your component's ``on_message(msg)``:
``msg.src`` is the sender's node name (the packet's source address) and ``msg.body`` its body.
A crash loses your component with everything in it (its cache, its ports, its connections) and
its timers; after a restart the suite builds it again, empty. Timers and ``time.monotonic()``
run on the node's own clock. Use no threads, no sleeping, no randomness.

The wire formats (the suite plays the other side of each):

* DNS. Query, client -> resolver: ``{"type": "query", "id": i, "name": name}``. Answer,
  resolver -> the query's source: ``{"type": "answer", "id": i, "name": name, "status": s,
  "address": a, "ttl": t}`` with ``s`` ``"NOERROR"`` (``a`` the address) or ``"NXDOMAIN"``
  (``a`` None), ``t`` seconds >= 0.
* Ports. Every datagram: ``{"src_port": p, "dst_port": q, "data": d}``; the source address is
  the message's ``src``.
* The reliable channel, sender -> receiver: ``{"type": "SYN", "conn": c}``, then
  ``{"type": "DATA", "conn": c, "seq": n, "data": d}``; receiver -> sender:
  ``{"type": "SYN-ACK", "conn": c}`` and ``{"type": "ACK", "conn": c, "ack": n}``.

Run ``sysdesign check networking``.

Tasks
-----
1. ``DnsClient``: ask a resolver, cache answers for their TTL (expired when now >= time the
   answer arrived + ttl), cache ``NXDOMAIN`` too, move on to the next resolver after a timeout.
2. ``Host`` and ``serve``: ports on a node, datagrams dispatched by destination port, a server
   that replies to each request's source address and port.
3. ``Sender`` and ``Receiver``: a reliable, ordered channel: handshake, sequence numbers,
   cumulative acknowledgements after delivery, a window, retransmission with exponential
   backoff; every message delivered exactly once and in order under loss, duplication and
   reordering.
4. ``Sender``: give up on a dead peer after ``max_retries`` retransmissions without progress,
   and tell the application.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

NOERROR, NXDOMAIN, SERVFAIL = "NOERROR", "NXDOMAIN", "SERVFAIL"
"""Answer statuses: an address; no such name; no resolver answered (never sent by a resolver:
the client reports it when every resolver timed out)."""

EPHEMERAL_PORTS = range(49152, 65536)
"""The ports a host hands out to clients that ask for any port."""

CONNECTING, OPEN, FAILED = "connecting", "open", "failed"
"""The states of a ``Sender``."""


# -- task 1: DNS ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Answer:
    """What a lookup reports (given): the ``name`` asked for, ``status`` (``NOERROR``,
    ``NXDOMAIN`` or ``SERVFAIL``), ``address`` (the address for ``NOERROR``, else None) and
    ``ttl`` (the seconds the resolver allowed it to be cached; 0 for ``SERVFAIL``)."""

    name: str
    status: str
    address: str | None
    ttl: float


class DnsClient:
    """Task 1. A DNS stub resolver with a cache, as every operating system runs one.

    The cache rule, exactly: an answer that arrives at time ``t`` (``time.monotonic()`` when
    your ``on_message`` gets it) with ``ttl`` seconds is served from the cache to lookups at
    ``now < t + ttl``; at ``now >= t + ttl`` it has expired and a lookup asks again. So ``ttl``
    0 means "use it for the lookups that were waiting for it, never cache it". ``NXDOMAIN``
    answers are cached by the same rule, with their own ``ttl``. ``SERVFAIL`` (no resolver
    answered) is never cached. The TTL runs on the client's own clock: a clock that runs fast
    (drift) expires answers a little early, which is safe; nothing ever serves an answer for
    longer than its ``ttl`` on that clock.
    """

    def __init__(self, node: Any, resolvers: list[str], *, timeout: float = 1.0) -> None:
        """Task 1. A client on ``node`` that asks the resolvers named in ``resolvers`` (node
        names, in order of preference), waiting ``timeout`` seconds for each. The cache starts
        empty. Raise ``ValueError`` when ``resolvers`` is empty or unless ``timeout > 0``."""
        raise NotImplementedError("task 1: implement DnsClient.__init__")

    def lookup(self, name: str, done: Callable[[Answer], Any]) -> None:
        """Task 1. Find ``name``'s address and call ``done(answer)`` exactly once.

        From the cache when it holds an unexpired answer for ``name``: call ``done`` at once,
        send nothing. Otherwise send a query (a new ``id``) to the first resolver; when no
        answer to it arrives within ``timeout`` seconds, query the next resolver, and so on,
        each resolver once; when the last one has not answered within ``timeout`` either,
        ``done(Answer(name, SERVFAIL, None, 0))``. A lookup of a name that already has a query
        in flight may wait for that query's answer instead of sending another.
        """
        raise NotImplementedError("task 1: implement DnsClient.lookup")

    def on_message(self, msg: Any) -> None:
        """Task 1. An answer from a resolver (``msg.body`` as in the module docstring): match
        it to the lookup waiting for it (by ``id``; ignore answers nobody waits for), cache it
        by the rule above, and call ``done`` for every lookup waiting for that name."""
        raise NotImplementedError("task 1: implement DnsClient.on_message")


# -- task 2: ports ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Datagram:
    """What a port's handler gets (given): ``src`` and ``dst`` are ``(node name, port)`` pairs,
    ``data`` the payload."""

    src: tuple[str, int]
    dst: tuple[str, int]
    data: Any


class PortInUse(OSError):
    """Raised by ``Host.bind`` for a port that is already bound on that host (given)."""


class Host:
    """Task 2. The network stack of one node: it owns the node's ports.

    A program binds a port with a handler; every datagram that reaches the node is handed to
    the handler bound to its *destination* port (``dst_port``), and silently dropped when no
    handler is bound there (a real host would answer "port unreachable").
    """

    def __init__(self, node: Any) -> None:
        """Task 2. The stack of ``node``; no port is bound yet."""
        raise NotImplementedError("task 2: implement Host.__init__")

    def bind(self, port: int | None, handler: Callable[[Datagram], Any]) -> int:
        """Task 2. Listen on ``port`` and return it: from now on, ``handler(datagram)`` gets
        every datagram sent to this node and port.

        ``port`` None or 0: pick a port of ``EPHEMERAL_PORTS`` that is not bound on this host
        (any such port; raise ``OSError`` when none is left). Otherwise ``port`` is an int from
        1 to 65535 (anything else: ``ValueError``) and must not be bound already
        (``PortInUse``).
        """
        raise NotImplementedError("task 2: implement Host.bind")

    def unbind(self, port: int) -> None:
        """Task 2. Stop listening on ``port`` (nothing happens if it is not bound); it may be
        bound again."""
        raise NotImplementedError("task 2: implement Host.unbind")

    def send(self, src_port: int, dest: str, dest_port: int, data: Any) -> None:
        """Task 2. Send ``data`` from this node's ``src_port`` (it must be bound here, else
        ``ValueError``) to port ``dest_port`` (1-65535, else ``ValueError``) of node ``dest``:
        one message ``{"src_port": src_port, "dst_port": dest_port, "data": data}``."""
        raise NotImplementedError("task 2: implement Host.send")

    def on_message(self, msg: Any) -> None:
        """Task 2. A datagram reached this node (the suite wires every message here): hand
        ``Datagram((msg.src, src_port), (this node's name, dst_port), data)`` to the handler of
        ``dst_port``, or drop it when that port is not bound."""
        raise NotImplementedError("task 2: implement Host.on_message")


def serve(host: Host, port: int, handle: Callable[[Any], Any]) -> int:
    """Task 2. A server: bind ``port`` on ``host`` and, for every request datagram that
    arrives there, send ``handle(request data)`` back from ``port`` to the request's source
    address and port. Returns the port bound. (``handle`` is the application: a web page for a
    path, an address for a name.)"""
    raise NotImplementedError("task 2: implement serve")


# -- tasks 3-4: a reliable, ordered channel --------------------------------------------------------
class Sender:
    """Tasks 3-4. The sending end of one connection, ``conn``, from ``node`` to the node named
    ``peer``.

    The rules, which the suite checks at every message under loss, duplication and reordering:

    * **Handshake.** The constructor sends ``SYN`` at once; the state is ``CONNECTING`` until a
      ``SYN-ACK`` for ``conn`` arrives, then ``OPEN``. No ``DATA`` before that.
    * **Sequence numbers and window.** ``send(data)`` appends to the stream: the k-th item sent
      (from 0) travels as ``DATA`` with ``seq`` k. At most ``window`` items are sent but not yet
      acknowledged at any moment (sequence numbers from ``acked`` to ``acked + window - 1``).
    * **Acknowledgements.** An ``ACK`` with ``ack = n`` acknowledges every item before ``n``
      (``acked`` becomes ``n`` if that is more than before and no more than what was sent; other
      ACKs change nothing). A duplicate or stale ACK is harmless.
    * **Retransmission with exponential backoff.** While something is unacknowledged (or the
      ``SYN`` is unanswered) a timer runs. The first wait is ``rto``; each time it expires
      without progress, retransmit (the ``SYN`` while connecting; else the oldest
      unacknowledged item, or all of them: your choice) and wait twice as long as the last
      time, but never more than ``max_rto``: the waits are ``rto, 2*rto, 4*rto, ...,
      max_rto, max_rto, ...``. Progress (the ``SYN-ACK``, or an ACK that acknowledges
      something new) starts over: the next wait is ``rto`` again and the count of
      retransmissions in a row goes back to 0; the timer is restarted from that moment while
      something is still unacknowledged.
    * **Giving up (task 4).** When a wait expires after ``max_retries`` retransmissions in a
      row without progress, do not retransmit: the state becomes ``FAILED``,
      ``on_fail(reason)`` is called once (a short text), nothing more is sent and later
      messages are ignored. So with no answer at all the sender fails ``rto + 2*rto + ...``
      (``max_retries + 1`` waits, each capped at ``max_rto``) after its last progress.
    """

    def __init__(self, node: Any, peer: str, conn: str, *, window: int = 8, rto: float = 0.2, max_rto: float = 3.2,
                 max_retries: int = 8, on_fail: Callable[[str], Any] | None = None) -> None:
        """Task 3. Open connection ``conn`` to ``peer``: send ``SYN`` and start the timer.
        Raise ``ValueError`` unless ``window`` is an int >= 1, ``0 < rto <= max_rto``, and
        ``max_retries`` is an int >= 0 (0: give up at the first timeout)."""
        raise NotImplementedError("task 3: implement Sender.__init__")

    @property
    def acked(self) -> int:
        """Task 3. How many items the receiver has acknowledged (its highest cumulative
        ``ack``)."""
        raise NotImplementedError("task 3: implement Sender.acked")

    def send(self, data: Any) -> None:
        """Task 3. Append ``data`` to the stream. It is sent as soon as the connection is open
        and the window allows; until then it waits, in order. Raise ``ConnectionError`` once
        the connection has failed (task 4)."""
        raise NotImplementedError("task 3: implement Sender.send")

    def on_message(self, msg: Any) -> None:
        """Task 3. A ``SYN-ACK`` or ``ACK`` from the peer (ignore anything for another
        ``conn``): open the connection, or take the acknowledgement, then send what the window
        now allows."""
        raise NotImplementedError("task 3: implement Sender.on_message")


class Receiver:
    """Task 3. The receiving end of every connection opened to ``node``.

    A connection is known by its sender's node name and ``conn``. On ``SYN``: remember the
    connection (expecting ``seq`` 0) if it is new, and answer ``SYN-ACK`` (again, for a repeated
    ``SYN``: the first answer may have been lost). On ``DATA`` for a known connection: keep an
    item that arrived early until the ones before it have come, never deliver anything twice,
    call ``deliver(conn, data)`` for each item in sequence order, and only then answer
    ``ACK`` with ``ack`` = the number of items delivered so far on that connection (answer
    every ``DATA``, a duplicate too: the earlier ACK may have been lost). Ignore ``DATA`` for
    a connection that never sent ``SYN`` here: after a crash the receiver has forgotten every
    connection, so the sender hears nothing more and gives up (task 4); a real TCP would answer
    with a reset (``RST``) and the sender would learn it at once. ``deliver`` returns before
    you go on (the suite's application does not block).
    """

    def __init__(self, node: Any, deliver: Callable[[str, Any], Any]) -> None:
        """Task 3. The receiving side on ``node``; ``deliver(conn, data)`` is the application."""
        raise NotImplementedError("task 3: implement Receiver.__init__")

    def on_message(self, msg: Any) -> None:
        """Task 3. A ``SYN`` or ``DATA`` from a sender (``msg.src`` is its node name)."""
        raise NotImplementedError("task 3: implement Receiver.on_message")
