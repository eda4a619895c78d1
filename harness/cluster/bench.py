"""Speed of the simulated cluster, measured in wall time (``sysdesign.wallclock``).

``run_bench()`` returns:

- ``sim_messages_per_s``: two nodes bouncing messages over a 1 ms link, 8 in flight,
  200,000 deliveries (the event loop, network and trace hot path);
- ``http_requests_per_s``: the test calling a node over the fake HTTP network through a
  ``requests`` session with ``trust_env=False`` (``requests`` + ``responses`` dominate);
- ``virtual_speedup``: virtual seconds per wall second for one simulated hour of a 5-node
  cluster (an etcd-like store, 4 nodes holding leases refreshed every second and sending
  each other heartbeats every 250 ms);
- ``task_switches_per_s``: 20 nodes passing 40 messages around, every message handler blocking
  on one nested call to another node (``cluster.call``) before it forwards the message: task
  switches per wall second (greenlet switches: a task suspended or resumed, a finished task
  handing the loop back; five per handler);
- ``blocking_handlers_per_s``: the same run, handlers completed per wall second;
- ``sim_messages_per_s_one_invariant``: ``sim_messages_per_s`` with one invariant registered
  (``cluster.add_invariant``: a function reading a node's state, called after every event).

Run it with ``python -m sysdesign.cluster.bench``. (The wall clock is read as
``wallclock.wall_seconds()``, an attribute of the ignored module looked up at call time: a
module-level alias in this module would be replaced by freezegun and read virtual time.)
"""

from __future__ import annotations

import gc
import json
import tempfile
from collections.abc import Callable
from typing import Any

from sysdesign.cluster.cluster import Cluster
from sysdesign.cluster.network import Message
from sysdesign import wallclock


def bench_messages(deliveries: int = 200_000, in_flight: int = 8, invariants: int = 0) -> float:
    """Messages delivered per wall second (with ``invariants`` trivial invariants registered)."""
    with tempfile.TemporaryDirectory() as tmp, Cluster(seed=1, base_path=tmp) as cluster:
        cluster.set_default_link(latency=0.001)
        a, b = cluster.add_node("a"), cluster.add_node("b")
        count = [0]

        def bounce(msg: Message) -> None:
            count[0] += 1
            if count[0] <= deliveries - in_flight:
                (a if msg.dest == "b" else b).send(msg.src, msg.body)

        a.on_message(bounce)
        b.on_message(bounce)
        for index in range(invariants):
            cluster.add_invariant(f"count {index}", lambda c: None if count[0] <= deliveries else "too many")
        for i in range(in_flight):
            a.send("b", i)
        started = wallclock.wall_seconds()
        cluster.run_for(deliveries / in_flight * 0.001 + 1.0)
        elapsed = wallclock.wall_seconds() - started
        assert count[0] == deliveries, count[0]
    return deliveries / elapsed


def bench_http(requests_count: int = 2_000) -> float:
    """HTTP requests answered per wall second."""
    with tempfile.TemporaryDirectory() as tmp, Cluster(seed=1, base_path=tmp) as cluster:
        server = cluster.add_node("server-1")
        server.route("GET", "/", lambda req: (200, {"Content-Type": "text/plain"}, "hi"))
        session = cluster.session()
        started = wallclock.wall_seconds()
        for _ in range(requests_count):
            response = session.get("http://server-1/", timeout=1.0)
            assert response.status_code == 200
        elapsed = wallclock.wall_seconds() - started
    return requests_count / elapsed


def bench_speedup(virtual_seconds: float = 3600.0) -> float:
    """Virtual seconds simulated per wall second (leases + heartbeats scenario)."""
    with tempfile.TemporaryDirectory() as tmp, Cluster(seed=1, base_path=tmp) as cluster:
        etcd = cluster.add_service("etcd")
        names = [f"node-{i}" for i in range(1, 5)]
        beats = {name: 0 for name in names}

        def boot(node: Any) -> dict[str, Any]:
            client = etcd.client(node.name, timeout=1.0)
            lease = client.grant(5.0)
            client.put(f"/members/{node.name}", "up", lease=lease)
            node.every(1.0, lease.refresh)
            node.every(0.25, node.broadcast, {"beat": node.name})

            def on_beat(msg: Message) -> None:
                beats[msg.dest] += 1

            node.on_message(on_beat)
            return {"lease": lease}

        for name in names:
            cluster.add_node(name, start=boot)
        started = wallclock.wall_seconds()
        cluster.run_for(virtual_seconds)
        elapsed = wallclock.wall_seconds() - started
        assert len(etcd.app.get_prefix("/members/")) == len(names)
        assert min(beats.values()) > virtual_seconds * 4 * 3 * 0.9
    return virtual_seconds / elapsed


class _Echo:
    """What each node of the switch benchmark serves: a call that answers at once."""

    def ping(self, n: int) -> int:
        return n + 1


def bench_switches(handlers: int = 40_000, nodes: int = 20, in_flight: int = 40) -> tuple[float, float]:
    """Task switches per wall second, and blocking handlers completed per wall second."""
    with tempfile.TemporaryDirectory() as tmp, Cluster(seed=1, base_path=tmp) as cluster:
        names = [f"n{i}" for i in range(nodes)]
        done = [0]

        for i, name in enumerate(names):
            node = cluster.add_node(name, start=lambda node: _Echo())
            peer, after = names[(i + 7) % nodes], names[(i + 1) % nodes]

            def handler(msg: Message, node: Any = node, peer: str = peer, after: str = after) -> None:
                cluster.call(node.name, peer, "ping", msg.body, timeout=1.0)  # suspends this task
                done[0] += 1
                if done[0] <= handlers - in_flight:
                    node.send(after, msg.body)

            node.on_message(handler)
        for i in range(in_flight):
            cluster.nodes[names[i % nodes]].send(names[(i + 3) % nodes], i)
        switches = cluster.task_switches
        started = wallclock.wall_seconds()
        cluster.run_until(lambda: done[0] >= handlers, 3600.0)
        elapsed = wallclock.wall_seconds() - started
        assert done[0] == handlers, done[0]
        switches = cluster.task_switches - switches
    return switches / elapsed, handlers / elapsed


def _clean(measure: Callable[[], Any]) -> Any:
    """Run one measurement from a collected heap (the garbage an earlier one left would make
    every automatic collection during this one slower)."""
    gc.collect()
    return measure()


def run_bench() -> dict[str, float]:
    """All the figures (see the module docstring)."""
    figures = {
        "sim_messages_per_s": round(_clean(bench_messages)),
        "http_requests_per_s": round(_clean(bench_http)),
        "virtual_speedup": round(_clean(bench_speedup)),
    }
    switches, handlers = _clean(bench_switches)
    figures.update(task_switches_per_s=round(switches), blocking_handlers_per_s=round(handlers))
    figures["sim_messages_per_s_one_invariant"] = round(_clean(lambda: bench_messages(invariants=1)))
    return figures


if __name__ == "__main__":
    print(json.dumps(run_bench(), indent=2))
