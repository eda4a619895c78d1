"""Reference solution: monitoring (structured logs, request ids, metrics, histograms, alerts)."""

from __future__ import annotations

import bisect
import contextvars
import json
import math
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import requests

LEVELS = {"DEBUG": 10, "INFO": 20, "WARNING": 30, "ERROR": 40}
RESERVED = ("ts", "level", "msg", "request_id")
REQUEST_ID_HEADER = "X-Request-Id"

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)


def _level(name: str) -> int:
    if name not in LEVELS:
        raise ValueError(f"unknown level {name!r} (known: {', '.join(LEVELS)})")
    return LEVELS[name]


def _check_fields(fields: dict[str, Any]) -> None:
    clash = [k for k in fields if k in RESERVED]
    if clash:
        raise ValueError(f"field names {clash} are reserved")


# -- task 1-2: structured logs ---------------------------------------------------------------------
class StructuredLogger:
    def __init__(self, write: Callable[[str], Any], *, level: str = "INFO", **fields: Any) -> None:
        self._threshold = _level(level)
        _check_fields(fields)
        self._write = write
        self._level_name = level
        self._fields = dict(fields)

    def log(self, level: str, msg: str, /, **fields: Any) -> None:
        rank = _level(level)
        _check_fields(fields)
        if rank < self._threshold:
            return
        record: dict[str, Any] = {"ts": time.time(), "level": level, "msg": msg, "request_id": _request_id.get()}
        record.update(self._fields)
        record.update(fields)
        self._write(json.dumps(record, default=str) + "\n")

    def debug(self, msg: str, /, **fields: Any) -> None:
        self.log("DEBUG", msg, **fields)

    def info(self, msg: str, /, **fields: Any) -> None:
        self.log("INFO", msg, **fields)

    def warning(self, msg: str, /, **fields: Any) -> None:
        self.log("WARNING", msg, **fields)

    def error(self, msg: str, /, **fields: Any) -> None:
        self.log("ERROR", msg, **fields)

    def bind(self, **fields: Any) -> StructuredLogger:
        _check_fields(fields)
        return StructuredLogger(self._write, level=self._level_name, **{**self._fields, **fields})


@contextmanager
def request_context(request_id: str) -> Iterator[str]:
    if not request_id:
        raise ValueError("a request id cannot be empty")
    token = _request_id.set(request_id)
    try:
        yield request_id
    finally:
        _request_id.reset(token)


def current_request_id() -> str | None:
    return _request_id.get()


def outgoing_headers() -> dict[str, str]:
    rid = current_request_id()
    return {REQUEST_ID_HEADER: rid} if rid is not None else {}


# -- task 3: counters, gauges, registry ----------------------------------------------------------
class Counter:
    def __init__(self) -> None:
        self._value: float = 0

    def inc(self, amount: float = 1) -> None:
        if amount < 0:
            raise ValueError("a counter never goes down")
        self._value += amount

    @property
    def value(self) -> float:
        return self._value


class Gauge:
    def __init__(self) -> None:
        self._value: float = 0

    def set(self, value: float) -> None:
        self._value = value

    def inc(self, amount: float = 1) -> None:
        self._value += amount

    def dec(self, amount: float = 1) -> None:
        self._value -= amount

    @property
    def value(self) -> float:
        return self._value


# -- task 4: histograms ----------------------------------------------------------------------------
def exponential_buckets(start: float, factor: float, count: int) -> list[float]:
    if start <= 0 or factor <= 1 or count < 1:
        raise ValueError("need start > 0, factor > 1, count >= 1")
    return [start * factor**i for i in range(count)]


