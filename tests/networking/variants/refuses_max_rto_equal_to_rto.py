"""Known-wrong: the settings check wants max_rto > rto (room to back off), stricter than the
contract (0 < rto <= max_rto): a valid setting at the edge is refused."""

from solutions import networking as _reference
from solutions.networking import *  # noqa: F401,F403

EXPECT_FAIL = ["test_channel.py::test_smallest_valid_settings_are_accepted"]


class Sender(_reference.Sender):
    def __init__(self, node, peer, conn, *, window=8, rto=0.2, max_rto=3.2, max_retries=8, on_fail=None):
        if not max_rto > rto:
            raise ValueError("max_rto must be larger than rto")
        super().__init__(node, peer, conn, window=window, rto=rto, max_rto=max_rto, max_retries=max_retries,
                         on_fail=on_fail)
