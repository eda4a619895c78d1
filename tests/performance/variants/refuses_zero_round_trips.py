"""Known-wrong: the settings check wants at least one round trip (``round_trips >= 1``), stricter
than the contract (any int >= 0): a valid question at the edge is refused."""

from solutions import performance as _reference
from solutions.performance import *  # noqa: F401,F403

EXPECT_FAIL = ["test_estimates.py::test_smallest_valid_settings_are_accepted"]


def fetch_breakdown(megabytes, source, *, round_trips, rtt=_reference.ROUND_TRIP_CA_NL):
    if round_trips < 1:
        raise ValueError("a fetch needs at least one round trip")
    return _reference.fetch_breakdown(megabytes, source, round_trips=round_trips, rtt=rtt)


def fetch_estimate(megabytes, source, *, round_trips, rtt=_reference.ROUND_TRIP_CA_NL):
    return sum(fetch_breakdown(megabytes, source, round_trips=round_trips, rtt=rtt).values())
