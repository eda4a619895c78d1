"""Task 5: leases expire unless refreshed, and take their keys with them."""

import pytest

from sysdesign.messages import expect_equal, expect_true, explain

pytestmark = pytest.mark.task(5)

JUST_BEFORE = 0.000001


def expect_lease_not_found(kv, call, fn, why):
    """``fn()`` must raise LeaseNotFound; otherwise fail with the usual called/got/expected message."""
    try:
        got = fn()
    except kv.LeaseNotFound:
        return
    raise AssertionError(explain(call, got, "LeaseNotFound raised", why))


@pytest.mark.points(2)
def test_keys_vanish_exactly_when_their_lease_expires(kv, clock, recorder):
    store = kv.KVStore()
    seen = recorder()
    lease = store.grant_lease(5)
    store.watch("b", seen)
    store.watch("a", seen)
    store.put("b", 1, lease=lease)
    store.put("a", 2, lease=lease)
    store.put("free", 3)
    clock.tick(5 - JUST_BEFORE)
    expect_equal("store.keys() 1 us before the lease (ttl=5) expires", store.keys(), ["a", "b", "free"])
    expect_equal("store.ttl('a') 1 us before the lease expires", round(store.ttl("a"), 6), JUST_BEFORE,
                 why="a key on a lease expires with its lease")
    clock.tick(JUST_BEFORE)
    expect_equal("store.keys() exactly 5 s after grant_lease(5)", store.keys(), ["free"],
                 why="expired when now >= grant time + ttl; its keys go with it")
    expect_equal("delete events after the lease expired", [e for e in seen.events if e[0] == "delete"],
                 [("delete", "a", None, 0, 4, "lease"), ("delete", "b", None, 0, 5, "lease")],
                 why="one delete per attached key, reason 'lease', in key order")
    with pytest.raises(kv.LeaseNotFound):
        store.lease_ttl(lease)


@pytest.mark.points(2)
def test_refreshing_keeps_the_lease_alive(kv, clock):
    store = kv.KVStore()
    lease = store.grant_lease(5)
    store.put("leader", "s1", lease=lease)
    for _ in range(10):
        clock.tick(4)
        expect_equal(f"store.refresh_lease({lease}) 4 s after the last refresh", store.refresh_lease(lease), 5,
                     why="refresh returns the lease's ttl")
    expect_equal("store.get('leader') after ten refreshes 4 s apart", store.get("leader"), "s1",
                 why="each refresh pushes the deadline to now + 5")
    clock.tick(4.75)
    expect_equal(f"store.lease_ttl({lease}) 4.75 s after the last refresh", store.lease_ttl(lease), 0.25)
    expect_equal("store.ttl('leader') 4.75 s after the last refresh", store.ttl("leader"), 0.25)
    clock.tick(0.25)
    expect_equal("store.get('leader') 5 s after the last refresh", store.get("leader"), None)


@pytest.mark.points(3)
def test_a_refresh_after_expiry_fails_and_does_not_revive_the_keys(kv, clock):
    store = kv.KVStore()
    lease = store.grant_lease(5)
    store.put("leader", "s1", lease=lease)
    clock.tick(6)
    expect_lease_not_found(kv, "store.refresh_lease(lease) 6 s after grant_lease(5)", lambda: store.refresh_lease(lease),
                           "the lease expired at 5 s; it no longer exists and cannot be refreshed")
    expect_equal("store.get('leader') after refresh_lease on the expired lease", store.get("leader"), None,
                 why="an expired lease is gone, and so are its keys: a late refresh must not bring them back")
    expect_equal("store.keys() after refresh_lease on the expired lease", store.keys(), [])
    expect_equal("len(store) after refresh_lease on the expired lease", len(store), 0)
    clock.tick(1)
    expect_equal("'leader' in store 1 s later", "leader" in store, False)
    with pytest.raises(kv.LeaseNotFound):
        store.put("leader", "s1", lease=lease)
    expect_equal("store.keys() after put with the expired lease", store.keys(), [], why="the put was rejected")


@pytest.mark.points(2)
def test_a_refresh_at_the_deadline_is_too_late(kv, clock):
    store = kv.KVStore()
    lease = store.grant_lease(2)
    store.put("k", 1, lease=lease)
    clock.tick(2)
    expect_lease_not_found(kv, "store.refresh_lease(lease) exactly 2 s after grant_lease(2)",
                           lambda: store.refresh_lease(lease), "expired when now >= deadline: the refresh comes too late")
    expect_equal("store.get('k') after a refresh exactly at the deadline", store.get("k"), None,
                 why="at now == deadline the lease has already expired")


