"""Circuit breaker: stop calling a dependency that is failing, and find out when it is back.

When a dependency (a database, a payments API, another team's service) goes down, its
clients usually make things worse: every request waits for a timeout, threads pile up, retries
multiply the load, and the struggling service never gets the quiet it needs to recover. A
**circuit breaker** sits in the client, in front of the calls, and watches how they end:

* **closed** (normal): calls go through. Consecutive failures are counted; a success resets
  the count. When the count reaches ``failure_threshold``, the breaker *opens*.
* **open**: calls fail fast with :class:`CircuitOpenError`, without touching the dependency.
  The caller gets an answer in microseconds instead of a timeout, and can serve a fallback
  (a cached value, a default, a friendly error). After ``reset_timeout`` seconds the breaker
  becomes *half-open*.
* **half-open**: a few trial calls (``half_open_max_calls`` at a time) are let through to
  probe the dependency. A trial that succeeds *closes* the breaker; a trial that fails *opens*
  it again for another full ``reset_timeout``. Other calls fail fast meanwhile.

Not every exception is the dependency's fault: a ``KeyError`` from a bad argument, or an HTTP
404, means the dependency answered. Only the ``counted`` exception types are failures; any
other exception is re-raised and counts as a success.

Trade-offs: a low threshold opens on a blip, a high one keeps hammering a dead service; a short
reset timeout probes too eagerly, a long one keeps serving fallbacks after recovery. A breaker
complements timeouts and retries (with backoff), it does not replace them; for slow rather
than failing dependencies, bulkheads (a bounded pool per dependency) are the other half.

Time: read ``time.monotonic()`` when you need "now" (never as a default argument); the suite
runs your code on a virtual clock, so a 30-second reset timeout takes no real time. HTTP: use
``requests`` (the suite's simulated cluster answers it).

Tasks
-----
1. ``CircuitBreaker`` closed: pass calls through, count consecutive failures, open at
   ``failure_threshold``.
2. ``CircuitBreaker`` open: fail fast without calling, half-open after ``reset_timeout``.
3. ``CircuitBreaker`` half-open: at most ``half_open_max_calls`` trials at a time; a success
   closes, a failure opens again.
4. ``CircuitBreaker``: only the ``counted`` exception types are failures.
5. ``guarded_get``: a breaker in front of an HTTP backend (connection errors, timeouts and 5xx
   answers are failures; 4xx answers are not).

Run ``sysdesign check circuit_breaker``.
"""

from __future__ import annotations

import time  # noqa: F401  (you will want time.monotonic())
from collections.abc import Callable
from typing import Any

import requests

CLOSED = "closed"
OPEN = "open"
HALF_OPEN = "half_open"


class CircuitOpenError(Exception):
    """Raised by :meth:`CircuitBreaker.call` instead of calling the function (given).

    ``retry_after``: seconds until the breaker lets a trial call through (0.0 when it is
    half-open but every trial slot is taken).
    """

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"circuit open: retry in {retry_after:g} s")
        self.retry_after = retry_after


class ServerError(Exception):
    """An HTTP answer with a 5xx status, raised by :func:`guarded_get` (given).

    ``response``: the ``requests.Response``.
    """

    def __init__(self, response: requests.Response) -> None:
        super().__init__(f"HTTP {response.status_code} from {response.url}")
        self.response = response


class CircuitBreaker:
    """A circuit breaker in front of one dependency.

    ``failure_threshold``: consecutive counted failures that open the breaker (an int >= 1).
    ``reset_timeout``: seconds the breaker stays open before it becomes half-open (> 0).
    ``half_open_max_calls``: trial calls allowed at the same time while half-open (>= 1).
    ``counted``: the exception types that are failures (default: every ``Exception``).
    Any other value raises ``ValueError`` (task 1).
    """

    def __init__(self, failure_threshold: int = 5, reset_timeout: float = 30.0, half_open_max_calls: int = 1,
                 counted: tuple[type[BaseException], ...] = (Exception,)) -> None:
        """Task 1. Start closed, with no failure counted."""
        raise NotImplementedError("task 1: implement CircuitBreaker.__init__")

    @property
    def state(self) -> str:
        """Tasks 1-3. ``"closed"``, ``"open"`` or ``"half_open"``.

        An open breaker reports ``"half_open"`` as soon as ``time.monotonic() >= opened_at +
        reset_timeout`` (``opened_at``: the time of the failure that opened it), without any
        call having to happen.
        """
        raise NotImplementedError("task 1: implement CircuitBreaker.state")

    @property
    def failure_count(self) -> int:
        """Task 1. Consecutive counted failures since the last success (0 after closing)."""
        raise NotImplementedError("task 1: implement CircuitBreaker.failure_count")

    def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Tasks 1-4. Call ``fn(*args, **kwargs)`` through the breaker; return what it returns
        and re-raise what it raises.

        - closed: call; a success resets the failure count to 0; a counted failure adds one,
          and the one that reaches ``failure_threshold`` opens the breaker (task 1);
        - open: raise ``CircuitOpenError(retry_after)`` without calling ``fn``, ``retry_after``
          being ``opened_at + reset_timeout - now`` (task 2);
        - half-open: call ``fn`` as a trial when fewer than ``half_open_max_calls`` trials are
          running, else raise ``CircuitOpenError(0.0)``; a trial that succeeds closes the
          breaker (failure count 0), one that fails opens it again with ``opened_at = now``
          (task 3);
        - an exception that is not an instance of ``counted`` is re-raised and counts as a
          success (task 4).
        """
        raise NotImplementedError("task 1: implement CircuitBreaker.call")


def guarded_get(breaker: CircuitBreaker, url: str, **kwargs: Any) -> requests.Response:
    """Task 5. ``requests.get(url, **kwargs)`` through ``breaker``.

    The whole request happens inside ``breaker.call``: an open breaker sends nothing. A
    ``requests`` connection error or timeout propagates (and is a failure); an answer with a
    status >= 500 raises :class:`ServerError` (a failure); any other answer (2xx, 3xx, 4xx) is
    returned (a success).
    """
    raise NotImplementedError("task 5: implement guarded_get")
