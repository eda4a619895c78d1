"""Tasks 1-5 as properties: each limiter against a small model of its docstring, checked after
every request and every tick of the virtual clock (the decision, and ``retry_after`` of every
key; ``tokens`` for the bucket; ``size`` for the logs).

Hypothesis picks the settings (the smallest valid ones included: a limit of 1, a bucket of
capacity 1, a fractional capacity) and a sequence of requests from two keys, each step moving
the clock by an amount biased to the edges first: no time at all (equal timestamps), exactly to
the next window edge or 1/8 s either side of it, exactly the ``retry_after`` the limiter
announced for that key or 1/8 s short of it. Windows and rates
are powers of two and every step a multiple of 1/8 s, so every estimate is exact in binary and
the model's comparisons are the docstring's, with no rounding in between.
"""

import math

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, rule

from sysdesign.properties import ModelMachine, Story, run_machine

KEYS = ["alice", "bob"]
WINDOWS = [0.5, 1.0, 2.0]
LIMITS = [1, 1, 2, 3]
TOLERANCE = 1e-6
#: How the clock moves before a request: not at all (equal timestamps), by a step of 1/8 s or more,
#: to the next window edge (exactly, or 1/8 s either side), or by the retry_after the limiter
#: announced for that key (exactly, or 1/8 s short of it).
MOVES = [("by", 0), ("by", 0), ("by", 0.125), ("by", 0.25), ("by", 0.5), ("by", 1.0),
         ("edge", 0), ("edge", 0), ("edge", -0.125), ("edge", 0.125),
         ("announced", 0), ("announced", 0), ("announced", -0.125)]


class LogModel:
    """SlidingLog: the allowed times of the last ``window`` seconds; ``t`` counts while ``now < t + window``."""

    def __init__(self, limit, window):
        self.limit, self.window, self.logs = limit, window, {}

    def _live(self, key, now):
        log = [t for t in self.logs.get(key, []) if now < t + self.window]
        self.logs[key] = log
        return log

    def allow(self, key, now):
        log = self._live(key, now)
        if len(log) >= self.limit:
            return False
        log.append(now)
        return True

    def retry_after(self, key, now):
        log = self._live(key, now)
        return 0.0 if len(log) < self.limit else log[len(log) - self.limit] + self.window - now

    def size(self, key, now):
        return len(self._live(key, now))


class FixedModel:
    """FixedWindow: window n covers [n * window, (n + 1) * window); t = 0 is a window start."""

    def __init__(self, limit, window):
        self.limit, self.window, self.counts = limit, window, {}

    def _count(self, key, now):
        index = math.floor(now / self.window)
        seen, count = self.counts.get(key, (index, 0))
        return index, count if seen == index else 0

    def allow(self, key, now):
        index, count = self._count(key, now)
        if count >= self.limit:
            return False
        self.counts[key] = (index, count + 1)
        return True

    def retry_after(self, key, now):
        index, count = self._count(key, now)
        return 0.0 if count < self.limit else (index + 1) * self.window - now


class CounterModel:
    """SlidingWindowCounter: previous * (window - elapsed) / window + current, allowed when + 1 <= limit."""

    def __init__(self, limit, window):
        self.limit, self.window, self.state = limit, window, {}

    def _look(self, key, now):
        index = math.floor(now / self.window)
        seen, current, previous = self.state.get(key, (index, 0, 0))
        if seen != index:
            current, previous = 0, current if seen == index - 1 else 0
        return index, now - index * self.window, current, previous

    def _fits(self, elapsed, current, previous):
        return previous * (self.window - elapsed) / self.window + current + 1 <= self.limit

    def allow(self, key, now):
        index, elapsed, current, previous = self._look(key, now)
        if not self._fits(elapsed, current, previous):
            return False
        self.state[key] = (index, current + 1, previous)
        return True

    def retry_after(self, key, now):
        """The first moment the estimate fits, found by solving the docstring's inequality."""
        index, elapsed, current, previous = self._look(key, now)
        if self._fits(elapsed, current, previous):
            return 0.0
        start = index * self.window
        if current + 1 <= self.limit:
            return start + self.window - self.window * (self.limit - current - 1) / previous - now
        return start + 2 * self.window - self.window * (self.limit - 1) / current - now


class BucketModel:
    """TokenBucket: starts full, + rate per second, capped at capacity, one token a request."""

    def __init__(self, capacity, rate):
        self.capacity, self.rate, self.buckets = capacity, rate, {}

    def tokens(self, key, now):
        tokens, since = self.buckets.get(key, (self.capacity, now))
        return min(self.capacity, tokens + (now - since) * self.rate)

    def allow(self, key, now):
        tokens = self.tokens(key, now)
        if tokens < 1:
            return False
        self.buckets[key] = (tokens - 1, now)
        return True

    def retry_after(self, key, now):
        tokens = self.tokens(key, now)
        return 0.0 if tokens >= 1 else (1 - tokens) / self.rate


class TieredModel:
    """TieredLimiter: a request is logged in every tier, or (refused) in none."""

    def __init__(self, tiers):
        self.tiers = [LogModel(limit, window) for limit, window in tiers]

    def allow(self, key, now):
        if any(tier.retry_after(key, now) > 0 for tier in self.tiers):
            return False
        for tier in self.tiers:
            tier.allow(key, now)
        return True

    def retry_after(self, key, now):
        return max(tier.retry_after(key, now) for tier in self.tiers)

    def size(self, key, now):
        return sum(tier.size(key, now) for tier in self.tiers)


