"""Tasks 2-5: the service-level objectives, each graded from the one scenario run (see
conftest.py for the graph, the workload, the faults and the oracle). Latency is virtual time
from a request's scheduled send to its answer at the client (a request with no answer counts
as its timeout); percentiles are nearest-rank; a page is good when it came back 200 in the
feed's shape.

When an objective misses with your own components (``parts``), the suite runs the same wiring
and seed once more with the reference components: if the objective is then met, the message
says to look at your components first; if not, the wiring is at fault."""

import pytest

from sysdesign.capstone import Ledger, grade_slo, judge_slo, percentile

# the scenario's figures (conftest.py)
MEASURE_FROM, END = 5.0, 55.0
TIMEOUT = 2.0
FRESH = 3.0
CELEBRITIES = {"c1", "c2", "c3"}
CELEBRITY_FOLLOWERS = 10_000
PUSHED_FROM, PUSHED_TO = 42.0, 52.0
BUILDS_ON = "caching, hashing, pubsub, rate_limiting"
POST_BURST, POSTS_PER_SECOND, SPAM_FOR = 3, 1.0, 5.0


def ms(seconds):
    return f"{seconds * 1000:.1f} ms"


def pages(run):
    return run.ledger.of("feed", MEASURE_FROM, END)


def describe(page):
    return f"t={page.scheduled:.3f} GET /feed/{page.key} (page {page.body['page']})"


def failures(requests, n=5):
    bad = [r for r in requests if not r.good][:n]
    return "\n".join(f"  {describe(r) if r.cls != 'post' else f't={r.scheduled:.3f} POST /posts {r.body}'}: "
                     f"{r.detail or 'no answer'}" for r in bad)


def judge(request, run, replay, objective, target, measure, why):
    """Grade one objective (``sysdesign.capstone.judge_slo`` with this capstone's parts)."""
    __tracebackhide__ = True
    judge_slo(request, run, replay, objective, target, measure, why, BUILDS_ON)


def missing(run, celebrities, requests):
    """(pages checked, pages missing a post of the kind, details)."""
    good = [r for r in requests if r.good]
    short = []
    for page in good:
        lost = [p for p in page.body["missing"] if (p.key in CELEBRITIES) == celebrities]
        if lost:
            short.append((page, lost))
    details = "\n".join(
        f"  {describe(page)}: missing " + ", ".join(f"{p.body['id']} by {p.key} (acknowledged t={p.answered:.3f})"
                                                     for p in lost[:3])
        for page, lost in short[:5])
    return len(good), len(short), details


@pytest.mark.task(2)
@pytest.mark.points(2)
def test_wiring_has_the_entry_the_roles_and_fits_the_budget(request, scenario):
    problems = scenario.spec_problems
    grade_slo(request, "wiring: entry node, roles, node budget, faults", "api exists, feed and fanout assigned, "
              "<= 8 nodes added, no fault applied by the wiring",
              "ok" if not problems else "; ".join(problems), not problems,
              "clients call http://api/, the faults aim at the roles, every node is on the bill, and a wiring that "
              "undoes the suite's faults escapes the scenario instead of surviving it",
              f"seed {scenario.seed}; replay: {scenario.replay}")


@pytest.mark.task(2)
@pytest.mark.points(8)
def test_feeds_stay_available_through_the_crashes(request, scenario, reference_replay):
    def measure(run):
        sent = pages(run)
        got = Ledger.availability(sent)
        return f"{got:.2%} of {len(sent)}", got >= 0.995, failures(sent)

    judge(request, scenario, reference_replay, "feed availability (t 5-55, a feed node down 30-32, fan-out 40-41)",
          ">= 99.5%", measure,
          "a feed node is a cache: while it is down, the feed can still be built from the post store")


@pytest.mark.task(2)
@pytest.mark.points(6)
def test_posts_are_acknowledged(request, scenario, reference_replay):
    def measure(run):
        sent = run.ledger.of("post", MEASURE_FROM, END)
        got = Ledger.availability(sent)
        return f"{got:.2%} of {len(sent)}", got >= 0.995, failures(sent)

    judge(request, scenario, reference_replay, "posts acknowledged (200)", ">= 99.5%", measure,
          "a post is stored in the post store and handed to the broker: neither the feed nodes nor the fan-out "
          "worker crashing should refuse it")


