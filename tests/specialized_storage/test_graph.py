"""Tasks 5-6: the graph database (undirected edges, friends of friends, shortest paths)."""

import random
from collections import deque

import pytest

from sysdesign.messages import expect_equal, expect_true

FRIENDS = [("harry", "ron"), ("harry", "hermione"), ("ron", "hermione"), ("ron", "ginny"),
           ("hermione", "viktor"), ("ginny", "luna"), ("luna", "neville"), ("draco", "crabbe")]


def social(storage):
    g = storage.GraphDB()
    for a, b in FRIENDS:
        g.add_edge(a, b)
    g.add_node("dobby")
    return g


@pytest.mark.task(5)
@pytest.mark.points(2)
def test_edges_are_undirected(storage):
    g = social(storage)
    expect_equal("g.neighbours('ron')", g.neighbours("ron"), {"harry", "hermione", "ginny"},
                 why="ron was named first in (ron, ginny) and second in (harry, ron): an edge counts from both ends")
    expect_equal("g.neighbours('viktor')", g.neighbours("viktor"), {"hermione"})
    expect_equal("g.neighbours('dobby')", g.neighbours("dobby"), set(), why="a node without edges")
    expect_equal("g.nodes()", g.nodes(), sorted({n for e in FRIENDS for n in e} | {"dobby"}))


@pytest.mark.task(5)
@pytest.mark.points(2)
def test_friends_of_friends_excludes_self_and_direct_friends(storage):
    g = social(storage)
    expect_equal("g.friends_of_friends('harry')", g.friends_of_friends("harry"), {"ginny", "viktor"},
                 why="ron and hermione are friends of each other but also harry's direct friends; harry is not his own")
    expect_equal("g.friends_of_friends('ginny')", g.friends_of_friends("ginny"), {"harry", "hermione", "neville"})
    expect_equal("g.friends_of_friends('draco')", g.friends_of_friends("draco"), set())
    expect_equal("g.friends_of_friends('dobby')", g.friends_of_friends("dobby"), set())


@pytest.mark.task(5)
def test_edits_and_errors(storage):
    g = social(storage)
    g.add_edge("ron", "harry")
    expect_equal("g.neighbours('harry') after adding (ron, harry) again", g.neighbours("harry"), {"ron", "hermione"})
    with pytest.raises(ValueError):
        g.add_edge("harry", "harry")
    g.remove_edge("ron", "harry")
    expect_equal("g.neighbours('harry') after remove_edge('ron', 'harry')", g.neighbours("harry"), {"hermione"},
                 why="the edge is gone from both ends")
    expect_equal("g.neighbours('ron') after remove_edge('ron', 'harry')", g.neighbours("ron"), {"hermione", "ginny"})
    with pytest.raises(KeyError):
        g.remove_edge("ron", "harry")
    with pytest.raises(KeyError):
        g.remove_edge("harry", "dobby")
    g.remove_node("hermione")
    expect_equal("g.neighbours('viktor') after remove_node('hermione')", g.neighbours("viktor"), set())
    expect_equal("'hermione' in g.nodes()", "hermione" in g.nodes(), False)
    for call in (lambda: g.neighbours("hermione"), lambda: g.friends_of_friends("nobody"), lambda: g.remove_node("nobody")):
        with pytest.raises(KeyError):
            call()
    got = g.neighbours("ron")
    got.add("intruder")
    expect_equal("g.neighbours('ron') after the caller changed the set it got", g.neighbours("ron"), {"ginny"},
                 why="neighbours returns a new set, not the graph's own")
    g.add_node("ron")
    expect_equal("g.neighbours('ron') after add_node('ron') again", g.neighbours("ron"), {"ginny"})


def random_graph(storage, seed, nodes, edges, removals):
    rng = random.Random(seed)
    names = [f"u{i}" for i in range(nodes)]
    g, adj = storage.GraphDB(), {n: set() for n in names}
    for n in names:
        g.add_node(n)
    pairs = []
    for _ in range(edges):
        a, b = rng.sample(names, 2)
        g.add_edge(a, b)
        adj[a].add(b)
        adj[b].add(a)
        pairs.append((a, b))
    for a, b in rng.sample(pairs, removals):
        if b in adj[a]:
            g.remove_edge(b, a)
            adj[a].discard(b)
            adj[b].discard(a)
    return g, adj, names, rng


@pytest.mark.task(5)
@pytest.mark.points(3)
def test_random_graph_matches_brute_force(storage):
    g, adj, names, _ = random_graph(storage, 3, 400, 1600, 200)
    for n in names:
        expect_equal(f"g.neighbours({n!r}) in a random graph (400 nodes, 1600 edges, 200 removed, seed 3)",
                     g.neighbours(n), adj[n])
        fof = {x for f in adj[n] for x in adj[f]} - adj[n] - {n}
        expect_equal(f"g.friends_of_friends({n!r}) in the random graph", g.friends_of_friends(n), fof,
                     why="exactly the nodes at distance 2")


def bfs_distances(adj, start):
    dist = {start: 0}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt in adj[node]:
            if nxt not in dist:
                dist[nxt] = dist[node] + 1
                queue.append(nxt)
    return dist


def check_path(g, adj, a, b, dist, label):
    path = g.shortest_path(a, b)
    if b not in dist:
        expect_equal(f"g.shortest_path({a!r}, {b!r}) {label}", path, None, why=f"{b} cannot be reached from {a}")
        return
    expect_true(isinstance(path, list) and path[:1] == [a] and path[-1:] == [b],
                f"g.shortest_path({a!r}, {b!r}) {label}", got=path, expected=f"a list from {a!r} to {b!r}")
    bad = [(x, y) for x, y in zip(path, path[1:]) if y not in adj[x]]
    expect_equal(f"steps of g.shortest_path({a!r}, {b!r}) that are not edges {label}", bad, [])
    expect_equal(f"edges in g.shortest_path({a!r}, {b!r}) {label}", len(path) - 1, dist[b],
                 why="the fewest edges possible (breadth-first search finds it)")


@pytest.mark.task(6)
@pytest.mark.points(2)
def test_shortest_path_small_cases(storage):
    g = social(storage)
    adj = {n: g.neighbours(n) for n in g.nodes()}
    for a, b in [("harry", "neville"), ("viktor", "luna"), ("harry", "ron"), ("harry", "draco"), ("dobby", "harry")]:
        check_path(g, adj, a, b, bfs_distances(adj, a), "in the small social graph")
    expect_equal("g.shortest_path('harry', 'harry')", g.shortest_path("harry", "harry"), ["harry"])
    with pytest.raises(KeyError):
        g.shortest_path("harry", "nobody")
    with pytest.raises(KeyError):
        g.shortest_path("nobody", "harry")
    ring = storage.GraphDB()
    for i in range(30):
        ring.add_edge(f"r{i}", f"r{(i + 1) % 30}")
    for target in range(1, 30):
        got = ring.shortest_path("r0", f"r{target}")
        expect_equal(f"len(ring.shortest_path('r0', 'r{target}')) - 1 on a 30-node cycle", len(got) - 1,
                     min(target, 30 - target), why="the shorter way round the ring")


@pytest.mark.task(6)
@pytest.mark.points(3)
def test_random_shortest_paths_match_brute_force(storage):
    g, adj, names, rng = random_graph(storage, 9, 600, 720, 60)
    for _ in range(40):
        a = rng.choice(names)
        dist = bfs_distances(adj, a)
        for b in rng.sample(names, 8):
            check_path(g, adj, a, b, dist, "in a random sparse graph (600 nodes, 660 edges, seed 9)")
