"""Known-wrong: rollback deletes the versions after the target and makes it the latest again, so
history is lost and servers already past it never come back to it."""

import time

from solutions import configuration as _reference
from solutions.configuration import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_store.py::test_rollback_is_a_new_version_and_forgets_nothing",
    "test_cluster.py::test_a_rollback_reaches_every_server",
]


class ConfigStore(_reference.ConfigStore):
    def rollback(self, version, *, user, role):
        now = time.time()
        self._check_role(now, user, role, "rollback", version)
        if not isinstance(version, int) or not 1 <= version <= self.latest:
            self._refuse(now, user, role, "rollback", f"no version {version!r}", version)
            raise KeyError(version)
        del self._versions[version:]
        self._audit.append(AuditEntry(now, user, role, "rollback", version, True, "", version))
        return version
