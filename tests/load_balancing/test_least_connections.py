"""Task 4: LeastConnections, the fewest requests in progress (the caller reports starts and ends)."""

import random

import pytest

from sysdesign.messages import expect_equal
from sysdesign.reads import call_each

pytestmark = pytest.mark.task(4)


class LeastModel:
    """The suite's own least-connections rule: fewest in progress, then least recently picked
    (never picked first, in the order added)."""

    def __init__(self, servers):
        self.servers = list(servers)
        self.active = dict.fromkeys(self.servers, 0)
        self.last = dict.fromkeys(self.servers, -1)
        self.clock = 0

    def pick(self):
        best = min(self.servers, key=lambda s: (self.active[s], self.last[s], self.servers.index(s)))
        self.last[best] = self.clock
        self.clock += 1
        return best


def test_idle_servers_are_taken_in_turn(lb):
    lc = lb.LeastConnections(["a", "b", "c"])
    got = []
    for _ in range(5):
        server = lc.pick()
        lc.started(server)
        lc.finished(server)
        got.append(server)
    expect_equal("LeastConnections(a, b, c): pick, started, finished, five times", got, ["a", "b", "c", "a", "b"],
                 why="no request in progress anywhere: the least recently picked server wins, never-picked first")


@pytest.mark.points(3)
def test_a_finished_request_frees_its_server(lb):
    lc = lb.LeastConnections(["a", "b", "c"])
    script = []
    first = lc.pick()
    lc.started(first)          # a long request on a
    script.append(f"pick {first}, started({first})")
    second = lc.pick()
    lc.started(second)
    lc.finished(second)        # a short one on b, done
    script.append(f"pick {second}, started({second}), finished({second})")
    third = lc.pick()
    lc.started(third)
    lc.finished(third)         # a short one on c, done
    script.append(f"pick {third}, started({third}), finished({third})")
    expect_equal("the first three picks of LeastConnections(a, b, c)", [first, second, third], ["a", "b", "c"])
    expect_equal(f"LeastConnections.active(...) for a, b, c after {'; '.join(script)}",
                 [lc.active(s) for s in "abc"], [1, 0, 0], why="started adds one, finished takes one away")
    expect_equal(f"LeastConnections.pick() after {'; '.join(script)}", lc.pick(), "b",
                 why="a still has its long request; b and c have none, and b was picked longer ago than c")


@pytest.mark.points(2)
def test_the_busiest_server_waits(lb):
    lc = lb.LeastConnections(["a", "b"])
    for _ in range(3):
        lc.started("a")
    lc.started("b")
    got = []
    for _ in range(2):
        server = lc.pick()
        lc.started(server)
        got.append(server)
    expect_equal("LeastConnections(a, b) with a: 3 and b: 1 in progress; pick+started twice", got, ["b", "b"],
                 why="b has fewer requests in progress both times (1, then 2, against 3)")
    expect_equal("LeastConnections.pick() with a: 3, b: 3 in progress (a picked longer ago)", lc.pick(), "a")


def test_pick_alone_changes_no_count(lb):
    lc = lb.LeastConnections(["a", "b"])
    lc.pick()
    lc.pick()
    expect_equal("LeastConnections.active('a'), active('b') after two picks and no started()",
                 (lc.active("a"), lc.active("b")), (0, 0), why="only started() and finished() change the counts")


def test_counts_never_go_negative_and_removed_servers_are_ignored(lb):
    lc = lb.LeastConnections(["a", "b"])
    with pytest.raises(ValueError):
        lc.finished("a")
    lc.started("b")
    lc.remove_server("b")
    lc.finished("b")  # the request ended after its server was removed: nothing to do
    expect_equal("LeastConnections.servers after remove_server('b')", lc.servers, ["a"])
    lc.add_server("b")
    expect_equal("LeastConnections.active('b') after remove_server('b') and add_server('b')", lc.active("b"), 0,
                 why="a server added (again) starts with nothing in progress")
    with pytest.raises(KeyError):
        lc.started("zzz")
    with pytest.raises(KeyError):
        lc.active("zzz")
    with pytest.raises(KeyError):
        lc.remove_server("zzz")
    with pytest.raises(ValueError):
        lc.add_server("a")
    with pytest.raises(LookupError):
        lb.LeastConnections().pick()


@pytest.mark.points(3)
def test_random_traffic_against_a_model(lb):
    rng = random.Random(404)
    servers = ["s1", "s2", "s3", "s4"]
    lc, model = lb.LeastConnections(servers), LeastModel(servers)
    in_progress = []
    for step in range(800):
        if in_progress and rng.random() < 0.5:
            server = in_progress.pop(rng.randrange(len(in_progress)))
            lc.finished(server)
            model.active[server] -= 1
            continue
        expected = model.pick()
        got = lc.pick()
        expect_equal(f"LeastConnections.pick() at step {step}, in progress {model.active}", got, expected,
                     why="fewest in progress, then least recently picked")
        lc.started(got)
        model.active[got] += 1
        in_progress.append(got)
    expect_equal("LeastConnections.active(s) for every server at the end", dict(zip(servers, call_each(lc, "active", servers))),
                 model.active, why="each count is requests started minus requests finished")
