"""Known-wrong: every retransmission waits rto again (no exponential backoff): a dead or congested
peer gets a retransmission storm at a fixed pace."""

from solutions import networking as _reference
from solutions.networking import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_channel.py::test_retransmissions_back_off_exponentially",
    "test_channel.py::test_everything_arrives_once_the_network_heals",
    "test_give_up.py::test_gives_up_on_a_crashed_peer_after_max_retries",
]


class Sender(_reference.Sender):
    def _arm(self):
        self._wait = self.rto
        super()._arm()
