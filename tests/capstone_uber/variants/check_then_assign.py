"""Known-wrong: a driver is claimed by reading his claim and, when there is none, writing one:
two requests racing for the same driver (on two dispatch nodes, or two tasks of one) both read
"free" before either writes, and both riders are sent the same driver."""
from sysdesign.cluster.services import put_op
from solutions import capstone_uber as _reference
from solutions.capstone_uber import *  # noqa: F401,F403

EXPECT_FAIL = ["test_slos.py::test_no_driver_is_assigned_two_rides"]


class CheckThenAssign(_reference.Dispatch):
    def claim(self, ride, rider, driver, x, y):
        if self.etcd.get(f"/claims/{driver}") is not None:
            return None
        record = {"ride": ride, "rider": rider, "driver": driver, "state": "accepted", "pickup": [x, y]}
        self.etcd.txn(success=[put_op(f"/claims/{driver}", ride), put_op(f"/rides/{ride}", record)])
        return driver


def wire(cluster, parts, spec):
    _reference.build(cluster, parts, spec, dispatch=CheckThenAssign)
