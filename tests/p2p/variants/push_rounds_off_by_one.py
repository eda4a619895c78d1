"""Known-wrong: the push_rounds check is off by one (``push_rounds < 2`` refused), so a rumour
pushed for a single round, which the docstring allows, is refused."""

from solutions import p2p as _reference
from solutions.p2p import *  # noqa: F401,F403

EXPECT_FAIL = ["test_settings.py::test_the_smallest_gossip_settings_are_accepted"]


class GossipNode(_reference.GossipNode):
    def __init__(self, node, peers, rng, *, push_rounds=20, **options):
        if push_rounds < 2:
            raise ValueError(f"push_rounds must be at least 2, got {push_rounds}")
        super().__init__(node, peers, rng, push_rounds=push_rounds, **options)
