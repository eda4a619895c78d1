"""Rate limiting: saying "not now" to a client that asks too often.

A rate limiter puts a ceiling on how many operations a client may perform in a stretch of time:
"5 requests every 10 seconds", "3 grade look-ups a minute per student". Past the ceiling the
server refuses the request cheaply instead of doing the work. That protects the system from a
client flooding it (a denial-of-service attack, a buggy retry loop, a scraper), keeps one heavy
user from starving everyone else, and caps what an expensive operation (running submitted code,
sending SMS) can cost.

**Who is "a client"?** Every limiter here is *keyed*: it keeps a separate budget per key. The key
can be the user (from a header or the authentication credentials), the IP address, an
organisation, a region, or one constant key for the whole system ("never more than 10,000
requests a minute in total"). Keys must not share budgets: alice hammering the server must not
lock bob out.

**Algorithms**, from the cheapest to the most exact:

* **Fixed window.** Cut time into windows (``[0, 10)``, ``[10, 20)``, ...) and count requests
  per key per window. One counter per key, trivial to share in a store like Redis. Its flaw:
  a client can send ``limit`` requests at the very end of one window and ``limit`` more at the
  start of the next: twice the limit within a moment.
* **Sliding log.** Remember the time of every allowed request of the last ``window`` seconds;
  allow a new one if fewer than ``limit`` are remembered. Exact, but it stores up to ``limit``
  timestamps per key, and it must forget old ones or its memory grows with traffic.
* **Sliding window counter.** Keep the fixed-window counts of the current and the previous
  window, and estimate the sliding count as ``previous x (share of the previous window still
  inside the sliding window) + current``. Two integers per key and no edge burst; the price is
  that the estimate assumes the previous window's requests were spread evenly.
* **Token bucket.** Each key has a bucket of ``capacity`` tokens that refills continuously at
  ``rate`` tokens per second (never above ``capacity``); a request takes one token or is
  refused. It allows short bursts (up to ``capacity``) while holding the long-run average at
  ``rate``: what most public APIs do.
* **Tiered limits** combine several at once: "1 request per 0.5 s, and 3 per 10 s, and 10 per
  minute" gives a user some freedom for short bursts while keeping a firm grip on the total.

**Where the limiter lives.** A limiter in each server's memory only sees the requests that
reached that server. Behind a round-robin load balancer, a client's requests are spread over
every server, so three servers each allowing 5 let the client through 15 times. Either the
load balancer sends each client to the same server every time (sticky routing), or the servers
share their counts in a separate store (Redis, in most real systems). Sharing counts needs an
**atomic** increment: "read the count, then write count + 1" from two servers at once lets both
read the same value, and both requests through. Redis ``INCR`` does the read and the write as
one step on the server. And when the store is down, the limiter must still answer: **fail open**
(allow everything: the service stays available, unprotected) or **fail closed** (refuse
everything: the backend stays protected, users see errors). Which one is a product decision;
the code must make it explicit.

**Clocks.** Each server computes the window number from its *own* clock, and clocks never agree
exactly (NTP keeps them within milliseconds; a machine that lost it drifts by seconds, or jumps).
Windows aligned on the servers' clocks are the same windows only when the clocks agree. With one
server ``s`` seconds ahead, two things happen near each window edge. First, for ``s`` seconds that
server already counts the next window while the others still count this one: a client spread over
the servers gets up to ``limit`` more through in those seconds (the fixed window's edge burst,
wider). That is the price of trusting server clocks, bounded by the skew. Second, and worse: the
store key of a window must outlive that window *on every server's clock*. An expiry of exactly
one window, set by the server whose clock is ahead, deletes the count while the others still
count in that window; their next request starts again at 1, and the limit is gone. So the key
expires two windows after it is opened, which covers any skew below a window. (To depend on no
server clock at all, compute the window from the store's own clock, as a Redis Lua script with
``TIME`` can; this exercise keeps the window on the servers.)

**Telling the client.** HTTP has a status for it: ``429 Too Many Requests``, with a
``Retry-After`` header saying how many seconds to wait. RFC 9110 makes that a whole number of
seconds, so round the wait *up*: telling a client to come back in 7 s when the window opens in
7.5 s earns it another 429. A well-behaved client (the ``RetryingClient`` of the
``http_basics`` exercise) retries a 429 after exactly that many seconds, or gives up at once
when the figure is more than it is willing to wait.

Time: read the clock with ``time.time()`` at the moment of each call (never as a default
argument or a value saved at import). Windows are aligned to the epoch: window number ``n`` of
a ``window``-second limiter covers ``[n * window, (n + 1) * window)`` of ``time.time()``, so
servers whose clocks agree compute the same window for the same moment (see "Clocks"). The
suite runs your code on a virtual clock, on which code may not start threads: write the
limiters yourself (a library whose storage expires keys from a background timer thread, such
as ``limits``' in-memory storage, is refused with a message saying so).

Run ``sysdesign check rate_limiting``.

Tasks
-----
1. ``FixedWindow``: at most ``limit`` allowed requests per key per aligned window.
2. ``SlidingLog``: at most ``limit`` allowed requests per key in any ``window`` seconds, with
   memory bounded by dropping timestamps that have left the window.
3. ``SlidingWindowCounter``: the weighted estimate from two fixed-window counts.
4. ``TokenBucket``: bursts up to ``capacity``, refilled continuously at ``rate``.
5. ``TieredLimiter``: several sliding-log limits at once; a refused request uses no budget.
6. ``RateLimitMiddleware``: wrap an HTTP handler, answer ``429`` with a correct ``Retry-After``.
7. ``DistributedLimiter``: one fixed window shared by every server through the Redis-like
   store, counted with an atomic increment.
8. ``DistributedLimiter``: a declared policy for when the store cannot be reached (fail open or
   fail closed).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any


class FixedWindow:
    """Task 1. At most ``limit`` allowed requests per key in each window.

    Window ``n`` covers ``[n * window, (n + 1) * window)`` of ``time.time()`` (use
    ``math.floor(time.time() / window)``). A request at exactly ``(n + 1) * window`` belongs to
    the next window. Refused requests are not counted.

    Why aligned: a window that starts at a key's first request (what the ``limits`` library's
    fixed window does) is just as good in one process, but counts can only be shared (task 7)
    when every server cuts time at the same places, so this exercise aligns windows
    everywhere, and the suite checks the aligned edges exactly.
    """

    def __init__(self, limit: int, window: float) -> None:
        """``limit`` requests (an int >= 1) per ``window`` seconds (> 0); otherwise raise
        ``ValueError``. Keep them as ``self.limit`` and ``self.window``."""
        raise NotImplementedError("task 1: implement FixedWindow.__init__")

    def allow(self, key: str) -> bool:
        """Count this request for ``key`` and return True if the key has had fewer than
        ``limit`` allowed requests in the current window; otherwise return False and count
        nothing. Keys never share counts."""
        raise NotImplementedError("task 1: implement FixedWindow.allow")

    def retry_after(self, key: str) -> float:
        """Seconds from now until ``allow(key)`` would return True (0.0 if it would now).
        For a full window: the time until the next window starts. Changes nothing."""
        raise NotImplementedError("task 1: implement FixedWindow.retry_after")


class SlidingLog:
    """Task 2. At most ``limit`` allowed requests per key in any ``window`` seconds.

    Keep the ``time.time()`` of each *allowed* request per key (a ``collections.deque``). A
    timestamp ``t`` counts while ``now < t + window`` and is out of the window (and must be
    dropped from memory) once ``now >= t + window``. Refused requests are not logged.

    Why the edge is exclusive: ``retry_after`` promises "wait this long and you are allowed".
    With ``t + window`` still counting, the client that waits exactly ``retry_after`` would be
    refused at the very moment it was told to come back.
    """

    def __init__(self, limit: int, window: float) -> None:
        """As ``FixedWindow``: ``ValueError`` unless ``limit >= 1`` and ``window > 0``."""
        raise NotImplementedError("task 2: implement SlidingLog.__init__")

    def allow(self, key: str) -> bool:
        """Drop ``key``'s timestamps that have left the window; if fewer than ``limit`` remain,
        log now and return True, else return False (logging nothing)."""
        raise NotImplementedError("task 2: implement SlidingLog.allow")

    def retry_after(self, key: str) -> float:
        """Seconds until ``allow(key)`` would return True (0.0 if it would now): the moment the
        oldest logged timestamp leaves the window. Logs nothing new."""
        raise NotImplementedError("task 2: implement SlidingLog.retry_after")

    def size(self, key: str) -> int:
        """How many timestamps this limiter holds in memory for ``key`` right now (as stored:
        no pruning in this method). The suite checks it never exceeds ``limit`` for a key that
        keeps sending, however long the traffic runs."""
        raise NotImplementedError("task 2: implement SlidingLog.size")


class SlidingWindowCounter:
    """Task 3. Two fixed-window counts per key, combined into a sliding estimate.

    With ``current`` and ``previous`` the allowed requests of the key in the current aligned
    window and in the one just before it (0 if that was not the window just before), and
    ``elapsed`` the seconds since the current window started::

        estimate = previous * (window - elapsed) / window + current

    A request is allowed when ``estimate + 1 <= limit`` (counting it in must not exceed the
    limit); it then adds 1 to ``current``. Refused requests are not counted.

    The estimate is not rounded. Some implementations floor ``previous x share`` to keep
    integer counts; that lets up to one more request through per window, and makes
    ``retry_after`` a step function instead of the exact solution the suite checks.
    """

    def __init__(self, limit: int, window: float) -> None:
        """As ``FixedWindow``: ``ValueError`` unless ``limit >= 1`` and ``window > 0``."""
        raise NotImplementedError("task 3: implement SlidingWindowCounter.__init__")

    def allow(self, key: str) -> bool:
        """Allow (and count) the request if ``estimate + 1 <= limit``; else return False."""
        raise NotImplementedError("task 3: implement SlidingWindowCounter.allow")

    def retry_after(self, key: str) -> float:
        """Seconds until ``allow(key)`` would return True if no other request came: 0.0 if it
        would now. While ``current + 1 <= limit``, only the previous window's share is in the
        way: solve ``previous * (window - e) / window + current + 1 <= limit`` for the
        elapsed time ``e``. Otherwise the current window is full: wait for the next window
        (where this window's count becomes ``previous``) and solve there."""
        raise NotImplementedError("task 3: implement SlidingWindowCounter.retry_after")


class TokenBucket:
    """Task 4. A bucket of tokens per key.

    A key's bucket starts full (``capacity`` tokens). It gains ``rate`` tokens per second of
    elapsed time, continuously (fractions count), and never holds more than ``capacity``. A
    request takes one token when at least one is there. Work out the refill from the time
    elapsed since the bucket was last updated, whatever happened at that update.
    """

    def __init__(self, capacity: float, rate: float) -> None:
        """``capacity`` >= 1 tokens, ``rate`` > 0 tokens per second; otherwise ``ValueError``."""
        raise NotImplementedError("task 4: implement TokenBucket.__init__")

    def tokens(self, key: str) -> float:
        """The tokens in ``key``'s bucket right now (refill included, capped at ``capacity``),
        without taking one."""
        raise NotImplementedError("task 4: implement TokenBucket.tokens")

    def allow(self, key: str) -> bool:
        """Take one token and return True if the bucket holds at least 1; else False."""
        raise NotImplementedError("task 4: implement TokenBucket.allow")

    def retry_after(self, key: str) -> float:
        """Seconds until the bucket holds 1 token: ``(1 - tokens) / rate``, or 0.0."""
        raise NotImplementedError("task 4: implement TokenBucket.retry_after")


class TieredLimiter:
    """Task 5. Several limits at once, e.g. ``TieredLimiter([(1, 0.5), (3, 10), (10, 60)])``.

    Each ``(limit, window)`` tier is a sliding log (task 2's rule). A request is allowed only if
    *every* tier has room; then it is logged in every tier. A refused request is logged in no
    tier: a tier that had room must not lose budget because another tier said no.
    """

    def __init__(self, tiers: Iterable[tuple[int, float]]) -> None:
        """``tiers``: ``(limit, window)`` pairs; none at all, or a bad pair, is ``ValueError``."""
        raise NotImplementedError("task 5: implement TieredLimiter.__init__")

    def allow(self, key: str) -> bool:
        """True (and logged in every tier) if every tier has room for ``key``; else False."""
        raise NotImplementedError("task 5: implement TieredLimiter.allow")

    def retry_after(self, key: str) -> float:
        """Seconds until every tier has room (0.0 if they do now)."""
        raise NotImplementedError("task 5: implement TieredLimiter.retry_after")

    def size(self, key: str) -> int:
        """Timestamps held in memory for ``key``, summed over the tiers."""
        raise NotImplementedError("task 5: implement TieredLimiter.size")


def client_key(request: Any) -> str:
    """Task 6. Who is asking: the request's ``X-User`` header when it has a non-empty one,
    otherwise ``request.client`` (the caller's address; in the simulated cluster, the name
    of the calling node, or ``"client"`` for the outside world)."""
    raise NotImplementedError("task 6: implement client_key")


class RateLimitMiddleware:
    """Task 6. An HTTP handler that asks a limiter before calling the handler it wraps.

    ``request`` is what the simulated cluster hands a route handler (``request.headers``, a
    case-insensitive dict; ``request.client``; ``request.path``...). Used as
    ``node.route("GET", "/*", RateLimitMiddleware(limiter, page))``.
    """

    def __init__(self, limiter: Any, handler: Callable[[Any], Any],
                 key: Callable[[Any], str] | None = None) -> None:
        """``limiter``: anything with ``allow(key)`` and ``retry_after(key)`` (every limiter of
        this module). ``handler(request)``: the wrapped handler. ``key(request)``: the limiter
        key of a request (default: ``client_key``). Keep them as ``self.limiter``,
        ``self.handler`` and ``self.key``."""
        raise NotImplementedError("task 6: implement RateLimitMiddleware.__init__")

    def __call__(self, request: Any) -> Any:
        """If ``limiter.allow(key)``: return ``handler(request)`` unchanged. Otherwise do not
        call the handler; return ``(429, headers, body)`` where ``headers["Retry-After"]`` is
        ``limiter.retry_after(key)`` rounded *up* to a whole number of seconds, at least 1, as
        a string (``"8"`` for 7.5 s)."""
        raise NotImplementedError("task 6: implement RateLimitMiddleware.__call__")


class DistributedLimiter:
    """Tasks 7-8. A fixed window (task 1's alignment) counted in the shared Redis-like store.

    For a request of ``key`` in window ``n``, increment the store key ``store_key(key, n)``
    with one ``store.incr(name)`` (atomic on the store: it returns the new count). When it
    returns 1, this request opened the window: give the store key an expiry of two windows,
    ``store.expire(name, 2 * window)``, so old windows do not pile up in the store, yet no
    server whose clock is less than a window off still counts in a window whose key has
    expired (see "Clocks" above: one window is not enough). The request is allowed when the
    count is ``<= limit``. Never read the count with ``get`` and write it back
    with ``set``: two servers doing that at once both read the same count.

    ``store`` is a client of the cluster's Redis-like service (``redis.client(node_name)``).
    When the store cannot be reached its calls raise ``requests.RequestException``
    (``ConnectionError`` when it is down, ``Timeout`` when it is cut off).

    Guarantee: at most ``limit`` allowed requests per window number, across every server,
    as long as the servers' clocks are less than a window apart; in real time a window-long
    stretch may see up to ``limit`` more, near an edge (the fixed window's burst, widened by
    the skew).
    """

    def __init__(self, store: Any, limit: int, window: float, *, fail_open: bool,
                 prefix: str = "ratelimit") -> None:
        """``limit`` per ``window`` seconds (``ValueError`` as ``FixedWindow``). ``fail_open``:
        the policy when the store fails (task 8). ``prefix``: the start of every store key.
        Keep ``self.store_errors = 0``: the number of ``allow`` calls the store failed."""
        raise NotImplementedError("task 7: implement DistributedLimiter.__init__")

    def store_key(self, key: str, index: int) -> str:
        """The store key counting ``key`` in window ``index``: ``f"{prefix}:{key}:{index}"``."""
        raise NotImplementedError("task 7: implement DistributedLimiter.store_key")

    def allow(self, key: str) -> bool:
        """Task 7: one atomic increment (plus the expiry when the count is 1); True when the
        count is ``<= limit``. Task 8: if a store call raises ``requests.RequestException``,
        add 1 to ``store_errors`` and return ``fail_open`` (True: let it through; False:
        refuse it). Never let the exception escape."""
        raise NotImplementedError("task 7: implement DistributedLimiter.allow")

    def retry_after(self, key: str) -> float:
        """Without calling the store: if this limiter's last ``allow(key)`` returned False in
        the current window, the seconds until that window ends; otherwise 0.0."""
        raise NotImplementedError("task 7: implement DistributedLimiter.retry_after")
