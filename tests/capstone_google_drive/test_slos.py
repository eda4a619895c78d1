"""Tasks 2-6: the service-level objectives, each graded from the one scenario run (see
conftest.py for the workload, the oracle and the faults). Latency is virtual time from a
request's scheduled send to its answer at the client (a request with no answer counts as its
timeout); percentiles are nearest-rank. A request is *available* when it got, in time, the
status the oracle allows (200; 403 or 404 where the user has no access or the file is gone;
409 where the request must be refused), and *right* when what it showed is a state the
acknowledged writes allow.

When an objective misses with your own components (``parts``), the suite runs the same wiring
and seed once more with the reference components: if the objective is then met, the message
says to look at your components first; if not, the wiring is at fault."""

import hashlib

import pytest

from sysdesign.capstone import Ledger, grade_slo, judge_slo, percentile

# the scenario's figures (conftest.py)
MEASURE_FROM, END = 5.0, 55.0
TIMEOUT = {"upload": 5.0, "download": 2.0, "meta": 1.0, "write": 5.0}
BLOCK, REPLICAS, GRACE = 16_384, 2, 1.0
REVOKED, REVOKED_FROM = "u0-f0", "u1"
BUILDS_ON = "specialized_storage, hashing, replication, caching"


def ms(seconds):
    return f"{seconds * 1000:.1f} ms"


def describe(op):
    return f"  t={op.scheduled:.3f} {op.user} {op.cls} {op.key}: {op.detail or 'no answer'}"


def judge(request, run, replay, objective, target, measure, why):
    """Grade one objective (``sysdesign.capstone.judge_slo`` with this capstone's parts)."""
    __tracebackhide__ = True
    judge_slo(request, run, replay, objective, target, measure, why, BUILDS_ON)


def window(run, cls=None):
    return [r for r in run.ledger.requests
            if MEASURE_FROM <= r.scheduled < END and (cls is None or r.cls == cls)]


@pytest.mark.task(2)
@pytest.mark.points(2)
def test_wiring_has_the_entry_the_roles_and_fits_the_budget(request, scenario):
    problems = scenario.spec_problems
    grade_slo(request, "wiring: entry node, roles, node budget, faults", "api exists, blocks and metadata "
              "assigned, <= 8 nodes added, no fault applied by the wiring",
              "ok" if not problems else "; ".join(problems), not problems,
              "clients call http://api/, the faults aim at the roles, every node is on the bill, and a wiring that "
              "undoes the suite's faults escapes the scenario instead of surviving it",
              f"seed {scenario.seed}; replay: {scenario.replay}")


@pytest.mark.task(2)
@pytest.mark.points(10)
def test_metadata_reads_show_the_acknowledged_state(request, scenario, reference_replay):
    def measure(run):
        reads = [r for r in run.ledger.of("meta") if r.status == 200 and not r.violation]
        wrong = [r for r in reads if not r.right]
        return (f"{len(reads) - len(wrong)} of {len(reads)} right", not wrong and bool(reads),
                "\n".join(describe(r) for r in wrong[:5]))

    judge(request, scenario, reference_replay, "file details and folder listings", "100% show an acknowledged "
          "state", measure, "a rename, a move, a delete or a new version the user saw acknowledged must show in "
          "the next listing, and a listing never shows what was never written")


@pytest.mark.task(3)
@pytest.mark.points(12)
def test_downloads_return_exactly_the_uploaded_bytes(request, scenario, reference_replay):
    def measure(run):
        served = [r for r in run.ledger.of("download") if r.status == 200 and not r.violation]
        wrong = [r for r in served if not r.right]
        return (f"{len(served) - len(wrong)} of {len(served)} byte-identical (SHA-256)", not wrong and bool(served),
                "\n".join(describe(r) for r in wrong[:5]))

    judge(request, scenario, reference_replay, f"downloads (copies corrupted at 28: {scenario.corrupted})",
          "100% the bytes of the last acknowledged version (or a later one)", measure,
          "a disk flips bits: check every block's hash when reading it and read the other copy when it does not "
          "match; a download also never mixes blocks of two versions")


