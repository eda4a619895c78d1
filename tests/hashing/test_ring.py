"""Tasks 3-5: the consistent-hash ring."""

import bisect
import itertools

import pytest

from sysdesign.spread import max_over_mean, moved_keys, shares
from sysdesign.messages import expect_equal, expect_true
from sysdesign.reads import call_each

NODES = [f"node-{i}" for i in range(10)]
KEYS = [f"key-{i}" for i in range(10_000)]


def owner_from_points(points, positions, position):
    """The node the ring must answer for a key at ``position``: first point at or after it, wrapping."""
    index = bisect.bisect_left(positions, position)
    return points[index % len(points)][1]


@pytest.mark.task(3)
def test_points_are_sorted_and_named_by_node_and_index(hashing):
    ring = hashing.ConsistentHashRing(["a", "b", "c"], vnodes=4)
    points = ring.points()
    expect_equal("ConsistentHashRing(['a','b','c'], vnodes=4).points() positions",
                 [p for p, _ in points], sorted(p for p, _ in points), why="points sorted by position")
    expected = sorted((hashing.stable_hash(f"{n}#{i}"), n) for n in "abc" for i in range(4))
    expect_equal("ConsistentHashRing(['a','b','c'], vnodes=4).points()", points, expected,
                 why="point i of node n sits at stable_hash(f'{n}#{i}')")


@pytest.mark.task(3)
@pytest.mark.points(2)
def test_lookup_is_first_point_at_or_after_the_key(hashing):
    ring = hashing.ConsistentHashRing(NODES, vnodes=20)
    points = ring.points()
    positions = [p for p, _ in points]
    owners = call_each(ring, "node_for", KEYS[:2_000])
    for key, hashed, owner in zip(KEYS[:2_000], call_each(hashing, "stable_hash", KEYS[:2_000]), owners):
        expected = owner_from_points(points, positions, hashed)
        expect_equal(f"ring.node_for({key!r}) (10 nodes, vnodes=20)", owner, expected,
                     why="the owner of the first point at or after stable_hash(key)")


@pytest.mark.task(3)
@pytest.mark.points(2)
def test_keys_past_the_last_point_wrap_to_the_first(hashing):
    ring = hashing.ConsistentHashRing(["a", "b", "c"], vnodes=1)
    points = ring.points()
    last, first_owner = points[-1][0], points[0][1]
    hashes = call_each(hashing, "stable_hash", KEYS)  # one request in grading
    wrapping = list(itertools.islice((k for k, h in zip(KEYS, hashes) if h > last), 50))
    assert wrapping, "the suite found no key past the last point (cannot happen with a 64-bit hash)"
    for key in wrapping:
        expect_equal(f"ring.node_for({key!r}) with stable_hash(key) past the last point {last}",
                     ring.node_for(key), first_owner, why="past the last point the ring wraps round to the first point")


@pytest.mark.task(3)
def test_errors(hashing):
    with pytest.raises(LookupError):
        hashing.ConsistentHashRing().node_for("k")
    with pytest.raises(ValueError):
        hashing.ConsistentHashRing(vnodes=0)
    ring = hashing.ConsistentHashRing(["a"])
    with pytest.raises(ValueError):
        ring.add_node("a")
    with pytest.raises(ValueError):
        ring.add_node("b", weight=0)


@pytest.mark.task(5)
def test_removing_a_node_that_is_not_there_is_a_key_error(hashing):
    ring = hashing.ConsistentHashRing(["a"])
    with pytest.raises(KeyError):
        ring.remove_node("zzz")


@pytest.mark.task(4)
def test_every_virtual_node_is_on_the_ring(hashing):
    ring = hashing.ConsistentHashRing(["a", "b"], vnodes=50)
    ring.add_node("big", weight=3)
    counts = {n: 0 for n in ("a", "b", "big")}
    for _, node in ring.points():
        counts[node] += 1
    expect_equal("points per node after ConsistentHashRing(['a','b'], vnodes=50); add_node('big', weight=3)",
                 counts, {"a": 50, "b": 50, "big": 150}, why="weight * vnodes points per node")


@pytest.mark.task(4)
@pytest.mark.points(2)
def test_virtual_nodes_balance_the_load(hashing):
    ring = hashing.ConsistentHashRing(NODES, vnodes=200)
    counts = {n: 0 for n in NODES}
    for owner in call_each(ring, "node_for", KEYS):
        counts[owner] += 1
    ratio = max_over_mean(counts.values())
    expect_true(ratio <= 1.25, f"max/mean keys per node, 10 nodes, vnodes=200, {len(KEYS)} keys", got=round(ratio, 3),
                expected="<= 1.25", why=f"counts: {counts}")


