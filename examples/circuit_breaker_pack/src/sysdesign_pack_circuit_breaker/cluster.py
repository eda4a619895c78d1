"""What this pack adds to the simulated cluster, through ``sysdesign_cluster_extensions``:

- the service ``"flaky_backend"`` (:class:`FlakyBackend`): an HTTP backend that answers
  ``GET /items/<id>`` with ``200 {"id": id}`` (``404`` for the id ``missing``) and records every
  request that reaches it (``requests``, ``answers``), so a suite can prove that an open breaker
  sends nothing;
- the fault ``"http_errors"`` (:func:`http_errors`): the backend answers every request with an
  error status (``503`` by default) for a while, the way an overloaded service does while its
  process stays up.

A suite uses them as it uses the built-in ones::

    backend = cluster.add_service("flaky_backend", "backend")
    cluster.fault("http_errors", "backend", status=503, duration=10.0)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sysdesign.api import HttpRequest, Service, hookimpl

if TYPE_CHECKING:
    from sysdesign.api import Cluster, Node


class FlakyBackend(Service):
    """``cluster.add_service("flaky_backend", name="backend", service_time=0.01)``."""

    kind = "flaky_backend"

    def __init__(self, cluster: Cluster, name: str = "backend", *, service_time: float = 0.01) -> None:
        #: Requests that reached the backend (answered with any status).
        self.requests = 0
        #: The status of every answer, in order.
        self.answers: list[int] = []
        #: While set, the status every request is answered with (see the ``http_errors`` fault).
        self.error_status: int | None = None
        super().__init__(cluster, name, service_time=service_time)
        self.node.route("GET", "/items/<item>", self._get)

    def make_app(self, node: Node) -> dict[str, Any]:
        return {}

    def _get(self, request: HttpRequest) -> tuple[int, dict[str, str], Any]:
        self.requests += 1
        item = request.params["item"]
        if self.error_status is not None:
            status, body = self.error_status, {"error": f"backend answering {self.error_status}"}
        elif item == "missing":
            status, body = 404, {"error": f"no item {item!r}"}
        else:
            status, body = 200, {"id": item}
        self.answers.append(status)
        return status, {}, body


def http_errors(cluster: Cluster, name: str, status: int | None = 503, duration: float | None = None) -> None:
    """Make the flaky backend ``name`` answer ``status`` to every request (``None``: recover),
    for ``duration`` seconds of cluster time when given."""
    backend = cluster.services.get(name)
    if not isinstance(backend, FlakyBackend):
        raise ValueError(f"http_errors: {name!r} is not a flaky_backend service")
    cluster.trace.record("fault", name, "", f"http errors {status}" if status else "http errors healed")
    backend.error_status = status
    if duration is not None and status is not None:
        cluster.after(duration, http_errors, cluster, name, None)


@hookimpl
def sysdesign_cluster_extensions() -> dict[str, Any]:
    return {"faults": {"http_errors": http_errors}, "services": {"flaky_backend": FlakyBackend}}
