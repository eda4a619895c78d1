"""Known-wrong: k-nearest descends to the leaf containing the query point and answers from its points
alone, missing closer points just across a split line (and returning fewer than k)."""

from solutions import specialized_storage as _reference
from solutions.specialized_storage import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_quadtree.py::test_the_nearest_point_can_be_across_a_split_line",
    "test_quadtree.py::test_random_nearest_matches_brute_force",
]


class QuadTree(_reference.QuadTree):
    def nearest(self, x, y, k=1):
        if k < 1:
            raise ValueError("k must be at least 1")
        node, visited = self._root, 1
        while node.children is not None:
            node = node.child_for(x, y)
            visited += 1
        self.nodes_visited = visited
        return sorted(node.points, key=lambda p: (p[0] - x) ** 2 + (p[1] - y) ** 2)[:k]
