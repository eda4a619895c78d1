"""Messages: latency, FIFO links, partitions (symmetric, one-way, heal), link faults."""

from __future__ import annotations

import pytest


def pair(cluster):
    a, b = cluster.add_node("a"), cluster.add_node("b")
    inbox: dict[str, list] = {"a": [], "b": []}
    a.on_message(lambda m: inbox["a"].append(m.body))
    b.on_message(lambda m: inbox["b"].append(m.body))
    return a, b, inbox


def test_messages_arrive_after_the_link_latency(cluster):
    a, b, _ = pair(cluster)
    arrivals: list[tuple[float, float]] = []
    b.on_message(lambda m: arrivals.append((m.sent_at, cluster.now())))
    cluster.delay("a", "b", 0.25)
    a.send("b", "x")
    cluster.run_for(0.2)
    assert arrivals == []
    cluster.run_for(0.1)
    assert arrivals == [(0.0, 0.25)]


def test_default_links_are_fifo_despite_jitter(cluster):
    a, b, inbox = pair(cluster)
    cluster.delay("a", "b", (0.001, 0.050))
    for i in range(200):
        a.send("b", i)
    cluster.run_for(1.0)
    assert inbox["b"] == list(range(200))


def test_bodies_are_copied_so_nodes_share_nothing(cluster):
    a, b, inbox = pair(cluster)
    body = {"items": [1, 2]}
    a.send("b", body)
    body["items"].append(3)
    cluster.run_for(1.0)
    assert inbox["b"] == [{"items": [1, 2]}]


def test_symmetric_partition_then_heal(cluster):
    a, b, inbox = pair(cluster)
    cluster.partition({"a"}, {"b"})
    a.send("b", "a->b")
    b.send("a", "b->a")
    cluster.run_for(1.0)
    assert inbox == {"a": [], "b": []}
    assert [e.kind for e in cluster.trace.find(kind="cut")] == ["cut", "cut"]
    cluster.heal()
    a.send("b", "a->b")
    b.send("a", "b->a")
    cluster.run_for(1.0)
    assert inbox == {"a": ["b->a"], "b": ["a->b"]}


def test_one_way_partition_cuts_one_direction_only(cluster):
    a, b, inbox = pair(cluster)
    part = cluster.partition_one_way({"a"}, {"b"})
    a.send("b", "lost")
    b.send("a", "arrives")
    cluster.run_for(1.0)
    assert inbox == {"a": ["arrives"], "b": []}
    part.heal()
    a.send("b", "now arrives")
    cluster.run_for(1.0)
    assert inbox["b"] == ["now arrives"]


def test_partition_of_one_group_isolates_it_and_drops_in_flight_messages(cluster):
    a, b, inbox = pair(cluster)
    c = cluster.add_node("c")
    cluster.delay("a", "b", 0.5)
    a.send("b", "in flight")
    cluster.run_for(0.1)
    cluster.isolate("b")
    cluster.run_for(1.0)
    c.send("b", "from c")
    cluster.run_for(1.0)
    assert inbox["b"] == []


def test_drop_loses_about_the_given_fraction(cluster):
    a, b, inbox = pair(cluster)
    cluster.drop("a", "b", 0.3)
    for i in range(2000):
        a.send("b", i)
    cluster.run_for(1.0)
    assert 0.25 < 1 - len(inbox["b"]) / 2000 < 0.35
    assert inbox["b"] == sorted(inbox["b"])


def test_duplicate_delivers_some_messages_twice(cluster):
    a, b, inbox = pair(cluster)
    cluster.duplicate("a", "b", 0.5)
    for i in range(1000):
        a.send("b", i)
    cluster.run_for(1.0)
    extra = len(inbox["b"]) - 1000
    assert 400 < extra < 600 and set(inbox["b"]) == set(range(1000))


def test_reorder_lets_later_messages_overtake(cluster):
    a, b, inbox = pair(cluster)
    cluster.reorder("a", "b", 0.050)
    for i in range(200):
        a.send("b", i)
    cluster.run_for(1.0)
    assert sorted(inbox["b"]) == list(range(200)) and inbox["b"] != list(range(200))


def test_reset_links_restores_the_default(cluster):
    a, b, inbox = pair(cluster)
    cluster.drop("a", "b", 1.0)
    a.send("b", "dropped")
    cluster.run_for(1.0)
    cluster.reset_links()
    a.send("b", "kept")
    cluster.run_for(1.0)
    assert inbox["b"] == ["kept"]


def test_wildcard_links_and_bad_settings(cluster):
    a, b, inbox = pair(cluster)
    cluster.set_link("a", "*", latency=2.0)
    a.send("b", "slow")
    cluster.run_for(1.9)
    assert inbox["b"] == []
    cluster.run_for(0.2)
    assert inbox["b"] == ["slow"]
    with pytest.raises(ValueError, match="probability"):
        cluster.drop("a", "b", 1.5)
    with pytest.raises(TypeError, match="unknown link setting"):
        cluster.set_link("a", "b", jitter=1)


def test_messages_to_unknown_nodes_are_traced_not_raised(cluster):
    a = cluster.add_node("a")
    a.send("nobody", 1)
    cluster.run_for(1.0)
    assert cluster.trace.find(kind="down")[0].peer == "nobody"
