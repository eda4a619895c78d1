"""Task 8: an SLA's report: availability over a period, breach, error budget and refund.

The property test draws periods, outages and SLAs whose every boundary is exact in binary
(periods of 1 to 64 s, times on quarter seconds, objectives and tier thresholds of the form
``1 - k / quarters``) and aims them at the edges: an objective exactly at the measured
availability or a quarter second of downtime either side, outages touching or straddling the
period's ends, overlapping outages, no downtime, all down. Its oracle counts the quarter seconds
of the period that some outage covers. The last test measures an active-passive pair in the
cluster (the measurement of task 6) and checks the report on what the client saw."""

import math

import pytest
from hypothesis import strategies as st
from hypothesis import given

from sysdesign.messages import expect_equal, expect_true, explain
from sysdesign.properties import grading_settings

from .test_availability import STEP, measure

pytestmark = pytest.mark.task(8)

MONTH = 365 * 86400 / 12
FIELDS = ("availability", "downtime", "breached", "budget", "budget_left", "budget_spent", "refund_rate", "refund")
#: Fields compared exactly: a boundary decides them, and the suite's numbers make it exact.
EXACT = ("breached", "refund_rate")
WHY = {
    "availability": "the share of the period outside every outage: (length - downtime) / length",
    "downtime": "seconds of [start, end) inside at least one outage: clipped to the period, a second two "
                "outages share counted once",
    "breached": "the objective is missed when availability < objective; exactly at the objective meets it",
    "budget": "the error budget is the downtime the objective allows: (1 - objective) x the period's length",
    "budget_left": "budget - downtime (below 0 once overspent)",
    "budget_spent": "downtime / budget (with no budget: 0.0 without downtime, math.inf with some)",
    "refund_rate": "the largest rate among the tiers whose threshold the availability is strictly below; "
                   "0.0 when none applies (exactly at a threshold, that tier does not apply)",
    "refund": "refund_rate x fee",
}


def _close(got, expected):
    if isinstance(expected, bool) or expected == math.inf:
        return got == expected
    return (isinstance(got, (int, float)) and not isinstance(got, bool)
            and abs(got - expected) <= 1e-9 * max(1.0, abs(expected)))


def expect_report(call, report, expected, context=""):
    """Compare every field of ``report`` with ``expected`` (a dict), naming the first that differs."""
    for field in FIELDS:
        if not hasattr(report, field):
            raise AssertionError(explain(call, report, f"an SLOReport with a field {field!r}"))
        got, want = getattr(report, field), expected[field]
        same = got == want if field in EXACT else _close(got, want)
        if not same:
            raise AssertionError(explain(f"{call}.{field}", got, want, WHY[field] + (f" ({context})" if context else "")))


def model(outages, start, end, objective, tiers, fee):
    """The suite's oracle for a period on quarter seconds: count the covered quarters."""
    quarters = round((end - start) * 4)
    down = set()
    for a, b in outages:  # on quarter seconds: the quarters [a, b) covers, inside the period
        down.update(range(max(round((a - start) * 4), 0), min(round((b - start) * 4), quarters)))
    covered = len(down)
    availability = (quarters - covered) / quarters
    allowed = round((1 - objective) * quarters)  # quarters of budget, exact for these objectives
    budget, downtime = allowed / 4, covered / 4
    spent = covered / allowed if allowed else (math.inf if covered else 0.0)
    rate = max([r for below, r in tiers if availability < below], default=0.0)
    return {"availability": availability, "downtime": downtime, "breached": availability < objective,
            "budget": budget, "budget_left": budget - downtime, "budget_spent": spent, "refund_rate": rate,
            "refund": rate * fee}


def call_text(objective, tiers, outages, start, end, fee):
    return f"SLA({objective!r}, {tiers!r}).report({outages!r}, {start!r}, {end!r}, fee={fee!r})"


# -- the course's example --------------------------------------------------------------------------
@pytest.mark.points(2)
@pytest.mark.parametrize("down, breached, rate", [(0.0, False, 0.0), (20.0, False, 0.0), (30.0, True, 0.10),
                                                  (3600.0, True, 0.25)])
def test_the_streaming_customers_month(perf, down, breached, rate):
    """99.999 % a month, 10 % of the fee back below it, 25 % below 99.9 %: the budget is 26.28 s."""
    tiers = [(0.99999, 0.10), (0.999, 0.25)]
    sla = perf.SLA(0.99999, tiers)
    outages = [(86400.0, 86400.0 + down)] if down else []
    report = sla.report(outages, 0.0, MONTH, fee=5000.0)
    budget = (1 - 0.99999) * MONTH
    expected = {"availability": 1 - down / MONTH, "downtime": down, "breached": breached, "budget": budget,
                "budget_left": budget - down, "budget_spent": down / budget, "refund_rate": rate,
                "refund": rate * 5000.0}
    expect_report(call_text(0.99999, tiers, outages, 0.0, MONTH, 5000.0), report, expected,
                  f"a month is {MONTH:.0f} s; 99.999 % of it leaves 0.001 %, {budget:.2f} s, of error budget; "
                  f"{down:g} s down")


