"""Task 7, in the cluster: three web servers log and count every request while a load generator
sends each of them one request per second; your ``Monitor`` scrapes them every 15 s and
evaluates "error rate above 5 % over 60 s, for 60 s" every 15 s.

* A synthetic incident: web-2 fails every request from t=600 s to t=900 s (a third of the
  fleet's traffic). The alert must go pending, fire no earlier than 600 + for and no later than
  600 + window + for + eval_interval + scrape_interval, stay firing through the incident, and
  resolve after 900, within window + eval_interval + scrape_interval. Meanwhile web-3 crashes
  at t=200 s and restarts at t=230 s: its counters start again from zero, and it cannot be
  scraped while it is down: neither is an incident.
* Two 20-second error bursts: pending, never firing.
* Fleet percentiles read from the merged histograms lie in the bucket of the exact value,
  computed by the suite from every latency the servers observed.
"""

from __future__ import annotations

import pytest

from sysdesign.messages import expect_equal, expect_true

from .conftest import (LATENCY, LATENCY_BOUNDS, bucket_range, build_fleet, error_rule, lognormal, nearest_rank,
                       parse_lines)

pytestmark = pytest.mark.task(7)

WINDOW, FOR, SCRAPE, EVAL = 60.0, 60.0, 15.0, 15.0
SERVERS = {"web-1": lognormal(0.02, 0.4), "web-2": lognormal(0.06, 0.5), "web-3": lognormal(0.4, 0.6)}


def cluster_times(cluster, transitions):
    """Monitor.transitions() with time.time() stamps turned into cluster seconds."""
    epoch0 = cluster.clock.time() - cluster.now()
    for t, _, _ in transitions:
        if type(t) not in (int, float):  # the bounds below compare numbers, never objects
            raise AssertionError(f"Monitor.transitions(): a time must be a number (time.time()), got {type(t).__name__}")
    return [(round(t - epoch0, 6), name, event) for t, name, event in transitions]


def set_failing(fleet, server, on):
    fleet.failing[server] = on


@pytest.mark.points(4)
def test_an_error_spike_fires_the_alert_within_bounds_and_resolves_after(cluster, monitoring):
    fleet = build_fleet(cluster, monitoring, SERVERS, stop=1200.0, rules=lambda: [error_rule(monitoring)],
                        scrape=SCRAPE, evaluate=EVAL)
    cluster.at(200, "crash", "web-3")
    cluster.at(230, "restart", "web-3")
    cluster.at(600, set_failing, fleet, "web-2", True)
    cluster.at(900, set_failing, fleet, "web-2", False)
    cluster.run_to(1260)
    monitor = cluster["monitor"].app
    got = cluster_times(cluster, monitor.transitions())
    events = [e for _, _, e in got]
    expect_equal("the alert's events over the run (incident on web-2 from 600 s to 900 s)", events,
                 ["pending", "firing", "resolved"],
                 why="invariant: one incident, one page: pending, then firing, then resolved; no alarm for web-3's "
                 f"restart (counter reset) or while it could not be scraped. Transitions: {got}")
    (pending, _, _), (firing, _, _), (resolved, _, _) = got
    expect_true(600 <= pending <= 600 + WINDOW + EVAL + SCRAPE, "time the alert became pending", got=pending,
                expected="between 600 and 690", why="the condition breaks soon after the incident starts, not before")
    latest = 600 + WINDOW + FOR + EVAL + SCRAPE
    expect_true(600 + FOR <= firing <= latest, "time the alert fired", got=firing, expected=f"between {600 + FOR:g} and {latest:g}",
                why="invariant: not before the condition held for the whole 'for' duration; not later than "
                "window + for + eval_interval + scrape_interval after the incident started")
    expect_true(firing - pending >= FOR, "seconds between pending and firing", got=firing - pending, expected=f">= {FOR:g}",
                why="firing only after 'for' seconds of pending")
    expect_true(900 < resolved <= 900 + WINDOW + EVAL + SCRAPE, "time the alert resolved", got=resolved,
                expected=f"after 900 and by {900 + WINDOW + EVAL + SCRAPE:g}",
                why="invariant: an alert resolves once the errors have left the window, and not while they last")
    expect_equal("monitor.alerts() at the end", monitor.alerts(), {"HighErrorRate": "inactive"})
    check_logs(cluster, fleet)


