"""A third-party payments service that records every charge attempt with its fencing token.

A charge carries a fencing token (for a leader: its leadership's revision). The service keeps
the highest token it has seen and **rejects a charge whose token is lower** (a deposed leader
that wakes up from a pause cannot charge any more); an equal or higher token is accepted.
A charge without a token is accepted unless ``require_token=True``. Every attempt, accepted or
rejected, goes into the durable ``ledger`` for the suite's assertions.

Client: ``payments.client("node-1").charge("alice", 999, token=7, reference="sub-1/2026-01")``
(raises :class:`StaleToken` when rejected). HTTP: ``POST /charges`` with JSON
``{"customer", "amount", "token", "reference"}``: 201 with the charge, 409 when stale.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from sysdesign.cluster.http import HttpRequest
from sysdesign.cluster.services.base import DEFAULT_TIMEOUT, Service, ServiceClient

if TYPE_CHECKING:
    from sysdesign.cluster.cluster import Cluster
    from sysdesign.cluster.node import Node


class StaleToken(Exception):
    """The charge's fencing token is older than one the service has already seen."""


@dataclass(frozen=True)
class Charge:
    """One charge attempt as the service recorded it (``time``: cluster seconds)."""

    id: int
    time: float
    customer: str
    amount: int
    token: int | None
    reference: str | None
    caller: str
    accepted: bool
    reason: str = ""


class PaymentsState:
    def __init__(self, service: Payments, node: Node) -> None:
        self.service, self.node = service, node
        self.ledger: list[Charge] = node.durable.setdefault("ledger", [])
        node.durable.setdefault("highest_token", None)

    def charge(self, customer: str, amount: int, token: int | None = None, reference: str | None = None) -> Charge:
        d = self.node.durable
        highest = d["highest_token"]
        caller = self.node.cluster.caller or "client"
        reason = ""
        if token is None and self.service.require_token:
            reason = "missing fencing token"
        elif token is not None and highest is not None and token < highest:
            reason = f"stale fencing token {token} < {highest}"
        charge = Charge(len(self.ledger) + 1, self.node.cluster.now(), str(customer), int(amount), token,
                        reference, caller, not reason, reason)
        self.ledger.append(charge)
        if reason:
            raise StaleToken(reason)
        if token is not None:
            d["highest_token"] = token if highest is None else max(highest, token)
        return charge


class Payments(Service):
    """``cluster.add_service("payments")``; ``payments.ledger`` for assertions."""

    kind = "payments"

    def __init__(self, cluster: Cluster, name: str = "payments", *, service_time: float = 0.0,
                 require_token: bool = False) -> None:
        self.require_token = require_token
        super().__init__(cluster, name, service_time=service_time)
        self.node.route("POST", "/charges", self._http_charge)

    def make_app(self, node: Node) -> PaymentsState:
        return PaymentsState(self, node)

    def client(self, node: str | None = None, timeout: float | None = DEFAULT_TIMEOUT) -> PaymentsClient:
        return PaymentsClient(self, node, timeout)

    # -- for assertions ----------------------------------------------------------------------
    @property
    def ledger(self) -> list[Charge]:
        """Every charge attempt, accepted or not, in arrival order."""
        return list(self.node.durable.get("ledger", []))

    def accepted(self) -> list[Charge]:
        return [c for c in self.ledger if c.accepted]

    def rejected(self) -> list[Charge]:
        return [c for c in self.ledger if not c.accepted]

    def charges_for(self, customer: str) -> list[Charge]:
        return [c for c in self.accepted() if c.customer == customer]

    def charged_twice(self) -> list[tuple[str, str | None]]:
        """``(customer, reference)`` pairs with more than one accepted charge."""
        seen = Counter((c.customer, c.reference) for c in self.accepted())
        return sorted((k for k, n in seen.items() if n > 1), key=repr)

    @property
    def highest_token(self) -> int | None:
        return self.node.durable.get("highest_token")

    def _http_charge(self, req: HttpRequest) -> tuple[int, dict[str, str], Any]:
        payload = req.json()
        try:
            charge = self.node.app.charge(payload["customer"], payload["amount"], payload.get("token"),
                                          payload.get("reference"))
        except StaleToken as exc:
            return 409, {}, {"error": str(exc)}
        except (KeyError, TypeError, ValueError) as exc:
            return 400, {}, {"error": f"bad charge: {exc!r}"}
        return 201, {}, asdict(charge)


class PaymentsClient(ServiceClient):
    def charge(self, customer: str, amount: int, token: int | None = None, reference: str | None = None) -> Charge:
        """Charge ``customer``; raises :class:`StaleToken` when the token is stale."""
        return self._call("charge", customer, amount, token, reference)
