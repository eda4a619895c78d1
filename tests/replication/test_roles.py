"""Task 1: the replica's state, its roles, and what a replica refuses."""

import pytest

from sysdesign.messages import expect_equal, expect_true, explain

pytestmark = pytest.mark.task(1)


def test_configured_roles_on_first_start(cluster, make_pair):
    pair = make_pair(cluster, "sync")
    expect_equal("Replica(node, peer, role, 'sync').role for db-1 (role='primary') and db-2 (role='replica')",
                 pair.roles(), {"db-1": "primary", "db-2": "replica"},
                 why="a node with nothing on its disk starts in the role it was configured with")
    for name in ("db-1", "db-2"):
        expect_equal(f"{name}: Replica.data() on a new pair", pair.data(name), {}, why="a new pair holds no data")
        expect_equal(f"{name}: Replica.get('missing')", pair.app(name).get("missing"), None,
                     why="get() of an absent key is None")
        expect_equal(f"{name}: (term, index) on a new pair", (pair.app(name).term, pair.app(name).index), (0, 0),
                     why="a new pair starts at term 0 with no writes")


def test_replica_refuses_writes_at_once(cluster, make_pair):
    pair = make_pair(cluster, "async")
    write = pair.put("db-2", "k", "v")
    expect_equal("put('k', 'v', done) on the replica db-2: done(ok) called at once with", write.ok, False,
                 why="only the primary accepts writes; a replica answers done(False) straight away")
    expect_equal("db-2: (data(), index) after a refused write", (pair.data("db-2"), pair.app("db-2").index), ({}, 0),
                 why="a refused write changes nothing")
    expect_equal("db-1 data after a write refused by db-2", pair.data("db-1"), {}, why="a refused write changes nothing")
    pair.check_done_once()


@pytest.mark.parametrize("args, options", [
    (("leader", "sync"), {}),
    (("primary", "semi-sync"), {}),
    (("primary", "sync"), {"heartbeat_interval": 2.0, "failover_timeout": 2.0}),
    (("primary", "sync"), {"heartbeat_interval": 0.0}),
    (("primary", "sync"), {"ack_timeout": 0.0}),
])
def test_bad_arguments_raise_value_error(cluster, replication, args, options):
    node = cluster.add_node("db-1")
    with pytest.raises(ValueError):
        replication.Replica(node, "db-2", *args, **options)
        pytest.fail(f"Replica(node, 'db-2', {', '.join(map(repr, args))}, **{options}) should raise ValueError")


def test_a_restarted_node_comes_back_as_a_replica(cluster, make_pair):
    pair = make_pair(cluster, "async")
    cluster.restart("db-1")  # its first start saved its state: the disk shows it has run before
    expect_equal("db-1.role right after a restart of the primary", pair.role("db-1"), "replica",
                 why="a node that was down cannot know whether it was replaced: it comes back as a replica, "
                 "whatever its configuration says (its disk shows it has run before)")
    write = pair.put("db-1", "k", "v")
    expect_true(write.ok is False, "put('k', 'v', done) on db-1 just after its restart", got=write.ok, expected=False,
                why="a replica refuses writes")


@pytest.mark.parametrize("role, mode", [("primary", "sync"), ("replica", "async")])
def test_smallest_valid_settings_are_accepted(cluster, replication, role, mode):
    node = cluster.add_node("db-1")
    edge = {"ack_timeout": 0.001, "heartbeat_interval": 0.4999, "failover_timeout": 0.5}
    call = f"Replica(node, 'db-2', {role!r}, {mode!r}, **{edge})"
    try:
        replica = node.execute(lambda: replication.Replica(node, "db-2", role, mode, **edge))
    except ValueError as exc:
        raise AssertionError(explain(call, f"ValueError: {exc}", "accepted",
                                     "the edges are valid settings: any ack_timeout > 0, and any heartbeat_interval "
                                     "with 0 < heartbeat_interval < failover_timeout")) from None
    expect_equal(f"{call}: (role, term, index, data())", (replica.role, replica.term, replica.index, replica.data()),
                 (role, 0, 0, {}), why="a new node starts in its configured role, with nothing")
