"""Known-wrong: the celebrities' recent posts are cached on api for 60 s, so a celebrity's new
post stays out of the feeds until the cached list expires (after the settle too: a
follower reading then still misses it)."""
from solutions import capstone_news_feed as _reference
from solutions.capstone_news_feed import *  # noqa: F401,F403

EXPECT_FAIL = ["test_slos.py::test_celebrity_posts_show_within_3_seconds",
               "test_slos.py::test_no_acknowledged_post_is_lost"]


class Api(_reference.Api):
    def celebrity_posts(self, author):
        cached = self.recent.get(author)
        if cached is None:
            cached = (0.0, _reference.store_get(f"/posts/{author}?limit=50"))
            self.recent.put(author, cached)
        return cached[1]


def wire(cluster, parts, spec):
    _reference.build(cluster, parts, spec, api=Api)
