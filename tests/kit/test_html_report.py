"""The HTML run report: what the page holds (points, failures, hints, timelines, figures, replay
commands), that it works offline, the pytest option and ``sysdesign report``, and that it
renders in a real browser (headless Chromium) without script errors and with figures of size.

The browser test runs when ``chromium`` is installed (``.ci/run`` installs it and sets
``SYSDESIGN_REQUIRE_CHROMIUM=1``, which turns a missing browser into a failure); its
screenshot is kept under the test's ``tmp_path``.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from sysdesign import KIT_ROOT
from sysdesign import results as grading
from sysdesign.results import FAILED, PASSED, ExerciseResult, GradeReport
from sysdesign.htmlreport import page
from sysdesign.htmlreport.capture import RunData, capture_cluster, figure
from sysdesign.selfcheck import variant_as_impl
from sysdesign.plugins.report_html import target_file

P2P = "tests/p2p/test_gossip.py"
PUSHED = f"{P2P}::test_a_rumour_is_pushed_for_push_rounds_rounds_then_no_more"
INFORMS = f"{P2P}::test_push_informs_everyone"


def busy_cluster(cluster):
    """Three nodes and a client: messages, a lost message, timers, HTTP, a crash and restart, a
    pause, a partition and its heal, a note."""
    a, b, c = cluster.add_node("a"), cluster.add_node("b"), cluster.add_node("c")
    for node in (a, b, c):
        node.on_message(lambda msg, node=node: node.note("got", msg.body.get("n")))
    b.route("GET", "/ping", lambda req: (200, {}, "pong"))
    a.every(0.5, lambda: a.send("b", {"n": "tick"}))
    import requests

    for n in range(5):
        a.send("c", {"n": n})
        cluster.run_for(0.2)
    requests.get("http://b/ping", timeout=1)
    cluster.crash("c")
    a.send("c", {"n": "lost"})
    cluster.run_for(0.5)
    cluster.restart("c")
    cluster.pause("b")
    cluster.run_for(0.3)
    cluster.resume("b")
    cluster.partition({"a"}, {"b", "c"})
    cluster.run_for(1.0)
    cluster.heal()
    cluster.run_for(0.5)
    return cluster


def one_test_report(status: str, message: str = "", hint: str = "", nodeid: str = "tests/demo/test_demo.py::test_demo") -> GradeReport:
    test = grading.TestResult(nodeid=nodeid, name=nodeid.rsplit("::", 1)[-1], exercise="demo", task=1,
                      max_points=2.0, status=status, message=message, hint=hint)
    return GradeReport("the demo", [ExerciseResult("demo", "A demo exercise", tests=[test])])


def test_the_page_draws_a_cluster_timeline_with_every_kind_of_mark(cluster):
    busy_cluster(cluster)
    cap = capture_cluster(cluster, 'pytest "x" --cluster-seed=7', failure_at=cluster.now(), failure="AssertionError: boom")
    run = RunData()
    run.test("tests/demo/test_demo.py::test_demo").clusters = [cap]
    text = page.render(one_test_report(FAILED, "expected 1, got 2", "count the replicas"), run)
    delivered = sum(1 for e in cluster.trace if e.kind == "recv")
    assert text.count('<line class="m') == delivered                  # one arrow per delivery
    for mark in ('class="pt"', 'class="d"', 'class="p"', 'class="tm"', 'class="cl"', 'class="rp"',
                 'class="cr"', 'class="rs"', 'class="x"', 'class="fail"', 'class="nt"'):
        assert mark in text, mark                                      # partition, down, paused, timer, ...
    assert "partition a | b,c" in text and "failed here" in text and "AssertionError: boom" in text
    assert "expected 1, got 2" in text and "count the replicas" in text
    assert html.escape('pytest "x" --cluster-seed=7') in text
    assert "Points 0/2" in text and "all " in text                    # nothing left out
    for lane in ("a", "b", "c", "client"):
        assert f">{lane}<title>" in text


def test_the_page_works_offline_and_escapes_what_tests_print():
    text = page.render(one_test_report(FAILED, "<script>alert(1)</script> & more"), RunData())
    assert "<script>alert(1)</script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text)
    assert "@import" not in text and "<link" not in text and text.count("<script") == 1


def test_a_long_run_draws_its_newest_events_and_still_knows_older_faults(cluster):
    a, b = cluster.add_node("a"), cluster.add_node("b")
    b.on_message(lambda msg: None)
    cluster.crash("b")                                               # before the window: b stays down
    a.every(0.01, lambda: a.send("b", {"k": 1}))
    cluster.run_for(10.0)
    cap = capture_cluster(cluster, "replay", cap=50)
    assert len(cap.events) == 50 and cap.left_out == len(cluster.trace) - 50
    assert [e[4] for e in cap.earlier_faults] == ["crash"]
    text = page.render(one_test_report(PASSED), RunData(tests={"tests/demo/test_demo.py::test_demo": _with(cap)}))
    assert f"50 newest of {len(cluster.trace):,} events drawn" in text
    assert 'class="d"' in text                                       # b's down span from the window's start


def _with(cap):
    from sysdesign.htmlreport.capture import TestCapture

    return TestCapture("tests/demo/test_demo.py::test_demo", clusters=[cap])


def test_figures_are_histograms_or_bar_charts_and_are_checked():
    assert figure("latency", [1, 2, 3], unit="ms")["kind"] == "histogram"
    bars = figure("rounds", {"16": 5, "64": 7})
    assert bars["kind"] == "bar" and bars["labels"] == ["16", "64"] and bars["values"] == [5.0, 7.0]
    with pytest.raises(ValueError):
        figure("x", [1, 2], labels=["one"])
    with pytest.raises(ValueError):
        figure("x", [1], kind="pie")
    run = RunData()
    run.test("tests/demo/test_demo.py::test_demo").figures = [figure("latency", [0.5, 1.0, 1.5, 9.0], unit="ms"), bars]
    text = page.render(one_test_report(PASSED), run)
    assert text.count('<svg class="fig"') == 2 and "4 values (ms): min 0.5" in text


def test_run_data_survives_json():
    run = RunData(event_cap=300)
    run.test("t").figures = [figure("f", [1, 2])]
    assert RunData.from_dict(json.loads(json.dumps(run.to_dict()))) == run


def test_the_writer_takes_a_file_or_a_folder(tmp_path):
    assert target_file(tmp_path / "out") == tmp_path / "out" / "index.html"
    assert target_file(tmp_path / "page.html") == tmp_path / "page.html"


# -- from a pytest run -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def failing_page(tmp_path_factory) -> Path:
    """The page of a p2p run where a known-wrong gossip fails (pushes forever) and a passing
    test records a figure."""
    tmp = tmp_path_factory.mktemp("report")
    impl = variant_as_impl(KIT_ROOT / "tests/p2p/variants/gossip_push_forever.py", "p2p", tmp)
    out = tmp / "report"
    env = {**os.environ, "SYSDESIGN_STATE_DIR": str(tmp / "state")}
    done = subprocess.run([sys.executable, "-m", "pytest", PUSHED, INFORMS, "--impl", str(impl), "-q",
                           "-p", "no:cacheprovider", "--sysdesign-report", str(out)],
                          cwd=KIT_ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert (out / "index.html").exists(), done.stdout[-3000:] + done.stderr[-3000:]
    assert "1 failed, 1 passed" in done.stdout and f"report written to {out / 'index.html'}" in done.stdout
    return out / "index.html"


def test_pytest_writes_the_page_with_the_failing_seed_and_its_replay(failing_page):
    text = failing_page.read_text(encoding="utf-8")
    assert "Points 2/3" in text and "test_a_rumour_is_pushed_for_push_rounds_rounds_then_no_more" in text
    assert "Replay the failing seed" in text and "--cluster-seed=" in text and "--impl" in text
    assert "failed here" in text and "called number of rounds" in text
    assert "Hint</b> (task 1)" in text
    assert "message latency, push gossip over 32 nodes" in text and '<svg class="fig"' in text
    assert text.count('<svg class="tl"') == 2


def test_sysdesign_report_runs_suites_and_writes_the_page(tmp_path):
    env = {**os.environ, "SYSDESIGN_STATE_DIR": str(tmp_path / "state")}
    done = subprocess.run([sys.executable, "-m", "sysdesign.cli", "report", "networking", "--solutions",
                           "--cluster-seed", "5", "--out", str(tmp_path / "out")],
                          cwd=KIT_ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    text = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "networking" in text and "the reference solutions" in text and "--cluster-seed=5 --solutions" in text
    assert "<svg class=\"tl\"" in text


# -- in a browser ------------------------------------------------------------------------------
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync")


@pytest.fixture
def browser() -> str:
    """Chromium's path; a skip that says why when it is missing (a failure in the project's CI)."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("SYSDESIGN_REQUIRE_CHROMIUM"):
        pytest.fail("SYSDESIGN_REQUIRE_CHROMIUM is set but no chromium is installed (apt-get install -y chromium)")
    pytest.skip("no chromium on this machine (apt-get install -y chromium); the page was not opened in a browser")


