"""Known-wrong: add_server without a prefix always adds to the default pool, so a server a health
checker took out of /api and puts back lands in the default pool and never serves /api again."""

from solutions import load_balancing as _reference
from solutions.load_balancing import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_path_based.py::test_a_server_taken_out_goes_back_to_its_own_pools",
    "test_health.py::test_over_path_routing_a_server_comes_back_to_its_own_pool",
]


class PathBased(_reference.PathBased):
    def add_server(self, server, prefix=None):
        self._taken_out.clear()
        super().add_server(server, prefix)
