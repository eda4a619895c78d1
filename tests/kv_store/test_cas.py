"""Task 3: compare-and-set on the version."""

import pytest

from sysdesign.messages import expect_equal

pytestmark = pytest.mark.task(3)


def test_cas_writes_when_the_version_matches(kv):
    store = kv.KVStore()
    store.put("a", "x")
    expect_equal("store.compare_and_set('a', 1, 'y') with 'a' at version 1", store.compare_and_set("a", 1, "y"), True)
    expect_equal("store.get('a') after a successful CAS", store.get("a"), "y")
    expect_equal("store.version('a') after a successful CAS", store.version("a"), 2, why="a CAS that writes is a put")
    expect_equal("store.revision", store.revision, 2)


@pytest.mark.task(4)
@pytest.mark.points(2)
def test_cas_with_a_stale_version_changes_nothing(kv, recorder):
    store = kv.KVStore()
    store.put("a", "x")
    store.put("a", "y")
    seen = recorder()
    store.watch("a", seen)
    for stale in (0, 1, 3):
        expect_equal(f"store.compare_and_set('a', {stale}, 'z') with 'a' at version 2",
                     store.compare_and_set("a", stale, "z"), False, why="the version does not match")
    expect_equal("store.get('a') after failed CAS", store.get("a"), "y", why="a failed CAS writes nothing")
    expect_equal("store.version('a') after failed CAS", store.version("a"), 2)
    expect_equal("store.revision after failed CAS", store.revision, 2, why="a failed CAS is not a change")
    expect_equal("events seen by a watcher of 'a' during failed CAS", seen.events, [], why="nothing changed")


@pytest.mark.points(3)
def test_cas_compares_versions_not_values_aba(kv):
    store = kv.KVStore()
    store.put("balance", 100)
    read_value, read_version = store.get("balance"), store.version("balance")
    store.put("balance", 50)    # someone spends 50
    store.put("balance", 100)   # and someone pays 50 in: same value, two changes later
    got = store.compare_and_set("balance", read_version, read_value - 30)
    expect_equal("store.compare_and_set('balance', 1, 70) after put 100 (v1), put 50 (v2), put 100 (v3)", got, False,
                 why="the value is 100 again but the key changed twice since version 1 was read (the ABA problem): "
                 "compare the version, not the value")
    expect_equal("store.get('balance')", store.get("balance"), 100)


@pytest.mark.points(2)
def test_expected_version_zero_means_create_only_if_absent(kv):
    store = kv.KVStore()
    expect_equal("store.compare_and_set('leader', 0, 's1') on an empty store",
                 store.compare_and_set("leader", 0, "s1"), True, why="version 0 means the key does not exist")
    expect_equal("store.compare_and_set('leader', 0, 's2') while 'leader' exists",
                 store.compare_and_set("leader", 0, "s2"), False, why="somebody already holds the key")
    expect_equal("store.get('leader')", store.get("leader"), "s1")
    expect_equal("store.compare_and_set('other', 1, 'v') on a missing key",
                 store.compare_and_set("other", 1, "v"), False, why="a missing key is at version 0, not 1")
    store.delete("leader")
    expect_equal("store.compare_and_set('leader', 0, 's2') after delete('leader')",
                 store.compare_and_set("leader", 0, "s2"), True)
    expect_equal("store.version('leader')", store.version("leader"), 1)


@pytest.mark.points(2)
def test_an_expired_key_is_absent_for_cas(kv, clock):
    store = kv.KVStore()
    store.put("leader", "s1", ttl=5)
    clock.tick(4.75)
    expect_equal("store.compare_and_set('leader', 0, 's2') 4.75 s after put('leader', 's1', ttl=5)",
                 store.compare_and_set("leader", 0, "s2"), False, why="the key is still alive")
    clock.tick(0.25)
    expect_equal("store.compare_and_set('leader', 0, 's2') 5 s after put('leader', 's1', ttl=5)",
                 store.compare_and_set("leader", 0, "s2"), True,
                 why="an expired key does not exist, so creating it with expected_version=0 succeeds")
    expect_equal("store.get('leader')", store.get("leader"), "s2")
    expect_equal("store.version('leader')", store.version("leader"), 1, why="a key created again starts at version 1")
    clock.tick(10)
    expect_equal("store.get('leader') 10 s later", store.get("leader"), "s2",
                 why="the CAS put no ttl, so the old deadline is gone")


def test_cas_can_set_a_ttl(kv, clock):
    store = kv.KVStore()
    expect_equal("store.compare_and_set('lock', 0, 'me', ttl=2)", store.compare_and_set("lock", 0, "me", ttl=2), True)
    clock.tick(2)
    expect_equal("store.get('lock') 2 s after CAS with ttl=2", store.get("lock"), None)
    with pytest.raises(ValueError):
        store.compare_and_set("lock", 0, "me", ttl=0)


@pytest.mark.points(2)
def test_no_lost_updates_with_interleaved_clients(kv):
    store = kv.KVStore()
    store.put("counter", 0)
    clients = 4
    per_client = 25
    done = [0] * clients
    attempts = 0
    # Each client reads (value, version), then the next client reads before the first writes.
    while min(done) < per_client:
        reads = []
        for c in range(clients):
            if done[c] < per_client:
                reads.append((c, store.get("counter"), store.version("counter")))
        for c, value, version in reads:
            attempts += 1
            if store.compare_and_set("counter", version, value + 1):
                done[c] += 1
    expect_equal(f"store.get('counter') after {clients} clients each succeeded {per_client} read-CAS increments",
                 store.get("counter"), clients * per_client,
                 why="CAS on the version lets exactly one of the racing writers win each round: no update is lost")
    expect_equal("store.version('counter')", store.version("counter"), clients * per_client + 1)
