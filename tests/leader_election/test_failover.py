"""Task 3: followers watch the leader key and run the election again."""

import pytest

from sysdesign.messages import expect_equal, expect_true

pytestmark = pytest.mark.task(3)


def test_three_started_nodes_elect_one_leader_quickly(run_cluster_seeds, bench):
    def scenario(cluster):
        b = bench(cluster, charger=False)
        b.sample_every(0.25)
        cluster.run_until(lambda: b.terms, 1.0)
        b.expect_leader(0.0, "start()")
        cluster.run_for(10.0)
        expect_equal("leaderships in the first 10 s", len(b.terms), 1)

    run_cluster_seeds(scenario, n=5)


@pytest.mark.points(3)
def test_a_new_leader_soon_after_the_leader_crashes(run_cluster_seeds, bench):
    def scenario(cluster):
        b = bench(cluster, charger=False)
        b.sample_every(0.5)
        cluster.run_to(10.0)
        for _ in range(4):
            leader = b.holder_name()
            crashed_at = cluster.now()
            cluster.crash(leader)
            cluster.after(20.0, cluster.restart, leader)
            cluster.run_for(b.ttl + b.slack)
            new = b.expect_leader(crashed_at, f"the crash of leader {leader}")
            expect_true(new != leader, "the new leader", got=new, expected=f"not {leader} (it is down)")
            cluster.run_for(30.0)
        tokens = [t["token"] for t in b.terms]
        expect_equal("leadership tokens, in order", tokens, sorted(set(tokens)), why="every leadership's token is larger")

    run_cluster_seeds(scenario, n=5)


@pytest.mark.points(2)
def test_followers_watch_again_after_the_store_restarts(run_cluster_seeds, bench):
    def scenario(cluster):
        b = bench(cluster, charger=False)
        b.sample_every(0.5)
        cluster.run_to(10.0)
        cluster.crash("etcd")  # every watch stream breaks: watchers get a "cancelled" event
        cluster.run_for(2.0)
        cluster.restart("etcd")
        cluster.run_to(20.0)
        leader = b.expect_leader(10.0, "a 2 s crash of the store")
        cluster.crash(leader)
        cluster.run_for(b.ttl + b.slack)
        new = b.expect_leader(20.0, f"the crash of leader {leader} (after the store had restarted)")
        expect_true(new != leader, "the new leader", got=new, expected=f"not {leader} (it is down)")

    run_cluster_seeds(scenario, n=3)


@pytest.mark.points(2)
def test_an_old_leader_rejoins_as_a_follower_after_a_partition_heals(run_cluster_seeds, bench):
    def scenario(cluster):
        b = bench(cluster, charger=False)
        b.sample_every(0.25)
        cluster.run_to(10.0)
        old = b.holder_name()
        cut = cluster.partition([old], ["etcd"])
        cluster.run_for(b.ttl + b.slack)
        new = b.expect_leader(10.0, f"cutting leader {old} off the store")
        cluster.heal(cut)
        cluster.run_for(60.0)
        expect_equal("the leader 60 s after the partition healed", b.expect_leader(10.0, "the partition"), new,
                     why="invariant: never two leaders; the old leader finds the key taken and follows")
        expect_equal(f"leaderships after {old} was cut off", [t["node"] for t in b.terms][1:], [new])

    run_cluster_seeds(scenario, n=3)


@pytest.mark.points(2)
def test_a_delete_between_the_read_and_the_watch_is_not_missed(run_cluster_seeds, bench):
    def scenario(cluster):
        b = bench(cluster, workers=("n1", "n2"), charger=False)
        cluster.run_to(10.0)
        leader = b.holder_name()
        follower = "n2" if leader == "n1" else "n1"
        gone = {}

        def leader_dies():
            # The follower has read the key (held by the leader) and is about to send its watch:
            # right then the leader crashes and its lease runs out at the store.
            kv = b.holder()
            cluster.crash(leader)
            b.etcd.app.revoke(kv.lease)
            gone["at"] = cluster.now()

        b.before_watch[follower] = leader_dies
        cluster.restart(follower)  # it starts again: campaigns, loses, watches
        cluster.run_until(lambda: "at" in gone, 1.0)
        expect_true("at" in gone, f"a watch request from {follower} within 1 s of its restart", got=None, expected="sent",
                    why="a follower that loses the campaign watches the leader key")
        cluster.run_for(1.0)
        expect_equal(f"(leaders, leader key holder) 1 s after the key was deleted between {follower}'s read and "
                     "its watch request", ([name for name, _ in b.believers()], b.holder_name()),
                     ([follower], follower),
                     why="invariant: a follower notices a deleted leader key within a second, even a delete that "
                     "lands before its watch starts: watch from the revision after the one you read, and the "
                     "store replays it")

    run_cluster_seeds(scenario, n=2)


def test_a_node_that_stepped_down_takes_part_again(cluster, bench):
    b = bench(cluster, charger=False)
    b.sample_every(0.25, until=11.0)  # not after: the suite revokes a lease behind the leader's back
    cluster.run_to(10.0)
    kv = b.holder()
    leader = kv.value
    b.call(leader, "step_down")
    cluster.run_for(1.0)
    new = b.holder()
    expect_true(new is not None and new.create_revision > kv.create_revision,
                f"etcd.peek(leader key) 1 s after {leader}.step_down()", got=new, expected="a new leadership",
                why="the followers (and the node itself) run the election again at once")
    b.expect_leader(10.0, f"{leader}.step_down()")
    # Alone, a node whose lease the store forgot steps down and, following again, wins again.
    for name in b.workers:
        if name != new.value:
            cluster.crash(name)
    before = len(b.terms)
    b.etcd.app.revoke(new.lease)
    cluster.run_for(b.refresh + b.retry + 1.0)
    terms = [(t["node"], t["token"]) for t in b.terms[before - 1:]]
    expect_true(len(terms) == 2 and terms[1][0] == new.value and terms[1][1] > terms[0][1], f"leaderships of {new.value} after the store "
                "forgot its lease (the other nodes down)", got=terms,
                expected="a second one with a larger token: a node that stepped down follows again and, alone, wins again")
