"""Refuse real network connections while a simulated cluster is active.

Only ``requests`` is routed through the cluster. Code that opens a socket some other way
(``urllib``, ``http.client``, ``httpx``, raw ``socket``) would reach the real network; while a
cluster is active such a connection raises :class:`~sysdesign.cluster.errors.RealNetworkBlocked`
naming what was attempted, instead of hanging or leaking traffic. Unix-domain sockets (local
inter-process pipes) are left alone.
"""

from __future__ import annotations

import socket
from typing import Any

from sysdesign.cluster.errors import RealNetworkBlocked

_INET = (socket.AF_INET, socket.AF_INET6)
_saved: dict[str, Any] = {}
_depth = 0


def _refuse(what: str) -> RealNetworkBlocked:
    return RealNetworkBlocked(
        f"real network use inside the simulated cluster ({what}); only `requests` is routed "
        "to the cluster's nodes: use requests"
    )


def _connect(self: socket.socket, address: Any) -> None:
    if self.family in _INET:
        raise _refuse(f"connect to {address!r}")
    return _saved["connect"](self, address)


def _connect_ex(self: socket.socket, address: Any) -> int:
    if self.family in _INET:
        raise _refuse(f"connect to {address!r}")
    return _saved["connect_ex"](self, address)


def _getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    raise _refuse(f"name lookup of {host!r}")


def block() -> None:
    """Start refusing (nestable: each ``block()`` needs one ``unblock()``)."""
    global _depth
    if _depth == 0:
        _saved.update(connect=socket.socket.connect, connect_ex=socket.socket.connect_ex,
                      getaddrinfo=socket.getaddrinfo)
        socket.socket.connect = _connect  # type: ignore[method-assign]
        socket.socket.connect_ex = _connect_ex  # type: ignore[method-assign]
        socket.getaddrinfo = _getaddrinfo
    _depth += 1


def unblock() -> None:
    """Undo one ``block()``; the last one restores the real functions."""
    global _depth
    if _depth == 0:
        return
    _depth -= 1
    if _depth == 0:
        socket.socket.connect = _saved["connect"]  # type: ignore[method-assign]
        socket.socket.connect_ex = _saved["connect_ex"]  # type: ignore[method-assign]
        socket.getaddrinfo = _saved["getaddrinfo"]
        _saved.clear()
