"""Known-wrong: the polling interval set to the freshness target itself, forgetting the round
trip: the unluckiest update arrives a little too late."""

from solutions.polling_streaming import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_short_poll.py::test_poll_interval_for",
    "test_short_poll.py::test_meets_the_freshness_target_in_the_worst_case",
]


def poll_interval_for(freshness, rtt):
    if freshness <= 0 or rtt < 0 or freshness - rtt <= 0:
        raise ValueError("no interval meets that freshness")
    return freshness
