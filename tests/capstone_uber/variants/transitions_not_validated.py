"""Known-wrong: a transition is applied whatever the ride's state: the late "complete" a
driver's app sends after the rider cancelled is accepted, and the cancelled ride is charged."""
from solutions import capstone_uber as _reference
from solutions.capstone_uber import *  # noqa: F401,F403

EXPECT_FAIL = ["test_slos.py::test_rides_read_back_in_their_last_acknowledged_state",
               "test_slos.py::test_completed_rides_are_charged_exactly_once"]


class Lenient(_reference.Dispatch):
    TRANSITIONS = {action: (allowed | {"accepted", "in_progress", "cancelled"}, target)
                   for action, (allowed, target) in _reference.TRANSITIONS.items()}


def wire(cluster, parts, spec):
    _reference.build(cluster, parts, spec, dispatch=Lenient)
