"""The capstones' shared helpers (harness/capstone.py): nearest-rank percentiles, the node
budget at its boundary, the estimates' tolerance, prerequisites, and the parts' fallback; the
SLO table in the grading model, in ``sysdesign check``, pytest's points table, ``sysdesign
grade`` and every report (a synthetic report, then real runs of the AlgoExpert capstone with a
known-wrong wiring); and ``check`` naming the unfinished exercises a capstone builds on."""

import json
import math
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from sysdesign import KIT_ROOT
from sysdesign.grade.reporting import slo_line, slo_text_table, text_table
from sysdesign.results import ExerciseResult, GradeReport, slo_row
from sysdesign.results import TestResult as Result
from sysdesign.selfcheck import variant_as_impl
from sysdesign.capstone import SLO, Ledger, Parts, Request, Spec, WiringError, builds_on, percentile, slo_table, unmet, within
from sysdesign.cluster import Cluster
from sysdesign.providers import ImplementationLoadError


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


# -- the SLO table in the grading model and in every report ---------------------------------------

LONG = "the wiring added 5 nodes ['api', 'web-1', 'web-2', 'web-3', 'cache-1']; the budget is 4; " * 3


def slo_report() -> GradeReport:
    """A capstone with a met objective, a missed one with long cells, a test that never reached
    its measure (no row) and a hidden SLO test."""
    tests = [
        Result("tests/cap/test_slos.py::test_p50", "test_p50", "cap", 3, 8, "passed",
                   slo={"objective": "page latency p50", "target": "<= 10 ms", "measured": "4.1 ms",
                        "passed": True, "points": 8}),
        Result("tests/cap/test_slos.py::test_wiring", "test_wiring", "cap", 2, 2, "failed",
                   message="AssertionError: SLO missed: wiring",
                   slo={"objective": "wiring: entry node, roles, node budget, faults",
                        "target": "api exists, web assigned, <= 4 nodes added, no fault applied by the wiring",
                        "measured": LONG, "passed": False, "points": 2}),
        Result("tests/cap/test_slos.py::test_reads", "test_reads", "cap", 3, 10, "not_started",
                   message="NotImplementedError"),
        Result("hidden/cap/test_x.py::test_secret", "test_secret", "cap", 3, 5, "failed", visibility="hidden",
                   slo={"objective": "secret objective", "target": "t", "measured": "m", "passed": False,
                        "points": 5}),
    ]
    return GradeReport("the submission in impl", [ExerciseResult("cap", "A capstone", tests=tests)])


def test_slo_row_is_kept_as_text_bool_and_number():
    assert slo_row(None) is None and slo_row({"target": "x"}) is None and slo_row(["objective"]) is None
    row = slo_row({"objective": "o", "target": 3, "measured": "x" * 5000, "passed": "yes", "points": "ten"})
    assert row == {"objective": "o", "target": "3", "measured": "x" * 497 + "...", "passed": False, "points": 0.0}
    assert slo_row({"objective": "o", "passed": True, "points": 2})["passed"] is True


def test_the_json_model_carries_each_row_and_a_list_per_exercise():
    data = json.loads(slo_report().to_json())
    slos = data["exercises"][0]["slos"]
    assert [(s["name"], s["objective"], s["passed"], s["status"], s["points"], s["max_points"]) for s in slos] == [
        ("test_p50", "page latency p50", True, "passed", 8, 8),
        ("test_wiring", "wiring: entry node, roles, node budget, faults", False, "failed", 0, 2),
        ("test_secret", "secret objective", False, "failed", 0, 5)]
    tests = [t for task in data["exercises"][0]["tasks"] for t in task["tests"]]
    assert [t["slo"] is not None for t in tests] == [True, True, False, True]  # by task: wiring, p50, reads, secret
    back = GradeReport.from_dict(data)
    assert {t.nodeid: t.slo for t in back.exercises[0].tests} == {t.nodeid: t.slo for t in slo_report().exercises[0].tests}


