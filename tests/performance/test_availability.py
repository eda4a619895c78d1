"""Task 6 in the cluster: the measured availability of an active-passive pair.

Both servers crash and restart on a seeded random schedule for an hour of virtual time; the
app node makes one request a second through the learner's FailoverClient. The suite compares
the share of requests answered with three numbers it computes from the schedule itself: each
server's own uptime (a single server's availability), the parallel prediction
``1 - (1 - a1) * (1 - a2)``, and the share of request times at which at least one server was
actually up (what a perfect failover client would achieve on this very schedule)."""

import math

import pytest

from harness.messages import expect_true

from .conftest import PRIMARY

pytestmark = pytest.mark.task(6)

HOUR = 3600.0
UP, DOWN = (30.0, 210.0), (5.0, 25.0)
FALL, RISE, INTERVAL, TIMEOUT = 3, 3, 5.0, 0.25


def outage_schedule(rng, until):
    """``[(crash, restart)]``: up for U(30, 210) s, then down for U(5, 25) s, and again."""
    out, t = [], rng.uniform(*UP)
    while t < until:
        down = rng.uniform(*DOWN)
        out.append((t, min(t + down, until)))
        t += down + rng.uniform(*UP)
    return out


def up_seconds(outages, until):
    """``up[t]`` for each whole second ``t`` in ``range(until + 1)``: the server is up at ``t``."""
    up = [True] * (int(until) + 1)
    for a, b in outages:
        for t in range(math.ceil(a), min(math.ceil(b), len(up))):
            up[t] = False
    return up


def up_through(up, start, end):
    """The server was up at every whole second from ``start`` to ``end`` (inclusive)."""
    return all(up[max(0, start): end + 1])


def uptime(outages, until):
    return 1 - sum(b - a for a, b in outages) / until


@pytest.mark.points(5)
def test_a_redundant_pair_is_as_available_as_the_parallel_formula_says(make_pair, cluster):
    pair = make_pair(fall=FALL, rise=RISE, check_interval=INTERVAL, timeout=TIMEOUT)
    rng = cluster.random("outages")
    outages = {name: outage_schedule(rng, HOUR) for name in ("web-1", "web-2")}
    for name, plan in outages.items():
        for crash, restart in plan:
            cluster.at(crash, "crash", name)
            cluster.at(restart, "restart", name)
    pair.every_second(HOUR)

    times = [round(o.start) for o in pair.outcomes]
    answered = sum(o.server is not None for o in pair.outcomes) / len(times)
    a1, a2 = uptime(outages["web-1"], HOUR), uptime(outages["web-2"], HOUR)
    predicted = 1 - (1 - a1) * (1 - a2)
    up1, up2 = up_seconds(outages["web-1"], HOUR), up_seconds(outages["web-2"], HOUR)
    either = sum(up1[t] or up2[t] for t in times) / len(times)
    numbers = (f"{len(times)} requests; web-1 up {a1:.4f}, web-2 up {a2:.4f} of the hour; parallel prediction "
               f"{predicted:.4f}; at least one server up at {either:.4f} of the request times")

    expect_true(answered >= max(a1, a2) + 0.05, "share of requests answered through FailoverClient over an hour",
                round(answered, 4), f"clearly above a single server's availability ({max(a1, a2):.4f} + 0.05)",
                f"{numbers}. Invariant: a redundant pair is more available than either server alone; a request "
                "that fails on one server must be tried on the other")
    expect_true(abs(answered - predicted) <= 0.02, "share of requests answered", round(answered, 4),
                f"within 0.02 of the parallel prediction {predicted:.4f}",
                f"{numbers}. The prediction assumes independent failures; an hour's schedule may differ from it "
                "by about a percent, never by two")
    expect_true(answered >= either - 0.004, "share of requests answered", round(answered, 4),
                f"at least {either - 0.004:.4f} (the share of request times with a server up, less 0.004)",
                f"{numbers}. Invariant: whenever one server is up, the request is answered")

    settled = [o for o in pair.outcomes if up_through(up1, round(o.start) - 25, round(o.start))]
    strays = [(round(o.start), o.server, o.active) for o in settled if o.server != "web-1"]
    expect_true(len(strays) <= 2, f"requests not answered by web-1 although it had been up for 25 s "
                f"({len(settled)} such requests)", strays[:10], "none (at most 2)",
                "invariant: active-passive: a client that failed over fails back to the healthy primary "
                f"after rise={RISE} good checks every {INTERVAL:g} s")
    if up_through(up1, int(HOUR) - 26, int(HOUR) - 1):
        expect_true(pair.client.active == PRIMARY, "client.active at the end of the hour (web-1 up for the last 26 s)",
                    pair.client.active, PRIMARY, "back on the primary once it is healthy")
