"""The simulated cluster: deterministic, seeded, in virtual time.

Build one with the ``cluster`` pytest fixture, or ``with Cluster(seed=1) as cluster:``.
See ``docs/cluster.md`` for the guide; each module's docstring details its part:

- :mod:`~harness.cluster.cluster`: the cluster and its event loop;
- :mod:`~harness.cluster.tasks`: tasks (greenlets), blocking, futures, events, conditions;
- :mod:`~harness.cluster.node`: nodes (memory, disk, handlers, timers, skew);
- :mod:`~harness.cluster.network`: messages, links, partitions;
- :mod:`~harness.cluster.http` and :mod:`~harness.cluster.calls`: HTTP and service calls;
- :mod:`~harness.cluster.faults`: every fault, scheduling, chaos plans;
- :mod:`~harness.cluster.services`: slow database, etcd-like, Redis-like, payments;
- :mod:`~harness.cluster.trace`: the trace; :mod:`~harness.cluster.scenario`: many seeds.
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
        raise AttributeError(f"module 'harness.cluster' has no attribute {name!r}")
    return getattr(importlib.import_module(f"harness.cluster.{_EXPORTS[name]}"), name)