@pytest.mark.task(2)
@pytest.mark.points(10)
def test_pages_are_newest_first_without_repeats(request, scenario, reference_replay):
    def measure(run):
        good = [r for r in pages(run) + run.final if r.good]
        wrong = [r for r in good if r.body["order"] or r.body["invalid"]]
        details = "\n".join(f"  {describe(r)}: {'; '.join(r.body['order'] + r.body['invalid'])}" for r in wrong[:5])
        return f"{len(good) - len(wrong)} of {len(good)} right", not wrong and bool(good), details

    judge(request, scenario, reference_replay, "pages newest first, no post twice on a scroll, only followed accounts",
          "100%", measure,
          "a cursor that counts positions shifts when posts arrive between two pages and shows a post again: "
          "make the cursor the (ts, id) of the last post shown and start the next page strictly after it")


@pytest.mark.task(3)
@pytest.mark.points(10)
def test_friends_posts_show_within_3_seconds(request, scenario, reference_replay):
    def measure(run):
        checked, short, details = missing(run, False, pages(run))
        share = 1 - short / checked if checked else 0.0
        return f"{share:.2%} of {checked} pages ({short} missing a post)", share >= 0.99 and checked > 0, details

    judge(request, scenario, reference_replay,
          f"friends' posts in the feed {FRESH:g} s after their acknowledgement (t 5-55)", ">= 99% of pages",
          measure, "a post must reach its followers' timelines within seconds, through a fan-out worker crash "
          "(the broker redelivers) and a feed node that lost its memory (rebuild its timelines from the store)")


@pytest.mark.task(3)
@pytest.mark.points(6)
def test_friends_posts_are_pushed_into_timelines(request, scenario, reference_replay):
    def measure(run):
        if not run.timelines_found:
            return "no node.memory['timelines'] on the feed nodes", False, \
                "keep each user's timeline in node.memory['timelines'][user] on the \"feed\" nodes"
        posts = [p for p in run.ledger.of("post", PUSHED_FROM, PUSHED_TO) if p.key not in CELEBRITIES and p.good]
        pairs = sum(len(run.followers[p.key]) for p in posts)
        held = sum(min(run.held.get(p.body["id"], 0), len(run.followers[p.key])) for p in posts)
        share = held / pairs if pairs else 0.0
        return (f"{share:.2%} ({held} of {pairs} follower timelines)", share >= 0.95 and pairs > 0,
                f"  the posts of t {PUSHED_FROM:g}-{PUSHED_TO:g} by ordinary authors, counted in the feed nodes' "
                f"node.memory['timelines'] at t = {END:g}")

    judge(request, scenario, reference_replay, "ordinary posts held in their followers' timelines at t = 55",
          ">= 95%", measure,
          "fan-out on write: a post of an ordinary author goes into each follower's timeline when it is made, so "
          "that a feed read is one lookup instead of a store call per friend")


@pytest.mark.task(3)
@pytest.mark.points(6)
def test_feed_latency_p50(request, scenario, reference_replay):
    def measure(run):
        p50 = percentile(Ledger.latencies(pages(run), TIMEOUT), 50)
        return ms(p50), p50 <= 0.010, ""

    judge(request, scenario, reference_replay, "feed page latency p50", "<= 10 ms", measure,
          "a store call costs 10 ms: the median page must come from a timeline in memory, not from the store")


@pytest.mark.task(3)
@pytest.mark.points(8)
def test_feed_latency_p99(request, scenario, reference_replay):
    def measure(run):
        p99 = percentile(Ledger.latencies(pages(run), TIMEOUT), 99)
        return ms(p99), p99 <= 0.100, ""

    judge(request, scenario, reference_replay, "feed page latency p99", "<= 100 ms", measure,
          "even a page that misses the caches (a rebuilt timeline, a feed node down) must read the store in "
          "parallel, not one friend after another")


@pytest.mark.task(3)
@pytest.mark.points(8)
def test_store_reads_per_feed_page(request, scenario, reference_replay):
    def measure(run):
        n = len(pages(run))
        per_page = run.store_reads / n if n else float("inf")
        return f"{per_page:.2f} ({run.store_reads} reads, {n} pages)", per_page <= 2.0, \
            "  reads counted: GET /posts/<author> and GET /following/<user> on the store, t 5-55"

    judge(request, scenario, reference_replay, "store reads per feed page (t 5-55)", "<= 2", measure,
          "fan-out on read costs a store call per followee on every page; the store is the shared, expensive part")


