"""Tasks 6-7: rendezvous (highest random weight) hashing."""

import pytest

from sysdesign.spread import max_over_mean, moved_keys, shares
from sysdesign.messages import expect_equal, expect_true
from sysdesign.reads import call, call_each, read_all

NODES = [f"node-{i}" for i in range(10)]
KEYS = [f"key-{i}" for i in range(20_000)]


@pytest.mark.task(6)
@pytest.mark.points(2)
def test_the_highest_score_wins(hashing):
    rv = hashing.RendezvousHashing(NODES)
    owners = call_each(rv, "node_for", KEYS[:300])
    all_scores = read_all(rv, [call("score", key, n) for key in KEYS[:300] for n in NODES])
    for i, key in enumerate(KEYS[:300]):
        scores = dict(zip(NODES, all_scores[i * len(NODES):(i + 1) * len(NODES)]))
        best = max(scores, key=scores.get)
        expect_equal(f"RendezvousHashing(10 nodes).node_for({key!r})", owners[i], best,
                     why=f"the node with the highest score(key, node); lowest was {min(scores, key=scores.get)!r}")


@pytest.mark.task(6)
def test_errors(hashing):
    with pytest.raises(LookupError):
        hashing.RendezvousHashing().node_for("k")
    rv = hashing.RendezvousHashing(["a"])
    with pytest.raises(ValueError):
        rv.add_node("a")
    with pytest.raises(ValueError):
        rv.add_node("b", weight=0)
    with pytest.raises(KeyError):
        rv.remove_node("zzz")


@pytest.mark.task(7)
def test_small_positive_weights_are_accepted(hashing):
    rv = hashing.RendezvousHashing(["a"])
    rv.add_node("light", weight=0.01)
    got = shares(call_each(rv, "node_for", KEYS[:2_000]))
    expect_true(0 < got.get("light", 0) <= 0.03, "share of keys owned by 'light' (weight 0.01) against 'a' (weight 1)",
                got=round(got.get("light", 0), 4), expected="about 0.01/1.01, and above 0",
                why="any weight above 0 is valid (only weight <= 0 raises ValueError); a light node wins a few keys")


@pytest.mark.task(6)
def test_keys_spread_evenly(hashing):
    nodes = NODES[:5]
    rv = hashing.RendezvousHashing(nodes)
    counts = {n: 0 for n in nodes}
    for owner in call_each(rv, "node_for", KEYS[:4_000]):
        counts[owner] += 1
    ratio = max_over_mean(counts.values())
    expect_true(ratio <= 1.14, "max/mean keys per node, 5 nodes, 4000 keys", got=round(ratio, 3), expected="<= 1.14",
                why=f"counts: {counts}")


@pytest.mark.task(6)
@pytest.mark.points(2)
def test_adding_and_removing_move_only_what_must_move(hashing):
    rv = hashing.RendezvousHashing(NODES[:5])
    keys = KEYS[:2_400]
    before = dict(zip(keys, call_each(rv, "node_for", keys)))
    rv.add_node("node-new")
    moved = moved_keys(before, rv.node_for)
    fraction = len(moved) / len(keys)
    expect_true(0.13 <= fraction <= 0.20, "fraction of keys that changed owner after add_node('node-new') to 5 nodes",
                got=round(fraction, 3), expected="about 1/6 = 0.167")
    expect_equal("keys that moved somewhere other than the new node",
                 dict(list({k: v for k, v in moved.items() if v[1] != "node-new"}.items())[:5]), {})
    rv.remove_node("node-new")
    rv.remove_node("node-4")
    moved = moved_keys(before, rv.node_for)
    wrong = {k: v for k, v in moved.items() if v[0] != "node-4"}
    expect_equal("keys that changed owner after remove_node('node-4') although node-4 did not own them",
                 dict(list(wrong.items())[:5]), {}, why="only the removed node's keys move")


@pytest.mark.task(7)
@pytest.mark.points(2)
def test_weights_are_respected(hashing):
    rv = hashing.RendezvousHashing(["a", "b", "c"])
    rv.add_node("heavy", weight=3)
    got = shares(call_each(rv, "node_for", KEYS[:4_000]))
    expect_true(0.45 <= got.get("heavy", 0) <= 0.55, "share of keys owned by 'heavy' (weight 3) among a, b, c (weight 1)",
                got=round(got.get("heavy", 0), 3), expected="about 3/6 = 0.5", why=f"shares: {got}")
    rv2 = hashing.RendezvousHashing()
    rv2.add_node("x", weight=1)
    rv2.add_node("y", weight=2)
    got2 = shares(call_each(rv2, "node_for", KEYS[:4_000]))
    expect_true(0.62 <= got2.get("y", 0) <= 0.71, "share of keys owned by 'y' (weight 2) against 'x' (weight 1)",
                got=round(got2.get("y", 0), 3), expected="about 2/3")