@pytest.mark.task(4)
@pytest.mark.points(2)
def test_weights_are_respected(hashing):
    ring = hashing.ConsistentHashRing(["a", "b", "c"], vnodes=200)
    ring.add_node("heavy", weight=3)
    got = shares(call_each(ring, "node_for", KEYS))
    expect_true(0.42 <= got.get("heavy", 0) <= 0.58, "share of keys owned by 'heavy' (weight 3) among a, b, c (weight 1)",
                got=round(got.get("heavy", 0), 3), expected="about 3/6 = 0.5", why=f"shares: {got}")


@pytest.mark.task(5)
@pytest.mark.points(2)
def test_adding_a_node_moves_about_one_in_n_plus_one_keys_all_to_it(hashing):
    ring = hashing.ConsistentHashRing(NODES, vnodes=100)
    keys = KEYS[:6_000]
    before = dict(zip(keys, call_each(ring, "node_for", keys)))
    ring.add_node("node-new")
    moved = moved_keys(before, ring.node_for)
    fraction = len(moved) / len(keys)
    expect_true(0.05 <= fraction <= 0.14, "fraction of keys that changed owner after add_node('node-new') to 10 nodes",
                got=round(fraction, 3), expected="about 1/11 = 0.091")
    elsewhere = {k: v for k, v in moved.items() if v[1] != "node-new"}
    expect_equal("keys that moved somewhere other than the new node", dict(list(elsewhere.items())[:5]), {},
                 why="a new node only takes keys; keys never move between old nodes")


@pytest.mark.task(5)
@pytest.mark.points(2)
def test_removing_a_node_moves_only_its_keys(hashing):
    ring = hashing.ConsistentHashRing(NODES, vnodes=100)
    before = dict(zip(KEYS[:6_000], call_each(ring, "node_for", KEYS[:6_000])))
    ring.remove_node("node-3")
    moved = moved_keys(before, ring.node_for)
    wrong = {k: v for k, v in moved.items() if v[0] != "node-3"}
    expect_equal("keys that changed owner after remove_node('node-3') although node-3 did not own them",
                 dict(list(wrong.items())[:5]), {}, why="only the removed node's keys move")
    orphans = [k for (k, owner), now in zip(before.items(), call_each(ring, "node_for", before))
               if owner == "node-3" and now == "node-3"]
    expect_equal("keys still sent to the removed node-3", orphans[:5], [])
    ring.add_node("node-3")
    back = moved_keys(before, ring.node_for)
    expect_equal("keys whose owner differs after remove_node('node-3') then add_node('node-3')",
                 dict(list(back.items())[:5]), {}, why="the same node lands on the same points")


@pytest.mark.task(3)
def test_a_key_exactly_on_a_point_belongs_to_that_point(hashing):
    """Point names are keys too: the key ``"b#3"`` hashes exactly onto point 3 of node b."""
    ring = hashing.ConsistentHashRing(["a", "b", "c"], vnodes=20)
    for node in "abc":
        for i in range(20):
            label = f"{node}#{i}"
            expect_equal(f"ring.node_for({label!r}) on ConsistentHashRing(['a','b','c'], vnodes=20)",
                         ring.node_for(label), node,
                         why=f"stable_hash({label!r}) is exactly the position of point {i} of node {node!r}, and a key "
                         "belongs to the first point at or after it: that point itself (bisect_left, not "
                         "bisect_right). Every client must settle this boundary the same way, or they disagree "
                         "about which node owns such a key")


@pytest.mark.task(3)
def test_smallest_valid_settings_are_accepted(hashing):
    ring = hashing.ConsistentHashRing(["a"], vnodes=1)
    expect_equal("ConsistentHashRing(['a'], vnodes=1).points()", ring.points(), [(hashing.stable_hash("a#0"), "a")],
                 why="vnodes=1 is the smallest valid setting: one point per unit of weight")
    expect_equal("ring.node_for('k') with one node", ring.node_for("k"), "a", why="a single node owns every key")
    ring.add_node("b", weight=1)
    expect_equal("len(ring.points()) after add_node('b', weight=1) with vnodes=1", len(ring.points()), 2,
                 why="weight 1 is the smallest valid weight")
