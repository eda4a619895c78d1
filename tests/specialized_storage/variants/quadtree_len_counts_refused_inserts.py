"""Known-wrong: insert() counts the point before checking the bounds, so a refused point (ValueError)
still adds one to len(tree)."""

from solutions import specialized_storage as _reference
from solutions.specialized_storage import *  # noqa: F401,F403

EXPECT_FAIL = ["test_properties.py::test_quadtree_matches_brute_force_after_every_insert"]


class QuadTree(_reference.QuadTree):
    def insert(self, x, y, item=None):
        self._size += 1
        x0, y0, x1, y1 = self.bounds
        if not (x0 <= x <= x1 and y0 <= y <= y1):
            raise ValueError(f"point ({x}, {y}) is outside the bounds {self.bounds}")
        self._size -= 1
        super().insert(x, y, item)
