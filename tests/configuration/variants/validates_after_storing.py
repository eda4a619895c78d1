"""Known-wrong: put stores and announces the config first and validates it afterwards, so a bad
config is live (and on its way to every server) even though the admin got an error."""

import time

from solutions import configuration as _reference
from solutions.configuration import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_store.py::test_a_bad_config_is_refused_before_anyone_sees_it",
    "test_cluster.py::test_a_bad_config_never_reaches_a_server",
]


class ConfigStore(_reference.ConfigStore):
    def put(self, config, *, user, role):
        now = time.time()
        self._check_role(now, user, role, "put")
        number = self._append(dict(config), user, role, now, "put", None)
        problems = _reference.validate(config, self.schema)
        if problems:
            raise ConfigError(problems)
        return number
