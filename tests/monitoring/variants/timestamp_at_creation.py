"""Known-wrong: the logger reads the clock once, when it is created, and stamps every line with
that moment."""

import json
import time

from solutions import monitoring as _reference
from solutions.monitoring import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_logger.py::test_one_json_object_per_line_with_time_level_message_and_fields",
    "test_incident.py::test_an_error_spike_fires_the_alert_within_bounds_and_resolves_after",
]


class StructuredLogger(_reference.StructuredLogger):
    def __init__(self, write, *, level="INFO", **fields):
        super().__init__(write, level=level, **fields)
        self._born = time.time()

    def log(self, level, msg, /, **fields):
        rank = _reference._level(level)
        _reference._check_fields(fields)
        if rank < self._threshold:
            return
        record = {"ts": self._born, "level": level, "msg": msg, "request_id": current_request_id()}
        record.update(self._fields)
        record.update(fields)
        self._write(json.dumps(record, default=str) + "\n")