@pytest.mark.task(3)
@pytest.mark.points(10)
def test_identical_blocks_are_stored_once(request, scenario, reference_replay):
    def measure(run):
        limit = 1.1 * REPLICAS * run.distinct_bytes
        ratio = run.stored_bytes / (REPLICAS * run.distinct_bytes) if run.distinct_bytes else float("inf")
        return (f"{run.stored_bytes:,} bytes = {ratio:.2f} x {REPLICAS} x {run.distinct_bytes:,} distinct",
                0 < run.stored_bytes <= limit, "")

    judge(request, scenario, reference_replay, "bytes on the block nodes' disks after the settle",
          f"<= 1.1 x {REPLICAS} copies of the distinct blocks uploaded", measure,
          "40% of new files are copies of the same attachments and most new versions change one block: name each "
          "block by its hash and store it once per copy (the bill is disks), and keep exactly two copies")


def last_uploads(run):
    """For each file that must still exist after the settle (a new version acknowledged, no
    delete tried since): (its last acknowledged upload, the contents it may have now)."""
    out = {}
    for fid in sorted(run.final):
        writes = [r for r in run.ledger.requests if r.target == fid and r.write]
        acked = [w for w in writes if w.status == 200 and "content" in w.changes]
        if not acked:
            continue
        last = acked[-1]
        later = [w for w in writes if w.scheduled > last.scheduled and w.status not in (400, 403, 404, 409)]
        if any("exists" in w.changes for w in later):
            continue  # deleted, or maybe deleted, afterwards
        out[fid] = (last, {last.changes["content"]} | {w.changes["content"] for w in later if "content" in w.changes})
    return out


@pytest.mark.task(4)
@pytest.mark.points(16)
def test_no_acknowledged_upload_is_lost(request, scenario, reference_replay):
    def measure(run):
        lost, files = [], last_uploads(run)
        for fid, (last, allowed) in files.items():
            status, got = run.final[fid]
            if status != 200 or got not in allowed:
                lost.append(f"  GET /files/{fid} by its owner after the settle: status {status}, "
                            f"{'sha256 ' + got[:12] if status == 200 else got}; last acknowledged upload "
                            f"t={last.scheduled:.3f}, sha256 {last.changes['content'][:12]}")
        return f"{len(lost)} of {len(files)} files lost or changed", not lost and bool(files), "\n".join(lost[:5])

    judge(request, scenario, reference_replay, "acknowledged uploads after a lost disk, crashes and the settle",
          "0 lost", measure,
          "acknowledge an upload only once every block is on two block nodes' disks and the manifest is in the "
          "metadata store: a block held by one node dies with its disk")


@pytest.mark.task(4)
@pytest.mark.points(8)
def test_every_block_has_two_good_copies_after_the_settle(request, scenario, reference_replay):
    def measure(run):
        short, checked = [], 0
        for fid, (last, allowed) in last_uploads(run).items():
            status, got = run.final[fid]
            data = run.contents[got if status == 200 and got in allowed else last.changes["content"]]
            for offset in range(0, len(data), BLOCK):
                checked += 1
                holders = run.holders.get(hashlib.sha256(data[offset:offset + BLOCK]).hexdigest(), set())
                if len(holders) < REPLICAS:
                    short.append(f"  block {offset // BLOCK} of {fid}: good copies on {sorted(holders) or 'no node'}")
        return (f"{len(short)} of {checked} blocks with fewer than {REPLICAS} good copies", not short and checked > 0,
                "\n".join(short[:5]))

    judge(request, scenario, reference_replay, "good copies of every block of every file, 10 s after the settle",
          f">= {REPLICAS} on distinct block nodes", measure,
          "a lost disk or a corrupted copy leaves one copy: copy it back (a repair pass comparing what each block "
          "node holds with what the files need), or the next failure loses the file")


