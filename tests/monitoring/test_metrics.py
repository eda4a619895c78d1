"""Task 3: counters only go up, gauges go both ways, and a registry hands out one metric per name
and a JSON snapshot of them all (what a server answers to ``GET /metrics``)."""

from __future__ import annotations

import json

import pytest

from sysdesign.messages import expect_equal

pytestmark = pytest.mark.task(3)


def test_counter_only_goes_up(monitoring):
    c = monitoring.Counter()
    expect_equal("Counter().value", c.value, 0)
    c.inc()
    c.inc(2.5)
    c.inc(0)
    expect_equal("value after inc(), inc(2.5), inc(0)", c.value, 3.5)
    with pytest.raises(ValueError):
        c.inc(-1)
    expect_equal("value after a refused inc(-1)", c.value, 3.5, why="a counter never goes down")


def test_gauge_goes_both_ways(monitoring):
    g = monitoring.Gauge()
    expect_equal("Gauge().value", g.value, 0)
    g.inc()
    g.inc(4)
    g.dec(2)
    expect_equal("value after inc(), inc(4), dec(2)", g.value, 3)
    g.set(-7.5)
    g.inc(-0.5)
    expect_equal("value after set(-7.5), inc(-0.5)", g.value, -8.0)


@pytest.mark.task(4)
@pytest.mark.points(2)
def test_registry_gives_one_metric_per_name_and_a_json_snapshot(monitoring):
    reg = monitoring.Registry()
    expect_equal("Registry().snapshot()", reg.snapshot(), {"counters": {}, "gauges": {}, "histograms": {}},
                 why="the three keys are always there")
    reg.counter("requests").inc(3)
    reg.counter("requests").inc()
    reg.gauge("queue").set(5)
    reg.gauge("queue").dec()
    hist = reg.histogram("latency", [0.1, 1.0])
    hist.observe(0.05)
    same = reg.counter("requests") is reg.counter("requests")
    expect_equal("reg.counter('requests') is reg.counter('requests')", same, True, why="the same name is the same metric")
    snap = json.loads(json.dumps(reg.snapshot()))
    expect_equal("the snapshot, through JSON", snap, {
        "counters": {"requests": 4}, "gauges": {"queue": 4},
        "histograms": {"latency": {"bounds": [0.1, 1.0], "counts": [1, 0, 0], "count": 1, "sum": 0.05}},
    }, why="plain JSON-ready data: it is what GET /metrics answers")
    for clash in (lambda: reg.gauge("requests"), lambda: reg.counter("queue"), lambda: reg.counter("latency"),
                  lambda: reg.histogram("requests", [1.0])):
        with pytest.raises(ValueError):
            clash()
