"""The capstones' shared helpers (harness/capstone.py): nearest-rank percentiles, the node
budget at its boundary, the estimates' tolerance, prerequisites, and the parts' fallback."""

import math

import pytest

from harness.capstone import SLO, Ledger, Parts, Request, Spec, WiringError, builds_on, percentile, slo_table, unmet, within
from harness.cluster import Cluster
from harness.providers import ImplementationLoadError


def test_percentile_is_nearest_rank():
    values = [5, 1, 4, 2, 3]
    assert [percentile(values, p) for p in (0, 20, 21, 50, 99, 100)] == [1, 1, 2, 3, 5, 5]
    assert percentile([7.0], 99) == 7.0
    assert math.isnan(percentile([], 50))


def test_ledger_availability_and_latencies():
    done = Request("page", "q1", 1.0, answered=1.25, status=200, good=True)
    lost = Request("page", "q2", 2.0)
    ledger = Ledger([done, lost, Request("run", "q1", 3.0)])
    assert ledger.of("page") == [done, lost]
    assert ledger.of("page", 1.5, 10) == [lost]
    assert Ledger.availability([done, lost]) == 0.5 and Ledger.availability([]) == 1.0
    assert Ledger.latencies([done, lost], timeout=2.0) == [0.25, 2.0]


def test_within_tolerance_and_refuses_non_numbers():
    assert within(120, 100, 0.2) and within(80.0, 100, 0.2)
    assert not within(121, 100, 0.2) and not within(None, 100, 0.2) and not within(True, 1, 0.2)
    assert not within(float("nan"), 100, 0.2)


def test_node_budget_accepts_exactly_the_budget(tmp_path):
    with Cluster(1, base_path=tmp_path) as cluster:
        cluster.add_node("db")
        spec = Spec(cluster, budget=2, roles={"web": "pages"}, entry="api", db="the db")
        assert spec.db == "the db"
        cluster.add_node("api")
        cluster.add_node("web-1")
        spec.assign("web", ["web-1"])
        assert spec.problems() == []
        cluster.add_node("web-2")
        assert spec.problems() == ["the wiring added 3 nodes ['api', 'web-1', 'web-2']; the budget is 2"]
        with pytest.raises(WiringError):
            spec.assign("cache", ["web-1"])
        with pytest.raises(WiringError):
            spec.assign("web", ["nowhere"])


def test_spec_names_a_missing_entry_and_role(tmp_path):
    with Cluster(1, base_path=tmp_path) as cluster:
        spec = Spec(cluster, budget=4, roles={"web": "pages"}, entry="api")
        assert spec.problems() == ["no node named 'api': clients send every request to http://api/",
                                   "no spec.assign('web', [...]) (pages)"]


def test_builds_on_and_unmet(tmp_path):
    toml = tmp_path / "exercise.toml"
    toml.write_text('slug = "x"\nbuilds_on = ["caching", "load_balancing"]\n')
    assert builds_on(toml) == ["caching", "load_balancing"]
    assert builds_on(tmp_path / "absent.toml") == []
    assert unmet(["caching", "load_balancing"], {"caching"}) == ["load_balancing"]


def test_parts_fall_back_only_for_a_missing_file():
    def impl(slug):
        if slug == "caching":
            raise ImplementationLoadError("x/caching.py: file not found (the module for exercise 'caching')")
        raise ImplementationLoadError("x/load_balancing.py:3: SyntaxError: invalid syntax")

    parts = Parts(impl, ["caching", "load_balancing"], fallback=lambda slug: f"reference {slug}")
    assert parts.caching == "reference caching" and parts.fallbacks == ["caching"]
    with pytest.raises(ImplementationLoadError):
        parts.load_balancing
    with pytest.raises(AttributeError):
        parts.sharding


def test_slo_table_rows():
    table = slo_table([SLO("page p50", "<= 10 ms", "4.1 ms", True, 8), SLO("reads", "<= 0.15", "1.0", False, 10)])
    assert table.splitlines()[2:] == ["| page p50 | <= 10 ms | 4.1 ms | pass | 8/8 |",
                                      "| reads | <= 0.15 | 1.0 | FAIL | 0/10 |"]
