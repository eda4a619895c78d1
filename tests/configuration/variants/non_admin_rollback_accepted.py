"""Known-wrong: put checks the role but rollback forgets to, so anyone can roll the config back."""

import time

from solutions import configuration as _reference
from solutions.configuration import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_store.py::test_refused_rollbacks_change_nothing",
    "test_cluster.py::test_a_non_admin_write_over_http_is_refused_and_audited",
]


class ConfigStore(_reference.ConfigStore):
    def rollback(self, version, *, user, role):
        now = time.time()
        if not isinstance(version, int) or not 1 <= version <= self.latest:
            self._refuse(now, user, role, "rollback", f"no version {version!r}", version)
            raise KeyError(version)
        old = self._versions[version - 1]
        return self._append(dict(old.config), user, role, now, "rollback", version)