# -- properties at the boundaries ------------------------------------------------------------------
LENGTHS = [1.0, 4.0, 16.0, 64.0]
STARTS = [0.0, 100.0, -64.0]
RATES = [0.0, 0.05, 0.1, 0.25, 0.5, 1.0]


def _near(draw, covered, quarters):
    """A number of quarters of allowance aimed at ``covered``: exactly it, one either side, none,
    or any; kept in ``[0, quarters - 1]`` so that the fraction ``1 - k / quarters`` is above 0."""
    how = draw(st.sampled_from(["at", "one more", "one less", "none", "any"]))
    k = {"at": covered, "one more": covered + 1, "one less": covered - 1, "none": 0}.get(how)
    if k is None:
        k = draw(st.integers(0, quarters - 1))
    return min(max(k, 0), quarters - 1)


@st.composite
def cases(draw):
    length, start = draw(st.sampled_from(LENGTHS)), draw(st.sampled_from(STARTS))
    quarters, end = int(length * 4), start + length
    at = st.one_of(st.sampled_from([-8, -1, 0, 1, quarters - 1, quarters, quarters + 1, quarters + 8]),
                   st.integers(-8, quarters + 8))
    spans = st.lists(st.tuples(at, at).map(sorted), max_size=5)
    shape = draw(st.sampled_from(["spans", "spans", "spans", "none", "all down", "around"]))
    if shape == "none":
        raw = []
    elif shape == "all down":
        raw = [(draw(st.sampled_from([-8, 0])), draw(st.sampled_from([quarters, quarters + 8])))]
    elif shape == "around":  # outages that only touch the period from outside, and one inside
        raw = [(-8, 0), (quarters, quarters + 8), *draw(spans)]
    else:
        raw = draw(spans)
    outages = [(start + a / 4, start + b / 4) for a, b in draw(st.permutations(raw))]
    expected = model(outages, start, end, 1.0, [], 0.0)
    covered = round(expected["downtime"] * 4)
    objective = 1 - _near(draw, covered, quarters) / quarters
    tiers = [(1 - _near(draw, covered, quarters) / quarters, draw(st.sampled_from(RATES)))
             for _ in range(draw(st.integers(0, 3)))]
    fee = draw(st.sampled_from([0.0, 1.0, 750.0]))
    return outages, start, end, objective, tiers, fee


@pytest.mark.points(4)
@grading_settings(max_examples=60)
@given(case=cases())
def test_reports_match_the_model_at_every_boundary(perf, case):
    outages, start, end, objective, tiers, fee = case
    call = call_text(objective, tiers, outages, start, end, fee)
    report = perf.SLA(objective, tiers).report(list(outages), start, end, fee)
    expect_report(call, report, model(outages, start, end, objective, tiers, fee))


@pytest.mark.points(2)
@pytest.mark.parametrize("outages, down", [
    ([(-5.0, 0.0), (16.0, 20.0)], 0.0),              # touching the period from outside
    ([(-5.0, 2.0)], 2.0),                              # started before the period
    ([(15.0, 30.0)], 1.0),                             # runs past its end
    ([(-100.0, 100.0)], 16.0),                         # all down
    ([(1.0, 3.0), (2.0, 4.0), (2.5, 2.75)], 3.0),      # overlapping: once
    ([(1.0, 2.0), (2.0, 3.0), (5.0, 5.0)], 2.0),       # touching, and an empty one
])
def test_only_the_period_counts_and_overlaps_count_once(perf, outages, down):
    sla = perf.SLA(1 - 1 / 16)  # a budget of 1 s in 16 s
    report = sla.report(outages, 0.0, 16.0)
    expect_equal(f"SLA(1 - 1/16).report({outages!r}, 0.0, 16.0).downtime", report.downtime, down,
                 why=WHY["downtime"])
    expect_equal(f"SLA(1 - 1/16).report({outages!r}, 0.0, 16.0).breached", report.breached, down > 1.0,
                 why=f"{down:g} s down against a budget of 1 s: " + WHY["breached"])


# -- settings ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("objective, tiers", [(0.0, ()), (1.5, ()), (-0.1, ()), (0.999, [(0.0, 0.1)]),
                                              (0.999, [(1.5, 0.1)]), (0.999, [(0.99, -0.1)]),
                                              (0.999, [(0.99, 1.5)])])
