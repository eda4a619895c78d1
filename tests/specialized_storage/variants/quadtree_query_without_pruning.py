"""Known-wrong: the rectangle query walks every node and filters the points, so it is correct but no
faster than a scan."""

from solutions import specialized_storage as _reference
from solutions.specialized_storage import *  # noqa: F401,F403

EXPECT_FAIL = ["test_quadtree.py::test_queries_prune_the_tree"]


class QuadTree(_reference.QuadTree):
    def query(self, rect):
        qx0, qy0, qx1, qy1 = rect
        found, visited, stack = [], 0, [self._root]
        while stack:
            node = stack.pop()
            visited += 1
            if node.children is not None:
                stack.extend(node.children)
            else:
                found.extend(p for p in node.points if qx0 <= p[0] <= qx1 and qy0 <= p[1] <= qy1)
        self.nodes_visited = visited
        return found
