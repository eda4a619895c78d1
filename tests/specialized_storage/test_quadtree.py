"""Tasks 7-8: the quadtree (split at capacity, pruning rectangle query, k nearest)."""

import random

import pytest

from sysdesign.messages import expect_equal, expect_true

SIDE = 1024
BOUNDS = (0, 0, SIDE, SIDE)


def brute_query(points, rect):
    x0, y0, x1, y1 = rect
    return sorted(p[2] for p in points if x0 <= p[0] <= x1 and y0 <= p[1] <= y1)


def items(found):
    return sorted(p[2] for p in found)


def grid_heavy_points(seed, n):
    """Integer points, many of them on split lines (multiples of 512, 256, 128, ...) and on the edges."""
    rng = random.Random(seed)
    points = []
    for i in range(n):
        roll = rng.random()
        if roll < 0.3:
            step = rng.choice([512, 256, 128, 64, 32])
            x, y = rng.randrange(0, SIDE + 1, step), rng.randrange(0, SIDE + 1)
            if rng.random() < 0.5:
                x, y = y, x
        elif roll < 0.35:
            x, y = rng.choice([0, SIDE]), rng.randrange(0, SIDE + 1)
        elif roll < 0.6:  # a dense "city"
            x, y = 700 + rng.randrange(0, 60), 200 + rng.randrange(0, 60)
        else:
            x, y = rng.randrange(0, SIDE + 1), rng.randrange(0, SIDE + 1)
        points.append((x, y, i))
    return points


def build(storage, points, capacity=8):
    tree = storage.QuadTree(BOUNDS, capacity=capacity)
    for x, y, item in points:
        tree.insert(x, y, item)
    return tree


@pytest.mark.task(7)
@pytest.mark.points(2)
def test_a_full_leaf_splits_into_four(storage):
    tree = storage.QuadTree((0, 0, 100, 100), capacity=4)
    expect_equal("QuadTree((0, 0, 100, 100), capacity=4).node_count", tree.node_count, 1)
    for i, (x, y) in enumerate([(10, 10), (90, 10), (10, 90), (90, 90)]):
        tree.insert(x, y, i)
    expect_equal("node_count after 4 inserts with capacity 4", tree.node_count, 1, why="a leaf holds up to capacity points")
    tree.insert(60, 60, 4)
    expect_equal("node_count after the 5th insert", tree.node_count, 5, why="the full root splits into four children")
    tree.insert(95, 95, 5)
    tree.insert(99, 99, 6)
    expect_equal("node_count after 2 more points in the north-east quadrant (which now holds 4)", tree.node_count, 5)
    tree.insert(97, 97, 7)
    expect_equal("node_count after a 5th point in the north-east quadrant", tree.node_count, 9,
                 why="the full child splits in turn")
    expect_equal("len(tree)", len(tree), 8)
    expect_equal("items of tree.query((0, 0, 100, 100))", items(tree.query((0, 0, 100, 100))), list(range(8)))


@pytest.mark.task(7)
@pytest.mark.points(3)
def test_points_on_split_lines_come_back_exactly_once(storage):
    coords = [0, 25, 50, 75, 100]
    points = [(x, y, f"{x},{y}") for x in coords for y in coords]
    tree = storage.QuadTree((0, 0, 100, 100), capacity=1)
    for p in points:
        tree.insert(*p)
    expect_equal("items of query((0, 0, 100, 100)) after inserting a 5x5 grid on the split lines, capacity 1",
                 items(tree.query((0, 0, 100, 100))), sorted(p[2] for p in points),
                 why="every point exactly once: one on a midline goes to exactly one child (x >= mx east, y >= my north)")
    for rect in [(50, 50, 50, 50), (50, 0, 50, 100), (0, 75, 100, 75), (25, 25, 75, 75), (100, 100, 100, 100)]:
        expect_equal(f"items of query({rect}) on the grid", items(tree.query(rect)), brute_query(points, rect),
                     why="rectangle boundaries are included")


