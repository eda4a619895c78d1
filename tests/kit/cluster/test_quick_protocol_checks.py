"""The quick stand-ins for requests' runtime protocols (sysdesign.cluster.http) answer as the
protocols do, for classes and for attributes set on the object itself."""

from __future__ import annotations

import io

import pytest


class Reads:
    def read(self, n: int = -1) -> bytes:
        return b""


class NoRead(Reads):
    read = None  # type: ignore[assignment]


def _values() -> list:
    own_read, own_items, cleared = type("A", (), {})(), type("B", (), {})(), Reads()
    own_read.read = lambda n=-1: b""
    own_items.items = lambda: []
    cleared.read = None
    return [{}, [], (), "ab", b"", 3, None, io.BytesIO(b"x"), io.StringIO("x"), Reads(), NoRead(), own_read,
            own_items, cleared, {"a": 1}.items(), [("a", 1)]]


@pytest.mark.parametrize("name", ["SupportsRead", "SupportsItems"])
def test_the_quick_checks_answer_as_requests_protocols_do(name):
    from sysdesign.cluster.http import _HasItems, _HasRead

    protocol = getattr(pytest.importorskip("requests._types"), name)
    quick = _HasRead if name == "SupportsRead" else _HasItems
    values = _values()
    assert [isinstance(v, quick) for v in values] == [isinstance(v, protocol) for v in values]


def test_an_active_cluster_puts_them_in_requests(cluster):
    import sys

    import requests

    from sysdesign.cluster.http import _HasItems, _HasRead

    cluster.add_node("s").route("POST", "/", lambda req: req.body)
    answer = requests.post("http://s/", data=io.BytesIO(b"streamed"), timeout=1)
    assert answer.content == b"streamed"
    if sys.version_info < (3, 12) and hasattr(requests.models, "_SupportsRead"):
        assert requests.models._SupportsRead is _HasRead
        assert requests.utils._SupportsItems is _HasItems
