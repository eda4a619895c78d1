"""Fake services that run as nodes of the cluster (so they can crash, pause, be cut off).

``cluster.add_service(kind, name=None, **params)`` with ``kind`` one of:

- ``"slow_db"`` (:class:`SlowDB`): a slow key-value database that counts its calls;
- ``"etcd"`` (:class:`Etcd`): versioned keys, leases, transactions, watches;
- ``"redis"`` (:class:`Redis`): GET/SET with expiry, atomic INCR;
- ``"payments"`` (:class:`Payments`): records charges, rejects stale fencing tokens.

Each has ``.client(node_name)`` whose calls travel the cluster network from that node.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sysdesign.cluster.services.base import Service, ServiceClient
from sysdesign.cluster.services.etcd import (
    Compare,
    Etcd,
    EtcdClient,
    KeyValue,
    Lease,
    LeaseNotFound,
    TxnResult,
    WatchEvent,
    create_revision,
    delete_op,
    get_op,
    mod_revision,
    put_op,
    value,
    version,
)
from sysdesign.cluster.services.payments import Charge, Payments, PaymentsClient, StaleToken
from sysdesign.cluster.services.redis import Redis, RedisClient, ResponseError
from sysdesign.cluster.services.slow_db import SlowDB, SlowDBClient

BUILTIN_SERVICES: dict[str, Callable[..., Any]] = {
    "slow_db": SlowDB,
    "etcd": Etcd,
    "redis": Redis,
    "payments": Payments,
}

__all__ = [
    "BUILTIN_SERVICES", "Service", "ServiceClient",
    "SlowDB", "SlowDBClient",
    "Etcd", "EtcdClient", "KeyValue", "Lease", "LeaseNotFound", "TxnResult", "WatchEvent", "Compare",
    "version", "create_revision", "mod_revision", "value", "put_op", "get_op", "delete_op",
    "Redis", "RedisClient", "ResponseError",
    "Payments", "PaymentsClient", "Charge", "StaleToken",
]
