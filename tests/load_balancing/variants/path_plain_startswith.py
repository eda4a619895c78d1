"""Known-wrong: path-based routing with a plain string prefix test, so /apiary goes to the /api
pool and /statics to the /static pool."""

from solutions import load_balancing as _reference
from solutions.load_balancing import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_path_based.py::test_the_longest_matching_prefix_wins",
    "test_cluster.py::test_path_based_routes_every_request_into_its_pool",
]


class PathBased(_reference.PathBased):
    def pool_for(self, path):
        best, best_len = self.default, -1
        for prefix, pool in self._routes.items():
            if path.startswith(prefix) and len(prefix) > best_len:
                best, best_len = pool, len(prefix)
        if best is None:
            raise LookupError(path)
        return best