@pytest.mark.task(7)
@pytest.mark.points(3)
def test_random_queries_match_brute_force(storage):
    points = grid_heavy_points(21, 4000)
    tree = build(storage, points)
    expect_equal("len(tree) after 4000 inserts", len(tree), 4000)
    rng = random.Random(22)
    for q in range(250):
        if q % 3 == 0:  # edges exactly on stored coordinates and on split lines
            xs = sorted(rng.choice(points)[0] for _ in range(2))
            ys = sorted(rng.choice([0, 128, 256, 512, 768, SIDE, rng.randrange(SIDE)]) for _ in range(2))
            rect = (xs[0], ys[0], xs[1], ys[1])
        else:
            x, y = rng.randrange(-50, SIDE), rng.randrange(-50, SIDE)
            rect = (x, y, x + rng.choice([0, 10, 64, 300, 1200]), y + rng.choice([0, 10, 64, 300, 1200]))
        got = items(tree.query(rect))
        expected = brute_query(points, rect)
        if got != expected:
            missing = sorted(set(expected) - set(got))[:5]
            dupes = sorted({i for i in got if got.count(i) > 1})[:5]
            extra = sorted(set(got) - set(expected))[:5]
            expect_equal(f"tree.query({rect}) over 4000 points (seed 21), capacity 8",
                         f"{len(got)} points (missing e.g. {[points[i] for i in missing]}, duplicated {dupes}, "
                         f"outside {[points[i] for i in extra]})",
                         f"{len(expected)} points", why="exactly the points inside the closed rectangle, each once")


@pytest.mark.task(7)
@pytest.mark.points(3)
def test_queries_prune_the_tree(storage):
    points = grid_heavy_points(31, 5000)
    tree = build(storage, points)
    total = tree.node_count
    expect_true(total > 100 and total % 4 == 1, "tree.node_count after 5000 inserts with capacity 8", got=total,
                expected="1 + 4 per split, and well over 100 nodes")
    everything = tree.query(BOUNDS)
    expect_equal("tree.nodes_visited after query(the whole bounds)", tree.nodes_visited, total,
                 why="a query covering everything enters every node")
    expect_equal("len(query(the whole bounds))", len(everything), 5000)
    rng = random.Random(32)
    visits = []
    for _ in range(200):
        x, y = rng.randrange(0, SIDE - 32), rng.randrange(0, SIDE - 32)
        tree.query((x, y, x + 32, y + 32))
        visits.append(tree.nodes_visited)
    mean = sum(visits) / len(visits)
    expect_true(mean < 0.05 * total, f"mean nodes_visited over 200 queries of 32x32 in {SIDE}x{SIDE} "
                f"({total} nodes, 5000 points)", got=round(mean, 1), expected=f"< {0.05 * total:.0f} (5% of the nodes)",
                why="enter only the nodes whose rectangle intersects the query; a scan would look at everything")
    expect_true(min(visits) >= 1, "min nodes_visited over those queries", got=min(visits), expected=">= 1 (the root counts)")


@pytest.mark.task(7)
def test_many_points_at_one_place_and_errors(storage):
    tree = storage.QuadTree((0, 0, 64, 64), capacity=2, max_depth=6)
    for i in range(100):
        tree.insert(7, 7, i)
    expect_equal("len(query((7, 7, 7, 7))) after 100 inserts at (7, 7), capacity 2, max_depth 6",
                 len(tree.query((7, 7, 7, 7))), 100, why="a leaf at max_depth never splits; it just holds more points")
    expect_true(tree.node_count <= 1 + 4 * 6, "tree.node_count", got=tree.node_count, expected="<= 25 (at most 6 levels of splits)")
    for x, y in [(-1, 5), (5, 65), (64.5, 0)]:
        with pytest.raises(ValueError):
            tree.insert(x, y)
    tree.insert(64, 64, "corner")
    expect_equal("query((64, 64, 64, 64)) after insert(64, 64, 'corner')", tree.query((64, 64, 64, 64)),
                 [(64, 64, "corner")], why="the outer edges belong to the tree")
    for bounds, capacity in [((0, 0, 0, 10), 4), ((0, 5, 10, 1), 4), ((0, 0, 10, 10), 0)]:
        with pytest.raises(ValueError):
            storage.QuadTree(bounds, capacity=capacity)


