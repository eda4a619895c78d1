"""Tasks 1-2, in the cluster: gossip reaches every node, each informed node tells only a few
random peers per round, pushing stops, pull answers what is missing, the same seed replays the
same spread, and the number of rounds grows like log n."""

from __future__ import annotations

import statistics
from collections import defaultdict

import pytest

from sysdesign.messages import expect_equal, expect_true

from .conftest import (gossip_group, guard_never_unlearns, names_for, origin_of, rounds_to_inform, sent_messages,
                       uninformed)


def latencies_ms(cluster):
    """Milliseconds from each delivered message's send to its delivery, from the trace."""
    sent, out = {}, []
    for e in cluster.trace:
        if e.kind == "send":
            sent[e.data.id] = e.time
        elif e.kind == "recv" and e.data.id in sent:
            out.append((e.time - sent[e.data.id]) * 1000)
    return out


@pytest.mark.task(1)
@pytest.mark.points(2)
def test_push_informs_everyone(cluster, p2p, record_figure):
    names = gossip_group(cluster, p2p, 32, mode="push", fanout=1)
    guard_never_unlearns(cluster, names)
    rounds = rounds_to_inform(cluster, names, limit=40)
    record_figure("message latency, push gossip over 32 nodes", latencies_ms(cluster), unit="ms")
    expect_true(rounds is not None, "rounds until 32 nodes knew the rumour (push, fanout 1, no loss)", got=rounds,
                expected="at most 40", why=f"invariant: every node hears the rumour; never told: {uninformed(cluster, names)}")
    expect_equal("rumors() of the last node", cluster[names[-1]].app.rumors(), {"r1": "deploy v42"},
                 why="the payload travels with the rumour")


@pytest.mark.task(1)
@pytest.mark.points(2)
def test_each_round_a_node_tells_at_most_fanout_random_peers(cluster, p2p):
    names = gossip_group(cluster, p2p, 16, mode="push", fanout=2, push_rounds=30)
    cluster.at(0.5, lambda: cluster[origin_of(names)].app.start_rumor("r1", "x"))
    cluster.run_to(20.5)
    per_round = defaultdict(list)
    targets = defaultdict(set)
    for t, src, dest, _ in sent_messages(cluster, "push"):
        per_round[(src, int(t))].append(dest)
        targets[src].add(dest)
    expect_true(per_round, "push messages sent in 20 rounds", got=0, expected="some", why="informed nodes push")
    for (src, r), dests in sorted(per_round.items()):
        expect_true(len(dests) <= 2 and len(set(dests)) == len(dests) and src not in dests,
                    f"targets of {src}'s pushes in round {r} (fanout 2)", got=dests, expected="at most 2 distinct peers, not itself",
                    why="each round an informed node contacts fanout peers: rng.sample(others, fanout)")
    narrow = {src: sorted(t) for src, t in targets.items() if len(t) < 6}
    expect_equal("nodes that pushed to fewer than 6 different peers over 20 rounds (2 per round, 15 others)",
                 narrow, {}, why="invariant: targets are drawn at random every round; a node that always tells the "
                 "same peers leaves the others to luck, or never tells them at all")


@pytest.mark.task(1)
def test_a_rumour_is_pushed_for_push_rounds_rounds_then_no_more(cluster, p2p):
    names = gossip_group(cluster, p2p, 8, mode="push", fanout=1, push_rounds=3)
    guard_never_unlearns(cluster, names)
    cluster.at(0.5, lambda: cluster[origin_of(names)].app.start_rumor("r1", "x"))
    cluster.run_to(40.5)
    rounds = defaultdict(set)
    for t, src, _, _ in sent_messages(cluster, "push"):
        rounds[src].add(int(t))
    informed = [n for n in names if cluster[n].app.knows("r1")]
    expect_equal("number of rounds in which each informed node pushed (push_rounds=3)",
                 {n: len(rounds[n]) for n in informed}, {n: 3 for n in informed},
                 why="a rumour is pushed in the push_rounds rounds after the node learned it, then never again, or the "
                 "traffic never stops")
    late = [(t, src) for t, src, _, _ in sent_messages(cluster, "push") if t > 30]
    expect_equal("pushes sent after round 30", late, [])


@pytest.mark.task(1)
def test_the_same_seed_replays_the_same_spread(run_cluster_seeds, p2p):
    def scenario(cluster):
        names = gossip_group(cluster, p2p, 24, mode="push", fanout=1)
        rounds_to_inform(cluster, names, limit=30)
        return [(round(t, 6), src, dest) for t, src, dest, _ in sent_messages(cluster, "push")]

    first = run_cluster_seeds(scenario, n=1)
    second = run_cluster_seeds(scenario, n=1)
    expect_equal("the pushes (time, from, to) of a second run with the same seed (first 5 shown)",
                 second[0][:5], first[0][:5], why="all randomness comes from the rng the suite passes in, so a "
                 "seed replays the same run (the random module's own functions are not seeded)")
    expect_true(first == second, "the two runs' push sequences", got=f"{len(first[0])} vs {len(second[0])} pushes",
                expected="identical", why="the same seed must replay the same run")