def browse(browser: str, url: str, *args: str) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run([browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args, url],
                              capture_output=True, text=True, timeout=180)


def page_state(browser: str, url: str) -> tuple[list, list]:
    """(script errors, figure sizes) the page's script left on ``<html>``, read with --dump-dom."""
    dom = browse(browser, url, "--dump-dom", "--window-size=1280,2000")
    assert dom.returncode == 0, dom.stderr[-2000:]
    tag = re.search(r"<html[^>]*>", dom.stdout).group(0)
    errors = json.loads(html.unescape(re.search(r'data-errors="([^"]*)"', tag).group(1)))
    figures = json.loads(html.unescape(re.search(r'data-figures="([^"]*)"', tag).group(1)))
    return errors, figures


def test_the_page_renders_in_chromium_without_errors_and_its_figures_have_size(browser, failing_page, tmp_path):
    url = failing_page.as_uri() + "#open-all"
    errors, figures = page_state(browser, url)
    assert errors == [], errors
    assert sorted(f["kind"] for f in figures) == ["chart", "timeline", "timeline"], figures
    for fig in figures:
        assert fig["w"] > 100 and fig["h"] > 50 and fig["marks"] > 5, fig
    errors, zoomed = page_state(browser, url + ",zoom=2")                  # the zoom widens every timeline
    assert errors == [] and [f["h"] for f in zoomed] == [f["h"] for f in figures]
    for before, after in zip(figures, zoomed):
        if before["kind"] == "timeline":
            assert abs(after["w"] - 2 * before["w"]) <= 2, (before, after)
    shot = tmp_path / "report.png"
    done = browse(browser, url, f"--screenshot={shot}", "--window-size=1280,2000")
    assert done.returncode == 0 and shot.stat().st_size > 10_000, done.stderr[-2000:]


