"""Known-wrong: the timelines in the feed nodes' memory are taken for the whole feed: a feed node
that restarted serves what it holds (the posts pushed since) as if nothing had been lost, so
the posts made before its crash are gone from its users' feeds for good."""
from solutions import capstone_news_feed as _reference
from solutions.capstone_news_feed import *  # noqa: F401,F403

EXPECT_FAIL = ["test_slos.py::test_no_acknowledged_post_is_lost",
               "test_slos.py::test_friends_posts_show_within_3_seconds"]


class FeedShard(_reference.FeedShard):
    def __init__(self, node):
        super().__init__(node)
        self.fresh = True  # what memory holds is the feed


def wire(cluster, parts, spec):
    _reference.build(cluster, parts, spec, shard=FeedShard)
