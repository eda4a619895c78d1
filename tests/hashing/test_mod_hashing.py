"""Task 2: mod hashing, and why adding a node hurts."""

import pytest

from sysdesign.spread import moved_fraction
from sysdesign.messages import expect_equal, expect_true
from sysdesign.reads import call_each

pytestmark = pytest.mark.task(2)

NODES = [f"node-{i}" for i in range(10)]
KEYS = [f"key-{i}" for i in range(5_000)]


def test_owner_is_stable_hash_mod_node_count(hashing):
    ring = hashing.ModHashing(NODES)
    owners = call_each(ring, "node_for", KEYS[:500])
    for key, hashed, owner in zip(KEYS[:500], call_each(hashing, "stable_hash", KEYS[:500]), owners):
        expected = NODES[hashed % len(NODES)]
        expect_equal(f"ModHashing({len(NODES)} nodes).node_for({key!r})", owner, expected,
                     why="nodes[stable_hash(key) % len(nodes)], nodes in the order they were added")


def test_errors(hashing):
    with pytest.raises(LookupError):
        hashing.ModHashing().node_for("k")
    ring = hashing.ModHashing(["a"])
    with pytest.raises(ValueError):
        ring.add_node("a")
    with pytest.raises(KeyError):
        ring.remove_node("zzz")


def test_adding_a_node_moves_most_keys(hashing):
    ring = hashing.ModHashing(NODES)

    def owners(members):
        """key -> ring.node_for(key) for every key (one request in grading), each checked."""
        found = dict(zip(KEYS, call_each(ring, "node_for", KEYS)))
        for key, got in found.items():
            expect_true(isinstance(got, str) and got in members, f"ModHashing({len(members)} nodes).node_for({key!r})",
                        got=got, expected=f"the name of one of the nodes ({members[0]!r} ... {members[-1]!r})",
                        why="node_for names the owner; keys are compared by the node name they map to")
        return found

    before = owners(NODES)
    ring.add_node("node-10")
    fraction = moved_fraction(before, owners([*NODES, "node-10"]).__getitem__)
    expect_true(fraction > 0.8, "ModHashing: add_node('node-10') to 10 nodes, fraction of keys whose owner changed",
                got=round(fraction, 3), expected="> 0.8 (about 10/11 for mod hashing)",
                why="this is the weakness the ring fixes; if few keys move here, this is not mod hashing")
