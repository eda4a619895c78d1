"""Tasks 3-7 as properties: the ring and rendezvous hashing against a small model, after every
step of add/remove sequences that hypothesis chooses (and shrinks when one fails).

The model of the ring is the docstring itself: point ``i`` of node ``n`` of weight ``w`` sits at
``stable_hash(f"{n}#{i}")`` for ``i < w * vnodes``, and a key belongs to the first point at or
after it, wrapping. Every step is followed by the whole comparison (points, and the owner of
every point's own label, of the key hashed lowest and of the key hashed highest), including
steps the component refused: a refused call changes nothing.
"""

import bisect

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, rule

from sysdesign.properties import ModelMachine, Story, run_machine
from sysdesign.reads import call_each

NAMES = ["a", "b", "c"]
#: Ordinary keys, plus the two of them hashed lowest and highest (before the first point, past the last).
PROBES = [f"key-{i}" for i in range(400)]


def _extremes(hashing):
    ranked = sorted(PROBES, key=hashing.stable_hash)
    return [ranked[0], ranked[-1], "key-7", "key-42"]


class RingMachine(ModelMachine):
    hashing = None  # the learner's module, bound by run_machine

    @initialize(vnodes=st.sampled_from([1, 1, 2, 3]), first=st.sampled_from(NAMES))
    def start(self, vnodes, first):
        self.vnodes = vnodes
        self.ring = self.hashing.ConsistentHashRing([first], vnodes=vnodes)
        self.weights = {first: 1}
        self.probes = _extremes(self.hashing)
        self.story = Story(f"ring = ConsistentHashRing([{first!r}], vnodes={vnodes})")

    def model_points(self):
        return sorted((self.hashing.stable_hash(f"{n}#{i}"), n)
                      for n, w in self.weights.items() for i in range(w * self.vnodes))

    @rule(node=st.sampled_from(NAMES), weight=st.sampled_from([1, 1, 2, 0, -1]))
    def add(self, node, weight):
        call = f"ring.add_node({node!r}, weight={weight})"
        self.story.add(call)
        if node in self.weights or weight < 1:
            why = "the node is already on the ring" if node in self.weights else "a weight below 1 is refused"
            self.story.raises(ValueError, call, lambda: self.ring.add_node(node, weight=weight), why)
            self.story.add("  (ValueError)")
        else:
            self.ring.add_node(node, weight=weight)
            self.weights[node] = weight

    @rule(node=st.sampled_from(NAMES))
    def remove(self, node):
        call = f"ring.remove_node({node!r})"
        self.story.add(call)
        if node not in self.weights:
            self.story.raises(KeyError, call, lambda: self.ring.remove_node(node), "the node is not on the ring")
            self.story.add("  (KeyError)")
        else:
            self.ring.remove_node(node)
            del self.weights[node]

    @invariant()
    def matches_the_model(self):
        expected = self.model_points()
        self.check("ring.points()", self.ring.points(), expected,
                   "node n of weight w owns exactly the points stable_hash(f'{n}#{i}') for i < w * vnodes, sorted; "
                   "a refused call changes nothing, a removal takes every point of the node (all w * vnodes)")
        if not expected:
            self.story.raises(LookupError, "ring.node_for('key-7') on an empty ring", lambda: self.ring.node_for("key-7"),
                              "with no nodes no one owns a key")
            return
        positions = [p for p, _ in expected]
        labels = [f"{n}#{i}" for n, w in self.weights.items() for i in range(w * self.vnodes)]
        keys = self.probes + labels
        for key, hashed, got in zip(keys, call_each(self.hashing, "stable_hash", keys),
                                    call_each(self.ring, "node_for", keys)):
            owner = expected[bisect.bisect_left(positions, hashed) % len(expected)][1]
            self.check(f"ring.node_for({key!r})", got, owner,
                       "the owner of the first point at or after stable_hash(key), wrapping past the last point; "
                       "a key exactly on a point belongs to that point")


class RendezvousMachine(ModelMachine):
    hashing = None

    @initialize(first=st.sampled_from(NAMES))
    def start(self, first):
        self.rv = self.hashing.RendezvousHashing([first])
        self.weights = {first: 1.0}
        self.owners = {}
        self.story = Story(f"rv = RendezvousHashing([{first!r}])")

    @rule(node=st.sampled_from(NAMES), weight=st.sampled_from([1.0, 1.0, 2.0, 0.5, 0.0, -1.0]))
    def add(self, node, weight):
        call = f"rv.add_node({node!r}, weight={weight})"
        self.story.add(call)
        if node in self.weights or weight <= 0:
            why = "the node is already there" if node in self.weights else "a weight <= 0 is refused"
            self.story.raises(ValueError, call, lambda: self.rv.add_node(node, weight=weight), why)
            self.story.add("  (ValueError)")
            self.moved_only_to(None)
        else:
            self.rv.add_node(node, weight=weight)
            self.weights[node] = weight
            self.moved_only_to(node)

    @rule(node=st.sampled_from(NAMES))
    def remove(self, node):
        call = f"rv.remove_node({node!r})"
        self.story.add(call)
        if node not in self.weights:
            self.story.raises(KeyError, call, lambda: self.rv.remove_node(node), "the node is not there")
            self.story.add("  (KeyError)")
            self.moved_only_to(None)
        else:
            self.rv.remove_node(node)
            del self.weights[node]
            self.moved_only_from(node)

    def current(self):
        return dict(zip(PROBES[:12], call_each(self.rv, "node_for", PROBES[:12]))) if self.weights else {}

    def moved_only_to(self, node):
        now = self.current()
        for key, owner in now.items():
            if key in self.owners and owner != self.owners[key]:
                self.check(f"rv.node_for({key!r}) (owner before the last step: {self.owners[key]!r})", owner,
                           node or self.owners[key],
                           "adding a node only takes keys to that node; a refused add changes nothing")
        self.owners = now

    def moved_only_from(self, node):
        now = self.current()
        for key, owner in now.items():
            if self.owners.get(key) not in (None, node):
                self.check(f"rv.node_for({key!r})", owner, self.owners[key],
                           f"removing {node!r} moves only the keys {node!r} owned")
        self.owners = now

    @invariant()
    def same_answers_as_a_fresh_copy(self):
        if not self.weights:
            self.story.raises(LookupError, "rv.node_for('key-7') with no nodes", lambda: self.rv.node_for("key-7"),
                              "with no nodes no one owns a key")
            return
        fresh = self.hashing.RendezvousHashing()
        for node in sorted(self.weights):
            fresh.add_node(node, weight=self.weights[node])
        for key, got, again in zip(PROBES[:6], call_each(self.rv, "node_for", PROBES[:6]),
                                   call_each(fresh, "node_for", PROBES[:6])):
            self.check(f"rv.node_for({key!r}) (nodes and weights now: {self.weights})", got, again,
                       "the owner depends only on the nodes there now and their weights, not on the order they "
                       "came and went: a fresh RendezvousHashing with the same nodes answers the same (every "
                       "client builds its own copy)")


@pytest.mark.task(5)
@pytest.mark.points(2)
def test_ring_matches_its_model_after_every_add_and_remove(hashing):
    run_machine(RingMachine, max_examples=30, steps=10, hashing=hashing)


@pytest.mark.task(6)
@pytest.mark.points(2)
def test_rendezvous_moves_only_what_must_move_at_every_step(hashing):
    run_machine(RendezvousMachine, max_examples=30, steps=10, hashing=hashing)
