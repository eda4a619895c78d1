"""Performance: latency, throughput and availability, in numbers.

Three words come up in every design discussion, and each has arithmetic behind it.

**Latency** is how long one thing takes: a request from the client to the server and back, a
read from disk. Averages hide the pain: if one request in a hundred takes two seconds, the mean
still looks fine while every user who loads a page making a hundred requests waits two seconds.
So latency is reported as **percentiles**: p50 (the median), p95, p99. "p99 = 180 ms" means 99 %
of requests took 180 ms or less. There are several ways to compute a percentile from samples;
this kit uses two, defined exactly below, and both start by *sorting* the samples.

**Estimating.** Before building anything, designers estimate with a handful of figures worth
knowing by heart. For 1 MB: reading it from memory takes about 250 us, from an SSD about 1 ms,
sending it over a 1 Gbps network about 10 ms, reading it from a hard disk about 20 ms; and a
small packet from California to the Netherlands and back takes about 150 ms. Two lessons hide in
them: another machine's memory, over the network, can beat the local hard disk; and across the
world the round trips, not the bytes, dominate a small request (a DNS lookup, a TCP handshake
and the request itself are three round trips: 450 ms before the first byte arrives).

**Throughput** is how much work gets done per unit of time: requests per second, bytes per
second. Latency and throughput are related but do not determine each other: a fast step is no
help if a slow step after it lets only a few requests through. **Little's law** ties them
together for any stable system: the average number of requests inside it (L) equals the
arrival rate (lambda) times the average time each spends inside (W): ``L = lambda * W``. A
server holding 50 requests at once, each taking 0.2 s, handles at most 250 requests per
second; to handle more, cut the time per request or hold more at once.

**Availability** is the fraction of time a system does its job. It is quoted in "nines":
99.9 % is three nines. Each extra nine divides the allowed downtime by ten; with a 365-day year:

==========  ===============  ==================
nines       availability     downtime per year
==========  ===============  ==================
2           99 %             87.6 hours
3           99.9 %           8.76 hours
4           99.99 %          52.6 minutes
5           99.999 %         5.26 minutes
==========  ===============  ==================

(Tables you find elsewhere often say 87.7 h and 8.77 h: they count a year as 365.25 days. This
kit's year is exactly 365 days; the suite accepts those published figures within 0.2 %.)

Systems are built of parts. If a request needs *every* part (a load balancer, then a server,
then a database), the parts are **in series** and their availabilities multiply: three parts at
99.9 % give about 99.7 %, worse than any one of them. If *any one* of several redundant parts is
enough (two servers behind a balancer), they are **in parallel**: the system is down only when
all of them are down at once, so the *unavailabilities* multiply: two servers at 99 % give
``1 - 0.01 * 0.01 = 99.99 %``. That is why redundancy removes single points of failure, and why
it assumes the copies fail independently (the same bad deploy on both breaks that assumption).

Redundancy only helps if someone notices the failure and uses the spare. An **active-passive**
pair sends everything to the primary and keeps the secondary ready; a **failover client** tries
the primary, falls back to the secondary when a request fails, *switches* to the secondary after
several failures in a row, keeps health-checking the primary at a steady interval (never
hammering a dead one on every request), and *fails back* when the primary has passed several
checks in a row. Every call has a timeout, or one hung server hangs the client too.

**Promises about availability.** A provider that sells a service usually signs a **service
level agreement (SLA)** with its customer: a contract holding one or more **service level
objectives (SLOs)**, each a target for something measured (the *service level indicator*, such
as the share of a month the service answered), and a **remedy** for when an objective is missed.
A cloud provider may promise a video-streaming customer 99.999 % availability each month and
return 10 % of that month's fees when it falls short; many SLAs have tiers, say 10 % below
99.999 % and 25 % below 99.9 %. Measuring exactly at the objective meets it.

An objective below 100 % is also an allowance. 99.999 % of a month (a twelfth of a 365-day year,
2,628,000 s) leaves 0.001 % of it, 26.28 s, that may go wrong: the **error budget**. Teams
spend it deliberately (a risky deploy, a failover drill, a migration) and watch how much is
left; when it is spent, they stop shipping changes and work on reliability until the period
ends. The budget is ``(1 - objective) x the length of the period``: the tighter the objective,
the smaller the budget, and 100 % leaves none at all. Only downtime inside the period counts
(an outage that started last month spends this month's budget only from the first second of
this month), and a second when two monitors both saw the service down is one second down.

Plain Python and ``requests`` only (the suite's simulated network intercepts ``requests``, not
``urllib`` or ``httpx``). Time: read ``time.monotonic()`` when you need it; the suite runs your
client on a virtual clock inside a simulated cluster. Run ``sysdesign check performance``.

Tasks
-----
1. ``availability_from_nines``, ``nines_of``, ``downtime_seconds``: nines and the downtime they allow.
2. ``series``, ``parallel``, ``combined``: availability of parts in series, in parallel, and nested.
3. ``percentile`` (linear interpolation) and ``nearest_rank``: percentiles of latency samples.
4. ``littles_law``: L = lambda * W, solved for whichever one is missing.
5. ``FailoverClient``: send to the active server, fall back per request, fail over after ``fall`` failures.
6. ``FailoverClient``: health checks on an interval (``get`` runs ``tick`` first), and fail back
   after ``rise`` good ones.
7. ``fetch_breakdown``, ``fetch_estimate``: estimate a fetch from the latency figures (checked
   against a fetch the suite measures in the cluster).
8. ``SLA``: an objective and its refund tiers; ``SLA.report`` measures a period's outages against
   them: availability, breach, error budget spent and left, and the refund owed (``SLOReport``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import requests


# -- task 1: nines and downtime ------------------------------------------------------------------
def availability_from_nines(nines: float) -> float:
    """Task 1. The availability (a fraction) with that many nines: ``1 - 10 ** -nines``.

    ``availability_from_nines(3) == 1 - 10**-3`` (0.999); fractional nines are allowed
    (3.5 nines is about 0.99968). A negative number raises ``ValueError``.
    """
    raise NotImplementedError("task 1: implement availability_from_nines")


def nines_of(availability: float) -> float:
    """Task 1. How many nines ``availability`` has: ``-log10(1 - availability)``.

    ``nines_of(0.999)`` is 3 (up to floating-point rounding); ``nines_of(0.9995)`` is about 3.3;
    ``nines_of(1.0)`` is ``math.inf``. An availability outside ``[0, 1]`` raises ``ValueError``.
    """
    raise NotImplementedError("task 1: implement nines_of")


def downtime_seconds(availability: float, period: str = "year") -> float:
    """Task 1. Seconds of downtime per ``period`` that ``availability`` (a fraction in
    ``[0, 1]``) allows: ``(1 - availability) * length of the period``.

    Periods: ``"year"`` is 365 days of 86,400 s; ``"month"`` is a twelfth of that year
    (30.4166... days); ``"week"`` is 7 days; ``"day"`` is 86,400 s. So
    ``downtime_seconds(0.999)`` is 31,536 s (8.76 h) and ``downtime_seconds(0.999, "month")`` is
    2,628 s (43.8 min). An unknown period or an availability outside ``[0, 1]`` raises
    ``ValueError``.
    """
    raise NotImplementedError("task 1: implement downtime_seconds")


# -- task 2: series and parallel -----------------------------------------------------------------
def series(*parts: float) -> float:
    """Task 2. Availability of parts that are *all* needed: the product of their availabilities.

    ``series(0.99, 0.99) == 0.99 * 0.99``. No part at all, or a part outside ``[0, 1]``,
    raises ``ValueError``.
    """
    raise NotImplementedError("task 2: implement series")


def parallel(*parts: float) -> float:
    """Task 2. Availability of redundant parts where *any one* is enough: one minus the
    product of their unavailabilities, ``1 - (1 - a1) * (1 - a2) * ...``.

    ``parallel(0.99, 0.99)`` is 0.9999. No part at all, or a part outside ``[0, 1]``, raises
    ``ValueError``.
    """
    raise NotImplementedError("task 2: implement parallel")


def combined(spec: Any) -> float:
    """Task 2. Availability of a system described by nested tuples.

    A spec is a number (one part's availability), or a tuple whose first item is ``"series"``
    or ``"parallel"`` followed by one or more specs::

        combined(("series", 0.999, ("parallel", 0.99, 0.99), 0.9995))
        # a balancer, then two redundant servers, then a database

    Anything else (an unknown word, an empty group, a number outside ``[0, 1]``) raises
    ``ValueError``. Lists work like tuples.
    """
    raise NotImplementedError("task 2: implement combined")


# -- task 3: percentiles -------------------------------------------------------------------------
def percentile(samples: Iterable[float], p: float) -> float:
    """Task 3. The ``p``-th percentile (``0 <= p <= 100``) by linear interpolation between the
    closest ranks: the same as ``statistics.quantiles(samples, n=100, method="inclusive")``
    gives for ``p`` in 1..99, and defined for every ``p``.

    Sort the samples into ``x[0] <= ... <= x[n-1]``; let ``h = (n - 1) * p / 100``,
    ``lo = floor(h)``, ``hi = min(lo + 1, n - 1)``; the answer is
    ``x[lo] + (h - lo) * (x[hi] - x[lo])``. So p0 is the minimum, p100 the maximum, p50 the
    median. The suite compares to 1e-9 relative. Do not modify ``samples`` (it may be any
    iterable). No samples, or ``p`` outside ``[0, 100]``, raises ``ValueError``.
    """
    raise NotImplementedError("task 3: implement percentile")


def nearest_rank(samples: Iterable[float], p: float) -> float:
    """Task 3. The ``p``-th percentile by the nearest-rank method: the smallest sample such
    that at least ``p`` percent of the samples are less than or equal to it. Always one of the
    samples.

    Sort the samples into ``x[0] <= ... <= x[n-1]``; the rank (counting from 1) is
    ``ceil(p * n / 100)``, at least 1; the answer is ``x[rank - 1]``. With 10 samples, p90 is
    the 9th smallest and p91 the 10th. No samples, or ``p`` outside ``[0, 100]``, raises
    ``ValueError``.
    """
    raise NotImplementedError("task 3: implement nearest_rank")


# -- task 4: Little's law ------------------------------------------------------------------------
def littles_law(*, in_system: float | None = None, arrival_rate: float | None = None,
                time_in_system: float | None = None) -> float:
    """Task 4. Little's law, ``in_system = arrival_rate * time_in_system`` (L = lambda * W),
    solved for the one argument left out.

    ``littles_law(arrival_rate=250, time_in_system=0.2)`` is 50 requests in the system;
    ``littles_law(in_system=50, time_in_system=0.2)`` is 250 requests per second;
    ``littles_law(in_system=50, arrival_rate=250)`` is 0.2 s. Units are yours to keep
    consistent (per second with seconds). ``ValueError`` unless exactly one argument is
    missing (None), for a negative value, or when the answer would divide by zero.
    """
    raise NotImplementedError("task 4: implement littles_law")


# -- tasks 5-6: the failover client --------------------------------------------------------------
class Unavailable(Exception):
    """Task 5. Raised by ``FailoverClient.get`` when neither server answered."""


class FailoverClient:
    """Tasks 5-6. An active-passive client for a primary and a secondary server.

    ``primary`` and ``secondary`` are base URLs such as ``"http://web-1"`` (a trailing ``/``
    is ignored). Every HTTP call goes through ``session.get(url, timeout=timeout)``: no call
    without a timeout, ever.

    **Observations of the primary.** Every call the client makes to the primary (a request of
    ``get`` or a health check) is one observation, good or failed, and goes through
    ``record_primary``. The client is either *on the primary* (the start) or *on the
    secondary*. On the primary, each failed observation adds one to a streak and a good one
    resets the streak to 0; when the streak reaches ``fall``, the client switches to the
    secondary. On the secondary, each good observation adds one to a streak and a failed one
    resets it; when it reaches ``rise``, the client switches back to the primary. A switch
    resets the streak to 0. The secondary is never health-checked and its results are not
    recorded.

    **Health checks** (task 6). ``GET primary + health_path`` with the timeout: good when the
    status is 2xx, failed for any other status or any ``requests.RequestException``. A check
    is due when at least ``check_interval`` seconds of ``time.monotonic()`` have passed since
    the last one (or, before the first, since the client was built). ``get`` runs a due check
    before its request; an application may also call ``tick`` from a timer.
    """

    def __init__(self, primary: str, secondary: str, *, fall: int = 3, rise: int = 3,
                 check_interval: float = 5.0, timeout: float = 0.5, health_path: str = "/health",
                 session: requests.Session | None = None) -> None:
        """Task 5. Start on the primary with a streak of 0, and note ``time.monotonic()`` as
        the time of the last check. ``session``: the ``requests.Session`` every call goes
        through (a new one when None): the application's headers, authentication and connection
        pool live on it, so a call made with ``requests.get`` would go out without them.
        ``fall`` or ``rise`` below 1, or a ``check_interval`` or ``timeout`` not above 0, raises
        ``ValueError``."""
        raise NotImplementedError("task 5: implement FailoverClient.__init__")

    @property
    def active(self) -> str:
        """Task 5. The base URL requests go to first: the primary's or the secondary's (as
        given to the constructor, without a trailing ``/``)."""
        raise NotImplementedError("task 5: implement FailoverClient.active")

    def record_primary(self, ok: bool) -> None:
        """Tasks 5-6. Count one observation of the primary and switch when the streak reaches
        ``fall`` (on the primary) or ``rise`` (on the secondary); see the class."""
        raise NotImplementedError("task 5: implement FailoverClient.record_primary")

    def get(self, path: str) -> requests.Response:
        """Task 5. ``GET path`` (such as ``"/page"``) with failover.

        Send the request to the active server. An answer
        with a status below 500 (a 404 is the server's answer, not its failure) is returned.
        A status of 500 or more, or a ``requests.RequestException``, is a failure: try the
        other server once, and return its answer if its status is below 500. When both
        failed, raise ``Unavailable``. Calls to the primary are recorded with
        ``record_primary`` (good: status below 500), whether it was tried first or second.

        Task 6 adds one step at the start: run ``tick()``, so that a health check that is due
        runs before the request. Until then ``get`` makes no health checks (the suite's task-5
        tests never let one fall due).
        """
        raise NotImplementedError("task 5: implement FailoverClient.get")

    def health_check(self) -> bool:
        """Task 6. Check the primary now (see the class), record the result with
        ``record_primary``, and return whether the check was good. The time of the last check
        is ``time.monotonic()`` read when the check starts (before the call)."""
        raise NotImplementedError("task 6: implement FailoverClient.health_check")

    def tick(self) -> None:
        """Task 6. Run ``health_check()`` if one is due: at least ``check_interval`` seconds
        since the last check. Otherwise do nothing (no call at all)."""
        raise NotImplementedError("task 6: implement FailoverClient.tick")


# -- task 7: estimating with latency figures -----------------------------------------------------
SECONDS_PER_MB = {"memory": 250e-6, "ssd": 1e-3, "network": 10e-3, "hdd": 20e-3}
"""Seconds to move 1 MB (given): read it from memory, from an SSD or from a hard disk, or send it
over a 1 Gbps network (distance aside)."""

ROUND_TRIP_CA_NL = 0.150
"""Seconds for a small packet to go from California to the Netherlands and back (given)."""


def fetch_breakdown(megabytes: float, source: str, *, round_trips: int,
                    rtt: float = ROUND_TRIP_CA_NL) -> dict[str, float]:
    """Task 7. Where the time of a fetch goes: a client fetches ``megabytes`` that the server
    reads from ``source`` (``"memory"``, ``"ssd"`` or ``"hdd"``) and sends over a 1 Gbps network,
    after ``round_trips`` round trips of ``rtt`` seconds each (a DNS lookup, a TCP handshake and
    the request itself are one each; the data's own trip is part of the request's).

    Returns ``{"round_trips": round_trips * rtt, "read": megabytes * SECONDS_PER_MB[source],
    "transfer": megabytes * SECONDS_PER_MB["network"]}``. Raise ``ValueError`` for another
    ``source``, unless ``megabytes >= 0`` and ``rtt >= 0``, and unless ``round_trips`` is an int
    >= 0.
    """
    raise NotImplementedError("task 7: implement fetch_breakdown")


def fetch_estimate(megabytes: float, source: str, *, round_trips: int, rtt: float = ROUND_TRIP_CA_NL) -> float:
    """Task 7. The seconds a fetch takes: the sum of ``fetch_breakdown`` (same arguments, same
    errors). ``fetch_estimate(1, "memory", round_trips=3)`` is about 0.46: the round trips are
    nearly all of it."""
    raise NotImplementedError("task 7: implement fetch_estimate")


# -- task 8: an SLA, its objective, its error budget and its remedy ------------------------------
@dataclass(frozen=True)
class SLOReport:
    """Task 8 (given). What ``SLA.report`` returns for one period. Seconds are seconds of the
    period; fractions are between 0 and 1 unless said otherwise.

    - ``availability``: the share of the period that was not inside any outage,
      ``(length - downtime) / length``.
    - ``downtime``: seconds of the period inside at least one outage.
    - ``breached``: the objective was missed, ``availability < objective`` (exactly at the
      objective is met).
    - ``budget``: the error budget, the downtime the objective allows in this period:
      ``(1 - objective) * length``.
    - ``budget_left``: ``budget - downtime``; below 0 once the budget is overspent.
    - ``budget_spent``: ``downtime / budget`` (1.0: all of it; above 1: overspent). With no
      budget at all (an objective of 1.0) it is 0.0 without downtime and ``math.inf`` with some.
    - ``refund_rate``: the share of the fee the remedy returns (see ``SLA``); 0.0 when no tier
      applies.
    - ``refund``: ``refund_rate * fee``.
    """

    availability: float
    downtime: float
    breached: bool
    budget: float
    budget_left: float
    budget_spent: float
    refund_rate: float
    refund: float


class SLA:
    """Task 8. A service level agreement: one availability objective (the SLO) and the remedy
    owed when availability falls short, as refund tiers.

    ``objective``: the promised availability, a fraction in ``(0, 1]`` (``0.99999`` is
    99.999 %; ``1.0`` promises no downtime at all and leaves no error budget). ``tiers``:
    ``(below, rate)`` pairs, in any order: when the measured availability is *strictly below*
    ``below``, a refund of ``rate`` (a fraction of the period's fee) applies; when several
    apply, the largest rate is owed. ``[(0.99999, 0.10), (0.999, 0.25)]`` returns 10 % of the
    fee below 99.999 % and 25 % below 99.9 %; at exactly 99.9 % it is 10 %. No tiers (the
    default) means no refund ever. A threshold outside ``(0, 1]``, a rate outside ``[0, 1]`` or
    an objective outside ``(0, 1]`` raises ``ValueError``.
    """

    def __init__(self, objective: float, tiers: Iterable[tuple[float, float]] = ()) -> None:
        """Task 8. Keep the objective and the tiers (check them here, see the class)."""
        raise NotImplementedError("task 8: implement SLA.__init__")

    def report(self, outages: Iterable[tuple[float, float]], start: float, end: float,
               fee: float = 0.0) -> SLOReport:
        """Task 8. Measure the period ``[start, end)`` (seconds; any clock, negative times
        included) against this SLA and return an ``SLOReport``.

        ``outages``: ``(down_from, down_until)`` pairs in the same seconds, the service down for
        ``[down_from, down_until)``, as a monitor reported them: in any order, possibly
        overlapping or touching each other (a second two outages share is one second down),
        possibly empty (``down_from == down_until``), possibly reaching before ``start`` or
        after ``end``, or lying wholly outside the period: only the part inside
        ``[start, end)`` counts. ``fee``: what the customer paid for the period (``>= 0``).

        ``ValueError`` when ``end <= start``, for a negative fee, and for an outage that ends
        before it starts. The suite checks every boundary with numbers that are exact in binary
        (periods such as 1024 s, times on quarter seconds, objectives such as ``1 - 3/1024``), so
        any of the usual formulas (``(length - downtime) / length < objective`` or
        ``downtime > budget``) decides the same way; other figures are compared to 1e-9.
        """
        raise NotImplementedError("task 8: implement SLA.report")