def test_the_run_data_alone_can_be_written_for_a_grader_to_merge(tmp_path):
    env = {**os.environ, "SYSDESIGN_STATE_DIR": str(tmp_path / "state")}
    target = tmp_path / "run-data.json"
    done = subprocess.run([sys.executable, "-m", "pytest", INFORMS, "--solutions", "-q", "-p", "no:cacheprovider",
                           "--sysdesign-report-data", str(target)],
                          cwd=KIT_ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:]
    run = RunData.from_dict(json.loads(target.read_text()))
    [test] = run.tests.values()
    assert test.nodeid == INFORMS and test.clusters[0].events and test.figures[0]["kind"] == "histogram"
    report = one_test_report(PASSED, nodeid=INFORMS)
    report.html_run_data = run.to_dict()
    from sysdesign.plugins.report_html import sysdesign_write_report

    assert sysdesign_write_report(report=report, fmt="html", path=str(tmp_path / "page.html"))
    text = (tmp_path / "page.html").read_text()
    assert '<svg class="tl"' in text and '<svg class="fig"' in text


def test_a_stub_not_started_shows_its_task_hint_once_and_no_timeline(cluster):
    cluster.add_node("a")
    cluster.run_for(1.0)
    run = RunData()
    run.test("tests/demo/test_demo.py::test_demo").clusters = [capture_cluster(cluster, "replay")]
    text = page.render(one_test_report(grading.NOT_STARTED, "task 1: implement Demo.__init__", "start small"), run)
    assert text.count("start small") == 1 and "task 1: implement Demo.__init__" in text
    assert '<svg class="tl"' not in text


def test_sysdesign_grade_writes_the_page_beside_its_other_reports(tmp_path):
    env = {**os.environ, "SYSDESIGN_STATE_DIR": str(tmp_path / "state")}
    impl = tmp_path / "impl"
    impl.mkdir()
    shutil.copyfile(KIT_ROOT / "solutions" / "networking.py", impl / "networking.py")
    done = subprocess.run([sys.executable, "-m", "sysdesign.cli", "grade", "--impl", str(impl), "--exercise", "networking",
                           "--json", str(tmp_path / "grade.json"), "--html", str(tmp_path / "html")],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    text = (tmp_path / "html" / "index.html").read_text(encoding="utf-8")
    points = json.loads((tmp_path / "grade.json").read_text())["points"]
    assert f"Points {points:g}/" in text and 'href="#ex-networking"' in text
    assert "data-events" in text, "the deciding processes' cluster timelines reach the grader's page"


def test_many_failing_timelines_fold_after_the_first_few_and_keep_their_replay_in_sight(cluster):
    cluster.add_node("a").every(0.1, lambda: None)
    cluster.run_for(1.0)
    cap = capture_cluster(cluster, "pytest replay-me", failure_at=cluster.now(), failure="boom")
    tests = [grading.TestResult(nodeid=f"t::{i}", name=f"test_{i}", exercise="demo", task=1, max_points=1.0,
                                status=FAILED, message="boom") for i in range(page.OPEN_TIMELINES + 2)]
    run = RunData()
    for t in tests:
        run.test(t.nodeid).clusters = [cap]
    text = page.render(GradeReport("demo", [ExerciseResult("demo", "Demo", tests=tests)]), run)
    assert text.count('<details class="tld" open>') == page.OPEN_TIMELINES and text.count("<template>") == 2
    assert text.count("pytest replay-me") == len(tests)
