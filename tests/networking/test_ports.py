"""Task 2: ports. A datagram reaches the handler bound to its destination port; a server replies to
each request's source address and port, so two clients on one machine each get their own
answer."""

import pytest

from sysdesign.messages import expect_equal, expect_true, explain
from sysdesign.reads import call, read_all

from .conftest import Probe, add_host

pytestmark = pytest.mark.task(2)

EPHEMERAL = range(49152, 65536)


def ignore(datagram):
    return None


def upper(data):
    return str(data).upper()


@pytest.mark.points(2)
def test_two_clients_on_one_node_get_their_own_replies(cluster, networking):
    web = add_host(cluster, networking, "web")
    laptop = add_host(cluster, networking, "laptop")
    web.execute(networking.serve, web.app, 80, upper)
    got = {"tab-1": [], "tab-2": []}
    ports = {tab: laptop.execute(laptop.app.bind, None, got[tab].append) for tab in got}
    expect_true(ports["tab-1"] != ports["tab-2"], "laptop.bind(None, ...) twice: the two ports", got=ports,
                expected="two different ports", why="each client conversation gets its own ephemeral port")
    for tab, port in ports.items():
        expect_true(port in EPHEMERAL, f"laptop.bind(None, ...) for {tab}", got=port,
                    expected="a port in EPHEMERAL_PORTS (49152-65535)", why="bind(None) picks an ephemeral port")
    laptop.execute(laptop.app.send, ports["tab-1"], "web", 80, "page one")
    laptop.execute(laptop.app.send, ports["tab-2"], "web", 80, "page two")
    cluster.run_for(1.0)
    seen = {tab: [(d.src, d.dst, d.data) for d in got[tab]] for tab in got}
    expect_equal("datagrams each client port on laptop received: (src, dst, data)", seen, {
        "tab-1": [(("web", 80), ("laptop", ports["tab-1"]), "PAGE ONE")],
        "tab-2": [(("web", 80), ("laptop", ports["tab-2"]), "PAGE TWO")],
    }, why="the server replies to the source address AND port of each request, from the port it listens on; the "
       "host hands each reply to the program bound to its destination port")


@pytest.mark.points(2)
def test_the_reply_goes_to_the_source_address_and_port_of_the_request(cluster, networking):
    web = add_host(cluster, networking, "web")
    web.execute(networking.serve, web.app, 8080, upper)
    probes = [Probe(cluster, "phone"), Probe(cluster, "tablet")]
    probes[0].send("web", 51515, 8080, "hello")
    probes[1].send("web", 60001, 8080, "bonjour")
    cluster.run_for(1.0)
    for probe, port, reply in ((probes[0], 51515, "HELLO"), (probes[1], 60001, "BONJOUR")):
        got = [(m.src, m.body) for m in probe.got]
        expect_equal(f"messages {probe.node.name} got after sending from its port {port} to web:8080", got,
                     [("web", {"src_port": 8080, "dst_port": port, "data": reply})],
                     why="the request's source (the message's src, the body's src_port) is where the reply goes; it "
                     "comes from the port the server listens on")


def test_datagrams_go_to_the_handler_of_their_destination_port(cluster, networking):
    box = add_host(cluster, networking, "box")
    got = {53: [], 8080: []}
    for port, seen in got.items():
        expect_equal(f"box.bind({port}, handler)", box.execute(box.app.bind, port, seen.append), port,
                     why="bind returns the port it bound")
    probe = Probe(cluster, "probe")
    probe.send("box", 50000, 53, "dns question")
    probe.send("box", 53, 8080, "web request")  # a source port that is bound on box: irrelevant
    probe.send("box", 50001, 9999, "nobody home")
    cluster.run_for(1.0)
    seen = {port: [(d.src, d.dst, d.data) for d in got[port]] for port in got}
    expect_equal("datagrams handed to the handlers of box:53 and box:8080", seen, {
        53: [(("probe", 50000), ("box", 53), "dns question")],
        8080: [(("probe", 53), ("box", 8080), "web request")],
    }, why="a datagram goes to the handler bound to its destination port (dst_port), and a datagram for a port "
       "nobody listens on (9999) is dropped")


