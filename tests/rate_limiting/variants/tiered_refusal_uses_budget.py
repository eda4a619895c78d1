"""Known-wrong: the tiered limiter asks every tier in turn, and a tier that had room logs the
request even when another tier refuses it."""

from solutions import rate_limiting as _reference
from solutions.rate_limiting import *  # noqa: F401,F403

EXPECT_FAIL = ["test_tiered.py::test_a_refused_request_uses_no_budget_in_any_tier"]


class TieredLimiter(_reference.TieredLimiter):
    def allow(self, key):
        return all([tier.allow(key) for tier in self._tiers])
