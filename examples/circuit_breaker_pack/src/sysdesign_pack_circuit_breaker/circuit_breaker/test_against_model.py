"""Tasks 1-4 together: random sequences of calls and clock ticks, compared with a small model
of the breaker written here (the oracle)."""

import random

import pytest

from sysdesign.api import explain

pytestmark = [pytest.mark.task(3), pytest.mark.points(3)]


class Model:
    """What a breaker must do, step by step (one trial at a time)."""

    def __init__(self, threshold, reset):
        self.threshold, self.reset = threshold, reset
        self.failures, self.opened_at = 0, None

    def state(self, now):
        if self.opened_at is None:
            return "closed"
        return "half_open" if now >= self.opened_at + self.reset else "open"

    def call(self, now, outcome):
        """``outcome`` in ok / fail / other; returns what the caller sees."""
        state = self.state(now)
        if state == "open":
            return ("rejected", self.opened_at + self.reset - now)
        failed = outcome == "fail"
        if state == "half_open":
            if failed:
                self.opened_at = now
            else:
                self.opened_at, self.failures = None, 0
        elif failed:
            self.failures += 1
            if self.failures >= self.threshold:
                self.opened_at = now
        else:
            self.failures = 0
        return ("called", outcome)


@pytest.mark.parametrize("seed", range(6))
def test_random_sequences_match_the_model(cb, dep, clock, seed):
    rng = random.Random(seed)
    threshold, reset = rng.choice([1, 2, 3, 5]), rng.choice([2.0, 5.0, 7.5])
    breaker = cb.CircuitBreaker(failure_threshold=threshold, reset_timeout=reset, counted=(dep.Boom,))
    model, now, history = Model(threshold, reset), 0.0, []
    for _ in range(150):
        if rng.random() < 0.3:
            step = rng.choice([0.25, 0.5, 1.0, 2.5])
            clock.tick(step)
            now += step
            history.append(f"tick({step})")
            continue
        outcome = rng.choices(["ok", "fail", "other"], weights=[4, 5, 1])[0]
        expected = model.call(now, outcome)
        before = dep.calls
        try:
            if outcome == "ok":
                breaker.call(dep.ok)
            elif outcome == "fail":
                breaker.call(dep.fail)
            else:
                breaker.call(dep.lookup_error)
            got = ("called", outcome)
        except cb.CircuitOpenError as exc:
            got = ("rejected", exc.retry_after)
        except (dep.Boom, LookupError):
            got = ("called", outcome)
        if dep.calls == before and got[0] == "called":
            got = ("not called", outcome)
        history.append(f"call({outcome})")
        shown = ", ".join(history[-8:])
        if got != expected:
            raise AssertionError(explain(
                f"breaker.call(...) after ... {shown} (seed {seed}, threshold {threshold}, reset {reset})",
                got, expected, "the breaker disagrees with the model of closed / open / half-open"))
        state = breaker.state
        if state != model.state(now):
            raise AssertionError(explain(
                f"breaker.state after ... {shown} (seed {seed}, threshold {threshold}, reset {reset})",
                state, model.state(now), "the state must follow the failures and the clock"))
        if state == "closed" and breaker.failure_count != model.failures:
            raise AssertionError(explain(
                f"breaker.failure_count after ... {shown} (seed {seed})", breaker.failure_count,
                model.failures, "consecutive counted failures since the last success"))