@pytest.mark.task(4)
@pytest.mark.points(6)
def test_downloads_stay_available_through_block_node_faults(request, scenario, reference_replay):
    def measure(run):
        sent = window(run, "download")
        got = Ledger.availability(sent)
        return f"{got:.2%} of {len(sent)}", got >= 0.995, "\n".join(describe(r) for r in sent if not r.good)

    judge(request, scenario, reference_replay, "download availability (a disk lost at 19.5, a block node down 44-49)",
          ">= 99.5%", measure,
          "each block has two copies: read the other one when a node refuses, times out or has lost it, and "
          "upload to the next live node while a placement node is down")


@pytest.mark.task(5)
@pytest.mark.points(8)
def test_metadata_read_latency_p99(request, scenario, reference_replay):
    def measure(run):
        p99 = percentile(Ledger.latencies(window(run, "meta"), TIMEOUT["meta"]), 99)
        return ms(p99), p99 <= 0.050, ""

    judge(request, scenario, reference_replay, "file details and listings p99 (metadata primary down 35-37)",
          "<= 50 ms", measure,
          "a crashed metadata primary must not hold reads up: a synchronous replica holds every acknowledged "
          "write, so read from it while the primary is gone")


@pytest.mark.task(5)
@pytest.mark.points(8)
def test_requests_stay_available_through_the_crashes(request, scenario, reference_replay):
    def measure(run):
        classes = sorted({r.cls for r in window(run)})
        got = {cls: Ledger.availability(window(run, cls)) for cls in classes}
        worst = min(got.values(), default=0.0)
        return (", ".join(f"{cls} {got[cls]:.2%} of {len(window(run, cls))}" for cls in classes), worst >= 0.995,
                "\n".join(describe(r) for r in window(run) if not r.good)[:1200])

    judge(request, scenario, reference_replay, "availability of each kind of request, t 5-55", ">= 99.5% each",
          measure, "one crashed node (a metadata node, a block node) must not fail requests: the metadata on a "
          "replicated pair whose replica answers reads at once, each block on two nodes")


@pytest.mark.task(6)
@pytest.mark.points(6)
def test_no_one_sees_a_file_not_shared_with_them(request, scenario, reference_replay):
    def measure(run):
        bad = [r for r in run.ledger.requests if r.violation]
        probes = [r for r in run.ledger.requests if r.key.startswith(("probe", "revoked"))]
        return (f"{len(bad)} served without access ({len(probes)} probes)", not bad,
                "\n".join(f"  t={r.scheduled:.3f} {r.violation} ({r.cls} {r.key}, status {r.status})"
                          for r in bad[:5]))

    judge(request, scenario, reference_replay, "reads and writes without access",
          f"0 served (a share or revocation counts from {GRACE:g} s after its acknowledgement)", measure,
          "check the permission on every request, and when it is cached, drop the cached copy on every change "
          "of the file's shares")


@pytest.mark.task(6)
@pytest.mark.points(4)
def test_a_revoked_share_stops_within_a_second(request, scenario, reference_replay):
    def measure(run):
        attr = f"access:{REVOKED_FROM}"
        revoke = run.ledger.of("write", where=lambda r: r.target == REVOKED and attr in r.changes
                               and r.changes[attr] is None)
        if not revoke or revoke[-1].status != 200:
            return "revocation not acknowledged", False, f"DELETE /shares/{REVOKED}/{REVOKED_FROM} must answer 200"
        acked = revoke[-1].answered
        reads = run.ledger.of("download", where=lambda r: r.key == f"revoked {REVOKED}")
        before = [r for r in reads if r.scheduled < revoke[-1].scheduled]
        after = [r for r in reads if r.scheduled >= acked + GRACE]
        served = [r for r in after if r.status == 200]
        refused = [r for r in before if r.status != 200]
        return (f"{len(served)} of {len(after)} reads after served; {len(before) - len(refused)} of {len(before)} "
                f"before served", not served and not refused and bool(after),
                "\n".join(f"  t={r.scheduled:.3f} status {r.status}" for r in (served + refused)[:5]))

    judge(request, scenario, reference_replay, f"{REVOKED_FROM} reading {REVOKED} while its owner revokes the share",
          f"served before, refused from {GRACE:g} s after the revocation's acknowledgement", measure,
          "a revocation is a promise to the owner: the permission cached on a front end must be dropped when the "
          "share changes, not left to expire")
