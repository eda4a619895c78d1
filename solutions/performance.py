"""Reference solution: performance (nines, series/parallel availability, percentiles, Little's
law, an active-passive failover client, latency estimates, an SLA's report)."""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import requests

SECONDS_PER_DAY = 24 * 3600
PERIODS = {
    "year": 365 * SECONDS_PER_DAY,
    "month": 365 * SECONDS_PER_DAY / 12,
    "week": 7 * SECONDS_PER_DAY,
    "day": SECONDS_PER_DAY,
}


# -- task 1: nines and downtime ------------------------------------------------------------------
def _check_availability(a: float) -> float:
    if not 0.0 <= a <= 1.0:
        raise ValueError(f"availability {a!r} is not between 0 and 1")
    return float(a)


def availability_from_nines(nines: float) -> float:
    if nines < 0:
        raise ValueError(f"nines={nines!r}: a number of nines is at least 0")
    return 1.0 - 10.0 ** (-nines)


def nines_of(availability: float) -> float:
    a = _check_availability(availability)
    if a == 1.0:
        return math.inf
    return -math.log10(1.0 - a)


def downtime_seconds(availability: float, period: str = "year") -> float:
    a = _check_availability(availability)
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r} (known: {', '.join(PERIODS)})")
    return (1.0 - a) * PERIODS[period]


# -- task 2: series and parallel -----------------------------------------------------------------
def _parts(parts: Iterable[float]) -> list[float]:
    values = [_check_availability(p) for p in parts]
    if not values:
        raise ValueError("at least one part is needed")
    return values


def series(*parts: float) -> float:
    result = 1.0
    for a in _parts(parts):
        result *= a
    return result


def parallel(*parts: float) -> float:
    down = 1.0
    for a in _parts(parts):
        down *= 1.0 - a
    return 1.0 - down


def combined(spec: Any) -> float:
    if isinstance(spec, (int, float)) and not isinstance(spec, bool):
        return _check_availability(spec)
    if isinstance(spec, (tuple, list)) and spec and spec[0] in ("series", "parallel"):
        inner = [combined(s) for s in spec[1:]]
        return series(*inner) if spec[0] == "series" else parallel(*inner)
    raise ValueError(f"not an availability spec: {spec!r}")


# -- task 3: percentiles -------------------------------------------------------------------------
def _sorted_samples(samples: Iterable[float], p: float) -> list[float]:
    if not 0 <= p <= 100:
        raise ValueError(f"p={p!r}: a percentile is between 0 and 100")
    data = sorted(samples)
    if not data:
        raise ValueError("no samples")
    return data


def percentile(samples: Iterable[float], p: float) -> float:
    data = _sorted_samples(samples, p)
    h = (len(data) - 1) * p / 100
    lo = math.floor(h)
    hi = min(lo + 1, len(data) - 1)
    return data[lo] + (h - lo) * (data[hi] - data[lo])


def nearest_rank(samples: Iterable[float], p: float) -> float:
    data = _sorted_samples(samples, p)
    rank = max(1, math.ceil(p * len(data) / 100))
    return data[rank - 1]


# -- task 4: Little's law ------------------------------------------------------------------------
def littles_law(*, in_system: float | None = None, arrival_rate: float | None = None,
                time_in_system: float | None = None) -> float:
    given = {"in_system": in_system, "arrival_rate": arrival_rate, "time_in_system": time_in_system}
    missing = [k for k, v in given.items() if v is None]
    if len(missing) != 1:
        raise ValueError(f"give exactly two of in_system, arrival_rate, time_in_system (missing: {missing})")
    for k, v in given.items():
        if v is not None and v < 0:
            raise ValueError(f"{k}={v!r} is negative")
    if missing == ["in_system"]:
        return arrival_rate * time_in_system
    if missing == ["arrival_rate"]:
        if time_in_system == 0:
            raise ValueError("time_in_system is 0: the arrival rate is undefined")
        return in_system / time_in_system
    if arrival_rate == 0:
        raise ValueError("arrival_rate is 0: the time in the system is undefined")
    return in_system / arrival_rate


# -- tasks 5-6: the failover client --------------------------------------------------------------
class Unavailable(Exception):
    """Neither server answered."""


