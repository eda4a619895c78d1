"""Known-wrong: no posting limit: the spammer's fifty posts in five seconds are all taken, each
pushed into its followers' timelines."""
from solutions import capstone_news_feed as _reference
from solutions.capstone_news_feed import *  # noqa: F401,F403

EXPECT_FAIL = ["test_slos.py::test_a_spammer_is_held_to_the_posting_rate"]


class Unlimited:
    def allow(self, key):
        return True


class Api(_reference.Api):
    def __init__(self, node, cluster, parts, spec, ring):
        super().__init__(node, cluster, parts, spec, ring)
        self.limit = Unlimited()


def wire(cluster, parts, spec):
    _reference.build(cluster, parts, spec, api=Api)
