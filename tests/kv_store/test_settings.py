"""The smallest valid settings are accepted and work: a TTL, a CAS TTL and a lease of one
microsecond (the virtual clock's smallest step; the docstrings only ask for ``ttl > 0``),
alive for that microsecond and gone exactly at its end."""

import pytest

from sysdesign.messages import expect_equal, explain

TINY = 0.000001


def accepted(call, fn):
    """``fn()``'s result; a ``ValueError`` fails with a message naming the valid range."""
    try:
        return fn()
    except ValueError as exc:
        raise AssertionError(explain(call, f"ValueError: {exc}", "accepted",
                                     "the docstring refuses only ttl <= 0: any positive ttl is valid, however "
                                     "short")) from None

@pytest.mark.task(2)
@pytest.mark.points(1)
def test_the_shortest_ttl_is_accepted(kv, clock):
    store = kv.KVStore()
    expect_equal(f"store.put('k', 1, ttl={TINY})", accepted(f"store.put('k', 1, ttl={TINY})",
                                                            lambda: store.put("k", 1, ttl=TINY)), 1)
    expect_equal(f"store.keys() right after the put with ttl={TINY}", store.keys(), ["k"],
                 why="a key is alive until now >= put time + ttl")
    expect_equal("round(store.ttl('k'), 6) at the same instant", round(store.ttl("k"), 6), TINY)
    clock.tick(TINY)
    expect_equal(f"store.keys() {TINY} s after the put with ttl={TINY}", store.keys(), [],
                 why="expired exactly at the deadline")
    expect_equal("store.revision after one put and its expiry", store.revision, 2)


@pytest.mark.task(3)
@pytest.mark.points(1)
def test_the_shortest_cas_ttl_is_accepted(kv, clock):
    store = kv.KVStore()
    expect_equal(f"store.compare_and_set('c', 0, 1, ttl={TINY})",
                 accepted(f"store.compare_and_set('c', 0, 1, ttl={TINY})",
                          lambda: store.compare_and_set("c", 0, 1, ttl=TINY)), True,
                 why="'c' did not exist, so a CAS at version 0 writes it")
    expect_equal(f"store.keys() right after the CAS with ttl={TINY}", store.keys(), ["c"],
                 why="a key is alive until now >= write time + ttl")
    clock.tick(TINY)
    expect_equal(f"store.keys() {TINY} s after the CAS with ttl={TINY}", store.keys(), [],
                 why="expired exactly at the deadline")
    expect_equal("store.revision after one CAS and its expiry", store.revision, 2)


@pytest.mark.task(5)
@pytest.mark.points(1)
def test_the_shortest_lease_is_accepted(kv, clock):
    store = kv.KVStore()
    call = f"store.grant_lease({TINY})"
    lease = accepted(call, lambda: store.grant_lease(TINY))
    store.put("l", 1, lease=lease)
    expect_equal(f"round(store.lease_ttl(lease), 6) right after {call}", round(store.lease_ttl(lease), 6), TINY)
    expect_equal(f"store.refresh_lease(lease) at the instant of {call}", store.refresh_lease(lease), TINY,
                 why="a live lease can be refreshed; refresh returns the ttl it was granted with")
    expect_equal(f"store.keys() right after {call} and put('l', 1, lease=lease)", store.keys(), ["l"])
    clock.tick(TINY)
    expect_equal(f"store.keys() {TINY} s after {call}", store.keys(), [],
                 why="the lease expired at now >= deadline and took its key with it")
    with pytest.raises(kv.LeaseNotFound):
        store.refresh_lease(lease)
