"""Task 6 in the cluster: the measured availability of an active-passive pair.

Both servers crash and restart on a seeded random schedule for an hour of virtual time; the
app node makes one request every 4 s through the learner's FailoverClient. The suite compares
the share of requests answered with three numbers it computes from the schedule itself: each
server's own uptime (a single server's availability), the parallel prediction
``1 - (1 - a1) * (1 - a2)``, and the share of request times at which at least one server was
actually up (what a perfect failover client would achieve on this very schedule)."""

import math

import pytest

from sysdesign.messages import expect_true

from .conftest import PRIMARY

pytestmark = pytest.mark.task(6)

HOUR = 3600.0
UP, DOWN = (30.0, 210.0), (5.0, 25.0)
FALL, RISE, INTERVAL, TIMEOUT = 3, 3, 5.0, 0.25
#: One request every STEP seconds. A health check is due at the first request at least
#: INTERVAL after the last one: every 8 s here, so a client fails back at most 3 x 8 = 24 s
#: after the primary's restart (SETTLED leaves a second more).
STEP, SETTLED = 4, 25
#: How far an hour's measurement may be from the parallel prediction. The prediction assumes
#: independent failures; one hour's schedule overlaps the two servers' outages more or less than
#: that by chance. Over 5,000 simulated schedules drawn as outage_schedule draws them, sampled
#: every 4 s, the share of request times with a server up differed from the prediction by 0.005
#: (one standard deviation; sampling every second instead of every 4 s gave the same), at worst
#: by 0.025. A client that drops the failed requests loses about 0.06.
FORMULA_TOLERANCE = 0.03
#: Requests at a crash or restart instant may go either way: at most this share of them.
EDGE_TOLERANCE = 0.004


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


def merged(intervals):
    """``[(a, b)]`` sorted, with overlapping or touching intervals joined into one."""
    out = []
    for a, b in sorted(intervals):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def measure(make_pair, cluster, horizon=HOUR, step=STEP, both_down=None):
    """Run the pair for ``horizon`` virtual seconds on a seeded outage schedule of both
    servers, one ``get`` every ``step`` seconds; ``both_down=(a, b)`` adds an outage of both
    servers from ``a`` to ``b``. Returns ``(pair, outages)``."""
    pair = make_pair(fall=FALL, rise=RISE, check_interval=INTERVAL, timeout=TIMEOUT)
    rng = cluster.random("outages")
    outages = {name: outage_schedule(rng, horizon) for name in ("web-1", "web-2")}
    if both_down is not None:
        outages = {name: merged([*plan, both_down]) for name, plan in outages.items()}
    for name, plan in outages.items():
        for crash, restart in plan:
            cluster.at(crash, "crash", name)
            cluster.at(restart, "restart", name)
    pair.every_second(horizon, step=step)
    return pair, outages


@pytest.mark.points(5)
def test_a_redundant_pair_is_as_available_as_the_parallel_formula_says(make_pair, cluster):
    pair, outages = measure(make_pair, cluster)

    times = [round(o.start) for o in pair.outcomes]
    answered = sum(o.server is not None for o in pair.outcomes) / len(times)
    a1, a2 = uptime(outages["web-1"], HOUR), uptime(outages["web-2"], HOUR)
    predicted = 1 - (1 - a1) * (1 - a2)
    up1, up2 = up_seconds(outages["web-1"], HOUR), up_seconds(outages["web-2"], HOUR)
    either = sum(up1[t] or up2[t] for t in times) / len(times)
    numbers = (f"{len(times)} requests, one every {STEP} s; web-1 up {a1:.4f}, web-2 up {a2:.4f} of the hour; "
               f"parallel prediction {predicted:.4f}; at least one server up at {either:.4f} of the request times")

    expect_true(answered >= max(a1, a2) + 0.05, "share of requests answered through FailoverClient over an hour",
                got=round(answered, 4), expected=f"clearly above a single server's availability ({max(a1, a2):.4f} + 0.05)",
                why=f"{numbers}. Invariant: a redundant pair is more available than either server alone; a request "
                "that fails on one server must be tried on the other")
    expect_true(abs(answered - predicted) <= FORMULA_TOLERANCE, "share of requests answered", got=round(answered, 4),
                expected=f"within {FORMULA_TOLERANCE} of the parallel prediction {predicted:.4f}",
                why=f"{numbers}. The prediction assumes independent failures; an hour's schedule differs from it by "
                "about 0.005 by chance, rarely by more than 0.02")
    expect_true(answered >= either - EDGE_TOLERANCE, "share of requests answered", got=round(answered, 4),
                expected=f"at least {either - EDGE_TOLERANCE:.4f} (the share of request times with a server up, less "
                f"{EDGE_TOLERANCE})", why=f"{numbers}. Invariant: whenever one server is up, the request is answered")

    settled = [o for o in pair.outcomes if up_through(up1, round(o.start) - SETTLED, round(o.start))]
    strays = [(round(o.start), o.server, o.active) for o in settled if o.server != "web-1"]
    expect_true(len(strays) <= 2, f"requests not answered by web-1 although it had been up for {SETTLED} s "
                f"({len(settled)} such requests)", got=strays[:10], expected="none (at most 2)",
                why="invariant: active-passive: a client that failed over fails back to the healthy primary "
                f"after rise={RISE} good checks, here one every {2 * STEP} s (due after {INTERVAL:g} s, run at the "
                f"next request)")
    if up_through(up1, int(HOUR) - SETTLED - 1, int(HOUR) - 1):
        expect_true(pair.client.active == PRIMARY, f"client.active at the end of the hour (web-1 up for the last "
                    f"{SETTLED + 1} s)", got=pair.client.active, expected=PRIMARY, why="back on the primary once it is healthy")
