"""Known-wrong: friends_of_friends removes the direct friends but forgets the node itself, which is
a friend of each of its friends."""

from solutions import specialized_storage as _reference
from solutions.specialized_storage import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_graph.py::test_friends_of_friends_excludes_self_and_direct_friends",
    "test_graph.py::test_random_graph_matches_brute_force",
]


class GraphDB(_reference.GraphDB):
    def friends_of_friends(self, node):
        found = set()
        for friend in self._adjacent[node]:
            found |= self._adjacent[friend]
        return found - self._adjacent[node]
