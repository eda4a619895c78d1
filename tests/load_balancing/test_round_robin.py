"""Task 1: RoundRobin and the common interface every balancer shares."""

import random

import pytest

from sysdesign.messages import expect_equal
from sysdesign.reads import call_times

pytestmark = pytest.mark.task(1)


class TurnModel:
    """The contract of RoundRobin, written plainly: the next pick is the server after the one
    picked last, in the current list; if that one was removed, the server that came after it."""

    def __init__(self, servers):
        self.servers = list(servers)
        self.last = None  # None: the next pick is the first server

    def pick(self):
        if self.last is None:
            return self.servers[0]
        return self.servers[(self.servers.index(self.last) + 1) % len(self.servers)]

    def picked(self, server):
        self.last = server

    def add(self, server):
        self.servers.append(server)

    def remove(self, server):
        index = self.servers.index(server)
        if server == self.last:
            self.last = self.servers[index - 1] if index > 0 else None
        self.servers.remove(server)


@pytest.mark.points(2)
def test_takes_the_servers_in_turn(lb):
    rr = lb.RoundRobin(["a", "b", "c"])
    got = call_times(rr, "pick", 7)
    expect_equal("RoundRobin(['a','b','c']).pick() seven times", got, ["a", "b", "c", "a", "b", "c", "a"],
                 why="each server in the order added, then round again; the first pick is the first server")


def test_the_turn_is_kept_between_calls(lb):
    rr = lb.RoundRobin(["a", "b", "c"])
    info = lb.RequestInfo(client="10.0.0.1", path="/x")
    got = [rr.pick(info), rr.pick(None), rr.pick(info), rr.pick()]
    expect_equal("RoundRobin(['a','b','c']).pick(...) four times, with and without a request", got,
                 ["a", "b", "c", "a"], why="the balancer remembers whose turn it is; the request does not matter")


def test_servers_in_order_and_a_copy(lb):
    rr = lb.RoundRobin(["b", "a"])
    rr.add_server("c")
    expect_equal("RoundRobin(['b','a']).add_server('c'); .servers", rr.servers, ["b", "a", "c"],
                 why="servers in the order they were added")
    rr.servers.append("zzz")
    expect_equal("RoundRobin.servers after appending to the list it returned", rr.servers, ["b", "a", "c"],
                 why="servers is a copy; changing it must not change the balancer")
    rr.remove_server("a")
    expect_equal("RoundRobin.servers after remove_server('a')", rr.servers, ["b", "c"])


def test_errors(lb):
    with pytest.raises(LookupError):
        lb.RoundRobin().pick()
    with pytest.raises(ValueError):
        lb.RoundRobin(["a", "a"])
    rr = lb.RoundRobin(["a"])
    with pytest.raises(ValueError):
        rr.add_server("a")
    with pytest.raises(KeyError):
        rr.remove_server("zzz")
    rr.remove_server("a")
    with pytest.raises(LookupError):
        rr.pick()


@pytest.mark.points(2)
@pytest.mark.parametrize(("picks", "removed", "expected"), [
    (2, "b", ["c", "d", "a", "c"]),       # the server just picked: its successor is next
    (2, "a", ["c", "d", "b", "c"]),       # a server before the turn
    (2, "d", ["c", "a", "b", "c"]),       # a server after the turn
    (4, "d", ["a", "b", "c", "a"]),       # the last server, just picked: wrap round
    (1, "a", ["b", "c", "d", "b"]),       # the first server, just picked
], ids=["just-picked", "before", "after", "last-just-picked", "first-just-picked"])
def test_removing_a_server_skips_nobody(lb, picks, removed, expected):
    rr = lb.RoundRobin(["a", "b", "c", "d"])
    before = call_times(rr, "pick", picks)
    rr.remove_server(removed)
    got = call_times(rr, "pick", 4)
    expect_equal(f"RoundRobin(a, b, c, d): picks {before}, remove_server({removed!r}), then pick() x4",
                 got, expected, why="the turn goes on from where it was: nobody is skipped, nobody goes twice")


@pytest.mark.points(2)
def test_an_added_server_joins_the_turn_at_the_end(lb):
    rr = lb.RoundRobin(["a", "b", "c"])
    before = call_times(rr, "pick", 2)
    rr.add_server("d")
    got = call_times(rr, "pick", 5)
    expect_equal(f"RoundRobin(a, b, c): picks {before}, add_server('d'), then pick() x5", got,
                 ["c", "d", "a", "b", "c"], why="the new server joins at the end of the list; the turn does not restart")
    rr = lb.RoundRobin(["a", "b", "c"])
    before = call_times(rr, "pick", 3)
    rr.add_server("d")
    expect_equal(f"RoundRobin(a, b, c): picks {before}, add_server('d'), then pick()", rr.pick(), "d",
                 why="after the last server comes the one just added, before wrapping round to the first")


@pytest.mark.points(3)
def test_random_changes_against_a_model(lb):
    rng = random.Random(101)
    names = [f"s{i}" for i in range(8)]
    rr, model = lb.RoundRobin(names[:3]), TurnModel(names[:3])
    history = []
    for step in range(600):
        roll = rng.random()
        absent = [n for n in names if n not in model.servers]
        if roll < 0.15 and absent:
            server = rng.choice(absent)
            rr.add_server(server)
            model.add(server)
            history.append(f"add {server}")
        elif roll < 0.3 and len(model.servers) > 1:
            server = rng.choice(model.servers)
            rr.remove_server(server)
            model.remove(server)
            history.append(f"remove {server}")
        else:
            expected = model.pick()
            got = rr.pick()
            model.picked(expected)
            expect_equal(f"RoundRobin.pick() at step {step}, after ... {', '.join(history[-6:])}", got, expected,
                         why=f"the next server after the last one picked; servers now {model.servers}")
            history.append(f"pick {got}")
