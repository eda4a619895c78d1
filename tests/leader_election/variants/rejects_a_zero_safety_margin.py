"""Known-wrong: the settings check is off by one at its lower end: ``safety_margin=0`` (allowed:
``0 <= safety_margin < ttl``) is refused."""

from solutions import leader_election as _reference
from solutions.leader_election import *  # noqa: F401,F403

EXPECT_FAIL = ["test_campaign.py::test_smallest_valid_settings_are_accepted"]


class LeaderElection(_reference.LeaderElection):
    def __init__(self, node, store, **options):
        if options.get("safety_margin") is not None and not options["safety_margin"] > 0:
            raise ValueError(f"safety_margin must be in (0, ttl), got {options['safety_margin']!r}")
        super().__init__(node, store, **options)