@pytest.mark.task(4)
@pytest.mark.points(10)
def test_celebrity_posts_cost_few_timeline_writes(request, scenario, reference_replay):
    def measure(run):
        posts = [p for p in run.ledger.of("post", MEASURE_FROM, END) if p.key in CELEBRITIES and p.good]
        if not run.timelines_found:
            return "no node.memory['timelines'] on the feed nodes", False, \
                "keep each user's timeline in node.memory['timelines'][user] on the \"feed\" nodes"
        entries = sum(run.held.get(p.body["id"], 0) for p in posts)
        per_post = entries / len(posts) if posts else 0.0
        return (f"{per_post:.0f} timeline entries per post ({len(posts)} posts)", per_post <= CELEBRITY_FOLLOWERS / 100
                and bool(posts), f"  a celebrity has {CELEBRITY_FOLLOWERS:,} followers; entries counted at t = {END:g}")

    judge(request, scenario, reference_replay, "timeline writes per celebrity post",
          f"<= {CELEBRITY_FOLLOWERS // 100} (1% of the followers)", measure,
          "pushing a celebrity's post costs a write per follower (100 million of them: minutes of the whole "
          "fleet's work): pull celebrities' recent posts at read time and merge them in instead")


@pytest.mark.task(4)
@pytest.mark.points(8)
def test_celebrity_posts_show_within_3_seconds(request, scenario, reference_replay):
    def measure(run):
        checked, short, details = missing(run, True, pages(run))
        share = 1 - short / checked if checked else 0.0
        return f"{share:.2%} of {checked} pages ({short} missing a post)", share >= 0.99 and checked > 0, details

    judge(request, scenario, reference_replay,
          f"celebrities' posts in the feed {FRESH:g} s after their acknowledgement (burst at 40-45)",
          ">= 99% of pages", measure,
          "a cached celebrity list must not outlive the freshness bound: keep it for a second or so, or replace "
          "it when the celebrity posts")


@pytest.mark.task(5)
@pytest.mark.points(12)
def test_no_acknowledged_post_is_lost(request, scenario, reference_replay):
    def measure(run):
        good = [r for r in run.final if r.good]
        lost = [(r, p) for r in good for p in r.body["missing"]]
        details = failures(run.final, 3)
        if lost:
            details += "\n" + "\n".join(f"  GET /feed/{r.key}: {p.body['id']} by {p.key} (acknowledged "
                                        f"t={p.answered:.3f}) is not in the page" for r, p in lost[:5])
        ok = not lost and len(good) == len(run.final) and bool(good)
        return (f"{len(lost)} posts missing from {len(good)} feeds ({len(run.final) - len(good)} unanswered)", ok,
                details.strip("\n"))

    judge(request, scenario, reference_replay,
          "acknowledged posts in their followers' feeds after the crashes and the settle", "0 lost", measure,
          "the timelines are a cache: a feed node that lost its memory must rebuild them from the post store, "
          "never serve what little it holds as the whole feed")


@pytest.mark.task(6)
@pytest.mark.points(8)
def test_a_spammer_is_held_to_the_posting_rate(request, scenario, reference_replay):
    def measure(run):
        spam = run.ledger.of("spam")
        taken = [p for p in spam if p.status == 200]
        refused = [p for p in spam if p.status == 429]
        most = POST_BURST + POSTS_PER_SECOND * SPAM_FOR + 1
        least = POSTS_PER_SECOND * SPAM_FOR
        other = [p for p in spam if p.status not in (200, 429)]
        details = (f"  {run.spammer} sent {len(spam)} posts in {SPAM_FOR:g} s; the limit lets {POST_BURST} through "
                   f"at once and {POSTS_PER_SECOND:g} a second after that")
        if other:
            details += "\n" + failures(other, 3)
        ok = least <= len(taken) <= most and len(taken) + len(refused) == len(spam)
        return (f"{len(taken)} taken, {len(refused)} refused with 429, {len(other)} otherwise", ok, details)

    judge(request, scenario, reference_replay, "a spammer's posts taken (10 a second for 5 s)",
          f"{POSTS_PER_SECOND * SPAM_FOR:g} to {POST_BURST + POSTS_PER_SECOND * SPAM_FOR + 1:g}, the rest 429",
          measure, "every post an author makes costs a write per follower: one account posting ten a second "
                   "floods the fan-out and its followers' feeds; hold each author to the posting rate")


@pytest.mark.task(6)
@pytest.mark.points(4)
def test_honest_authors_are_never_limited(request, scenario, reference_replay):
    def measure(run):
        posts = run.ledger.of("post")
        refused = [p for p in posts if p.status == 429]
        return (f"{len(refused)} of {len(posts)} refused with 429", not refused,
                "\n".join(f"  t={p.scheduled:.3f} POST /posts by {p.key}: 429" for p in refused[:5]))

    judge(request, scenario, reference_replay, "posts of authors within the rate (1.5 s apart or more)", "none refused",
          measure, "a limit is per author: a spammer must not spend the tokens of everybody else")
