"""Task 7: estimating with the latency figures, and checking the estimate against a measurement.
The suite measures a fetch in the simulated cluster (a client in California, a server in the
Netherlands 75 ms away each way) and compares it with the learner's estimate."""

import time

import pytest

from sysdesign.messages import expect_equal, expect_true, explain

pytestmark = pytest.mark.task(7)

#: The figures the suite's own server uses (seconds per MB), the notes' table.
READ = {"memory": 250e-6, "ssd": 1e-3, "hdd": 20e-3}
NETWORK = 10e-3


def _close(got, expected, tolerance=1e-9):
    return isinstance(got, (int, float)) and abs(got - expected) <= tolerance * max(1.0, abs(expected))


@pytest.mark.points(2)
@pytest.mark.parametrize("megabytes, source, round_trips, expected", [
    (1, "memory", 3, {"round_trips": 0.45, "read": 250e-6, "transfer": 0.01}),
    (1, "hdd", 0, {"round_trips": 0.0, "read": 0.02, "transfer": 0.01}),
    (50, "hdd", 1, {"round_trips": 0.15, "read": 1.0, "transfer": 0.5}),
    (2.5, "ssd", 2, {"round_trips": 0.3, "read": 0.0025, "transfer": 0.025}),
])
def test_breakdown_adds_up_the_figures(perf, megabytes, source, round_trips, expected):
    call = f"fetch_breakdown({megabytes!r}, {source!r}, round_trips={round_trips})"
    got = perf.fetch_breakdown(megabytes, source, round_trips=round_trips)
    expect_equal(f"{call}: its keys", sorted(got), sorted(expected))
    expect_true(all(_close(got[k], v) for k, v in expected.items()), call, got=got, expected=expected,
                why="round trips x rtt; megabytes x the read figure of the source; megabytes x the 1 Gbps figure")
    total = perf.fetch_estimate(megabytes, source, round_trips=round_trips)
    expect_true(_close(total, sum(expected.values())), f"fetch_estimate({megabytes!r}, {source!r}, "
                f"round_trips={round_trips})", got=total, expected=sum(expected.values()), why="the parts add up")


def test_a_round_trip_has_its_own_length(perf):
    got = perf.fetch_breakdown(1, "ssd", round_trips=2, rtt=0.002)
    expect_true(_close(got["round_trips"], 0.004), "fetch_breakdown(1, 'ssd', round_trips=2, rtt=0.002)['round_trips']",
                got=got["round_trips"], expected=0.004, why="two round trips inside one data centre (2 ms each)")


def measure_fetch(cluster, megabytes, source, round_trips, one_way=0.075):
    """A client in California fetches ``megabytes`` from a server in the Netherlands: first
    ``round_trips - 1`` small exchanges (a DNS lookup, a TCP handshake), then the request. The
    server reads the data from ``source`` and sends it at 1 Gbps: the cluster's links have
    latency but no bandwidth, so the server's handler takes the read and the transfer time
    itself. Returns the seconds from the first packet to the data."""
    server, client = cluster.add_node("nl-server"), cluster.add_node("ca-laptop")
    cluster.set_link("ca-laptop", "nl-server", latency=one_way)
    done = []

    def on_server(msg):
        if msg.body["type"] == "get":
            time.sleep(megabytes * READ[source] + megabytes * NETWORK)  # virtual: read, then send
        server.reply(msg, {"type": "back", "of": msg.body["type"]})

    setups = [round_trips - 1]

    def on_client(msg):
        if msg.body["of"] == "get":
            done.append(cluster.now())
        elif setups[0] > 0:
            setups[0] -= 1
            client.send("nl-server", {"type": "hello"})
        else:
            client.send("nl-server", {"type": "get"})

    server.on_message(on_server)
    client.on_message(on_client)
    start = cluster.now()
    if setups[0] > 0:
        setups[0] -= 1
        client.execute(client.send, "nl-server", {"type": "hello"})
    else:
        client.execute(client.send, "nl-server", {"type": "get"})
    cluster.run_until(lambda: bool(done), 60.0)
    return done[0] - start


@pytest.mark.points(2)
@pytest.mark.parametrize("megabytes, source, round_trips", [(1, "memory", 3), (4, "hdd", 1), (20, "ssd", 2)])
def test_the_estimate_matches_what_the_cluster_measures(cluster, perf, megabytes, source, round_trips):
    measured = measure_fetch(cluster, megabytes, source, round_trips)
    estimate = perf.fetch_estimate(megabytes, source, round_trips=round_trips)
    expect_true(isinstance(estimate, (int, float)) and abs(estimate - measured) <= 0.01 * measured,
                f"fetch_estimate({megabytes}, {source!r}, round_trips={round_trips}) against a fetch measured in the "
                f"cluster ({measured:.6f} s: 75 ms each way, the server reading and sending at the notes' figures)",
                got=estimate, expected=f"{measured:.6f} s within 1%", why="an estimate built from the figures predicts the measurement: "
                "every round trip costs the whole trip, there and back, and the data is read and then sent")


@pytest.mark.parametrize("args, options", [((1, "tape"), {"round_trips": 1}), ((-1, "ssd"), {"round_trips": 1}),
                                           ((1, "ssd"), {"round_trips": -1}), ((1, "ssd"), {"round_trips": 1.5}),
                                           ((1, "ssd"), {"round_trips": 1, "rtt": -0.1})])
def test_bad_arguments_raise_value_error(perf, args, options):
    with pytest.raises(ValueError):
        perf.fetch_breakdown(*args, **options)
        pytest.fail(f"fetch_breakdown({', '.join(map(repr, args))}, **{options!r}) should raise ValueError")


def test_smallest_valid_settings_are_accepted(perf):
    call = "fetch_estimate(0, 'memory', round_trips=0, rtt=0.0)"
    try:
        got = perf.fetch_estimate(0, "memory", round_trips=0, rtt=0.0)
    except ValueError as exc:
        raise AssertionError(explain(call, f"ValueError: {exc}", 0.0, "nothing to fetch and no round trip is a "
                                     "valid question (data already in memory on this machine)")) from None
    expect_true(_close(got, 0.0), call, got=got, expected=0.0, why="nothing costs nothing")
