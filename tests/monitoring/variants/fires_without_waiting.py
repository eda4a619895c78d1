"""Known-wrong: the alert fires on the first bad evaluation, ignoring its ``for`` duration, so a
single bad sample pages someone."""

from solutions import monitoring as _reference
from solutions.monitoring import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_alert_rule.py::test_pending_then_firing_after_the_for_duration_then_resolved",
    "test_alert_rule.py::test_a_single_bad_sample_does_not_fire",
    "test_incident.py::test_short_error_bursts_go_pending_but_never_fire",
    "test_incident.py::test_an_error_spike_fires_the_alert_within_bounds_and_resolves_after",
]


class AlertRule(_reference.AlertRule):
    def evaluate(self, value, now):
        breach = value is not None and value > self.threshold
        if self._state != "firing" and breach:
            self._move(now, "firing", "firing")
        elif self._state == "firing" and not breach:
            self._move(now, "inactive", "resolved")
        return self._state

