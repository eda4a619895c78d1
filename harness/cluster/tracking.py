"""Which clusters a test built, so a failing test can show their seed and trace.

Kept apart from :mod:`sysdesign.cluster.cluster` so the pytest plugin can track without importing
the cluster (and requests) into every pytest run.
"""

from __future__ import annotations

from typing import Any

_tracked: list[Any] | None = None


def track_clusters() -> list[Any]:
    """Start collecting every cluster created from now on; returns the list that fills up."""
    global _tracked
    _tracked = []
    return _tracked


def stop_tracking() -> None:
    global _tracked
    _tracked = None


def register(cluster: Any) -> None:
    """Called by every new cluster."""
    if _tracked is not None:
        _tracked.append(cluster)
