"""Known-wrong: ports are checked with ``1 <= port < 65535``, an off-by-one that refuses the last
valid port."""

from solutions import networking as _reference
from solutions.networking import *  # noqa: F401,F403

EXPECT_FAIL = ["test_ports.py::test_smallest_valid_ports_are_accepted"]


class Host(_reference.Host):
    def bind(self, port, handler):
        if port == 65535:
            raise ValueError("a port is from 1 to 65534")
        return super().bind(port, handler)