class Histogram:
    def __init__(self, bounds: Iterable[float]) -> None:
        bounds = [float(b) for b in bounds]
        if not bounds or any(not math.isfinite(b) or b <= 0 for b in bounds) or any(
                a >= b for a, b in zip(bounds, bounds[1:])):
            raise ValueError(f"bounds must be finite, positive and strictly increasing: {bounds!r}")
        self._bounds = bounds
        self._counts = [0] * (len(bounds) + 1)
        self._count = 0
        self._sum = 0.0

    @property
    def bounds(self) -> list[float]:
        return list(self._bounds)

    def observe(self, value: float) -> None:
        if value < 0:
            raise ValueError("observed values must be >= 0")
        self._counts[bisect.bisect_left(self._bounds, value)] += 1
        self._count += 1
        self._sum += value

    @property
    def count(self) -> int:
        return self._count

    @property
    def sum(self) -> float:
        return self._sum

    def counts(self) -> list[int]:
        return list(self._counts)

    def quantile(self, q: float) -> float | None:
        if not 0 < q <= 1:
            raise ValueError("q must be in (0, 1]")
        if self._count == 0:
            return None
        rank = max(1, math.ceil(q * self._count - 1e-9))
        before = 0
        for i, n in enumerate(self._counts):
            if before + n >= rank:
                break
            before += n
        if i == len(self._bounds):
            return self._bounds[-1]
        low = self._bounds[i - 1] if i else 0.0
        high = self._bounds[i]
        return low + (high - low) * (rank - before) / n

    def merge(self, other: Histogram) -> None:
        if other.bounds != self._bounds:
            raise ValueError("cannot merge histograms with different bounds")
        self._counts = [a + b for a, b in zip(self._counts, other.counts())]
        self._count += other.count
        self._sum += other.sum

    def snapshot(self) -> dict[str, Any]:
        return {"bounds": list(self._bounds), "counts": list(self._counts), "count": self._count, "sum": self._sum}

    @classmethod
    def from_snapshot(cls, snapshot: dict[str, Any]) -> Histogram:
        hist = cls(snapshot["bounds"])
        hist._counts = [int(c) for c in snapshot["counts"]]
        hist._count = int(snapshot["count"])
        hist._sum = float(snapshot["sum"])
        return hist


class Registry:
    def __init__(self) -> None:
        self._metrics: dict[str, Any] = {}

    def _get(self, name: str, kind: type, make: Callable[[], Any]) -> Any:
        metric = self._metrics.get(name)
        if metric is None:
            metric = self._metrics[name] = make()
        elif type(metric) is not kind:
            raise ValueError(f"{name!r} is already a {type(metric).__name__}")
        return metric

    def counter(self, name: str) -> Counter:
        return self._get(name, Counter, Counter)

    def gauge(self, name: str) -> Gauge:
        return self._get(name, Gauge, Gauge)

    def histogram(self, name: str, bounds: Iterable[float]) -> Histogram:
        bounds = list(bounds)
        hist = self._get(name, Histogram, lambda: Histogram(bounds))
        if hist.bounds != [float(b) for b in bounds]:
            raise ValueError(f"histogram {name!r} already has other bounds")
        return hist

    def snapshot(self) -> dict[str, Any]:
        out: dict[str, Any] = {"counters": {}, "gauges": {}, "histograms": {}}
        for name, metric in self._metrics.items():
            if isinstance(metric, Counter):
                out["counters"][name] = metric.value
            elif isinstance(metric, Gauge):
                out["gauges"][name] = metric.value
            else:
                out["histograms"][name] = metric.snapshot()
        return out


# -- task 5: windows over scraped counters -------------------------------------------------------
class Series:
    def __init__(self) -> None:
        self._samples: list[tuple[float, float]] = []

    def add(self, t: float, value: float) -> None:
        if self._samples and t < self._samples[-1][0]:
            raise ValueError("samples must come in time order")
        self._samples.append((t, value))

    def increase(self, now: float, window: float) -> float:
        values = [v for t, v in self._samples if now - window <= t <= now]
        total = 0.0
        for a, b in zip(values, values[1:]):
            total += b - a if b >= a else b
        return total


