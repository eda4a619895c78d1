"""Known-wrong: every post is pushed into every follower's timeline, celebrities' too: a
celebrity's post costs 10,000 timeline writes (with 100 million followers, minutes of the
whole fleet's work for one post)."""
from solutions import capstone_news_feed as _reference
from solutions.capstone_news_feed import *  # noqa: F401,F403

EXPECT_FAIL = ["test_slos.py::test_celebrity_posts_cost_few_timeline_writes"]


class Fanout(_reference.Fanout):
    def pushes(self, author):
        return True


class Api(_reference.Api):
    def __init__(self, node, cluster, parts, spec, ring):
        super().__init__(node, cluster, parts, spec, ring)
        self.celebrities = set()  # nobody is pulled: every timeline holds every post


def wire(cluster, parts, spec):
    _reference.build(cluster, parts, spec, api=Api, fanout=Fanout)
