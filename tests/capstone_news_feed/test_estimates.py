"""Task 1: the back-of-the-envelope figures, checked against the suite's own calculation from
the stated requirements (and from other requirements, so that figures typed in from the notes
do not pass), each within its tolerance (20% for rates, 25-30% for the rest)."""

import pytest

from sysdesign.capstone import grade_slo, within
from sysdesign.messages import expect_true

SECONDS_PER_DAY = 86_400
TOLERANCE = {
    "feed_reads_per_second": 0.2, "posts_per_second": 0.2, "fanout_writes_per_second": 0.25,
    "post_bytes_per_year": 0.3, "timeline_cache_bytes": 0.3, "seconds_to_fan_out_largest_account": 0.25,
}

STATED = {
    "daily_active_users": 1_000_000_000, "feed_loads_per_user_per_day": 5, "posts_per_user_per_day": 1,
    "friends_per_user": 200, "post_bytes": 1_000, "timeline_ids": 500, "id_bytes": 8,
    "largest_followers": 100_000_000,
}
OTHER = {
    "daily_active_users": 40_000_000, "feed_loads_per_user_per_day": 12, "posts_per_user_per_day": 0.2,
    "friends_per_user": 80, "post_bytes": 3_000, "timeline_ids": 300, "id_bytes": 16,
    "largest_followers": 5_000_000,
}
SMALLEST = {
    "daily_active_users": 1, "feed_loads_per_user_per_day": 1, "posts_per_user_per_day": 1,
    "friends_per_user": 1, "post_bytes": 1, "timeline_ids": 1, "id_bytes": 1, "largest_followers": 1,
}


def expected(r):
    """The suite's own calculation (the oracle)."""
    reads = r["daily_active_users"] * r["feed_loads_per_user_per_day"] / SECONDS_PER_DAY
    posts = r["daily_active_users"] * r["posts_per_user_per_day"] / SECONDS_PER_DAY
    pushes = posts * r["friends_per_user"]  # every post written into each friend's timeline
    return {
        "feed_reads_per_second": reads,
        "posts_per_second": posts,
        "fanout_writes_per_second": pushes,
        "post_bytes_per_year": r["daily_active_users"] * r["posts_per_user_per_day"] * 365 * r["post_bytes"],
        "timeline_cache_bytes": r["daily_active_users"] * r["timeline_ids"] * r["id_bytes"],
        "seconds_to_fan_out_largest_account": r["largest_followers"] / pushes,
    }


def grade(request, capstone, requirements, label):
    got = capstone.estimate(dict(requirements))
    expect_true(isinstance(got, dict), f"estimate({label})", got=type(got).__name__, expected="a dict of figures")
    want = expected(requirements)
    wrong = {k: (got.get(k), v) for k, v in want.items() if not within(got.get(k), v, TOLERANCE[k])}
    measured = f"{len(want) - len(wrong)} of {len(want)} within tolerance"
    details = "\n".join(f"  {k}: got {g!r}, expected about {w:g} (within {TOLERANCE[k]:.0%})"
                        for k, (g, w) in sorted(wrong.items()))
    grade_slo(request, f"estimates for the {label} requirements", "every figure within 20-30%", measured, not wrong,
              "sizing starts from these figures: reads and posts a second size the fleet, fan-out writes a second "
              "the timeline shards, and the largest account's push time is why celebrities are pulled", details)


@pytest.mark.task(1)
@pytest.mark.points(4)
def test_estimates_for_the_stated_requirements(request, capstone):
    grade(request, capstone, STATED, "stated")


@pytest.mark.task(1)
@pytest.mark.points(4)
def test_estimates_follow_other_requirements(request, capstone):
    grade(request, capstone, OTHER, "other (40M users, 80 friends, a 5M-follower account)")


@pytest.mark.task(1)
@pytest.mark.points(2)
def test_estimates_for_the_smallest_requirements(request, capstone):
    """One user, one feed load and one post a day, one friend: the formulas hold at the edge (no
    rounding down to zero, no integer division)."""
    grade(request, capstone, SMALLEST, "smallest (1 user)")