def test_bind_and_send_rules(cluster, networking):
    box = add_host(cluster, networking, "box")
    host = box.app
    box.execute(host.bind, 49152, lambda d: None)
    picked = [box.execute(host.bind, port, lambda d: None) for port in (None, None, None, 0)]
    expect_true(len(set(picked)) == 4 and 49152 not in picked and all(p in EPHEMERAL for p in picked),
                "bind(None) three times and bind(0) once after bind(49152)", got=picked,
                expected="four different ephemeral ports, none of them 49152",
                why="an ephemeral port is one not bound on this host (None and 0 both mean: any port)")
    with pytest.raises(networking.PortInUse):
        box.execute(host.bind, 49152, lambda d: None)
        pytest.fail("bind(49152) on a host where 49152 is bound should raise PortInUse")
    expect_true(issubclass(networking.PortInUse, OSError), "issubclass(PortInUse, OSError)", got=False, expected=True)
    for bad in (-1, 65536, 70000):
        with pytest.raises(ValueError):
            box.execute(host.bind, bad, lambda d: None)
            pytest.fail(f"bind({bad!r}, handler) should raise ValueError (a port is an int from 1 to 65535)")
    with pytest.raises(ValueError):
        box.execute(host.send, 4444, "web", 80, "x")
        pytest.fail("send(4444, 'web', 80, 'x') from a port not bound on the host should raise ValueError")
    for bad in (0, 70000):
        with pytest.raises(ValueError):
            box.execute(host.send, 49152, "web", bad, "x")
            pytest.fail(f"send(49152, 'web', {bad}, 'x') to port {bad} should raise ValueError (1-65535)")
    box.execute(host.unbind, 49152)
    box.execute(host.unbind, 12345)  # not bound: nothing happens
    expect_equal("bind(49152) again after unbind(49152)", box.execute(host.bind, 49152, lambda d: None), 49152,
                 why="an unbound port may be bound again")


def test_smallest_valid_ports_are_accepted(cluster, networking):
    box = add_host(cluster, networking, "box")
    got = {1: [], 65535: []}
    for port in got:
        try:
            bound = box.execute(box.app.bind, port, got[port].append)
        except (ValueError, OSError) as exc:
            raise AssertionError(explain(f"Host.bind({port}, handler)", f"{type(exc).__name__}: {exc}", port,
                                         "ports run from 1 to 65535, both ends included")) from None
        expect_equal(f"Host.bind({port}, handler)", bound, port)
    probe = Probe(cluster, "probe")
    probe.send("box", 65535, 1, "to one")
    probe.send("box", 1, 65535, "to the last")
    cluster.run_for(1.0)
    expect_equal("data handed to the handlers of box:1 and box:65535", {p: [d.data for d in got[p]] for p in got},
                 {1: ["to one"], 65535: ["to the last"]}, why="the edge ports work like any other")


def test_ephemeral_ports_run_out(cluster, networking):
    box = add_host(cluster, networking, "box")
    host = box.app
    free = (49152, 50000, 65535)

    def fill_then_ask():
        read_all(host, [call("bind", port, ignore) for port in EPHEMERAL if port not in free])  # one request
        picked = []
        try:
            for _ in range(len(free) + 1):
                picked.append(host.bind(None, ignore))
        except OSError as exc:
            return picked, exc
        return picked, None

    picked, error = box.execute(fill_then_ask)
    expect_equal("bind(None) on a host where every ephemeral port but 49152, 50000 and 65535 is bound, until it "
                 "raises: the ports it handed out, sorted", sorted(picked), list(free),
                 why="the free ephemeral ports, the first and the last of 49152-65535 included: ephemeral ports are a "
                 "finite resource, and a machine opening many short connections can run out (port exhaustion)")
    expect_true(isinstance(error, OSError), "one more bind(None) once all 16384 are bound", got=type(error).__name__,
                expected="OSError raised", why="raise OSError when no ephemeral port is left")
