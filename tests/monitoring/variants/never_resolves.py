"""Known-wrong: once firing, the alert stays firing for good: nobody is told the incident is over,
and the next one cannot page."""

from solutions import monitoring as _reference
from solutions.monitoring import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_alert_rule.py::test_pending_then_firing_after_the_for_duration_then_resolved",
    "test_incident.py::test_an_error_spike_fires_the_alert_within_bounds_and_resolves_after",
]


class AlertRule(_reference.AlertRule):
    def evaluate(self, value, now):
        if self._state == "firing":
            return self._state
        return super().evaluate(value, now)