def test_settings_outside_their_range_are_refused(perf, objective, tiers):
    with pytest.raises(ValueError):
        perf.SLA(objective, tiers)
        raise AssertionError(explain(f"SLA({objective!r}, {tiers!r})", "accepted", "ValueError raised",
                                     "an objective and a tier's threshold are in (0, 1], a tier's rate in [0, 1]"))


def test_a_report_on_an_empty_period_or_a_reversed_outage_is_refused(perf):
    sla = perf.SLA(0.999)
    for outages, start, end, fee in (([], 10.0, 10.0, 0.0), ([], 10.0, 5.0, 0.0), ([(3.0, 2.0)], 0.0, 10.0, 0.0),
                                     ([], 0.0, 10.0, -1.0)):
        with pytest.raises(ValueError):
            sla.report(outages, start, end, fee)
            raise AssertionError(explain(f"SLA(0.999).report({outages!r}, {start!r}, {end!r}, fee={fee!r})",
                                         "a report", "ValueError raised",
                                         "an empty period, an outage ending before it starts and a negative fee "
                                         "are refused"))


def test_smallest_valid_settings_are_accepted(perf):
    """An objective of exactly 1.0 (no downtime allowed, no budget), no tiers, a tier at 1.0 with a
    rate of 0 and one with a rate of 1, a fee of 0 and a period of one microsecond's order (2**-20 s)."""
    call = "SLA(1.0)"
    try:
        strict = perf.SLA(1.0)
        tiered = perf.SLA(1.0, [(1.0, 0.0), (1.0, 1.0)])
    except ValueError as exc:
        raise AssertionError(explain(call, f"ValueError: {exc}", "accepted",
                                     "an objective is in (0, 1]: 1.0 promises no downtime at all; a tier's "
                                     "threshold is in (0, 1] and its rate in [0, 1]")) from None
    tiny = 2.0 ** -20
    expect_report(f"SLA(1.0).report([], 0.0, {tiny!r})", strict.report([], 0.0, tiny),
                  {"availability": 1.0, "downtime": 0.0, "breached": False, "budget": 0.0, "budget_left": 0.0,
                   "budget_spent": 0.0, "refund_rate": 0.0, "refund": 0.0}, "no downtime spends no budget")
    expect_report("SLA(1.0, [(1.0, 0.0), (1.0, 1.0)]).report([(0.0, 0.25)], 0.0, 1.0, fee=40.0)",
                  tiered.report([(0.0, 0.25)], 0.0, 1.0, fee=40.0),
                  {"availability": 0.75, "downtime": 0.25, "breached": True, "budget": 0.0, "budget_left": -0.25,
                   "budget_spent": math.inf, "refund_rate": 1.0, "refund": 40.0},
                  "with no budget any downtime is a breach, and the largest applicable rate is owed")


# -- in the cluster ----------------------------------------------------------------------------------
@pytest.mark.points(2)
def test_the_report_on_a_measured_pair_matches_the_measurement(make_pair, cluster, perf):
    """Twenty minutes of the pair of task 6, one request every 4 s, with both servers down
    from 598.5 s to 618.5 s besides their own outages (five requests fall in it): each request
    that raised Unavailable stands for 4 s down, as a monitor probing every 4 s would report it."""
    pair, _ = measure(make_pair, cluster, horizon=1200.0, both_down=(598.5, 618.5))
    start = round(pair.outcomes[0].start)
    end = start + STEP * len(pair.outcomes)
    failed = [round(o.start) for o in pair.outcomes if o.server is None]
    expect_true(5 <= len(failed) < len(pair.outcomes) // 10, "requests that neither server answered",
                got=len(failed), expected="at least 5 (both servers down for 20 s), and under a tenth",
                why="a check of the suite itself: the scenario must have downtime to report")
    outages = [(float(t), float(t + STEP)) for t in reversed(failed)]
    answered = 1 - len(failed) / len(pair.outcomes)
    objective, tiers, fee = 0.999, [(0.999, 0.1), (0.99, 0.25), (0.9, 0.5)], 1200.0
    report = perf.SLA(objective, tiers).report(outages, float(start), float(end), fee)
    budget = (1 - objective) * (end - start)
    rate = max([r for below, r in tiers if answered < below], default=0.0)
    expect_report(call_text(objective, tiers, f"<{len(outages)} outages of {STEP} s>", float(start), float(end), fee),
                  report, {"availability": answered, "downtime": STEP * len(failed), "breached": answered < objective,
                           "budget": budget, "budget_left": budget - STEP * len(failed),
                           "budget_spent": STEP * len(failed) / budget, "refund_rate": rate, "refund": rate * fee},
                  f"{len(pair.outcomes)} requests, {len(pair.outcomes) - len(failed)} answered: availability "
                  f"{answered:.4f}")
