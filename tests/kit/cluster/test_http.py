"""HTTP through requests: routing, latency in virtual time, failures as a client sees them."""

from __future__ import annotations

import time
import traceback

import pytest
import requests

from sysdesign.cluster import Cluster, HttpResponse


def test_routes_params_query_json_and_headers(cluster):
    srv = cluster.add_node("server-1")
    srv.route("GET", "/", lambda req: (200, {}, "hi"))
    srv.route("GET", "/users/<uid>", lambda req: {"uid": req.params["uid"], "q": req.query, "from": req.client})
    srv.route("POST", "/echo", lambda req: HttpResponse(201, req.json(), {"X-Seen": req.headers["x-trace"]}))
    assert requests.get("http://server-1/").text == "hi"
    assert requests.get("http://server-1:8080/users/42?page=2").json() == {"uid": "42", "q": {"page": "2"},
                                                                          "from": "client"}
    reply = requests.post("http://Server-1/echo", json={"a": 1}, headers={"X-Trace": "t1"})
    assert (reply.status_code, reply.json(), reply.headers["X-Seen"]) == (201, {"a": 1}, "t1")
    assert requests.get("http://server-1/missing").status_code == 404


def test_a_call_costs_its_latency_in_virtual_time(cluster):
    srv = cluster.add_node("server-1")
    srv.route("GET", "/", lambda req: "ok")
    cluster.delay("client", "server-1", 0.1)
    before = time.monotonic()
    requests.get("http://server-1/", timeout=1)
    assert time.monotonic() - before == pytest.approx(0.2)
    assert cluster.now() == pytest.approx(0.2)


def test_down_node_refuses_connections(cluster):
    cluster.add_node("server-1").route("GET", "/", lambda req: "ok")
    cluster.crash("server-1")
    with pytest.raises(requests.ConnectionError, match="refused"):
        requests.get("http://server-1/", timeout=1)
    with pytest.raises(requests.ConnectionError, match="no node named 'nowhere'"):
        requests.get("http://nowhere/")


def test_cut_link_raises_connection_error_after_the_timeout(cluster):
    cluster.add_node("server-1").route("GET", "/", lambda req: "ok")
    cluster.partition({"client"}, {"server-1"})
    with pytest.raises(requests.ConnectionError) as info:
        requests.get("http://server-1/", timeout=2)
    assert isinstance(info.value, requests.Timeout)  # ConnectTimeout is both
    assert cluster.now() == pytest.approx(2.0)


def test_slow_node_times_out_the_client_at_its_timeout(cluster):
    srv = cluster.add_node("server-1", service_time=0.01)
    served: list[float] = []
    srv.route("GET", "/", lambda req: served.append(cluster.now()) or "late")
    cluster.slow("server-1", factor=100)  # 1 s per request
    with pytest.raises(requests.Timeout):
        requests.get("http://server-1/", timeout=0.5)
    assert cluster.now() == pytest.approx(0.5)
    assert len(served) == 1  # the server did the work; the answer came too late
    assert requests.get("http://server-1/", timeout=5).text == "late"


def test_sleeping_handler_blocks_its_caller_in_virtual_time(cluster):
    srv = cluster.add_node("server-1")

    def handler(req):
        time.sleep(3.0)  # virtual
        return "done"

    srv.route("GET", "/", handler)
    assert requests.get("http://server-1/", timeout=10).text == "done"
    assert 3.0 < cluster.now() < 3.01


def test_paused_node_holds_requests_so_clients_time_out(cluster):
    cluster.add_node("server-1").route("GET", "/", lambda req: "ok")
    cluster.pause("server-1")
    with pytest.raises(requests.Timeout):
        requests.get("http://server-1/", timeout=1)
    cluster.resume("server-1")
    assert requests.get("http://server-1/", timeout=1).text == "ok"


def test_crash_while_answering_resets_the_connection(cluster):
    srv = cluster.add_node("server-1")

    def handler(req):
        time.sleep(5.0)  # virtual
        return "never"

    srv.route("GET", "/", handler)
    cluster.at(1.0, "crash", "server-1")
    with pytest.raises(requests.ConnectionError, match="reset"):
        requests.get("http://server-1/", timeout=10)
    assert cluster.now() < 1.01


def test_one_way_partition_loses_the_answer_after_the_side_effect(cluster):
    writes: list[str] = []
    cluster.add_node("server-1").route("POST", "/w", lambda req: writes.append(req.text) or "ok")
    cluster.partition_one_way({"server-1"}, {"client"})
    with pytest.raises(requests.ReadTimeout):
        requests.post("http://server-1/w", data="x", timeout=1)
    assert writes == ["x"]


def test_handler_errors_answer_500_but_not_implemented_propagates(cluster):
    srv = cluster.add_node("server-1")
    srv.route("GET", "/bug", lambda req: 1 / 0)

    def stub(req):
        raise NotImplementedError("task 2: forward the request")

    srv.route("GET", "/stub", stub)
    reply = requests.get("http://server-1/bug")
    assert reply.status_code == 500 and "ZeroDivisionError" in reply.text
    assert isinstance(cluster.errors[-1].error, ZeroDivisionError)
    assert cluster.trace.find(kind="error")
    with pytest.raises(NotImplementedError, match="task 2"):
        requests.get("http://server-1/stub")


def test_raise_http_errors_option(clock, tmp_path):
    with Cluster(1, clock=clock, base_path=tmp_path, raise_http_errors=True) as cluster:
        cluster.add_node("s").route("GET", "/", lambda req: 1 / 0)
        with pytest.raises(ZeroDivisionError):
            requests.get("http://s/")