def test_the_terminal_table_fits_80_columns_and_wraps_long_cells():
    report = slo_report()
    lines = slo_text_table(report.exercises[0].tests)
    assert max(len(line) for line in lines) <= 80 and lines[0].split() == ["SLO", "target", "measured", "result",
                                                                            "points"]
    text = "\n".join(lines)
    assert "page latency p50" in text and "pass    8/8" in text and "FAIL    0/2" in text
    assert set(LONG.split()) <= set(text.split())  # every word of a long cell is kept
    assert "test_reads" not in text and slo_text_table([]) == []
    narrow = text_table([("o" * 40, "t" * 40, "m" * 40, "pass", "10/10")], width=76, indent=0)
    assert max(len(line) for line in narrow) <= 76


def test_grade_slo_records_the_row_and_fails_with_it_in_76_columns():
    class Node:
        user_properties: list = []

        def get_closest_marker(self, name):
            return pytest.mark.points(6).mark

    class Request:
        node = Node()

    with pytest.raises(AssertionError) as failed:
        from sysdesign.capstone import grade_slo

        grade_slo(Request(), "release of q1: pages from 1 s after its acknowledgement", "100% show version 2",
                  "48 of 172 (124 stale)", False, "every copy must be invalidated")
    message = str(failed.value)
    assert message.startswith("SLO missed: release of q1") and "FAIL    0/6" in message
    assert all(len(line) <= 76 for line in message.splitlines()[1:-1])
    assert Request.node.user_properties == [("sysdesign_slo", {
        "objective": "release of q1: pages from 1 s after its acknowledgement", "target": "100% show version 2",
        "measured": "48 of 172 (124 stale)", "passed": False, "points": 6.0})]


def test_every_report_format_shows_the_rows_and_stays_valid(tmp_path, capsys):
    import xmlschema

    from sysdesign.commands.cmd_grade import print_report
    from sysdesign.htmlreport import page
    from sysdesign.plugins import report_exercism, report_gradescope, report_junit, report_markdown

    report = slo_report()
    wiring = report.exercises[0].tests[1]
    markdown = report_markdown.build(report)
    assert "### cap: service-level objectives" in markdown
    assert "| page latency p50 | &lt;= 10 ms | 4.1 ms | pass | 8/8 |" in markdown
    assert "secret objective" not in markdown  # a hidden test's row is not shown to learners
    junit = tmp_path / "junit.xml"
    report_junit.build(report).write(junit, encoding="utf-8", xml_declaration=True)
    xmlschema.XMLSchema(str(KIT_ROOT / "tests/kit/grading/junit-10.xsd")).validate(str(junit))
    outs = [case.findtext("system-out") for case in ET.parse(junit).iter("testcase")]
    assert outs[0].splitlines()[1] == "SLO page latency p50: target <= 10 ms; measured 4.1 ms; pass; points 8/8"
    assert outs[1].splitlines()[1] == slo_line(wiring) and "SLO" not in outs[2]
    gradescope = report_gradescope.build(report)["tests"]
    assert gradescope[0]["output"].startswith("SLO page latency p50: target <= 10 ms;")
    assert gradescope[1]["output"].splitlines()[0] == slo_line(wiring) and "failed:" in gradescope[1]["output"]
    exercism = report_exercism.build(report)
    assert exercism["tests"][0]["output"] == slo_line(report.exercises[0].tests[0])
    assert exercism["tests"][1]["output"] == slo_line(wiring) and len(slo_line(wiring)) <= 500
    assert exercism["tests"][2]["output"] is None and exercism["tests"][3]["output"] is None  # no row; hidden
    text = page.render(report)
    assert '<table class="summary slo">' in text and "page latency p50" in text and "&lt;= 10 ms" in text
    assert 'href="#t-tests-cap-test-slos-py--test-p50"' in text and "secret objective" not in text
    print_report(report)
    console = capsys.readouterr().out
    assert "cap: service-level objectives" in console and console.strip().splitlines()[-1].startswith("Points ")
    assert max(len(line) for line in _slo_block(console)) <= 80


