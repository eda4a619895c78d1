"""While a cluster is active, real connections fail loudly instead of leaving the machine."""

from __future__ import annotations

import socket
import urllib.request

import pytest

from sysdesign.cluster import Cluster, RealNetworkBlocked


def test_urllib_and_raw_sockets_are_refused_inside_a_cluster(cluster):
    with pytest.raises(RealNetworkBlocked, match="use requests"):
        urllib.request.urlopen("http://example.invalid/", timeout=1)
    with pytest.raises(RealNetworkBlocked):
        socket.create_connection(("127.0.0.1", 9), timeout=1)


def test_the_guard_is_lifted_with_the_cluster(clock, tmp_path):
    real_connect = socket.socket.connect
    with Cluster(1, clock=clock, base_path=tmp_path):
        assert socket.socket.connect is not real_connect
    assert socket.socket.connect is real_connect
    left, right = socket.socketpair()  # local pipes stay usable either way
    left.close()
    right.close()