def check_logs(cluster, fleet):
    """Every request the fleet answered has exactly one parseable log line with its id, on the
    server it was sent to, at ERROR exactly when it failed, stamped with the time it was served."""
    epoch0 = cluster.clock.time() - cluster.now()
    seen = {}
    for server, lines in fleet.logs.items():
        for record in parse_lines(lines):
            for key in ("ts", "level", "msg", "request_id", "service"):
                expect_true(key in record, f"keys of a log line of {server}", got=sorted(record), expected=f"{key!r} among them")
            seen.setdefault(record["request_id"], []).append((server, record))
    expect_true(len(fleet.answers) > 3000, "requests answered", got=len(fleet.answers), expected="> 3000")
    for rid, status in fleet.answers.items():
        server, sent = fleet.sent[rid]
        lines = seen.get(rid, [])
        expect_equal(f"servers that logged request {rid} (sent to {server})", [s for s, _ in lines], [server],
                     why="invariant: every log line carries the id of the request it belongs to")
        record = lines[0][1]
        expect_equal(f"level of the line of request {rid} (status {status})", record["level"],
                     "ERROR" if status == 500 else "INFO")
        served = record["ts"] - epoch0
        expect_true(sent <= served <= sent + 0.01, f"ts of the line of request {rid}, in cluster seconds", got=served,
                    expected=f"between {sent:.4f} and {sent + 0.01:.4f}", why="the time the line was logged (virtual clock)")


@pytest.mark.points(3)
def test_short_error_bursts_go_pending_but_never_fire(cluster, monitoring):
    fleet = build_fleet(cluster, monitoring, SERVERS, stop=800.0, rules=lambda: [error_rule(monitoring)],
                        scrape=SCRAPE, evaluate=EVAL)
    for start in (300, 500):
        cluster.at(start, set_failing, fleet, "web-2", True)
        cluster.at(start + 20, set_failing, fleet, "web-2", False)
    cluster.run_to(800)
    monitor = cluster["monitor"].app
    got = cluster_times(cluster, monitor.transitions())
    events = [e for _, _, e in got]
    expect_true("pending" in events, "events of the alert around two 20-second bursts", got=got, expected="a 'pending' at least",
                why="a third of the traffic failing for 20 s does break the 5 % threshold for a while")
    expect_true("firing" not in events, "events of the alert around two 20-second bursts at 300 s and 500 s", got=got,
                expected="no 'firing'", why="invariant: a breach shorter than the 'for' duration never fires, and a pending alert "
                "whose condition clears starts its wait again from zero")
    expect_equal("monitor.alerts() at the end", monitor.alerts(), {"HighErrorRate": "inactive"})


@pytest.mark.points(3)
def test_fleet_percentiles_match_the_exact_ones(cluster, monitoring):
    cluster.add_node("legacy")  # a target without /metrics (it answers 404): skipped
    build_fleet(cluster, monitoring, SERVERS, stop=300.0, rules=lambda: [], scrape=SCRAPE, evaluate=EVAL,
                extra_targets=["legacy"])
    cluster.run_to(320)
    monitor = cluster["monitor"].app
    everything = [v for name in SERVERS for v in cluster[name].app.latencies]
    fleet = monitor.fleet_histogram(LATENCY)
    expect_equal(f"monitor.fleet_histogram({LATENCY!r}).count", None if fleet is None else fleet.count, len(everything),
                 why="the merge of the latest scrape of every server (all traffic stopped at 300 s, scraped at 315 s)")
    for q in (0.5, 0.95, 0.99):
        exact = nearest_rank(everything, q)
        low, high = bucket_range(LATENCY_BOUNDS, exact)
        got = monitor.fleet_quantile(LATENCY, q)
        expect_true(type(got) in (int, float) and low <= got <= high, f"monitor.fleet_quantile({LATENCY!r}, {q})", got=got,
                    expected=f"in [{low:.4f}, {high:.4f}], the bucket of the exact value {exact:.4f} (error bound 25 %)",
                    why="invariant: fleet percentiles come from the summed bucket counts of every server; an average "
                    "of per-server percentiles (or of latencies) is not a percentile")
    expect_equal("monitor.fleet_quantile('no_such_metric', 0.5)", monitor.fleet_quantile("no_such_metric", 0.5), None)


def test_monitor_arguments_are_checked(cluster, monitoring):
    node = cluster.add_node("monitor")
    rules = [error_rule(monitoring), error_rule(monitoring)]
    with pytest.raises(ValueError):
        monitoring.Monitor(node, ["web-1"], rules)
    for bad in (dict(scrape_interval=0), dict(eval_interval=-1), dict(timeout=0)):
        with pytest.raises(ValueError):
            monitoring.Monitor(node, ["web-1"], [error_rule(monitoring)], **bad)
    monitor = monitoring.Monitor(node, ["nowhere"], [error_rule(monitoring)])
    cluster.run_for(31)
    expect_equal("alerts() of a monitor whose only target does not exist, after 31 s", monitor.alerts(),
                 {"HighErrorRate": "inactive"}, why="a target that cannot be scraped gives no data, and no data is no "
                 "breach")
    expect_equal("fleet_histogram('x') with nothing scraped", monitor.fleet_histogram("x"), None)
