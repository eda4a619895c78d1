"""Tasks 2-6: the service-level objectives, each graded from the one scenario run (see
conftest.py for the workload and the faults). Latency is virtual time from a request's
scheduled send to its answer at the client (a request with no answer counts as its timeout);
percentiles are nearest-rank; a request is good when it got the right answer in time."""

import pytest

from harness.capstone import Ledger, grade_slo, percentile

# the scenario's figures (conftest.py): measured window, client timeouts, the released page
MEASURE_FROM, END = 5.0, 60.0
TIMEOUT = {"page": 2.0, "run": 10.0, "save": 5.0}
RELEASED = "q1"

pytestmark = pytest.mark.usefixtures("scenario")


def ms(seconds):
    return f"{seconds * 1000:.1f} ms"


def failures(requests, n=5):
    bad = [r for r in requests if not r.good][:n]
    return "\n".join(f"  t={r.scheduled:.3f} {r.cls} {r.key}: {r.detail or 'no answer'}" for r in bad)


def context(run):
    lines = [f"seed {run.seed}; replay: {run.replay}"]
    if run.fallbacks:
        lines.append(f"parts not in the submission, taken from the references: {', '.join(run.fallbacks)}")
    return "\n".join(lines)


def pages(run):
    return run.ledger.of("page", MEASURE_FROM, END)


@pytest.mark.task(2)
@pytest.mark.points(2)
def test_wiring_has_the_entry_the_roles_and_fits_the_budget(request, scenario):
    grade_slo(request, "wiring: entry node, roles, node budget", "api exists, web assigned, <= 4 nodes added",
              "ok" if not scenario.spec_problems else "; ".join(scenario.spec_problems), not scenario.spec_problems,
              "clients call http://api/, the faults aim at the roles, and every node is on the bill", context(scenario))


@pytest.mark.task(2)
@pytest.mark.points(10)
def test_pages_stay_available_through_a_web_crash(request, scenario):
    sent = pages(scenario)
    got = Ledger.availability(sent)
    grade_slo(request, "page availability (t 5-60, a web node down 30-38)", ">= 99.5%",
              f"{got:.2%} of {len(sent)}", got >= 0.995,
              "a crashed web node must leave rotation (health checks) and a forward it refused or reset is tried "
              "on another web node", failures(sent) + "\n" + context(scenario))


@pytest.mark.task(3)
@pytest.mark.points(8)
def test_page_latency_p50(request, scenario):
    p50 = percentile(Ledger.latencies(pages(scenario), TIMEOUT["page"]), 50)
    grade_slo(request, "page latency p50", "<= 10 ms", ms(p50), p50 <= 0.010,
              "a page read from the database costs 50 ms; the median page must come from memory", context(scenario))


@pytest.mark.task(3)
@pytest.mark.points(8)
def test_page_latency_p99(request, scenario):
    p99 = percentile(Ledger.latencies(pages(scenario), TIMEOUT["page"]), 99)
    grade_slo(request, "page latency p99", "<= 100 ms", ms(p99), p99 <= 0.100,
              "at worst a page costs one database read; retries and waits for a dead server must stay short",
              context(scenario))


@pytest.mark.task(3)
@pytest.mark.points(10)
def test_database_reads_per_page(request, scenario):
    n = len(pages(scenario))
    per_page = scenario.db_gets / n if n else float("inf")
    grade_slo(request, "database reads per page (t 5-60)", "<= 0.15", f"{per_page:.3f} ({scenario.db_gets} reads, "
              f"{n} pages)", per_page <= 0.15,
              "the 41 pages fit in memory: once warm, a page costs no database read (the database is the "
              "expensive, shared part)", context(scenario))


@pytest.mark.task(4)
@pytest.mark.points(10)
def test_a_release_shows_within_a_second(request, scenario):
    acked = scenario.release_acked
    if acked is None:
        grade_slo(request, f"release of {RELEASED} shown 1 s after it is acknowledged", "100% of pages", "release "
                  "not acknowledged", False, "PUT /questions/q1 must answer 200 once the new page is stored",
                  context(scenario))
    after = scenario.ledger.of("page", acked + 1.0, END, where=lambda r: r.key == RELEASED and r.good)
    stale = [r for r in after if r.detail != 2]
    grade_slo(request, f"release of {RELEASED}: pages from 1 s after its acknowledgement", "100% show version 2",
              f"{len(after) - len(stale)} of {len(after)} ({len(stale)} stale)", not stale and bool(after),
              "an edit the authors released must reach every cache: invalidate the copies on every web node "
              "(an expiry alone serves the old page until it runs out)",
              "\n".join(f"  t={r.scheduled:.3f} served version {r.detail}" for r in stale[:5]) + "\n"
              + context(scenario))


@pytest.mark.task(5)
@pytest.mark.points(12)
def test_runs_are_answered_through_crash_partition_and_burst(request, scenario):
    runs = scenario.ledger.of("run", MEASURE_FROM, END)
    got = Ledger.availability(runs)
    grade_slo(request, "run availability (burst at 20, runner-2 down 40-50, runner-1 cut off 44-50)", ">= 99%",
              f"{got:.2%} of {len(runs)}", got >= 0.99,
              "a dead, cut-off or busy run server must not fail a run: take it out of rotation, try another, "
              "and wait for a free slot during a burst", failures(runs) + "\n" + context(scenario))


@pytest.mark.task(5)
@pytest.mark.points(8)
def test_run_latency_p90(request, scenario):
    p90 = percentile(Ledger.latencies(scenario.ledger.of("run", MEASURE_FROM, END), TIMEOUT["run"]), 90)
    grade_slo(request, "run latency p90", "<= 2.5 s", f"{p90:.2f} s", p90 <= 2.5,
              "a run takes 0.4 s on a free run server; a run must not wait for a dead or slow one", context(scenario))


@pytest.mark.task(6)
@pytest.mark.points(8)
def test_progress_saves_are_acknowledged(request, scenario):
    saves = scenario.ledger.of("save", MEASURE_FROM, END)
    got = Ledger.availability(saves)
    grade_slo(request, "progress saves acknowledged (200)", ">= 99%", f"{got:.2%} of {len(saves)}", got >= 0.99,
              "a save the user never sees acknowledged is a save the user retries or loses",
              failures(saves) + "\n" + context(scenario))


@pytest.mark.task(6)
@pytest.mark.points(14)
def test_no_acknowledged_save_is_lost(request, scenario):
    lost = []
    checked = 0
    for key, saves in sorted(scenario.saves.items()):
        acked = [k for k, _, ok in saves if ok]
        if not acked:
            continue
        checked += 1
        allowed = {code for k, code, _ in saves if k >= acked[-1]}  # the last acked save, or a later one
        status, code = scenario.final.get(key, (0, "not read"))
        if code not in allowed:
            lost.append((key, status, code, saves[[k for k, _, _ in saves].index(acked[-1])][1]))
    grade_slo(request, "acknowledged saves readable after the crashes and the settle", "0 lost",
              f"{len(lost)} of {checked} users' last acknowledged save lost", not lost and checked > 0,
              "acknowledge a save only once the database has it: a copy held in a web node's memory dies with it",
              "\n".join(f"  GET /progress/{u}/{q}: status {s}, code {c!r}; last acknowledged {w!r}"
                        for (u, q), s, c, w in lost[:5]) + "\n" + context(scenario))
