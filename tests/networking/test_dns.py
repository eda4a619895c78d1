"""Task 1: a DNS client with a cache. Answers (NXDOMAIN too) are served from the cache while
now < arrival + ttl and asked again at now >= arrival + ttl; an unanswered query moves on to
the next resolver. Links to the resolvers take 0.25 s each way, so every time is exact."""

import pytest

from sysdesign.messages import expect_equal, explain

from .conftest import Dns

pytestmark = pytest.mark.task(1)

RECORDS = {"shop.example": ("10.0.0.7", 2.0), "blog.example": ("10.0.0.9", 8.0), "flaky.example": ("10.0.0.3", 0),
           "cdn.example": ("10.0.0.5", 0.25)}


def _answer(lookup):
    a = lookup.answer
    return None if a is None else (a.name, a.status, a.address, a.ttl)


def _found(lookup):
    a = lookup.answer
    return None if a is None else (a.status, a.address)


def test_a_lookup_asks_the_first_resolver(cluster, networking):
    dns = Dns(cluster, networking, RECORDS)
    cluster.run_to(1.0)
    lookup = dns.lookup_and_wait("shop.example")
    expect_equal("lookup('shop.example', done): (name, status, address, ttl) of the answer", _answer(lookup),
                 ("shop.example", "NOERROR", "10.0.0.7", 2.0), why="the resolver knows the name")
    expect_equal("queries received by (resolver-1, resolver-2)",
                 (len(dns.resolvers["resolver-1"].asked()), len(dns.resolvers["resolver-2"].asked())), (1, 0),
                 why="one query, to the first resolver in the list (the second is only for when it does not answer)")
    expect_equal("time done was called (query sent at t=1.0, 0.25 s each way)", lookup.times, [1.5],
                 why="the answer is a round trip away")
    dns.check_done_once()


@pytest.mark.points(2)
def test_an_answer_is_served_from_the_cache_until_exactly_its_ttl(cluster, networking):
    dns = Dns(cluster, networking, RECORDS)
    cluster.run_to(1.0)
    first = dns.lookup_and_wait("shop.example")  # arrives at t=1.5 with ttl 2: usable while now < 3.5
    expect_equal("time the answer for 'shop.example' arrived", first.times, [1.5])
    for at in (1.5, 2.5, 3.25, 3.5 - 2 ** -10):
        cluster.run_to(at)
        again = dns.lookup("shop.example")
        cluster.run_for(0.0005)
        expect_equal(f"queries for 'shop.example' after a lookup at t={at} (answer arrived at t=1.5, ttl 2 s)",
                     dns.queries("shop.example"), 1,
                     why="the cached answer is still valid (now < 1.5 + 2): no query leaves the machine")
        expect_equal(f"lookup('shop.example') at t={at}: the answer from the cache", _answer(again),
                     ("shop.example", "NOERROR", "10.0.0.7", 2.0), why="the cached answer, at once")
    cluster.run_to(3.5)
    expired = dns.lookup("shop.example")
    cluster.run_for(0.75)
    expect_equal("queries for 'shop.example' after a lookup at exactly t=3.5 (arrived at t=1.5, ttl 2 s)",
                 dns.queries("shop.example"), 2,
                 why="an answer expires when now >= arrival + ttl: at exactly 3.5 it is no longer served")
    expect_equal("time done was called for the lookup at t=3.5", expired.times, [4.0], why="it waited for a new answer")
    dns.check_done_once()


def test_each_name_expires_on_its_own(cluster, networking):
    dns = Dns(cluster, networking, RECORDS)
    cluster.run_to(1.0)
    dns.lookup("shop.example")
    dns.lookup("blog.example")
    cluster.run_to(2.0)  # both answers arrived at 1.5: shop until 3.5, blog until 9.5
    steps = ((3.0, ["blog.example"], (1, 1)), (4.0, ["shop.example", "blog.example"], (2, 1)),
             (9.25, ["blog.example"], (2, 1)), (9.5, ["blog.example"], (2, 2)))
    for at, names, expected in steps:
        cluster.run_to(at)
        for name in names:
            dns.lookup(name)
        cluster.run_for(0.0005)
        got = (dns.queries("shop.example"), dns.queries("blog.example"))
        expect_equal(f"queries (shop.example, blog.example) after looking up {names} at t={at} (ttl 2 s and 8 s, "
                     "both answers arrived at t=1.5)", got, expected, why="each cached answer lives for its own ttl")
    cluster.run_for(1.0)
    dns.check_done_once()


