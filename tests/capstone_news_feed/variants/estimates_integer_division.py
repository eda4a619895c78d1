"""Known-wrong: per-day counts turned into per-second rates with integer division, which is
close enough at a billion users and rounds one user's post a day down to zero."""
from solutions import capstone_news_feed as _reference
from solutions.capstone_news_feed import *  # noqa: F401,F403

EXPECT_FAIL = ["test_estimates.py::test_estimates_for_the_smallest_requirements"]


def estimate(requirements):
    r = dict(requirements)
    figures = _reference.estimate(r)
    reads = r["daily_active_users"] * r["feed_loads_per_user_per_day"] // 86_400
    posts = r["daily_active_users"] * r["posts_per_user_per_day"] // 86_400
    pushes = posts * r["friends_per_user"]
    figures.update(feed_reads_per_second=reads, posts_per_second=posts, fanout_writes_per_second=pushes,
                   seconds_to_fan_out_largest_account=r["largest_followers"] / pushes if pushes else 0.0)
    return figures
