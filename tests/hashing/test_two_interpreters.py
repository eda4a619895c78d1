"""Tasks 1, 2, 3, 6: two fresh interpreters, salted differently, agree with this one.

Python salts ``hash()`` of strings per process, so code built on it answers differently in
every process. These tests run your module in two new interpreters (``PYTHONHASHSEED`` 1 and
2) and compare their answers with the ones computed here.
"""

import pytest

from sysdesign.messages import expect_equal, expect_true
from sysdesign.reads import call_each


@pytest.mark.task(1)
@pytest.mark.points(3)
def test_stable_hash_agrees(hashing, cross_process):
    here = [hashing.stable_hash(k) for k in cross_process.keys]
    for seed, answers in cross_process.results.items():
        there = answers["stable_hash"]
        expect_equal(f"stable_hash(k) for the first keys in a fresh interpreter with PYTHONHASHSEED={seed}",
                     there[:3], here[:3], why="every process must compute the same hash; Python's hash() is salted per process")
        expect_true(there == here, f"stable_hash(k) for {len(here)} keys in two interpreters",
                    got="different values for some keys", expected="identical values for every key")


@pytest.mark.task(2)
def test_mod_hashing_agrees(hashing, cross_process):
    ring = hashing.ModHashing(cross_process.nodes)
    cross_process.check("ModHashing", call_each(ring, "node_for", cross_process.keys))


@pytest.mark.task(3)
def test_ring_agrees(hashing, cross_process):
    ring = hashing.ConsistentHashRing(cross_process.nodes, vnodes=50)
    cross_process.check("ConsistentHashRing", call_each(ring, "node_for", cross_process.keys))


@pytest.mark.task(6)
def test_rendezvous_agrees(hashing, cross_process):
    rv = hashing.RendezvousHashing(cross_process.nodes)
    cross_process.check("RendezvousHashing", call_each(rv, "node_for", cross_process.keys))
