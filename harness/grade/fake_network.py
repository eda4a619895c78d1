"""Whether a simulated network intercepts ``requests`` in the deciding process (``responses``, the
cluster): the HTTP requests of learner code go out only then. The provider remembers the real
``HTTPAdapter.send`` when it is made; anything else in its place is a fake network."""

from __future__ import annotations

_ORIGINAL_SEND = None


def fake_network_active() -> bool:
    """True when something (``responses``, the cluster) intercepts ``requests`` here."""
    import requests.adapters

    return requests.adapters.HTTPAdapter.send is not _ORIGINAL_SEND


def _remember_original_send() -> None:
    global _ORIGINAL_SEND
    import requests.adapters

    if _ORIGINAL_SEND is None:
        _ORIGINAL_SEND = requests.adapters.HTTPAdapter.send