@pytest.mark.task(1)
@pytest.mark.points(3)
def test_push_rounds_grow_like_log_n(run_cluster_seeds, p2p, record_figure):
    """Mean rounds over three seeds for 16, 64 and 256 nodes (push, fanout 1, 10 % loss). The
    informed set can at most double per round, so at least log2(n) rounds; push gossip needs
    about log2(n) + ln(n). Going from 16 to 256 nodes multiplies n by 16 and must add only a
    few rounds (at most 3 per doubling: 12), not ~240 as a chain would."""
    means = {}
    for n in (16, 64, 256):
        def scenario(cluster, n=n):
            names = gossip_group(cluster, p2p, n, mode="push", fanout=1, drop=0.1)
            rounds = rounds_to_inform(cluster, names, limit=60)
            expect_true(rounds is not None, f"rounds until all of {n} nodes knew the rumour (push, 10 % loss)",
                        got=rounds, expected="at most 60",
                        why=f"invariant: every node hears; never told: {uninformed(cluster, names)[:8]}")
            return rounds
        results = run_cluster_seeds(scenario, n=3)
        means[n] = statistics.mean(results)
    record_figure("mean rounds until every node knew (push, fanout 1, 10 % loss, three seeds)",
                  {f"{n} nodes": mean for n, mean in means.items()}, unit="rounds")
    expect_true(means[16] >= 4, "mean rounds for 16 nodes", got=means[16], expected=">= log2(16) = 4",
                why="with fanout 1 the informed set at most doubles per round: a node that tells more peers than its "
                "fanout is not gossiping")
    growth = means[256] - means[16]
    expect_true(growth <= 3 * 4, "mean rounds(256) - mean rounds(16)", got=growth, expected="<= 3 * log2(256/16) = 12",
                why=f"rounds grow like log n (means {means}); a fixed or sequential choice of peers grows like n")
    expect_true(means[256] <= 30, "mean rounds for 256 nodes", got=means[256], expected="<= 30", why="far below linear (256)")


@pytest.mark.task(2)
@pytest.mark.points(2)
def test_pull_answers_with_what_the_asker_lacks(cluster, p2p):
    node = cluster.add_node("a", start=lambda node: p2p.GossipNode(node, ["a", "b"], cluster.random("a"), mode="pull"))
    probe = cluster.add_node("probe")
    got = []
    probe.on_message(lambda msg: got.append((msg.src, msg.body)))
    node.app.start_rumor("r1", "one")
    node.app.start_rumor("r2", {"v": 2})
    cluster.run_for(0.5)
    probe.send("a", {"type": "pull", "known": ["r1"]})
    cluster.run_for(0.1)
    expect_equal("answer to pull(known=['r1']) from a node knowing r1 and r2", got,
                 [("a", {"type": "push", "rumors": {"r2": {"v": 2}}})], why="only what the asker lacks")
    got.clear()
    probe.send("a", {"type": "pull", "known": ["r1", "r2", "r9"]})
    cluster.run_for(0.1)
    expect_equal("answers to a pull that already knows everything", got, [], why="nothing missing: no answer")
    cluster.run_for(1.0)
    pushes_from_a = [m for m in sent_messages(cluster, "push") if m[1] == "a"]
    expect_equal("push messages node a sent (pull mode): only the one answer", len(pushes_from_a), 1,
                 why="in pull mode a node pushes nothing unasked")
    pulls = [(src, dest, body["known"]) for _, src, dest, body in sent_messages(cluster, "pull") if src == "a"]
    expect_equal("pulls sent in the first round (a's only peer is b)", pulls, [("a", "b", ["r1", "r2"])],
                 why="each round a pull-mode node asks its targets, listing the ids it knows, sorted")


@pytest.mark.task(2)
@pytest.mark.points(3)
@pytest.mark.parametrize("mode", ["push", "pull", "pushpull"])
def test_every_mode_informs_everyone_under_heavy_loss(run_cluster_seeds, p2p, mode):
    def scenario(cluster):
        names = gossip_group(cluster, p2p, 64, mode=mode, fanout=1, drop=0.2)
        rounds = rounds_to_inform(cluster, names, limit=50)
        expect_true(rounds is not None, f"rounds until 64 nodes knew the rumour ({mode}, 20 % loss)", got=rounds,
                    expected="at most 50", why=f"invariant: every node hears; never told: {uninformed(cluster, names)[:8]}")
        return rounds

    run_cluster_seeds(scenario, n=3)


@pytest.mark.task(2)
@pytest.mark.points(2)
def test_push_pull_is_faster_than_push_alone(run_cluster_seeds, p2p):
    """Push is slow at the end (most targets already know), pull at the start: together they
    cover both ends."""
    def measure(mode):
        def scenario(cluster):
            return rounds_to_inform(cluster, gossip_group(cluster, p2p, 64, mode=mode, fanout=1), limit=60)
        return run_cluster_seeds(scenario, n=3)

    push, both = measure("push"), measure("pushpull")
    expect_true(None not in both and statistics.mean(both) <= statistics.mean(push) - 2,
                "rounds for 64 nodes, push-pull vs push (three seeds each)", got={"pushpull": both, "push": push},
                expected="push-pull at least 2 rounds faster on average", why="in push-pull every round also lets each "
                "uninformed node ask a random peer")


@pytest.mark.task(1)
def test_settings_are_checked(cluster, p2p):
    node = cluster.add_node("x")
    for bad in (dict(mode="shout"), dict(fanout=0), dict(interval=0), dict(push_rounds=0)):
        with pytest.raises(ValueError):
            p2p.GossipNode(node, names_for(3), cluster.random("x"), **bad)
