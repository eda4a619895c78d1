"""Known-wrong: dead letters live in memory only, so a restart brings the poison message back to
life and it blocks its key again."""

from solutions import pubsub as _reference
from solutions.pubsub import *  # noqa: F401,F403

EXPECT_FAIL = ["test_dead_letters.py::test_dead_letters_survive_a_restart"]


class Broker(_reference.Broker):
    def _write(self, record):
        if record["op"] == "dead":
            return
        super()._write(record)
