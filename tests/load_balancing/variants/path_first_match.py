"""Known-wrong: path-based routing that takes the first matching prefix instead of the
longest, so /api/admin/... goes to the /api pool."""

from solutions import load_balancing as _reference
from solutions.load_balancing import *  # noqa: F401,F403

EXPECT_FAIL = ["test_path_based.py::test_the_longest_matching_prefix_wins"]


class PathBased(_reference.PathBased):
    def pool_for(self, path):
        for prefix, pool in self._routes.items():
            if path == prefix or path.startswith(prefix + "/"):
                return pool
        if self.default is None:
            raise LookupError(path)
        return self.default
