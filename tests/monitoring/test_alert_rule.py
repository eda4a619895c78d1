"""Task 6: the alert state machine: pending first, firing only after the condition held for the
whole ``for`` duration, back to inactive when it clears, resolved when a firing alert clears."""

from __future__ import annotations

import pytest

from sysdesign.messages import expect_equal

pytestmark = pytest.mark.task(6)


def rule(monitoring, for_=60.0):
    return monitoring.AlertRule("HighErrorRate", numerator="errors", denominator="requests", threshold=0.05,
                                window=60.0, for_=for_)


def run(r, values, step=15.0, start=1000.0):
    states = []
    for i, value in enumerate(values):
        states.append(r.evaluate(value, start + i * step))
    return states


@pytest.mark.points(2)
def test_pending_then_firing_after_the_for_duration_then_resolved(monitoring):
    r = rule(monitoring)
    expect_equal("a new rule's state", r.state, "inactive")
    values = [0.01, 0.2, 0.2, 0.2, 0.2, 0.3, 0.06, 0.01, None]
    states = run(r, values)
    expect_equal(f"states after evaluate(v, 1000 + 15*i) for v in {values} (threshold 0.05, for 60 s)", states,
                 ["inactive", "pending", "pending", "pending", "pending", "firing", "firing", "inactive", "inactive"],
                 why="pending at 1015; firing at the first evaluation with now - 1015 >= 60, i.e. 1075")
    expect_equal("transitions()", r.transitions(), [(1015.0, "pending"), (1075.0, "firing"), (1105.0, "resolved")],
                 why="a firing alert whose condition clears is resolved")
    expect_equal("state", r.state, "inactive")


@pytest.mark.points(2)
def test_a_single_bad_sample_does_not_fire(monitoring):
    r = rule(monitoring)
    states = run(r, [0.9, 0.0, 0.0, 0.0, 0.0, 0.0])
    expect_equal("states after one evaluation at 90 % errors, then five at 0 %", states,
                 ["pending", "inactive", "inactive", "inactive", "inactive", "inactive"],
                 why="one sample is not an incident: it must hold for the whole 'for' duration")
    expect_equal("transitions()", r.transitions(), [(1000.0, "pending"), (1015.0, "inactive")])


@pytest.mark.points(2)
def test_a_breach_interrupted_by_a_good_evaluation_starts_the_wait_again(monitoring):
    r = rule(monitoring)
    values = [0.1, 0.1, 0.1, 0.01, 0.1, 0.1, 0.1, 0.1, 0.1]
    states = run(r, values)
    expect_equal(f"states for {values}", states,
                 ["pending", "pending", "pending", "inactive", "pending", "pending", "pending", "pending", "firing"],
                 why="the 'for' clock restarts at 1060 after the good evaluation at 1045: firing at 1120, not at 1060")


def test_boundaries_and_no_data(monitoring):
    r = rule(monitoring, for_=30.0)
    expect_equal("evaluate(0.05, t) with threshold 0.05", r.evaluate(0.05, 0.0), "inactive",
                 why="the condition is value > threshold")
    expect_equal("evaluate(None, t)", r.evaluate(None, 1.0), "inactive", why="no data is never a breach")
    r.evaluate(0.5, 10.0)
    expect_equal("evaluate(0.5, 39.5), 29.5 s after pending", r.evaluate(0.5, 39.5), "pending")
    expect_equal("evaluate(0.5, 40.0), exactly 30 s after pending", r.evaluate(0.5, 40.0), "firing",
                 why="firing when now - since >= for_")
    expect_equal("evaluate(None, 41) while firing", r.evaluate(None, 41.0), "inactive",
                 why="no data clears the condition: resolved")
    instant = rule(monitoring, for_=0.0)
    expect_equal("evaluate(0.5, 0) with for_=0", instant.evaluate(0.5, 0.0), "firing")
    expect_equal("transitions() with for_=0", instant.transitions(), [(0.0, "firing")],
                 why="for_ == 0: straight to firing")
    for bad in (dict(window=0), dict(window=60, for_=-1)):
        with pytest.raises(ValueError):
            monitoring.AlertRule("x", numerator="a", denominator="b", threshold=0.1, **bad)