# -- a real capstone run: check, pytest's points table, --grade-json, the HTML page, grade ---------
SLUG = "capstone_algoexpert"
VARIANT = KIT_ROOT / "tests" / SLUG / "variants" / "no_page_cache.py"  # misses p50 and database reads
ESTIMATES_VARIANT = KIT_ROOT / "tests" / SLUG / "variants" / "estimates_integer_division.py"
SMALLEST = "estimates for the smallest (1 user) requirements"


def _env(tmp: Path) -> dict:
    return {**os.environ, "SYSDESIGN_STATE_DIR": str(tmp / "state"), "CI": "1"}  # as in a course's CI: summaries untruncated


@pytest.fixture(scope="module")
def capstone_runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("slo-runs")
    impl = variant_as_impl(VARIANT, SLUG, tmp)
    model, html = tmp / "model.json", tmp / "report"
    run = subprocess.run([sys.executable, "-m", "pytest", f"tests/{SLUG}", "--impl", str(impl), "-q",
                          "-p", "no:cacheprovider", "--grade-json", str(model), "--sysdesign-report", str(html)],
                         cwd=KIT_ROOT, env=_env(tmp), capture_output=True, text=True, timeout=600)
    check = subprocess.run([sys.executable, "-m", "sysdesign.cli", "check", SLUG, "--impl", str(impl)],
                           cwd=KIT_ROOT, env=_env(tmp), capture_output=True, text=True, timeout=600)
    return {"pytest": run, "check": check, "model": model, "html": html / "index.html"}


def _slo_block(output: str) -> list[str]:
    """The SLO table under its heading (a failure's own one-row table, which pytest's short summary
    repeats untruncated when ``CI`` is set, is not the table this checks)."""
    lines = output.splitlines()
    heading = next(i for i, line in enumerate(lines) if line.lower().rstrip(":").endswith("service-level objectives"))
    start = next(i for i in range(heading, len(lines)) if lines[i].split() == ["SLO", "target", "measured", "result",
                                                                              "points"])
    end = next((i for i in range(start, len(lines)) if not lines[i].strip() or lines[i].startswith("=")), len(lines))
    return lines[start:end]


def test_check_and_the_points_table_show_the_slo_rows_in_80_columns(capstone_runs):
    for name in ("check", "pytest"):
        done = capstone_runs[name]
        block = _slo_block(done.stdout)
        assert max(len(line) for line in block) <= 80, done.stdout
        text = "\n".join(block)
        assert "page latency p50" in text and "FAIL    0/8" in text and "FAIL    0/10" in text, done.stdout
        assert "page availability" in text and "pass    10/10" in text, done.stdout
    assert "Service-level objectives:" in capstone_runs["check"].stdout
    assert f"{SLUG}: service-level objectives" in capstone_runs["pytest"].stdout


def test_the_json_result_and_the_html_page_carry_the_slo_rows(capstone_runs):
    data = json.loads(capstone_runs["model"].read_text(encoding="utf-8"))
    slos = {s["objective"]: s for s in data["exercises"][0]["slos"]}
    assert len(slos) == 14 and slos["page latency p50"]["passed"] is False and slos["page latency p50"]["points"] == 0
    assert slos["page latency p50"]["target"] == "<= 10 ms" and slos["page latency p50"]["max_points"] == 8
    assert slos["page latency p99"]["passed"] is True and slos["page latency p99"]["status"] == "passed"
    text = capstone_runs["html"].read_text(encoding="utf-8")
    assert '<table class="summary slo">' in text and "page latency p50" in text
    assert '<span class="st bad">FAIL</span></td><td class="r">0/8</td>' in text


