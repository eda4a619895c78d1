"""Known-wrong: shortest_path uses depth-first search and returns the first path it finds, which is a
path but often not the shortest."""

from solutions import specialized_storage as _reference
from solutions.specialized_storage import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_graph.py::test_shortest_path_small_cases",
    "test_graph.py::test_random_shortest_paths_match_brute_force",
]


class GraphDB(_reference.GraphDB):
    def shortest_path(self, a, b):
        if a not in self._adjacent:
            raise KeyError(a)
        if b not in self._adjacent:
            raise KeyError(b)
        parent = {a: None}
        stack = [a]
        while stack:
            node = stack.pop()
            if node == b:
                path = []
                while node is not None:
                    path.append(node)
                    node = parent[node]
                return path[::-1]
            for nxt in sorted(self._adjacent[node]):
                if nxt not in parent:
                    parent[nxt] = node
                    stack.append(nxt)
        return None