class FailoverClient:
    def __init__(self, primary: str, secondary: str, *, fall: int = 3, rise: int = 3,
                 check_interval: float = 5.0, timeout: float = 0.5, health_path: str = "/health",
                 session: requests.Session | None = None) -> None:
        if fall < 1 or rise < 1:
            raise ValueError("fall and rise must be at least 1")
        if check_interval <= 0 or timeout <= 0:
            raise ValueError("check_interval and timeout must be positive")
        self.primary, self.secondary = primary.rstrip("/"), secondary.rstrip("/")
        self.fall, self.rise = fall, rise
        self.check_interval, self.timeout = check_interval, timeout
        self.health_path = health_path
        self.session = session if session is not None else requests.Session()
        self._on_primary = True
        self._streak = 0
        self._last_check = time.monotonic()

    @property
    def active(self) -> str:
        return self.primary if self._on_primary else self.secondary

    def record_primary(self, ok: bool) -> None:
        if ok != self._on_primary:  # evidence against the current choice
            self._streak += 1
            if self._streak >= (self.fall if self._on_primary else self.rise):
                self._on_primary = not self._on_primary
                self._streak = 0
        else:
            self._streak = 0

    def health_check(self) -> bool:
        self._last_check = time.monotonic()
        try:
            answer = self.session.get(self.primary + self.health_path, timeout=self.timeout)
            ok = 200 <= answer.status_code < 300
        except requests.RequestException:
            ok = False
        self.record_primary(ok)
        return ok

    def _check_due(self) -> bool:
        return time.monotonic() - self._last_check >= self.check_interval

    def tick(self) -> None:
        if self._check_due():
            self.health_check()

    def _try(self, base: str, path: str) -> requests.Response | None:
        try:
            answer = self.session.get(base + path, timeout=self.timeout)
        except requests.RequestException:
            answer = None
        ok = answer is not None and answer.status_code < 500
        if base == self.primary:
            self.record_primary(ok)
        return answer if ok else None

    def get(self, path: str) -> requests.Response:
        # Task 6: a due health check runs first (what tick() does). Written out here so that
        # get() works, without a single check, before tick() and health_check() exist.
        if self._check_due():
            self.health_check()
        first = self.active
        answer = self._try(first, path)
        if answer is not None:
            return answer
        other = self.secondary if first == self.primary else self.primary
        answer = self._try(other, path)
        if answer is not None:
            return answer
        raise Unavailable(f"GET {path}: neither {first} nor {other} answered")


# -- task 7: estimating with latency figures -----------------------------------------------------
SECONDS_PER_MB = {"memory": 250e-6, "ssd": 1e-3, "network": 10e-3, "hdd": 20e-3}
ROUND_TRIP_CA_NL = 0.150


def fetch_breakdown(megabytes: float, source: str, *, round_trips: int,
                    rtt: float = ROUND_TRIP_CA_NL) -> dict[str, float]:
    if source not in ("memory", "ssd", "hdd"):
        raise ValueError(f"source {source!r}: one of 'memory', 'ssd', 'hdd'")
    if not megabytes >= 0 or not rtt >= 0:
        raise ValueError(f"need megabytes >= 0 and rtt >= 0, got {megabytes!r} and {rtt!r}")
    if not isinstance(round_trips, int) or isinstance(round_trips, bool) or round_trips < 0:
        raise ValueError(f"round_trips must be an int >= 0, not {round_trips!r}")
    return {"round_trips": round_trips * rtt, "read": megabytes * SECONDS_PER_MB[source],
            "transfer": megabytes * SECONDS_PER_MB["network"]}


def fetch_estimate(megabytes: float, source: str, *, round_trips: int, rtt: float = ROUND_TRIP_CA_NL) -> float:
    return sum(fetch_breakdown(megabytes, source, round_trips=round_trips, rtt=rtt).values())


# -- task 8: an SLA, its objective, its error budget and its remedy ------------------------------
@dataclass(frozen=True)
class SLOReport:
    availability: float
    downtime: float
    breached: bool
    budget: float
    budget_left: float
    budget_spent: float
    refund_rate: float
    refund: float


def _fraction(value: float, what: str, *, zero: bool) -> float:
    low_ok = value >= 0 if zero else value > 0
    if not (low_ok and value <= 1):
        raise ValueError(f"{what}={value!r}: must be in {'[0' if zero else '(0'}, 1]")
    return float(value)


def _downtime(outages: Iterable[tuple[float, float]], start: float, end: float) -> float:
    """Seconds of [start, end) inside at least one outage: clipped to the period, overlaps once."""
    clipped = []
    for a, b in outages:
        if b < a:
            raise ValueError(f"outage ({a!r}, {b!r}) ends before it starts")
        a, b = max(a, start), min(b, end)
        if a < b:
            clipped.append((a, b))
    total, reached = 0.0, start
    for a, b in sorted(clipped):
        if b > reached:
            total += b - max(a, reached)
            reached = b
    return total


class SLA:
    def __init__(self, objective: float, tiers: Iterable[tuple[float, float]] = ()) -> None:
        self.objective = _fraction(objective, "objective", zero=False)
        self.tiers = [(_fraction(below, "a tier's threshold", zero=False), _fraction(rate, "a tier's refund rate",
                                                                                      zero=True))
                      for below, rate in tiers]

    def report(self, outages: Iterable[tuple[float, float]], start: float, end: float,
               fee: float = 0.0) -> SLOReport:
        if not end > start:
            raise ValueError(f"the period [{start!r}, {end!r}) is empty")
        if not fee >= 0:
            raise ValueError(f"fee={fee!r} is negative")
        length = end - start
        downtime = _downtime(outages, start, end)
        availability = (length - downtime) / length
        budget = (1.0 - self.objective) * length
        if budget > 0:
            spent = downtime / budget
        else:
            spent = math.inf if downtime > 0 else 0.0
        rate = max([r for below, r in self.tiers if availability < below], default=0.0)
        return SLOReport(availability=availability, downtime=downtime, breached=availability < self.objective,
                         budget=budget, budget_left=budget - downtime, budget_spent=spent, refund_rate=rate,
                         refund=rate * fee)