def test_requests_from_a_node_come_from_that_node(cluster):
    backend = cluster.add_node("backend")
    backend.route("GET", "/", lambda req: req.client)
    proxy = cluster.add_node("proxy")

    def forward(req):
        try:
            upstream = requests.get("http://backend/", timeout=0.5)
        except requests.ConnectionError:
            return 502, "backend down"
        except requests.Timeout:
            return 504, "backend slow"
        return 200, f"via proxy: {upstream.text}"

    proxy.on_http(forward)
    session = cluster.session()
    assert session.get("http://proxy/anything").text == "via proxy: proxy"
    cluster.crash("backend")
    assert session.get("http://proxy/").status_code == 502
    cluster.restart("backend")
    cluster.slow("backend", delay=2.0)
    assert session.get("http://proxy/", timeout=5).status_code == 504
    assert proxy.execute(lambda: requests.get("http://proxy/x", timeout=5).status_code) == 504


def test_http_is_intercepted_only_while_the_cluster_is_active(clock, tmp_path):
    cluster = Cluster(2, clock=clock, base_path=tmp_path)
    cluster.add_node("s").route("GET", "/", lambda req: "ok")
    with cluster:
        assert requests.get("http://s/").text == "ok"
    assert not cluster.http.active


def test_the_environment_never_reaches_a_call_and_is_read_again_after(clock, tmp_path, monkeypatch):
    netrc = tmp_path / "netrc"
    netrc.write_text("machine s login learner password secret\n", encoding="utf-8")
    monkeypatch.setenv("NETRC", str(netrc))
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    original = requests.Session.merge_environment_settings
    with Cluster(1, clock=clock, base_path=tmp_path) as cluster:
        cluster.add_node("s").route("GET", "/", lambda req: req.headers.get("Authorization", "none"))
        session = requests.Session()  # trusts the environment, as learner code's sessions do
        assert session.get("http://s/").text == "none"  # no netrc credentials on the fake network
        assert requests.get("http://s/").text == "none"
        assert session.trust_env is True
    assert requests.Session.merge_environment_settings is original
    settings = requests.Session().merge_environment_settings("http://s/", {}, None, None, None)
    assert settings["proxies"].get("http") == "http://127.0.0.1:9"  # outside a cluster: requests as ever


def test_the_environment_comes_back_when_the_last_of_two_clusters_stops(clock, tmp_path):
    original = requests.Session.merge_environment_settings
    first = Cluster(1, clock=clock, base_path=tmp_path / "a").__enter__()
    second = Cluster(2, clock=clock, base_path=tmp_path / "b").__enter__()
    first.__exit__(None, None, None)  # not in the order they started
    assert requests.Session.merge_environment_settings is not original
    second.__exit__(None, None, None)
    assert requests.Session.merge_environment_settings is original


def test_the_quick_items_check_answers_as_requests_protocol_does():
    from collections import OrderedDict

    from requests.structures import CaseInsensitiveDict

    from sysdesign.cluster.http import _HasItems

    protocol = pytest.importorskip("requests._types").SupportsItems

    class NoItems(dict):
        items = None

    values = [{}, OrderedDict(), CaseInsensitiveDict(), [("a", 1)], (), "ab", b"", 3, None, NoItems()]
    assert [isinstance(v, _HasItems) for v in values] == [isinstance(v, protocol) for v in values]


def test_responses_call_log_stays_bounded(cluster):
    cluster.add_node("s").route("GET", "/", lambda req: "ok")
    session = cluster.session()
    for _ in range(50):
        session.get("http://s/")
    assert len(cluster.http._mock.calls) <= 1


def test_a_paused_server_still_handles_a_request_whose_caller_gave_up(cluster):
    charges: list[float] = []
    cluster.add_node("pay").route("POST", "/charge", lambda req: charges.append(cluster.now()) or "ok")
    cluster.pause("pay")
    with pytest.raises(requests.Timeout):
        requests.post("http://pay/charge", timeout=1)
    cluster.after(4.0, cluster.resume, "pay")
    cluster.run_for(5.0)
    assert len(charges) == 1 and charges[0] == pytest.approx(5.0)  # the retry-or-not dilemma, for real


def test_a_stub_behind_a_catch_all_proxy_still_reads_as_not_started(cluster):
    def backend(req):
        raise NotImplementedError("task 4: serve reads")

    cluster.add_node("backend").on_http(backend)

    def sloppy_proxy(req):
        try:
            return requests.get("http://backend/", timeout=1).text
        except Exception:  # learner code that swallows everything
            return 502, "bad gateway"

    cluster.add_node("proxy").on_http(sloppy_proxy)
    with pytest.raises(NotImplementedError, match="task 4") as info:
        requests.get("http://proxy/", timeout=5)
    assert traceback.extract_tb(info.tb)[-1].name == "backend"  # the report points at the stub
    with pytest.raises(NotImplementedError, match="task 4"):
        cluster["proxy"].execute(sloppy_proxy, None)


def test_an_assertion_in_another_handler_escapes_a_blocked_node(cluster):
    a, b = cluster.add_node("a"), cluster.add_node("b")

    def sleeper():
        try:
            time.sleep(10)  # virtual
        except Exception:
            pass

    def checker(msg):
        assert msg.body == "expected", "suite invariant broken"

    a.set_timer(0.0, sleeper)
    b.on_message(checker)
    cluster.add_node("c").send("b", "unexpected")
    with pytest.raises(AssertionError, match="suite invariant broken"):
        cluster.run_for(20)