class LimiterMachine(ModelMachine):
    rl = None  # the learner's module, bound by run_machine
    clock = None  # the suite's virtual clock
    kind = None  # which limiter

    @initialize(data=st.data())
    def start(self, data):
        if self.kind == "TokenBucket":
            capacity = data.draw(st.sampled_from([1, 1, 1.5, 2, 3]), label="capacity")
            rate = data.draw(st.sampled_from([0.5, 1, 2, 4]), label="rate")
            args, self.model = (capacity, rate), BucketModel(capacity, rate)
            self.window = 1 / rate
        elif self.kind == "TieredLimiter":
            tiers = data.draw(st.sampled_from([[(1, 0.5)], [(1, 0.5), (2, 2.0)], [(2, 1.0), (3, 2.0)],
                                               [(1, 1.0), (1, 0.5)]]), label="tiers")
            args, self.model = (tiers,), TieredModel(tiers)
            self.window = min(w for _, w in tiers)
        else:
            limit = data.draw(st.sampled_from(LIMITS), label="limit")
            window = data.draw(st.sampled_from(WINDOWS), label="window")
            model = {"FixedWindow": FixedModel, "SlidingLog": LogModel, "SlidingWindowCounter": CounterModel}[self.kind]
            args, self.model, self.window = (limit, window), model(limit, window), window
        # each example starts at a fresh multiple of 4 s: a window start for every window here
        self.start_at = (math.floor(self.clock.now() / 4) + 1) * 4
        self.clock.tick(self.start_at - self.clock.now())
        self.shown = f"limiter = {self.kind}({', '.join(map(repr, args))})"
        self.story = Story(f"{self.shown} at t=0")
        self.limiter = self.story.build(self.shown, lambda: getattr(self.rl, self.kind)(*args),
                                        "these are valid settings (a limit or capacity of 1 included)")
        self.announced = {}

    def now(self):
        return self.clock.now() - self.start_at

    @rule(move=st.sampled_from(MOVES), key=st.sampled_from(KEYS), times=st.sampled_from([1, 1, 2, 3]))
    def request(self, move, key, times):
        """Move the clock (or not), then send ``times`` requests for ``key`` at that instant."""
        now = self.now()
        kind, offset = move
        if kind == "edge":
            target = (math.floor(now / self.window) + 1) * self.window + offset
        elif kind == "announced":
            target = now + self.announced.get(key, 0.0) + offset
        else:
            target = now + offset
        if target > now:
            self.clock.tick(target - now)
            self.story.add(f"t={self.now():g}")
        for _ in range(times):
            call = f"limiter.allow({key!r})"
            got = self.limiter.allow(key)
            expected = self.model.allow(key, self.now())
            self.story.add(f"{call} -> {got!r}")
            self.check(f"{call} at t={self.now():g}", got, expected, self.rule())

    def rule(self):
        return {
            "FixedWindow": "at most limit allowed requests per key in each aligned window [n*window, (n+1)*window); "
                           "a request exactly at the edge is in the next window; refused requests are not counted",
            "SlidingLog": "at most limit allowed requests in any window seconds: an allowed request at t counts while "
                          "now < t + window; refused requests are not logged",
            "SlidingWindowCounter": "allowed when previous * (window - elapsed) / window + current + 1 <= limit, "
                                    "previous being the count of the window just before (0 if that one was skipped)",
            "TokenBucket": "the bucket starts full, gains rate tokens per second (capped at capacity), and a request "
                           "takes one token when at least one is there",
            "TieredLimiter": "allowed only when every tier (a sliding log) has room; then logged in every tier, "
                             "and a refused request is logged in none",
        }[self.kind]

    @invariant()
    def every_key_matches_the_model(self):
        if not hasattr(self, "story"):
            return
        now = self.now()
        for key in KEYS:
            call = f"limiter.retry_after({key!r}) at t={now:g}"
            got, expected = self.limiter.retry_after(key), self.model.retry_after(key, now)
            ok = isinstance(got, (int, float)) and not isinstance(got, bool) and math.isclose(got, expected,
                                                                                              abs_tol=TOLERANCE)
            self.check_true(ok, call, got, expected,
                            "the seconds until allow() would say yes (0.0 if it would now): waiting exactly that "
                            f"long must be enough, and not a moment more is needed; {self.rule()}")
            self.announced[key] = expected
            if self.kind == "TokenBucket":
                got = self.limiter.tokens(key)
                self.check_true(isinstance(got, (int, float)) and math.isclose(got, self.model.tokens(key, now),
                                                                               abs_tol=TOLERANCE),
                                f"limiter.tokens({key!r}) at t={now:g}", got, self.model.tokens(key, now),
                                "refill is worked out from the time since the bucket was last updated (a refused "
                                "request takes nothing and loses nothing), capped at capacity")
            if self.kind in ("SlidingLog", "TieredLimiter"):
                # size() holds what is stored: at most every timestamp still in the window, never more than limit
                got = self.limiter.size(key)
                live = self.model.size(key, now)
                most = self.limit_sum()
                self.check_true(isinstance(got, int) and live <= got <= most, f"limiter.size({key!r}) at t={now:g}",
                                got, f"between {live} and {most}",
                                "every allowed request still in the window is stored; the ones that left it are "
                                "dropped at the latest on the key's next request, so a key never holds more than its limit")

    def limit_sum(self):
        tiers = self.model.tiers if self.kind == "TieredLimiter" else [self.model]
        return sum(t.limit for t in tiers)


@pytest.mark.parametrize("kind", [pytest.param(kind, marks=pytest.mark.task(task)) for kind, task in [
    ("FixedWindow", 1), ("SlidingLog", 2), ("SlidingWindowCounter", 3), ("TokenBucket", 4), ("TieredLimiter", 5)]])
@pytest.mark.points(2)
def test_each_limiter_matches_its_model_at_every_request(rl, clock, kind):
    run_machine(LimiterMachine, max_examples=40, steps=16, rl=rl, clock=clock, kind=kind)