def dist2(p, x, y):
    return (p[0] - x) ** 2 + (p[1] - y) ** 2


def check_nearest(tree, points, x, y, k, label):
    got = tree.nearest(x, y, k)
    expected = sorted(dist2(p, x, y) for p in points)[:k]
    got_d = [dist2(p, x, y) for p in got]
    expect_equal(f"squared distances of tree.nearest({x}, {y}, k={k}) {label}", got_d, expected,
                 why="the k smallest distances, nearest first")
    ids = [p[2] for p in got]
    expect_equal(f"items of tree.nearest({x}, {y}, k={k}) returned more than once {label}",
                 sorted({i for i in ids if ids.count(i) > 1}), [], why="each stored point at most once")
    wrong = [p for p in got if tuple(points[p[2]][:2]) != tuple(p[:2])]
    expect_equal(f"points of tree.nearest({x}, {y}, k={k}) that were never inserted {label}", wrong, [])


@pytest.mark.task(8)
@pytest.mark.points(2)
def test_the_nearest_point_can_be_across_a_split_line(storage):
    points = [(49, 10, 0), (90, 12, 1), (10, 90, 2), (90, 90, 3), (75, 80, 4)]
    tree = storage.QuadTree((0, 0, 100, 100), capacity=1)
    for p in points:
        tree.insert(*p)
    expect_equal("tree.nearest(51, 10) with points at (49, 10) and (90, 12), capacity 1", tree.nearest(51, 10),
                 [(49, 10, 0)], why="(51, 10) lies in the south-east quadrant, but the nearest point is 2 away in the south-west")
    check_nearest(tree, points, 51, 10, 3, "on the five points")
    expect_equal("len(tree.nearest(0, 0, k=50)) with 5 points", len(tree.nearest(0, 0, k=50)), 5,
                 why="fewer points than k: return them all")
    with pytest.raises(ValueError):
        tree.nearest(1, 1, k=0)
    expect_equal("QuadTree(...).nearest(5, 5) on an empty tree", storage.QuadTree((0, 0, 10, 10)).nearest(5, 5), [])


@pytest.mark.task(8)
@pytest.mark.points(3)
def test_random_nearest_matches_brute_force(storage):
    points = grid_heavy_points(41, 3000)
    tree = build(storage, points)
    rng = random.Random(42)
    for q in range(150):
        x, y = rng.randrange(0, SIDE + 1), rng.randrange(0, SIDE + 1)
        if q % 4 == 0:
            x = rng.choice([256, 512, 768])
        check_nearest(tree, points, x, y, rng.choice([1, 2, 5, 12]), "over 3000 points (seed 41), capacity 8")


@pytest.mark.task(8)
@pytest.mark.points(2)
def test_nearest_prunes_the_tree(storage):
    points = grid_heavy_points(51, 5000)
    tree = build(storage, points)
    total = tree.node_count
    rng = random.Random(52)
    visits = []
    for _ in range(150):
        tree.nearest(rng.randrange(0, SIDE + 1), rng.randrange(0, SIDE + 1), 5)
        visits.append(tree.nodes_visited)
    mean = sum(visits) / len(visits)
    expect_true(mean < 0.05 * total, f"mean nodes_visited over 150 nearest(x, y, k=5) calls ({total} nodes, 5000 points)",
                got=round(mean, 1), expected=f"< {0.05 * total:.0f} (5% of the nodes)",
                why="visit nodes in order of their distance and stop once none can beat the k-th best")
    expect_true(min(visits) >= 1, "min nodes_visited over those calls", got=min(visits), expected=">= 1 (the root counts)")
