"""Task 5: IPHash, a client sticks to one server, and every process agrees which."""

import pytest

from sysdesign.spread import max_over_mean
from sysdesign.messages import expect_equal, expect_true

pytestmark = pytest.mark.task(5)

SERVERS = ["s1", "s2", "s3", "s4"]
CLIENTS = [f"192.168.{i // 200}.{i % 200 + 1}" for i in range(2_000)]


def test_a_client_always_gets_the_same_server(lb):
    balancer = lb.IPHash(SERVERS)
    first = {c: balancer.pick(lb.RequestInfo(client=c)) for c in CLIENTS[:200]}
    for round_ in range(3):
        for c in reversed(CLIENTS[:200]):
            got = balancer.pick(lb.RequestInfo(client=c, path=f"/page/{round_}"))
            expect_equal(f"IPHash.pick(client={c!r}) again (round {round_ + 2}, other clients in between)", got, first[c],
                         why="the server depends only on the client's address while the servers stay the same")


@pytest.mark.points(2)
def test_clients_spread_evenly(lb):
    balancer = lb.IPHash(SERVERS)
    counts = dict.fromkeys(SERVERS, 0)
    for c in CLIENTS:
        counts[balancer.pick(lb.RequestInfo(client=c))] += 1
    ratio = max_over_mean(counts.values())
    expect_true(ratio <= 1.15, f"max/mean clients per server, {len(CLIENTS)} clients over 4 servers", got=round(ratio, 3),
                expected="<= 1.15", why=f"counts: {counts}; a good hash spreads addresses evenly")


@pytest.mark.points(3)
def test_two_fresh_interpreters_pick_the_same_servers(lb, cross_process):
    balancer = lb.IPHash(cross_process.servers)
    here = [balancer.pick(lb.RequestInfo(client=c)) for c in cross_process.clients]
    for seed, there in cross_process.results.items():
        shown = there if isinstance(there, str) else there[:5]
        expect_true(there == here, f"IPHash({cross_process.servers}).pick(...) for {len(here)} clients in a fresh "
                    f"interpreter with PYTHONHASHSEED={seed}", got=shown, expected=here[:5],
                    why="every balancer process (and the same one after a restart) must send a client to the same "
                    "server; Python's hash() is salted per process, hashlib is not")


def test_a_removed_server_gets_no_client(lb):
    balancer = lb.IPHash(SERVERS)
    balancer.remove_server("s2")
    got = {balancer.pick(lb.RequestInfo(client=c)) for c in CLIENTS[:400]}
    expect_equal("servers IPHash picked for 400 clients after remove_server('s2')", sorted(got), ["s1", "s3", "s4"],
                 why="the removed server's clients move to the others; nobody is sent to s2")
    balancer.add_server("s5")
    expect_equal("IPHash.servers after remove s2, add s5", balancer.servers, ["s1", "s3", "s4", "s5"])


def test_errors(lb):
    balancer = lb.IPHash(SERVERS)
    with pytest.raises(ValueError):
        balancer.pick()
    with pytest.raises(ValueError):
        balancer.pick(lb.RequestInfo(client=""))
    with pytest.raises(LookupError):
        lb.IPHash().pick(lb.RequestInfo(client="10.0.0.1"))
    with pytest.raises(ValueError):
        balancer.add_server("s1")
    with pytest.raises(KeyError):
        balancer.remove_server("zzz")