# -- task 6: alert rules ---------------------------------------------------------------------------
class AlertRule:
    def __init__(self, name: str, *, numerator: str, denominator: str, threshold: float, window: float,
                 for_: float = 0.0) -> None:
        if window <= 0 or for_ < 0:
            raise ValueError("window must be > 0 and for_ >= 0")
        self.name = name
        self.numerator, self.denominator = numerator, denominator
        self.threshold, self.window, self.for_ = threshold, window, for_
        self._state = "inactive"
        self._since: float | None = None
        self._transitions: list[tuple[float, str]] = []

    @property
    def state(self) -> str:
        return self._state

    def _move(self, now: float, state: str, event: str) -> None:
        self._state = state
        self._transitions.append((now, event))

    def evaluate(self, value: float | None, now: float) -> str:
        breach = value is not None and value > self.threshold
        if self._state == "inactive" and breach:
            self._since = now
            if self.for_ == 0:
                self._move(now, "firing", "firing")
            else:
                self._move(now, "pending", "pending")
        elif self._state == "pending":
            if not breach:
                self._move(now, "inactive", "inactive")
            elif now - self._since >= self.for_:
                self._move(now, "firing", "firing")
        elif self._state == "firing" and not breach:
            self._move(now, "inactive", "resolved")
        return self._state

    def transitions(self) -> list[tuple[float, str]]:
        return list(self._transitions)


# -- task 7: the monitoring server -----------------------------------------------------------------
class Monitor:
    def __init__(self, node: Any, targets: Iterable[str], rules: Iterable[AlertRule], *,
                 scrape_interval: float = 15.0, eval_interval: float = 15.0, timeout: float = 2.0) -> None:
        self.targets = list(targets)
        self.rules = list(rules)
        names = [r.name for r in self.rules]
        if len(set(names)) != len(names):
            raise ValueError("two rules share a name")
        if scrape_interval <= 0 or eval_interval <= 0 or timeout <= 0:
            raise ValueError("intervals and timeout must be > 0")
        self.timeout = timeout
        self._series: dict[tuple[str, str], Series] = {}
        self._histograms: dict[str, dict[str, Any]] = {}
        node.every(scrape_interval, self.scrape)
        node.every(eval_interval, self.evaluate)

    def scrape(self) -> None:
        for target in self.targets:
            try:
                answer = requests.get(f"http://{target}/metrics", timeout=self.timeout)
            except requests.RequestException:
                continue
            if answer.status_code != 200:
                continue
            snapshot = answer.json()
            now = time.time()
            for name, value in snapshot["counters"].items():
                self._series.setdefault((target, name), Series()).add(now, value)
            self._histograms[target] = snapshot["histograms"]

    def _sum_increase(self, name: str, now: float, window: float) -> float:
        return sum(self._series[(t, name)].increase(now, window) for t in self.targets if (t, name) in self._series)

    def value(self, rule: AlertRule, now: float) -> float | None:
        den = self._sum_increase(rule.denominator, now, rule.window)
        if den <= 0:
            return None
        return self._sum_increase(rule.numerator, now, rule.window) / den

    def evaluate(self) -> None:
        now = time.time()
        for rule in self.rules:
            rule.evaluate(self.value(rule, now), now)

    def alerts(self) -> dict[str, str]:
        return {rule.name: rule.state for rule in self.rules}

    def transitions(self) -> list[tuple[float, str, str]]:
        rows = [(t, rule.name, event) for rule in self.rules for t, event in rule.transitions()]
        return sorted(rows, key=lambda row: row[0])

    def fleet_histogram(self, name: str) -> Histogram | None:
        fleet = None
        for target in self.targets:
            snap = self._histograms.get(target, {}).get(name)
            if snap is None:
                continue
            hist = Histogram.from_snapshot(snap)
            if fleet is None:
                fleet = hist
            else:
                fleet.merge(hist)
        return fleet

    def fleet_quantile(self, name: str, q: float) -> float | None:
        fleet = self.fleet_histogram(name)
        return None if fleet is None else fleet.quantile(q)
