"""Known-wrong: the server replies to the client's node on the port the server itself listens on,
not on the request's source port, so no client program gets its answer."""

from solutions import networking as _reference
from solutions.networking import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_ports.py::test_two_clients_on_one_node_get_their_own_replies",
    "test_ports.py::test_the_reply_goes_to_the_source_address_and_port_of_the_request",
]


def serve(host, port, handle):
    def on_request(datagram):
        host.send(port, datagram.src[0], port, handle(datagram.data))

    return host.bind(port, on_request)
