"""Known-wrong: the role is compared loosely (case-insensitive, anything containing 'admin'), so
'Admin', 'administrator' and 'admin ' may write."""

from solutions import configuration as _reference
from solutions.configuration import *  # noqa: F401,F403

EXPECT_FAIL = ["test_store.py::test_only_the_admin_role_writes"]


class ConfigStore(_reference.ConfigStore):
    def _check_role(self, now, user, role, action, target=None):
        if "admin" in role.lower():
            return
        super()._check_role(now, user, role, action, target)
