"""Tasks 2-6: the service-level objectives, each graded from the one scenario run (see
conftest.py for the workload and the faults). Latency is virtual time from a request's
scheduled send to its answer at the client (a request with no answer counts as its timeout);
percentiles are nearest-rank; a request is good when it got the right answer in time.

When an objective misses with your own components (``parts``), the suite runs the same wiring
and seed once more with the reference components: if the objective is then met, the message
says to look at your components first; if not, the wiring is at fault."""

import pytest

from sysdesign.capstone import Ledger, grade_slo, judge_slo, percentile

# the scenario's figures (conftest.py): measured window, client timeouts, the released page
MEASURE_FROM, END = 5.0, 60.0
TIMEOUT = {"page": 2.0, "run": 10.0, "save": 5.0}
RELEASED = "q1"
BUILDS_ON = "caching, load_balancing"


def ms(seconds):
    return f"{seconds * 1000:.1f} ms"


def failures(requests, n=5):
    bad = [r for r in requests if not r.good][:n]
    return "\n".join(f"  t={r.scheduled:.3f} {r.cls} {r.key}: {r.detail or 'no answer'}" for r in bad)


def judge(request, run, replay, objective, target, measure, why):
    """Grade one objective (``sysdesign.capstone.judge_slo`` with this capstone's parts)."""
    __tracebackhide__ = True
    judge_slo(request, run, replay, objective, target, measure, why, BUILDS_ON)


def pages(run):
    return run.ledger.of("page", MEASURE_FROM, END)


@pytest.mark.task(2)
@pytest.mark.points(2)
def test_wiring_has_the_entry_the_roles_and_fits_the_budget(request, scenario):
    problems = scenario.spec_problems
    grade_slo(request, "wiring: entry node, roles, node budget, faults", "api exists, web assigned, <= 4 nodes "
              "added, no fault applied by the wiring",
              "ok" if not problems else "; ".join(problems), not problems,
              "clients call http://api/, the faults aim at the roles, every node is on the bill, and a wiring that "
              "undoes the suite's faults escapes the scenario instead of surviving it",
              f"seed {scenario.seed}; replay: {scenario.replay}")


@pytest.mark.task(2)
@pytest.mark.points(10)
def test_pages_stay_available_through_a_web_crash(request, scenario, reference_replay):
    def measure(run):
        sent = pages(run)
        got = Ledger.availability(sent)
        return f"{got:.2%} of {len(sent)}", got >= 0.995, failures(sent)

    judge(request, scenario, reference_replay, "page availability (t 5-60, a web node down 30-38)", ">= 99.5%",
          measure, "a crashed web node must leave rotation (health checks) and a forward it refused or reset is "
          "tried on another web node")


@pytest.mark.task(3)
@pytest.mark.points(8)
def test_page_latency_p50(request, scenario, reference_replay):
    def measure(run):
        p50 = percentile(Ledger.latencies(pages(run), TIMEOUT["page"]), 50)
        return ms(p50), p50 <= 0.010, ""

    judge(request, scenario, reference_replay, "page latency p50", "<= 10 ms", measure,
          "a page read from the database costs 50 ms; the median page must come from memory")


@pytest.mark.task(3)
@pytest.mark.points(8)
def test_page_latency_p99(request, scenario, reference_replay):
    def measure(run):
        p99 = percentile(Ledger.latencies(pages(run), TIMEOUT["page"]), 99)
        return ms(p99), p99 <= 0.100, ""

    judge(request, scenario, reference_replay, "page latency p99", "<= 100 ms", measure,
          "at worst a page costs one database read; retries and waits for a dead server must stay short")


@pytest.mark.task(3)
@pytest.mark.points(10)
def test_database_reads_per_page(request, scenario, reference_replay):
    def measure(run):
        n = len(pages(run))
        per_page = run.db_gets / n if n else float("inf")
        return f"{per_page:.3f} ({run.db_gets} reads of pages, {n} pages)", per_page <= 0.15, ""

    judge(request, scenario, reference_replay, "database reads per page (t 5-60)", "<= 0.15", measure,
          "the 41 pages fit in memory: once warm, a page costs no database read (the database is the expensive, "
          "shared part)")


