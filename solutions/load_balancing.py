"""Reference solution: load balancing (random, round robin, smooth weighted round robin, least
connections, IP hash, path-based pools, health checks)."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import requests


@dataclass(frozen=True)
class RequestInfo:
    """What a balancer may look at to choose a server."""

    client: str = ""
    path: str = "/"


def _no_server() -> LookupError:
    return LookupError("no server to send the request to")


class _Pool:
    """The server list every balancer keeps: names in the order they were added."""

    def __init__(self, servers: Iterable[str] = ()) -> None:
        self._servers: list[str] = []
        for server in servers:
            self.add_server(server)

    @property
    def servers(self) -> list[str]:
        return list(self._servers)

    def add_server(self, server: str) -> None:
        if server in self._servers:
            raise ValueError(f"server {server!r} is already there")
        self._servers.append(server)

    def remove_server(self, server: str) -> None:
        if server not in self._servers:
            raise KeyError(server)
        self._servers.remove(server)


class RoundRobin(_Pool):
    def __init__(self, servers: Iterable[str] = ()) -> None:
        self._next = 0  # index of the next server to pick (may equal len: wraps at pick time)
        super().__init__(servers)

    def remove_server(self, server: str) -> None:
        if server not in self._servers:
            raise KeyError(server)
        index = self._servers.index(server)
        del self._servers[index]
        if index < self._next:
            self._next -= 1

    def pick(self, request: RequestInfo | None = None) -> str:
        if not self._servers:
            raise _no_server()
        index = self._next % len(self._servers)
        self._next = index + 1
        return self._servers[index]


class RandomBalancer(_Pool):
    def __init__(self, servers: Iterable[str] = (), rng: random.Random | int | None = None) -> None:
        super().__init__(servers)
        self.rng = rng if isinstance(rng, random.Random) else random.Random(rng)

    def pick(self, request: RequestInfo | None = None) -> str:
        if not self._servers:
            raise _no_server()
        return self.rng.choice(self._servers)


class WeightedRoundRobin:
    def __init__(self, servers: Mapping[str, int] | Iterable[str] = ()) -> None:
        self._weights: dict[str, int] = {}
        self._current: dict[str, int] = {}
        self._remembered: dict[str, int] = {}
        items = servers.items() if isinstance(servers, Mapping) else ((s, 1) for s in servers)
        for server, weight in items:
            self.add_server(server, weight)

    @property
    def servers(self) -> list[str]:
        return list(self._weights)

    @property
    def weights(self) -> dict[str, int]:
        return dict(self._weights)

    def _reset(self) -> None:
        self._current = dict.fromkeys(self._weights, 0)

    def add_server(self, server: str, weight: int | None = None) -> None:
        if server in self._weights:
            raise ValueError(f"server {server!r} is already there")
        if weight is None:
            weight = self._remembered.get(server, 1)
        if not isinstance(weight, int) or isinstance(weight, bool) or weight < 1:
            raise ValueError(f"weight must be a whole number >= 1, got {weight!r}")
        self._weights[server] = weight
        self._reset()

    def remove_server(self, server: str) -> None:
        if server not in self._weights:
            raise KeyError(server)
        self._remembered[server] = self._weights.pop(server)
        self._reset()

    def pick(self, request: RequestInfo | None = None) -> str:
        if not self._weights:
            raise _no_server()
        best = None
        for server, weight in self._weights.items():
            self._current[server] += weight
            if best is None or self._current[server] > self._current[best]:
                best = server
        self._current[best] -= sum(self._weights.values())
        return best


class LeastConnections(_Pool):
    def __init__(self, servers: Iterable[str] = ()) -> None:
        self._active: dict[str, int] = {}
        self._last_pick: dict[str, int] = {}
        self._picks = 0
        super().__init__(servers)

    def add_server(self, server: str) -> None:
        super().add_server(server)
        self._active[server] = 0
        self._last_pick[server] = -1

    def remove_server(self, server: str) -> None:
        super().remove_server(server)
        del self._active[server]
        del self._last_pick[server]

    def active(self, server: str) -> int:
        return self._active[server]

    def started(self, server: str) -> None:
        if server not in self._active:
            raise KeyError(server)
        self._active[server] += 1

    def finished(self, server: str) -> None:
        if server not in self._active:
            return  # removed while the request ran
        if self._active[server] == 0:
            raise ValueError(f"finished({server!r}) without a request in progress")
        self._active[server] -= 1

    def pick(self, request: RequestInfo | None = None) -> str:
        if not self._servers:
            raise _no_server()
        # list order breaks the remaining ties: min() keeps the first of equal keys
        best = min(self._servers, key=lambda s: (self._active[s], self._last_pick[s]))
        self._last_pick[best] = self._picks
        self._picks += 1
        return best


def _ip_hash(client: str) -> int:
    return int.from_bytes(hashlib.sha256(client.encode("utf-8")).digest()[:8], "big")


class IPHash(_Pool):
    def pick(self, request: RequestInfo | None = None) -> str:
        if request is None or not request.client:
            raise ValueError("IPHash needs the client's address (request.client)")
        if not self._servers:
            raise _no_server()
        return self._servers[_ip_hash(request.client) % len(self._servers)]


def _normal(prefix: str) -> str:
    if not prefix.startswith("/"):
        raise ValueError(f"a prefix starts with '/', got {prefix!r}")
    return prefix.rstrip("/")


class PathBased:
    def __init__(self, routes: Mapping[str, Any], default: Any = None) -> None:
        self._routes: dict[str, Any] = {}
        for prefix, pool in routes.items():
            self._routes[_normal(prefix)] = pool
        self.default = default
        self._taken_out: dict[str, list[str | None]] = {}  # server -> the route keys it was taken out of

    def _pools(self) -> list[Any]:
        pools = list(self._routes.values())
        return pools + [self.default] if self.default is not None else pools

    @property
    def servers(self) -> list[str]:
        seen: dict[str, None] = {}
        for pool in self._pools():
            for server in pool.servers:
                seen.setdefault(server, None)
        return list(seen)

    def pool_for(self, path: str) -> Any:
        best, best_len = self.default, -1
        for prefix, pool in self._routes.items():
            if (path == prefix or path.startswith(prefix + "/")) and len(prefix) > best_len:
                best, best_len = pool, len(prefix)
        if best is None:
            raise LookupError(f"no pool serves {path!r} and there is no default")
        return best

    def pick(self, request: RequestInfo | None = None) -> str:
        request = request or RequestInfo()
        return self.pool_for(request.path).pick(request)

    def add_server(self, server: str, prefix: str | None = None) -> None:
        if prefix is None and server in self._taken_out:
            for key in self._taken_out.pop(server):
                (self.default if key is None else self._routes[key]).add_server(server)
            return
        self._taken_out.pop(server, None)
        if prefix is None:
            if self.default is None:
                raise KeyError("no default pool")
            self.default.add_server(server)
            return
        key = _normal(prefix)
        if key not in self._routes:
            raise KeyError(prefix)
        self._routes[key].add_server(server)

    def remove_server(self, server: str) -> None:
        where: list[str | None] = []
        keyed = [*self._routes.items(), *([(None, self.default)] if self.default is not None else [])]
        for key, pool in keyed:
            if server in pool.servers:
                pool.remove_server(server)
                where.append(key)
        if not where:
            raise KeyError(server)
        self._taken_out[server] = where


class HealthChecker:
    def __init__(self, balancer: Any, fall: int = 3, rise: int = 2, *, path: str = "/health",
                 timeout: float = 1.0) -> None:
        if fall < 1 or rise < 1:
            raise ValueError("fall and rise must be at least 1")
        self.balancer = balancer
        self.fall, self.rise = fall, rise
        self.path, self.timeout = path, timeout
        self._healthy: dict[str, bool] = dict.fromkeys(balancer.servers, True)
        self._streak: dict[str, int] = dict.fromkeys(balancer.servers, 0)

    def healthy(self) -> list[str]:
        return [s for s, ok in self._healthy.items() if ok]

    def is_healthy(self, server: str) -> bool:
        return self._healthy[server]

    def record(self, server: str, ok: bool) -> None:
        if server not in self._healthy:
            raise KeyError(server)
        if ok == self._healthy[server]:
            self._streak[server] = 0  # the state it is in is confirmed: the opposite streak ends
            return
        self._streak[server] += 1
        if self._healthy[server] and self._streak[server] >= self.fall:
            self._healthy[server], self._streak[server] = False, 0
            self.balancer.remove_server(server)
        elif not self._healthy[server] and self._streak[server] >= self.rise:
            self._healthy[server], self._streak[server] = True, 0
            self.balancer.add_server(server)

    def check(self, server: str) -> bool:
        try:
            answer = requests.get(f"http://{server}{self.path}", timeout=self.timeout)
            ok = 200 <= answer.status_code < 300
        except requests.RequestException:
            ok = False
        self.record(server, ok)
        return ok

    def check_all(self) -> None:
        for server in list(self._healthy):
            self.check(server)
