"""What every fake service shares: it is a node of the cluster, and its clients call it over
the cluster network, so crashes, partitions, pauses and slowness apply to it like to any node.

A service object (what ``cluster.add_service`` returns) outlives crashes of its node. Its state
lives in ``node.durable`` (a database keeps its data across a crash) or in the node's app (lost
on a crash, like an in-memory cache). Read state for assertions through the service object
(``service.app`` is the live state, None while the node is down); never through a client,
which would cost virtual time and be subject to faults.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sysdesign.cluster.calls import caller_name

if TYPE_CHECKING:
    from sysdesign.cluster.cluster import Cluster
    from sysdesign.cluster.node import Node

#: Default client timeout (seconds) for service calls.
DEFAULT_TIMEOUT = 5.0


class Service:
    """A fake service running on its own node (``self.node``, called ``self.name``)."""

    kind = "service"

    def __init__(self, cluster: Cluster, name: str, *, service_time: float = 0.0) -> None:
        self.cluster = cluster
        self.name = name
        self.node: Node = cluster.add_node(name, start=self._boot, service_time=service_time)
        self.node.is_service = True

    def _boot(self, node: Node) -> Any:
        return self.make_app(node)

    def make_app(self, node: Node) -> Any:
        """Build the service's state for a fresh incarnation of its node."""
        raise NotImplementedError  # pragma: no cover - every service overrides it

    @property
    def app(self) -> Any:
        """The live state of the service (None while its node is down)."""
        return self.node.app

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name} {self.node.status}>"


class ServiceClient:
    """Calls a service over the cluster network. ``node``: the node the calls come from (None:
    whichever node's code is running, or the test). ``timeout``: seconds per call."""

    def __init__(self, service: Service, node: str | None = None, timeout: float | None = DEFAULT_TIMEOUT) -> None:
        self.service = service
        self.node = node
        self.timeout = timeout

    def _call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        cluster = self.service.cluster
        src = self.node if self.node is not None else caller_name(cluster)
        return cluster.call(src, self.service.name, method, *args, timeout=self.timeout, **kwargs)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self.service.name} from {self.node or 'caller'}>"
