"""The simulated cluster: deterministic, seeded, in virtual time.

Build one with the ``cluster`` pytest fixture, or ``with Cluster(seed=1) as cluster:``.
See ``docs/cluster.md`` for the guide; each module's docstring details its part:

- :mod:`~sysdesign.cluster.cluster`: the cluster and its event loop;
- :mod:`~sysdesign.cluster.tasks`: tasks (greenlets), blocking, futures, events, conditions;
- :mod:`~sysdesign.cluster.node`: nodes (memory, disk, handlers, timers, skew);
- :mod:`~sysdesign.cluster.network`: messages, links, partitions;
- :mod:`~sysdesign.cluster.http` and :mod:`~sysdesign.cluster.calls`: HTTP and service calls;
- :mod:`~sysdesign.cluster.faults`: every fault, scheduling, chaos plans;
- :mod:`~sysdesign.cluster.services`: slow database, etcd-like, Redis-like, payments;
- :mod:`~sysdesign.cluster.trace`: the trace; :mod:`~sysdesign.cluster.scenario`: many seeds.
"""

import importlib
from typing import Any

# Names are imported on first use (PEP 562), so loading the pytest plugin, or a module of this
# package that needs none of them, does not import requests and responses.
_EXPORTS = {
    "Cluster": "cluster", "ClusterError": "errors", "NodeKilled": "errors", "InvariantBroken": "errors", "RealNetworkBlocked": "errors",
    "PlannedFault": "faults", "HttpRequest": "http", "HttpResponse": "http", "CLIENT": "network",
    "LinkConfig": "network", "Message": "network", "Partition": "network", "Node": "node", "Timer": "node",
    "run_seeds": "scenario", "Trace": "trace", "TraceEvent": "trace",
    "Future": "tasks", "Event": "tasks", "Condition": "tasks",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'sysdesign.cluster' has no attribute {name!r}")
    return getattr(importlib.import_module(f"sysdesign.cluster.{_EXPORTS[name]}"), name)