def test_revoke_deletes_the_keys_at_once(kv, clock, recorder):
    store = kv.KVStore()
    seen = recorder()
    lease = store.grant_lease(60)
    store.watch("y", seen)
    store.watch("x", seen)
    store.put("y", 1, lease=lease)
    store.put("x", 1, lease=lease)
    store.revoke_lease(lease)
    expect_equal("store.keys() after revoke_lease", store.keys(), [])
    expect_equal("delete events after revoke_lease", [e for e in seen.events if e[0] == "delete"],
                 [("delete", "x", None, 0, 3, "lease"), ("delete", "y", None, 0, 4, "lease")])
    with pytest.raises(kv.LeaseNotFound):
        store.refresh_lease(lease)
    with pytest.raises(kv.LeaseNotFound):
        store.revoke_lease(lease)
    clock.tick(61)
    expect_equal("store.revision 61 s after the revoked lease's deadline", store.revision, 4,
                 why="a revoked lease never expires again")


@pytest.mark.points(2)
def test_a_key_put_again_leaves_its_lease(kv, clock):
    store = kv.KVStore()
    first, second = store.grant_lease(5), store.grant_lease(20)
    store.put("plain", 1, lease=first)
    store.put("plain", 2)
    store.put("moved", 1, lease=first)
    store.put("moved", 2, lease=second)
    store.put("ttl", 1, lease=first)
    store.put("ttl", 2, ttl=10)
    clock.tick(5)
    expect_equal("store.keys() when the first lease expires", store.keys(), ["moved", "plain", "ttl"],
                 why="each put replaces the key's expiry: the keys are no longer on the first lease")
    clock.tick(5)
    expect_equal("store.keys() at 10 s", store.keys(), ["moved", "plain"], why="'ttl' had its own 10 s TTL")
    clock.tick(10)
    expect_equal("store.keys() at 20 s, when the second lease expires", store.keys(), ["plain"])


def test_a_deleted_key_is_not_deleted_again_by_its_lease(kv, clock, recorder):
    store = kv.KVStore()
    lease = store.grant_lease(5)
    seen = recorder()
    store.watch("a", seen)
    store.put("a", 1, lease=lease)
    store.delete("a")
    clock.tick(5)
    store.sweep()
    expect_equal("events for 'a': put with lease, delete, lease expiry", [e[0] for e in seen.events], ["put", "delete"],
                 why="the key was already gone when the lease expired")
    expect_equal("store.revision", store.revision, 2)


def test_lease_errors(kv, clock):
    store = kv.KVStore()
    for ttl in (0, -2):
        with pytest.raises(ValueError):
            store.grant_lease(ttl)
    lease = store.grant_lease(3)
    other = store.grant_lease(3)
    expect_true(lease != other, "two grant_lease(3) calls", got=(lease, other), expected="two different ids")
    with pytest.raises(ValueError):
        store.put("a", 1, ttl=3, lease=lease)
    for call in (store.refresh_lease, store.revoke_lease, store.lease_ttl):
        with pytest.raises(kv.LeaseNotFound):
            call(987654)
    with pytest.raises(kv.LeaseNotFound):
        store.put("a", 1, lease=987654)
    with pytest.raises(kv.LeaseNotFound):
        store.compare_and_set("a", 0, 1, lease=987654)
    expect_true(issubclass(kv.LeaseNotFound, KeyError), "issubclass(LeaseNotFound, KeyError)", got=False, expected=True)
    expect_equal("store.keys() after rejected writes", store.keys(), [])


@pytest.mark.points(3)
def test_leader_election_over_a_lease(kv, clock, recorder):
    """The notes' etcd recipe: create the leader key with a lease only if absent, refresh while alive,
    and let a follower watch for the delete that an expired lease causes."""
    store = kv.KVStore()
    s1_lease = store.grant_lease(5)
    expect_equal("s1: compare_and_set('leader', 0, 's1', lease=...)", store.compare_and_set("leader", 0, "s1", lease=s1_lease), True)
    s2_lease = store.grant_lease(5)
    expect_equal("s2: compare_and_set('leader', 0, 's2', lease=...) while s1 leads",
                 store.compare_and_set("leader", 0, "s2", lease=s2_lease), False)
    seen = recorder()
    store.watch("leader", seen)
    for _ in range(6):  # s1 refreshes every 2 s, then crashes at 12 s
        clock.tick(2)
        store.refresh_lease(s1_lease)
        store.refresh_lease(s2_lease)
    crashed_at = clock.now()
    for _ in range(40):  # up to 10 s
        clock.tick(0.25)
        store.refresh_lease(s2_lease)  # s2 keeps its own lease alive and, with it, notices expiries
        if seen.events:
            break
    expect_equal("seconds from s1's last refresh to the delete event s2 sees", clock.now() - crashed_at, 5,
                 why="the leader key goes exactly one lease ttl after the last refresh")
    expect_equal("the event s2 sees", seen.events, [("delete", "leader", None, 0, 2, "lease")])
    expect_equal("s2: compare_and_set('leader', 0, 's2', lease=...) after the delete",
                 store.compare_and_set("leader", 0, "s2", lease=s2_lease), True)
