"""The simulated cluster: deterministic, seeded, in virtual time.

Build one with the ``cluster`` pytest fixture, or ``with Cluster(seed=1) as cluster:``.
See ``docs/cluster.md`` for the guide; each module's docstring details its part:

- :mod:`~harness.cluster.cluster`: the cluster, its event loop and blocking model;
- :mod:`~harness.cluster.node`: nodes (memory, disk, handlers, timers, skew);
- :mod:`~harness.cluster.network`: messages, links, partitions;
- :mod:`~harness.cluster.http` and :mod:`~harness.cluster.calls`: HTTP and service calls;
- :mod:`~harness.cluster.faults`: every fault, scheduling, chaos plans;
- :mod:`~harness.cluster.services`: slow database, etcd-like, Redis-like, payments;
- :mod:`~harness.cluster.trace`: the trace; :mod:`~harness.cluster.scenario`: many seeds.
"""

from harness.cluster.cluster import Cluster
from harness.cluster.errors import ClusterError, NodeKilled, RealNetworkBlocked
from harness.cluster.faults import PlannedFault
from harness.cluster.http import HttpRequest, HttpResponse
from harness.cluster.network import CLIENT, LinkConfig, Message, Partition
from harness.cluster.node import Node, Timer
from harness.cluster.scenario import run_seeds
from harness.cluster.trace import Trace, TraceEvent

__all__ = [
    "CLIENT", "Cluster", "ClusterError", "HttpRequest", "HttpResponse", "LinkConfig", "Message", "Node",
    "NodeKilled", "Partition", "PlannedFault", "RealNetworkBlocked", "Timer", "Trace",
    "TraceEvent", "run_seeds",
]
