"""Known-wrong: k-nearest collects the points of every leaf and sorts them: right answers, but it
visits the whole tree for every call."""

from solutions import specialized_storage as _reference
from solutions.specialized_storage import *  # noqa: F401,F403

EXPECT_FAIL = ["test_quadtree.py::test_nearest_prunes_the_tree"]


class QuadTree(_reference.QuadTree):
    def nearest(self, x, y, k=1):
        if k < 1:
            raise ValueError("k must be at least 1")
        everything = self.query(self.bounds)
        return sorted(everything, key=lambda p: (p[0] - x) ** 2 + (p[1] - y) ** 2)[:k]