def self_contained(variant: Path, folder: Path) -> Path:
    """``variant`` (which imports the reference) as one module of its own: the reference's source
    followed by the variant's, so learner code under ``sysdesign grade`` reads only its folder."""
    folder.mkdir()
    reference = (KIT_ROOT / "solutions" / f"{SLUG}.py").read_text(encoding="utf-8")
    wrong = variant.read_text(encoding="utf-8")
    wrong = wrong.replace(f"from solutions import {SLUG} as _reference",
                          "import types as _types\n_reference = _types.SimpleNamespace(**globals())")
    wrong = wrong.replace(f"from solutions.{SLUG} import *  # noqa: F401,F403", "")
    assert "solutions" not in wrong.split('"""', 2)[-1]
    (folder / f"{SLUG}.py").write_text(reference + "\n\n" + wrong, encoding="utf-8")
    return folder


def test_sysdesign_grade_hands_the_rows_from_the_deciding_process_to_every_report(tmp_path):
    impl = self_contained(ESTIMATES_VARIANT, tmp_path / "impl")
    for part in ("caching", "load_balancing"):  # the parts, as a learner's submission ships them
        shutil.copyfile(KIT_ROOT / "solutions" / f"{part}.py", impl / f"{part}.py")
    out = tmp_path / "out"
    args = [sys.executable, "-m", "sysdesign.cli", "grade", "--impl", str(impl), "--exercise", SLUG, "--timeout", "300",
            "--json", str(out / "model.json"), "--junit", str(out / "junit.xml"), "--markdown", str(out / "summary.md"),
            "--exercism", str(out / "exercism.json"), "--gradescope", str(out / "gradescope.json"),
            "--html", str(out / "html")]
    help_text = subprocess.run([sys.executable, "-m", "sysdesign.cli", "grade", "--help"], capture_output=True, text=True)
    if "--allow-weak-sandbox" in help_text.stdout:
        args.append("--allow-weak-sandbox")
    done = subprocess.run(args, cwd=tmp_path, env=_env(tmp_path), capture_output=True, text=True, timeout=600)
    assert done.stdout.strip().splitlines()[-1] == "Points 98/100", done.stdout + done.stderr
    block = _slo_block(done.stdout)
    assert max(len(line) for line in block) <= 80 and "FAIL    0/2" in "\n".join(block), done.stdout
    data = json.loads((out / "model.json").read_text(encoding="utf-8"))
    slos = data["exercises"][0]["slos"]
    assert len(slos) == 14 and [s["objective"] for s in slos if not s["passed"]] == [SMALLEST], slos
    line = f"SLO {SMALLEST}: target every figure within 20%; measured "
    assert line in (out / "junit.xml").read_text(encoding="utf-8")
    assert f"| {SMALLEST} | every figure within 20% |" in (out / "summary.md").read_text(encoding="utf-8")
    exercism = json.loads((out / "exercism.json").read_text(encoding="utf-8"))
    assert sum((t["output"] or "").startswith("SLO ") for t in exercism["tests"]) == 14
    gradescope = json.loads((out / "gradescope.json").read_text(encoding="utf-8"))
    assert any(t["output"].startswith(line) and t["score"] == 0 for t in gradescope["tests"])
    page_text = (out / "html" / "index.html").read_text(encoding="utf-8")
    assert '<table class="summary slo">' in page_text and SMALLEST in page_text


def test_check_names_the_concept_exercises_a_capstone_builds_on_that_are_not_finished(tmp_path):
    workspace = tmp_path / "exercises"
    workspace.mkdir()
    for slug in (SLUG, "caching", "load_balancing"):
        shutil.copyfile(KIT_ROOT / "plugins" / "pristine" / f"{slug}.py", workspace / f"{slug}.py")
    env = {**_env(tmp_path), "SYSDESIGN_WORKSPACE": str(workspace)}
    done = subprocess.run([sys.executable, "-m", "sysdesign.cli", "check", SLUG], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    first = done.stdout.splitlines()[0]
    assert first.startswith(f"{SLUG} builds on caching, load_balancing, not finished yet"), done.stdout
    assert "(sysdesign check caching)" in first and "not started: 0/100 points" in done.stdout
