"""An end-to-end scenario of the kind the leader-election suite runs: etcd leases, a
transaction to take leadership, a paused leader fenced off by the payments service."""

from __future__ import annotations

import requests

from sysdesign.cluster.services import LeaseNotFound, StaleToken, put_op, version


class Elector:
    """A deliberately careless leader: it charges *before* refreshing its lease, so after a
    pause it charges once with a stale token, and only fencing stops it."""

    def __init__(self, node, etcd, payments):
        self.node = node
        self.etcd = etcd.client(node.name, timeout=1.0)
        self.pay = payments.client(node.name, timeout=1.0)
        self.lease = self.token = None
        self.period = 0
        node.every(1.0, self.tick, first=0.0)

    def tick(self):
        try:
            if self.lease is None:
                self.lease = self.etcd.grant(5.0)
                won = self.etcd.txn([version("/leader") == 0], [put_op("/leader", self.node.name, lease=self.lease)])
                if won.succeeded:
                    self.token = self.etcd.get("/leader").create_revision
                    self.node.note("leader", self.token)
                else:
                    self.lease.revoke()
                    self.lease = None
                return
            self.period += 1
            try:
                self.pay.charge("alice", 1, token=self.token, reference=f"{self.node.name}-{self.period}")
            except StaleToken:
                self.node.note("fenced")
            self.lease.refresh()
        except LeaseNotFound:
            self.lease = self.token = None
        except requests.RequestException:
            pass


def test_paused_leader_is_replaced_and_fenced(run_cluster_seeds):
    def scenario(cluster):
        etcd, payments = cluster.add_service("etcd"), cluster.add_service("payments")
        for name in ("n1", "n2", "n3"):
            cluster.add_node(name, start=lambda node: Elector(node, etcd, payments))
        cluster.run_for(10.5)  # between two ticks (a tick in progress would be frozen mid-call)
        old = etcd.peek("/leader").value
        cluster.pause(old)
        cluster.run_for(20.0)
        new = etcd.peek("/leader").value
        assert new != old
        cluster.resume(old)
        cluster.run_for(300.0)
        assert [c.caller for c in payments.rejected()] == [old]
        assert {c.caller for c in payments.accepted() if c.time > 30.0} == {new}
        assert [e.node for e in cluster.trace.find(kind="note") if e.data.startswith("fenced")] == [old]

    run_cluster_seeds(scenario, n=3)
