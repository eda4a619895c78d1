"""Logging and monitoring: knowing what your servers are doing, and being told when it goes wrong.

A fleet of servers answers thousands of requests a minute. When a customer says "checkout
failed at 10:02", you need to find *their* request among millions of log lines; when one server
starts failing a third of its requests at 3 a.m., someone must be woken up, but not by every
single failed request. Three tools share the work:

* **Structured logs.** One JSON object per line (``{"ts": ..., "level": "ERROR", "msg": "payment
  declined", "request_id": "r-42", "order": 17}``) instead of free text. A machine can filter
  and aggregate them ("every ERROR of request r-42, on every server"). The **request id** is
  what ties the lines of one request together across services: the first server that sees a
  request picks an id (or takes the one the caller sent in the ``X-Request-Id`` header), keeps
  it in a *context* for as long as it works on that request, stamps it on every line it logs,
  and passes it on in the header of every call it makes downstream. Python's
  ``contextvars.ContextVar`` is the tool for that context: a value that follows the code that is
  running (threads, asyncio tasks), restored when a ``with`` block ends, instead of a global
  that the next request would overwrite.
* **Metrics.** Numbers that are cheap to keep and to ship, however much traffic there is: a
  **counter** only goes up (requests served, errors), a **gauge** goes up and down (queue
  length, memory), a **histogram** counts observations in buckets (request latency). Servers do
  not push every observation anywhere: a monitoring server **scrapes** each one every few
  seconds (``GET /metrics``, the Prometheus way) and keeps the time series. A counter is
  cumulative, so "errors in the last 60 s" is the *increase* of the counter over that window,
  and "error rate" is the increase of errors divided by the increase of requests. A server that
  restarts starts its counters again from zero: a drop in a counter is a **reset**, not a
  negative number of requests.
* **Percentiles from histograms.** "The average latency is 80 ms" hides the one request in a
  hundred that takes two seconds; the 99th percentile (p99) shows it. Keeping every latency to
  sort them costs memory without bound, and you cannot add up sorted lists from twenty servers
  every 15 s. A histogram with fixed bucket bounds is tiny, and two histograms with the same
  bounds merge by adding their bucket counts: the fleet's histogram is the sum of the servers'
  histograms. The price is precision: a percentile read from buckets is only known to lie in
  the bucket that holds it. With bounds that grow by a factor ``f`` (1 ms, 1.2 ms, 1.44 ms...),
  the error is at most ``f - 1`` relative to the true value (20 % here): choose the bounds for
  the precision you need. What you must never do is average: the average of three servers'
  p99s is not the fleet's p99, and no percentile can be computed from a mean.
* **Alerts.** A rule such as "error rate above 5 % over the last 60 s" is evaluated every
  ``eval_interval`` seconds. One bad evaluation must not page anyone: the rule first becomes
  **pending**, and only **fires** when the condition has held at every evaluation for its
  ``for`` duration. When the condition clears, a pending alert quietly goes back to
  **inactive**, and a firing one is **resolved** (and the person on call is told so). So an
  incident that starts at time ``S`` fires no earlier than ``S + for`` and, with data scraped
  every ``scrape_interval``, no later than ``S + window + for + eval_interval +
  scrape_interval``; it resolves within ``window + eval_interval + scrape_interval`` of the end.
  A longer ``for`` means fewer false alarms and later pages: that is the trade-off to tune.

Everything reads time from ``time.time()`` at the moment it is called (the suite runs your code
on a virtual clock).

The cluster, as far as this exercise needs it
---------------------------------------------
``Monitor`` runs on a node of the suite's simulated cluster. It gets its ``node`` and uses only
``node.every(interval, fn)`` (call ``fn()`` every ``interval`` seconds of virtual time, the
first time ``interval`` seconds from now). It scrapes the servers with ``requests``
(``requests.get(f"http://{target}/metrics", timeout=timeout)``: the suite's network answers it;
a server that is down raises ``requests.ConnectionError``, one that does not answer in time
``requests.Timeout``). Each server the suite runs keeps its metrics in your ``Registry`` and
answers ``GET /metrics`` with ``registry.snapshot()`` as JSON, and logs each request with your
``StructuredLogger`` inside your ``request_context``. Use no threads.

Run ``sysdesign check monitoring``.

Tasks
-----
1. ``StructuredLogger``: one JSON object per line: time, level, message, fields; a level filter.
2. ``request_context``, ``current_request_id``, ``outgoing_headers``: a request id that follows
   the request, and every log line carries it.
3. ``Counter``, ``Gauge`` and ``Registry``: metrics, and the snapshot a server is scraped for.
4. ``Histogram`` and ``exponential_buckets``: buckets, percentiles with a known error bound, merging.
5. ``Series``: the increase of a counter over a time window, resets included.
6. ``AlertRule``: inactive, pending, firing, resolved, with its ``for`` duration.
7. ``Monitor``: scrape the fleet, evaluate the rules, and read fleet percentiles (in the cluster,
   through an incident).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

LEVELS = {"DEBUG": 10, "INFO": 20, "WARNING": 30, "ERROR": 40}
"""Level names and their order: a logger set to ``INFO`` writes INFO, WARNING and ERROR."""

RESERVED = ("ts", "level", "msg", "request_id")
"""The keys every log line has, in this order; no field may use these names."""

REQUEST_ID_HEADER = "X-Request-Id"
"""The HTTP header that carries the request id from one service to the next."""


class StructuredLogger:
    """Tasks 1-2. Writes one JSON object per line through ``write``.

    Each record is a dict with, in this order: ``ts`` (``time.time()`` when the line is logged,
    a float), ``level`` (its name, e.g. ``"ERROR"``), ``msg`` (the message), ``request_id``
    (``current_request_id()``, or ``None`` outside any request; task 2), then the logger's
    bound fields, then the fields of the call (a call's field overrides a bound field of the
    same name). The line is ``json.dumps(record, default=str) + "\\n"`` (values JSON cannot
    hold are written as their ``str()``), passed to ``write`` in one call.
    """

    def __init__(self, write: Callable[[str], Any], *, level: str = "INFO", **fields: Any) -> None:
        """Task 1. ``write(line)`` takes each line (``io.StringIO().write``, ``list.append``, a
        file's ``write``...). Records below ``level`` are dropped. ``fields`` are bound: they go
        on every line. An unknown level, or a field named like one of ``RESERVED``, raises
        ``ValueError``."""
        raise NotImplementedError("task 1: implement StructuredLogger.__init__")

    def log(self, level: str, msg: str, /, **fields: Any) -> None:
        """Task 1. Write one record at ``level`` (a name of ``LEVELS``) unless it is below the
        logger's level. ``level`` and ``msg`` are positional only, so no field clashes with them.
        An unknown level, or a field named like one of ``RESERVED``, raises ``ValueError``."""
        raise NotImplementedError("task 1: implement StructuredLogger.log")

    def debug(self, msg: str, /, **fields: Any) -> None:
        """Task 1. ``log("DEBUG", msg, **fields)``."""
        raise NotImplementedError("task 1: implement StructuredLogger.debug")

    def info(self, msg: str, /, **fields: Any) -> None:
        """Task 1. ``log("INFO", msg, **fields)``."""
        raise NotImplementedError("task 1: implement StructuredLogger.info")

    def warning(self, msg: str, /, **fields: Any) -> None:
        """Task 1. ``log("WARNING", msg, **fields)``."""
        raise NotImplementedError("task 1: implement StructuredLogger.warning")

    def error(self, msg: str, /, **fields: Any) -> None:
        """Task 1. ``log("ERROR", msg, **fields)``."""
        raise NotImplementedError("task 1: implement StructuredLogger.error")

    def bind(self, **fields: Any) -> StructuredLogger:
        """Task 1. A new logger with the same ``write`` and level, and this logger's bound fields
        plus ``fields`` (which win). This logger is unchanged. A reserved name raises
        ``ValueError``."""
        raise NotImplementedError("task 1: implement StructuredLogger.bind")


@contextmanager
def request_context(request_id: str) -> Iterator[str]:
    """Task 2. ``with request_context("r-42"):`` makes ``current_request_id()`` return
    ``"r-42"`` inside the block, and yields the id. When the block ends (normally or by an
    exception), the id that was current before is current again: contexts nest. Keep the id in
    a ``contextvars.ContextVar``, and restore it with the token ``ContextVar.set`` returned.
    An empty id raises ``ValueError``."""
    raise NotImplementedError("task 2: implement request_context")
    yield request_id  # pragma: no cover (makes this a generator, as the decorator needs)


def current_request_id() -> str | None:
    """Task 2. The request id of the innermost ``request_context`` around the running code, or
    ``None``."""
    raise NotImplementedError("task 2: implement current_request_id")


def outgoing_headers() -> dict[str, str]:
    """Task 2. The headers that pass the current request id downstream:
    ``{REQUEST_ID_HEADER: id}`` inside a request, ``{}`` outside."""
    raise NotImplementedError("task 2: implement outgoing_headers")


class Counter:
    """Task 3. A number that only goes up (starts at 0)."""

    def __init__(self) -> None:
        """Task 3. A counter at 0."""
        raise NotImplementedError("task 3: implement Counter.__init__")

    def inc(self, amount: float = 1) -> None:
        """Task 3. Add ``amount``; a negative amount raises ``ValueError`` (a counter never goes
        down: use a gauge)."""
        raise NotImplementedError("task 3: implement Counter.inc")

    @property
    def value(self) -> float:
        """Task 3. The total so far."""
        raise NotImplementedError("task 3: implement Counter.value")


class Gauge:
    """Task 3. A number that goes up and down (starts at 0)."""

    def __init__(self) -> None:
        """Task 3. A gauge at 0."""
        raise NotImplementedError("task 3: implement Gauge.__init__")

    def set(self, value: float) -> None:
        """Task 3. Make the gauge read ``value``."""
        raise NotImplementedError("task 3: implement Gauge.set")

    def inc(self, amount: float = 1) -> None:
        """Task 3. Add ``amount`` (any sign)."""
        raise NotImplementedError("task 3: implement Gauge.inc")

    def dec(self, amount: float = 1) -> None:
        """Task 3. Subtract ``amount``."""
        raise NotImplementedError("task 3: implement Gauge.dec")

    @property
    def value(self) -> float:
        """Task 3. What the gauge reads."""
        raise NotImplementedError("task 3: implement Gauge.value")


def exponential_buckets(start: float, factor: float, count: int) -> list[float]:
    """Task 4. ``[start, start*factor, start*factor**2, ...]``, ``count`` bounds. ``start <= 0``,
    ``factor <= 1`` or ``count < 1`` raises ``ValueError``. With these bounds a percentile read
    from the histogram is within a factor ``factor`` of the true one (below the last bound)."""
    raise NotImplementedError("task 4: implement exponential_buckets")


class Histogram:
    """Task 4. Counts observations in buckets, and estimates percentiles from the counts.

    Bucket ``i`` (for ``i < len(bounds)``) holds the values ``v`` with
    ``bounds[i-1] < v <= bounds[i]`` (bucket 0: ``0 <= v <= bounds[0]``); one more bucket, the
    overflow, holds the values above ``bounds[-1]``. A value equal to a bound goes in that
    bound's bucket (``bisect.bisect_left`` finds it).

    **Percentiles and their error bound.** The exact ``q``-quantile of ``n`` samples is, by the
    nearest-rank rule, the sample of rank ``r = max(1, ceil(q*n - 1e-9))`` in sorted order (the
    ``1e-9`` keeps ``0.07*100``, which is ``7.000000000000001`` in floating point, from
    rounding up to 8). ``quantile(q)`` finds the bucket that
    holds rank ``r`` (the first whose cumulative count reaches ``r``) and returns a value in
    that bucket's closed range ``[low, high]``; interpolate linearly inside it:
    ``low + (high - low) * (r - count_before) / count_in_bucket``. So the estimate is never
    further from the exact value than the width of the bucket holding it. When rank ``r`` is
    in the overflow bucket, return ``bounds[-1]`` (all a histogram knows is "more than that").
    """

    def __init__(self, bounds: Iterable[float]) -> None:
        """Task 4. Empty buckets for ``bounds``: at least one, all finite and positive, strictly
        increasing, or ``ValueError``."""
        raise NotImplementedError("task 4: implement Histogram.__init__")

    @property
    def bounds(self) -> list[float]:
        """Task 4. The bucket bounds (a copy)."""
        raise NotImplementedError("task 4: implement Histogram.bounds")

    def observe(self, value: float) -> None:
        """Task 4. Count ``value`` in its bucket, and in ``count`` and ``sum``. A negative value
        raises ``ValueError``."""
        raise NotImplementedError("task 4: implement Histogram.observe")

    @property
    def count(self) -> int:
        """Task 4. How many values were observed."""
        raise NotImplementedError("task 4: implement Histogram.count")

    @property
    def sum(self) -> float:
        """Task 4. The sum of the observed values."""
        raise NotImplementedError("task 4: implement Histogram.sum")

    def counts(self) -> list[int]:
        """Task 4. The count of each bucket (not cumulative), overflow last:
        ``len(bounds) + 1`` integers."""
        raise NotImplementedError("task 4: implement Histogram.counts")

    def quantile(self, q: float) -> float | None:
        """Task 4. The estimate of the ``q``-quantile described in the class docstring
        (``quantile(0.99)`` is the p99). ``None`` when nothing was observed; ``q`` outside
        ``(0, 1]`` raises ``ValueError``. Computed from the bucket counts only."""
        raise NotImplementedError("task 4: implement Histogram.quantile")

    def merge(self, other: Histogram) -> None:
        """Task 4. Add ``other``'s counts, count and sum into this histogram (a fleet's histogram
        is the sum of its servers'). Different bounds raise ``ValueError``."""
        raise NotImplementedError("task 4: implement Histogram.merge")

    def snapshot(self) -> dict[str, Any]:
        """Task 4. ``{"bounds": [...], "counts": [...], "count": n, "sum": s}`` (plain lists and
        numbers: it travels as JSON)."""
        raise NotImplementedError("task 4: implement Histogram.snapshot")

    @classmethod
    def from_snapshot(cls, snapshot: dict[str, Any]) -> Histogram:
        """Task 4. The histogram a ``snapshot()`` describes (same bounds, counts, count, sum)."""
        raise NotImplementedError("task 4: implement Histogram.from_snapshot")


class Registry:
    """Task 3 (and 4). The metrics of one server, by name."""

    def __init__(self) -> None:
        """Task 3. No metrics yet."""
        raise NotImplementedError("task 3: implement Registry.__init__")

    def counter(self, name: str) -> Counter:
        """Task 3. The counter called ``name``, created at 0 the first time (the same object
        every later time). A name already used by another kind of metric raises
        ``ValueError``."""
        raise NotImplementedError("task 3: implement Registry.counter")

    def gauge(self, name: str) -> Gauge:
        """Task 3. The gauge called ``name`` (created the first time); a name used by another
        kind raises ``ValueError``."""
        raise NotImplementedError("task 3: implement Registry.gauge")

    def histogram(self, name: str, bounds: Iterable[float]) -> Histogram:
        """Task 4. The histogram called ``name`` (created with ``bounds`` the first time). Asking
        again with other bounds, or for a name used by another kind, raises ``ValueError``."""
        raise NotImplementedError("task 4: implement Registry.histogram")

    def snapshot(self) -> dict[str, Any]:
        """Task 3. Everything, as plain JSON-ready data: ``{"counters": {name: value},
        "gauges": {name: value}, "histograms": {name: histogram.snapshot()}}`` (all three keys
        always there)."""
        raise NotImplementedError("task 3: implement Registry.snapshot")


class Series:
    """Task 5. The scraped samples ``(t, value)`` of one cumulative counter of one server."""

    def __init__(self) -> None:
        """Task 5. No samples yet."""
        raise NotImplementedError("task 5: implement Series.__init__")

    def add(self, t: float, value: float) -> None:
        """Task 5. Record that the counter read ``value`` at time ``t``. Samples come in time
        order: a ``t`` before the last sample's raises ``ValueError``."""
        raise NotImplementedError("task 5: implement Series.add")

    def increase(self, now: float, window: float) -> float:
        """Task 5. How much the counter grew over ``[now - window, now]`` (both ends included).

        Take the samples in that range, in order; for each pair of consecutive samples ``a``,
        ``b``, add ``b - a`` when ``b >= a``, and ``b`` when ``b < a`` (the server restarted,
        its counter began again at 0, so it grew by ``b`` since). Fewer than two samples in the
        window: ``0``."""
        raise NotImplementedError("task 5: implement Series.increase")


class AlertRule:
    """Task 6. "numerator / denominator above ``threshold`` over ``window`` seconds, for
    ``for_`` seconds".

    ``evaluate(value, now)`` is called every evaluation interval with the rule's current value
    (``None`` when there is no data: never a breach). The condition is ``value > threshold``.
    The state machine, with the event recorded for each change:

    ==========  ================================  ===========  ==========
    state       condition at this evaluation      new state    event
    ==========  ================================  ===========  ==========
    inactive    true (and ``for_ > 0``)           pending      "pending"
    inactive    true and ``for_ == 0``            firing       "firing"
    pending     true, ``now - since >= for_``     firing       "firing"
    pending     false                             inactive     "inactive"
    firing      false                             inactive     "resolved"
    ==========  ================================  ===========  ==========

    ``since`` is the ``now`` of the evaluation that made the rule pending: every evaluation in
    between must have found the condition true, or the rule went back to inactive (and a later
    breach starts a new wait). Any other case keeps the state and records nothing.
    """

    def __init__(self, name: str, *, numerator: str, denominator: str, threshold: float, window: float,
                 for_: float = 0.0) -> None:
        """Task 6. ``numerator`` and ``denominator`` name counters (the ``Monitor`` computes
        ``value`` from them); ``window`` must be > 0 and ``for_`` >= 0, or ``ValueError``.
        Starts inactive."""
        raise NotImplementedError("task 6: implement AlertRule.__init__")

    @property
    def state(self) -> str:
        """Task 6. ``"inactive"``, ``"pending"`` or ``"firing"``."""
        raise NotImplementedError("task 6: implement AlertRule.state")

    def evaluate(self, value: float | None, now: float) -> str:
        """Task 6. Apply one evaluation (see the class docstring); return the new state."""
        raise NotImplementedError("task 6: implement AlertRule.evaluate")

    def transitions(self) -> list[tuple[float, str]]:
        """Task 6. Every ``(now, event)`` recorded so far, oldest first."""
        raise NotImplementedError("task 6: implement AlertRule.transitions")


class Monitor:
    """Task 7. The monitoring server: scrapes the fleet, evaluates the rules, reads percentiles.

    * Every ``scrape_interval`` seconds, ``scrape()``; every ``eval_interval`` seconds,
      ``evaluate()`` (register the scrape timer first, both with ``node.every``).
    * ``scrape()`` asks each target, in order, for ``GET http://{target}/metrics`` (with
      ``timeout``). A target that fails (any ``requests.RequestException``, or a status other
      than 200) is skipped this time. For one that answers, at ``t = time.time()`` after its
      answer: add ``(t, value)`` to the ``Series`` of ``(target, name)`` for every counter of the
      snapshot, and keep the snapshot's histograms as that target's latest.
    * The value of a rule at ``now`` is the sum over the targets of the increase of
      ``rule.numerator`` over ``[now - window, now]``, divided by the same sum for
      ``rule.denominator``; ``None`` when that denominator sum is not above 0.
    * ``evaluate()`` evaluates every rule, in order, with its value at ``now = time.time()``.
    """

    def __init__(self, node: Any, targets: Iterable[str], rules: Iterable[AlertRule], *,
                 scrape_interval: float = 15.0, eval_interval: float = 15.0, timeout: float = 2.0) -> None:
        """Task 7. Start the two timers on ``node``. Two rules with one name, or an interval or
        timeout not above 0, raise ``ValueError``."""
        raise NotImplementedError("task 7: implement Monitor.__init__")

    def scrape(self) -> None:
        """Task 7. Scrape every target once (see the class docstring)."""
        raise NotImplementedError("task 7: implement Monitor.scrape")

    def value(self, rule: AlertRule, now: float) -> float | None:
        """Task 7. The rule's value at ``now``, from the scraped series."""
        raise NotImplementedError("task 7: implement Monitor.value")

    def evaluate(self) -> None:
        """Task 7. Evaluate every rule once, at ``time.time()``."""
        raise NotImplementedError("task 7: implement Monitor.evaluate")

    def alerts(self) -> dict[str, str]:
        """Task 7. ``{rule name: state}``."""
        raise NotImplementedError("task 7: implement Monitor.alerts")

    def transitions(self) -> list[tuple[float, str, str]]:
        """Task 7. Every rule's transitions as ``(now, rule name, event)``, oldest first (rules in
        their order when two share a time)."""
        raise NotImplementedError("task 7: implement Monitor.transitions")

    def fleet_histogram(self, name: str) -> Histogram | None:
        """Task 7. The merge of the latest scraped histogram ``name`` of every target that had
        one; ``None`` when none had."""
        raise NotImplementedError("task 7: implement Monitor.fleet_histogram")

    def fleet_quantile(self, name: str, q: float) -> float | None:
        """Task 7. ``fleet_histogram(name).quantile(q)`` (``None`` without data). Never an
        average of the servers' own percentiles."""
        raise NotImplementedError("task 7: implement Monitor.fleet_quantile")