@pytest.mark.task(4)
@pytest.mark.points(10)
def test_a_release_shows_within_a_second(request, scenario, reference_replay):
    def measure(run):
        acked = run.release_acked
        if acked is None:
            return "release not acknowledged", False, f"PUT /questions/{RELEASED} must answer 200 once the page is stored"
        after = run.ledger.of("page", acked + 1.0, END, where=lambda r: r.key == RELEASED and r.good)
        stale = [r for r in after if r.detail != 2]
        return (f"{len(after) - len(stale)} of {len(after)} ({len(stale)} stale)", not stale and bool(after),
                "\n".join(f"  t={r.scheduled:.3f} served version {r.detail}" for r in stale[:5]))

    judge(request, scenario, reference_replay, f"release of {RELEASED}: pages from 1 s after its acknowledgement",
          "100% show version 2", measure,
          "an edit the authors released must reach every cache: invalidate the copies on every web node (an "
          "expiry alone serves the old page until it runs out)")


@pytest.mark.task(5)
@pytest.mark.points(12)
def test_runs_are_answered_through_crash_partition_and_burst(request, scenario, reference_replay):
    def measure(run):
        runs = run.ledger.of("run", MEASURE_FROM, END)
        got = Ledger.availability(runs)
        return f"{got:.2%} of {len(runs)}", got >= 0.99, failures(runs)

    judge(request, scenario, reference_replay,
          "run availability (burst at 20, runner-2 down 40-50, runner-1 cut off 44-50)", ">= 99%", measure,
          "a dead, cut-off or busy run server must not fail a run: take it out of rotation, try another, and "
          "wait for a free slot during a burst")


@pytest.mark.task(5)
@pytest.mark.points(8)
def test_run_latency_p90(request, scenario, reference_replay):
    def measure(run):
        p90 = percentile(Ledger.latencies(run.ledger.of("run", MEASURE_FROM, END), TIMEOUT["run"]), 90)
        return f"{p90:.2f} s", p90 <= 2.5, ""

    judge(request, scenario, reference_replay, "run latency p90", "<= 2.5 s", measure,
          "a run takes 0.4 s on a free run server; a run must not wait for a dead or slow one")


@pytest.mark.task(6)
@pytest.mark.points(8)
def test_progress_saves_are_acknowledged(request, scenario, reference_replay):
    def measure(run):
        saves = run.ledger.of("save", MEASURE_FROM, END)
        got = Ledger.availability(saves)
        return f"{got:.2%} of {len(saves)}", got >= 0.99, failures(saves)

    judge(request, scenario, reference_replay, "progress saves acknowledged (200)", ">= 99%", measure,
          "a save the user never sees acknowledged is a save the user retries or loses")


@pytest.mark.task(6)
@pytest.mark.points(6)
def test_progress_reads_return_the_last_acknowledged_save(request, scenario, reference_replay):
    def measure(run):
        saves = {}
        for save in run.ledger.of("save"):
            saves.setdefault(save.key, []).append(save)
        reads = run.ledger.of("progress", MEASURE_FROM, END)
        wrong = []
        for read in reads:
            done = [s for s in saves.get(read.key, []) if s.status == 200 and s.answered < read.scheduled]
            if not read.good:
                wrong.append(f"  t={read.scheduled:.3f} GET /progress/{read.key}: {read.detail or 'no answer'}")
            elif done and read.detail not in {s.body for s in saves[read.key] if s.scheduled >= done[-1].scheduled}:
                wrong.append(f"  t={read.scheduled:.3f} GET /progress/{read.key}: got {read.detail!r}, last "
                             f"acknowledged (t={done[-1].answered:.3f}) {done[-1].body!r}")
        return f"{len(reads) - len(wrong)} of {len(reads)} right", not wrong and bool(reads), "\n".join(wrong[:5])

    judge(request, scenario, reference_replay, "progress reads during the run", "100% show the last acknowledged save",
          measure, "a user who reopens a question expects the code saved there, whichever web node answers")


@pytest.mark.task(6)
@pytest.mark.points(8)
def test_no_acknowledged_save_is_lost(request, scenario, reference_replay):
    def measure(run):
        lost, checked = [], 0
        for key, saves in sorted(run.saves.items()):
            acked = [k for k, _, ok in saves if ok]
            if not acked:
                continue
            checked += 1
            allowed = {code for k, code, _ in saves if k >= acked[-1]}  # the last acked save, or a later one
            status, code = run.final.get(key, (0, "not read"))
            if code not in allowed:
                last = next(code for k, code, _ in saves if k == acked[-1])
                lost.append((key, status, code, last))
        return (f"{len(lost)} of {checked} users' last acknowledged save lost", not lost and checked > 0,
                "\n".join(f"  GET /progress/{u}/{q}: status {s}, code {c!r}; last acknowledged {w!r}"
                          for (u, q), s, c, w in lost[:5]))

    judge(request, scenario, reference_replay, "acknowledged saves readable after the crashes and the settle",
          "0 lost", measure,
          "acknowledge a save only once the database has it: a copy held in a web node's memory dies with it")