@pytest.mark.points(2)
def test_nxdomain_is_cached_for_its_own_ttl(cluster, networking):
    dns = Dns(cluster, networking, RECORDS, nx_ttl=5.0)
    cluster.run_to(1.0)
    missing = dns.lookup_and_wait("shpo.example")  # a typo: no such name; arrives at 1.5, usable while now < 6.5
    expect_equal("lookup('shpo.example'): (name, status, address, ttl)", _answer(missing),
                 ("shpo.example", "NXDOMAIN", None, 5.0), why="the resolver says the name does not exist")
    for at in (2.0, 6.25):
        cluster.run_to(at)
        again = dns.lookup("shpo.example")
        cluster.run_for(0.0005)
        expect_equal(f"queries for 'shpo.example' after another lookup at t={at} (NXDOMAIN arrived at t=1.5, ttl 5 s)",
                     dns.queries("shpo.example"), 1,
                     why="negative caching: 'no such name' is cached for its ttl like any answer, or a repeated typo "
                     "costs a query every time")
        expect_equal(f"lookup('shpo.example') at t={at}: (status, address)", _found(again), ("NXDOMAIN", None),
                     why="from the cache")
    cluster.run_to(6.5)
    dns.lookup("shpo.example")
    cluster.run_for(0.6)
    expect_equal("queries for 'shpo.example' after a lookup at exactly t=6.5", dns.queries("shpo.example"), 2,
                 why="the NXDOMAIN answer expired at 1.5 + 5: ask again")
    dns.check_done_once()


def test_a_ttl_of_zero_is_never_cached(cluster, networking):
    dns = Dns(cluster, networking, RECORDS)
    cluster.run_to(1.0)
    first = dns.lookup_and_wait("flaky.example")
    expect_equal("lookup('flaky.example') (ttl 0)", _answer(first), ("flaky.example", "NOERROR", "10.0.0.3", 0),
                 why="the answer reaches the lookup that asked")
    second = dns.lookup_and_wait("flaky.example")
    expect_equal("queries for 'flaky.example' after two lookups, the second at the moment the first was answered",
                 dns.queries("flaky.example"), 2,
                 why="ttl 0: now >= arrival + 0 at once, so the answer is never served from the cache")
    expect_equal("lookup('flaky.example') again", _answer(second), ("flaky.example", "NOERROR", "10.0.0.3", 0))
    short = dns.lookup_and_wait("cdn.example")  # ttl 0.25 s: a short ttl is a ttl like any other
    arrived = short.times[0]
    cluster.run_to(arrived + 0.125)
    dns.lookup("cdn.example")
    cluster.run_for(0.0005)
    expect_equal("queries for 'cdn.example' after a lookup 0.125 s after its answer (ttl 0.25 s) arrived",
                 dns.queries("cdn.example"), 1, why="cached while now < arrival + 0.25")
    cluster.run_to(arrived + 0.25)
    dns.lookup("cdn.example")
    cluster.run_for(0.0005)
    expect_equal("queries for 'cdn.example' after a lookup exactly 0.25 s after its answer arrived",
                 dns.queries("cdn.example"), 2, why="expired at now >= arrival + ttl")
    dns.check_done_once()


