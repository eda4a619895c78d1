"""Known-wrong: StaticConfig keeps the dict it was given (and its lists), so the "immutable"
config changes when the source does, and a list inside can be appended to."""

from collections.abc import Mapping

from solutions.configuration import *  # noqa: F401,F403
from solutions import configuration as _reference

EXPECT_FAIL = ["test_static.py::test_a_loaded_config_cannot_change"]


class StaticConfig(Mapping):
    def __init__(self, values):
        self._values = values

    def __getitem__(self, key):
        return self._values[key]

    def __iter__(self):
        return iter(self._values)

    def __len__(self):
        return len(self._values)


def load_static(text, schema, fmt="json"):
    checked = _reference.load_static(text, schema, fmt)
    return StaticConfig({k: list(v) if isinstance(v, tuple) else v for k, v in checked.items()})
