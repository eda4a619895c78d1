"""Known-wrong: add_edge records the edge only from its first node, so the graph is directed and
neighbours(b) misses a."""

from solutions import specialized_storage as _reference
from solutions.specialized_storage import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_graph.py::test_edges_are_undirected",
    "test_graph.py::test_random_graph_matches_brute_force",
]


class GraphDB(_reference.GraphDB):
    def add_edge(self, a, b):
        if a == b:
            raise ValueError("no self-loops")
        self.add_node(a)
        self.add_node(b)
        self._adjacent[a].add(b)

    def remove_edge(self, a, b):
        if b not in self._adjacent.get(a, ()) and a not in self._adjacent.get(b, ()):
            raise KeyError((a, b))
        self._adjacent[a].discard(b)
        self._adjacent[b].discard(a)