@pytest.mark.points(2)
def test_an_unanswered_query_moves_on_to_the_next_resolver(cluster, networking):
    dns = Dns(cluster, networking, RECORDS)  # the default timeout: 1 s
    cluster.run_to(1.0)
    cluster.crash("resolver-1")
    lookup = dns.lookup_and_wait("blog.example", timeout=5.0)
    expect_equal("times resolver-2 was asked for 'blog.example' (resolver-1 is down, timeout 1 s, query at t=1.0; "
                 "the second query leaves at 2.0 and takes 0.25 s)", dns.resolvers["resolver-2"].asked(), [2.25],
                 why="a resolver that does not answer within timeout is skipped for the next one in the list")
    expect_equal("lookup('blog.example') answered by resolver-2", _answer(lookup),
                 ("blog.example", "NOERROR", "10.0.0.9", 8.0))
    expect_equal("time done was called", lookup.times, [2.5])
    cluster.crash("resolver-2")
    cluster.run_to(4.0)
    failed = dns.lookup_and_wait("shop.example", timeout=5.0)
    expect_equal("lookup('shop.example') with both resolvers down: (name, status, address, ttl)",
                 _answer(failed), ("shop.example", "SERVFAIL", None, 0),
                 why="every resolver was tried once and none answered")
    expect_equal("time done(SERVFAIL) was called (lookup at t=4.0, two resolvers, timeout 1 s each)", failed.times,
                 [6.0], why="each resolver gets timeout seconds, one after the other")
    cluster.restart("resolver-1")
    again = dns.lookup_and_wait("shop.example", timeout=5.0)
    expect_equal("lookup('shop.example') right after the SERVFAIL, resolver-1 back up: (status, address)",
                 _found(again), ("NOERROR", "10.0.0.7"), why="a failure is never cached: the next lookup asks again")
    dns.check_done_once()


def test_answers_reach_every_lookup_waiting_for_the_name(cluster, networking):
    dns = Dns(cluster, networking, RECORDS)
    cluster.run_to(1.0)
    lookups = [dns.lookup("shop.example") for _ in range(3)] + [dns.lookup("blog.example")]
    cluster.run_for(2.0)
    expect_equal("addresses reported to 3 lookups of shop.example and 1 of blog.example made together",
                 [lk.answer.address if lk.answer is not None else None for lk in lookups],
                 ["10.0.0.7", "10.0.0.7", "10.0.0.7", "10.0.0.9"], why="each lookup is answered once, with its own name")
    dns.check_done_once()


@pytest.mark.parametrize("resolvers, options", [([], {}), (["resolver-1"], {"timeout": 0}),
                                                (["resolver-1"], {"timeout": -1.0})])
def test_bad_arguments_raise_value_error(cluster, networking, resolvers, options):
    node = cluster.add_node("laptop")
    with pytest.raises(ValueError):
        networking.DnsClient(node, resolvers, **options)
        pytest.fail(f"DnsClient(node, {resolvers!r}, **{options!r}) should raise ValueError")


def test_smallest_valid_settings_are_accepted(cluster, networking):
    call = "DnsClient(node, ['resolver-1'], timeout=0.001)"
    try:
        dns = Dns(cluster, networking, RECORDS, resolvers=1, latency=0.0002, timeout=0.001)
    except ValueError as exc:
        raise AssertionError(explain(call, f"ValueError: {exc}", "accepted",
                                     "one resolver is a valid list, and any timeout > 0 is a valid timeout")) from None
    lookup = dns.lookup_and_wait("shop.example", timeout=1.0)
    expect_equal(f"{call}, then lookup('shop.example') over a 0.2 ms link: (status, address)",
                 _found(lookup), ("NOERROR", "10.0.0.7"),
                 why="the answer comes back within the 1 ms timeout")


def test_an_answer_nobody_asked_for_is_ignored(cluster, networking):
    dns = Dns(cluster, networking, RECORDS)
    cluster.run_to(1.0)
    forger = cluster.add_node("forger")
    forger.execute(forger.send, "laptop", {"type": "answer", "id": 1, "name": "bank.example", "status": "NOERROR",
                                          "address": "6.6.6.6", "ttl": 3600})
    cluster.run_for(0.1)
    lookup = dns.lookup_and_wait("bank.example")
    expect_equal("lookup('bank.example') after an unsolicited answer (6.6.6.6) reached the laptop: (status, address)",
                 _found(lookup), ("NXDOMAIN", None),
                 why="an answer is taken only for a query that is waiting for it (same id): caching whatever arrives "
                 "lets anyone who can send a packet redirect your traffic (cache poisoning)")
    expect_equal("queries for 'bank.example'", dns.queries("bank.example"), 1, why="the cache held nothing for it")
