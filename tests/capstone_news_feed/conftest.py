"""The news feed capstone's scenario: the suite-owned post store, the social graph, the clients,
the seeded open-loop workload, the oracle and the faults, run once per module; every SLO test
reads the record it leaves.

The graph: 300 active users (``u0`` .. ``u299``) who post and read, friends with each other by
preferential attachment (a power law: most have a handful of friends, a few have dozens; a
friendship is a follow both ways); 9,700 passive users (``v0`` .. ``v9699``) who only read;
three celebrities (``c1`` .. ``c3``) followed by all 10,000 users.

Timeline (virtual seconds): 0-5 warm-up (never measured). Posts Poisson 5/s from 1 to 55 by
active users (authors drawn by their number of friends, one post in flight per author at a
time: an author's posts are at least 1.5 s apart), each celebrity posting every 10 s on
average, and twice more each between 40 and 45 (a hot-account burst). Feed reads Poisson 15/s
(90% by active users, 10% by the first 100 passive users), 10 posts a page; 40% of readers
scroll: the next page, with the cursor of the first, 1 s later. A burst of 60 reads at 20-20.5.
The active user with the most friends posts nothing of the above, but 10 posts a second from 25
to 30 (a spammer: the wiring lets one author post 3 at once and one a second after that).
Faults: the second "feed" node crashes at 30 (its memory is lost) and restarts at 32; the
first "fanout" node crashes at 40 and restarts at 41; from 42 to 50, one message in five to it
(the broker's deliveries) arrives twice. Traffic ends at 55 (the timelines are
counted then); settle: heal, restart what is down, 5 s; then every second active user and 10
passive ones read a first page of 20.

The oracle judges a page from the posts sent and acknowledged around it: it may show any post
by someone the reader follows sent before the answer; it must show every such post
acknowledged at least ``FRESH`` seconds before the read was sent that falls in the range the
page covers (newer than its last post when the page is full; every older one too when it is
not; for a second page, older than the first page's last post).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from sysdesign.capstone import Ledger, Request, Spec, builds_on, scenario_fixtures

SLUG = "capstone_news_feed"
HERE = Path(__file__).parent
BUILDS_ON = builds_on(HERE / "exercise.toml")
SEED = 20261210

ACTIVE = [f"u{i}" for i in range(300)]
PASSIVE = [f"v{i}" for i in range(9_700)]
CELEBRITIES = ["c1", "c2", "c3"]
FRIENDS_EACH = 4                               # preferential attachment: links per new user
STORE_TIME = 0.01                              # every store call costs 10 ms
BUDGET = 8
MEASURE_FROM, END, SETTLE = 5.0, 55.0, 5.0
POST_RATE, CELEBRITY_RATE, AUTHOR_GAP = 5.0, 0.1, 1.5
BURST_AT, BURST_POSTS = 40.0, 2
READ_RATE, PASSIVE_SHARE, READERS_PASSIVE, SCROLL_SHARE, SCROLL_AFTER = 15.0, 0.1, 100, 0.4, 1.0
READ_BURST_AT, READ_BURST = 20.0, 60
PAGE, FINAL_PAGE = 10, 20
FRESH = 3.0
POST_LIMIT = {"burst": 3, "per_second": 1.0}   # what the wiring lets one author post
SPAM_AT, SPAM_RATE, SPAM_FOR = 25.0, 10.0, 5.0  # the best-followed active user posts 10/s for 5 s
FEED_CRASH, FEED_RESTART = 30.0, 32.0
FANOUT_CRASH, FANOUT_RESTART = 40.0, 41.0
DUPLICATES, DUPLICATE_SHARE = (42.0, 50.0), 0.2
TIMEOUT = {"post": 2.0, "feed": 2.0}


def social_graph(rng) -> tuple[dict, dict]:
    """``following[user]`` and ``followers[user]`` (sorted lists) of the scenario's graph."""
    friends: dict[str, set] = {u: set() for u in ACTIVE}
    ends: list[str] = []                      # one entry per link end: preferential attachment
    for i, user in enumerate(ACTIVE):
        chosen: set[str] = set()
        while len(chosen) < min(i, FRIENDS_EACH):
            other = rng.choice(ends) if ends and rng.random() < 0.8 else ACTIVE[rng.randrange(i)]
            chosen.add(other)
        for other in sorted(chosen):
            friends[user].add(other)
            friends[other].add(user)
            ends += [user, other]
    following = {u: sorted(friends[u]) + CELEBRITIES for u in ACTIVE}
    following.update({v: list(CELEBRITIES) for v in PASSIVE})
    followers = {u: sorted(friends[u]) for u in ACTIVE}
    followers.update({c: ACTIVE + PASSIVE for c in CELEBRITIES})
    return following, followers


@dataclass
class Run:
    """What one scenario run left: the ledger, the graph and the counters the SLO tests read."""

    seed: int
    ledger: Ledger
    spec_problems: list[str]
    roles: dict
    following: dict = field(default_factory=dict)
    followers: dict = field(default_factory=dict)
    store_reads: int = 0                           # feed-side store reads (recent posts, following), t 5-55
    held: dict = field(default_factory=dict)      # post id -> timelines holding it at t = 55
    timelines_found: bool = False
    spammer: str = ""
    final: list = field(default_factory=list)     # the settle's reads (Requests, judged)
    fallbacks: list = field(default_factory=list)
    replay: str = ""
    reference_parts: bool = True


class Store:
    """The post store (the suite's): durable (``node.durable``), 10 ms a call, over HTTP."""

    def __init__(self, node, following, followers):
        self.node, self.feed_reads = node, 0
        data = node.durable.setdefault("store", {"posts": {}, "by_author": {}})
        self.data, self.following, self.followers = data, following, followers
        node.route("POST", "/posts", self.post)
        node.route("GET", "/posts/<author>", self.recent)
        node.route("GET", "/following/<user>", self.get_following)
        node.route("GET", "/followers/<user>", self.get_followers)

    def post(self, req):
        time.sleep(STORE_TIME)
        body = req.json()
        if not isinstance(body, dict) or not {"id", "author", "ts"} <= set(body):
            return 400, {}, {"error": "a post is a JSON object with id, author, ts and text"}
        record = {"id": str(body["id"]), "author": str(body["author"]), "ts": float(body["ts"]),
                  "text": str(body.get("text", ""))}
        if record["id"] not in self.data["posts"]:
            self.data["posts"][record["id"]] = record
            self.data["by_author"].setdefault(record["author"], []).append(record)
        return 200, {}, {"id": record["id"]}

    def recent(self, req):
        self.feed_reads += 1
        time.sleep(STORE_TIME)
        try:
            limit = max(1, min(int(req.query.get("limit", 50)), 200))
        except ValueError:
            return 400, {}, {"error": "limit is a number"}
        posts = sorted(self.data["by_author"].get(req.params["author"], []), key=lambda p: (p["ts"], p["id"]),
                       reverse=True)
        return 200, {}, posts[:limit]

    def get_following(self, req):
        self.feed_reads += 1
        time.sleep(STORE_TIME)
        return 200, {}, self.following.get(req.params["user"], [])

    def get_followers(self, req):
        time.sleep(STORE_TIME)
        return 200, {}, self.followers.get(req.params["user"], [])


class Scenario:
    def __init__(self, cluster, capstone, parts):
        self.cluster, self.capstone, self.parts = cluster, capstone, parts
        self.ledger = Ledger()
        self.problems: list[BaseException] = []
        self.following, self.followers = social_graph(cluster.random("graph"))
        self.store_node = cluster.add_node("store")
        self.store = Store(self.store_node, self.following, self.followers)
        self.clients = cluster.add_node("clients")
        self.session = cluster.session()
        self.spec = Spec(cluster, budget=BUDGET, entry="api", store="store", celebrities=list(CELEBRITIES),
                         page=PAGE, post_limit=dict(POST_LIMIT), roles={"feed": "the nodes holding the timelines; the suite crashes the second",
                                           "fanout": "the nodes pushing posts into timelines; the suite crashes "
                                                     "the first"})
        self.spammer = max(ACTIVE, key=lambda u: (len(self.followers[u]), u))
        self.run = Run(cluster.seed, self.ledger, [], {}, following=self.following, followers=self.followers,
                       spammer=self.spammer)
        self.suite_faulting, self.foreign_faults = False, []
        self.scrolls = 0
        record = cluster.trace.record

        def record_faults(kind, node, peer="", data=None):  # faults are the suite's alone
            if kind == "fault" and not self.suite_faulting:
                self.foreign_faults.append(f"t={cluster.now():.3f} {node}: {data}")
            record(kind, node, peer, data)

        cluster.trace.record = record_faults

    def fault(self, *args, **kwargs) -> None:
        self.suite_faulting = True
        try:
            self.cluster.fault(*args, **kwargs)
        finally:
            self.suite_faulting = False

    # -- the load generator -----------------------------------------------------------------------
    def _call(self, request: Request, method: str, path: str, body=None, timeout=2.0):
        """One call through the API; the answer's JSON (None when there is none)."""
        try:
            answer = self.session.request(method, f"http://api{path}", json=body, timeout=timeout)
        except requests.RequestException as exc:
            request.detail = type(exc).__name__
            return None
        except NotImplementedError as exc:
            self.problems.append(exc)
            return None
        request.answered, request.status = self.cluster.now(), answer.status_code
        if answer.status_code != 200:
            request.detail = f"status {answer.status_code}"
            return None
        try:
            return answer.json()
        except ValueError:
            request.detail = f"not JSON: {answer.text[:60]!r}"
            return None

    def _post(self, request: Request) -> None:
        self._call(request, "POST", "/posts", request.body, TIMEOUT["post"])
        request.good = request.status == 200

    def _read(self, request: Request, cursor=None, then=None) -> None:
        path = f"/feed/{request.key}?limit={request.body['limit']}"
        if cursor:
            path += "&cursor=" + requests.utils.quote(str(cursor), safe="")
        got = self._call(request, "GET", path, None, TIMEOUT["feed"])
        if got is None:
            return
        posts = got.get("posts") if isinstance(got, dict) else None
        if not isinstance(posts, list) or not all(
                isinstance(p, dict) and isinstance(p.get("id"), str) and isinstance(p.get("ts"), (int, float))
                and not isinstance(p.get("ts"), bool) for p in posts):
            request.detail = f"not {{'posts': [{{'id', 'author', 'ts'}}...], 'next'}}: {str(got)[:80]}"
            return
        request.good = True
        request.detail = [(float(p["ts"]), p["id"], p.get("author")) for p in posts]
        request.body["next"] = got.get("next")
        if then is not None and got.get("next"):
            self.scrolls += 1
            delay = max(0.0, request.scheduled + SCROLL_AFTER - self.cluster.now())
            follow = Request("feed", request.key, request.scheduled + SCROLL_AFTER,
                             body={"limit": PAGE, "page": 2, "first": request})
            self.ledger.add(follow)
            self.clients.spawn(self._read, follow, got["next"], delay=delay)

    def workload(self) -> None:
        rng = self.cluster.random("workload")
        weights = [len(self.followers[u]) if u != self.spammer else 0 for u in ACTIVE]
        last_post: dict[str, float] = {}
        posts, n = [], 0

        def add(t, author):
            nonlocal n
            if t - last_post.get(author, -math.inf) < AUTHOR_GAP:
                return
            last_post[author] = t
            n += 1
            posts.append((t, author, f"p{n}"))

        t = 1.0
        while True:
            t += rng.expovariate(POST_RATE)
            if t >= END:
                break
            add(t, rng.choices(ACTIVE, weights)[0])
        for celebrity in CELEBRITIES:
            t = 1.0
            while True:
                t += rng.expovariate(CELEBRITY_RATE)
                if t >= END:
                    break
                add(t, celebrity)
        for i, celebrity in enumerate(CELEBRITIES):
            for k in range(BURST_POSTS):
                last_post.pop(celebrity, None)
                add(BURST_AT + 0.3 * i + 2.5 * k, celebrity)
        posts.sort()
        last_post.clear()
        for t, author, pid in posts:
            if t - last_post.get(author, -math.inf) < AUTHOR_GAP:
                continue
            last_post[author] = t
            body = {"id": pid, "author": author, "ts": round(t, 6), "text": f"{author} says {pid}"}
            request = self.ledger.add(Request("post", author, round(t, 6), body=body))
            self.clients.spawn(self._post, request, delay=request.scheduled)
        for i in range(int(SPAM_RATE * SPAM_FOR)):
            t = round(SPAM_AT + i / SPAM_RATE, 6)
            body = {"id": f"s{i + 1}", "author": self.spammer, "ts": t, "text": f"buy now #{i + 1}"}
            request = self.ledger.add(Request("spam", self.spammer, t, body=body))
            self.clients.spawn(self._post, request, delay=t)
        reads = []
        t = 1.0
        while True:
            t += rng.expovariate(READ_RATE)
            if t >= END:
                break
            reads.append(t)
        reads += [READ_BURST_AT + 0.5 * i / READ_BURST for i in range(READ_BURST)]
        for t in sorted(reads):
            user = (rng.choice(PASSIVE[:READERS_PASSIVE]) if rng.random() < PASSIVE_SHARE else rng.choice(ACTIVE))
            scroll = rng.random() < SCROLL_SHARE
            request = self.ledger.add(Request("feed", user, t, body={"limit": PAGE, "page": 1}))
            self.clients.spawn(self._read, request, None, scroll or None, delay=t)

    # -- the run ----------------------------------------------------------------------------------
    def faults(self) -> None:
        at = self.cluster.at
        feeds, fanouts = self.spec.roles.get("feed", []), self.spec.roles.get("fanout", [])
        if len(feeds) > 1:
            at(FEED_CRASH, self.fault, "crash", feeds[1])
            at(FEED_RESTART, self.fault, "restart", feeds[1])
        if fanouts:
            at(FANOUT_CRASH, self.fault, "crash", fanouts[0])
            at(FANOUT_RESTART, self.fault, "restart", fanouts[0])
            at(DUPLICATES[0], self.duplicate_into, fanouts[0])
            at(DUPLICATES[1], self.fault, "reset_links")

    def duplicate_into(self, name: str) -> None:
        """Every message to ``name`` (the broker's deliveries) delivered twice with some probability."""
        for other in list(self.cluster.nodes):
            if other != name:
                self.fault("duplicate", other, name, DUPLICATE_SHARE, both_ways=False)

    def count_timelines(self) -> None:
        held: dict[str, int] = {}
        for name in self.spec.roles.get("feed", []):
            timelines = self.cluster.nodes[name].memory.get("timelines")
            if not isinstance(timelines, dict):
                continue
            self.run.timelines_found = True
            for entries in timelines.values():
                for entry in entries if isinstance(entries, (list, tuple)) else ():
                    pid = entry.get("id") if isinstance(entry, dict) else entry
                    if isinstance(pid, str):
                        held[pid] = held.get(pid, 0) + 1
        self.run.held = held

    def execute(self) -> Run:
        c = self.cluster
        self.capstone.wire(c, self.parts, self.spec)
        self.run.spec_problems, self.run.roles = self.spec.problems(), dict(self.spec.roles)
        self.workload()
        self.faults()
        reads = {}
        c.at(MEASURE_FROM, lambda: reads.__setitem__("start", self.store.feed_reads))
        c.at(END, lambda: reads.__setitem__("end", self.store.feed_reads))
        c.at(END, self.count_timelines)
        c.run_to(END)
        self._raise_not_started()
        self.run.store_reads = reads["end"] - reads["start"]
        self.suite_faulting = True  # the settle: heal, restart what is down
        try:
            c.heal()
            c.reset_links()
            for name in list(c.nodes):
                if c.nodes[name].status != "up":
                    c.restart(name)
        finally:
            self.suite_faulting = False
        c.run_for(TIMEOUT["feed"] + SETTLE)
        readers = ACTIVE[::2] + PASSIVE[:10]
        start = c.now()
        for i, user in enumerate(readers):  # one every 10 ms: a burst of tasks at one instant would nest too deep
            request = Request("final", user, start + 0.01 * i, body={"limit": FINAL_PAGE, "page": 1})
            self.run.final.append(request)
            self.clients.spawn(self._read, request, delay=0.01 * i)
        c.run_for(0.01 * len(readers) + TIMEOUT["feed"] + 0.5)
        self._raise_not_started()
        self.run.fallbacks = list(self.parts.fallbacks)
        if self.foreign_faults:
            self.run.spec_problems.append("the wiring applied faults itself (crash, restart, partition, heal, "
                                          "slow... are the suite's alone): " + "; ".join(self.foreign_faults[:3]))
        Oracle(self.ledger, self.following).judge(self.ledger.requests + self.run.final)
        return self.run

    def _raise_not_started(self):
        if self.problems:
            raise self.problems[0]


class Oracle:
    """Judges every page: what it may show, what it must show, and its order."""

    def __init__(self, ledger: Ledger, following: dict) -> None:
        self.following = {u: set(f) for u, f in following.items()}
        self.posts = sorted(ledger.of("post") + ledger.of("spam"), key=lambda r: r.scheduled)

    def judge(self, requests_: list) -> None:
        for request in requests_:
            if request.cls in ("feed", "final") and request.good:
                self.judge_page(request)

    def judge_page(self, page: Request) -> None:
        user, items, limit = page.key, page.detail, page.body["limit"]
        follows = self.following.get(user, set())
        sent = {p.body["id"]: p for p in self.posts if p.scheduled <= page.answered and not 400 <= p.status < 500}
        page.body.update(invalid=[], order=[], missing=[])
        for ts, pid, _ in items:
            post = sent.get(pid)
            if post is None or post.key not in follows:
                page.body["invalid"].append(f"{pid} is not a post by someone {user} follows, sent before the answer "
                                            "and not refused")
            elif ts != post.body["ts"]:
                page.body["invalid"].append(f"{pid} shown with ts {ts}, posted with {post.body['ts']}")
        keys = [(ts, pid) for ts, pid, _ in items]
        if any(a <= b for a, b in zip(keys, keys[1:])):
            page.body["order"].append(f"not newest first without repeats: {[pid for _, pid in keys][:12]}")
        upper = (math.inf, "")
        first = page.body.get("first")
        if first is not None:
            before = [(ts, pid) for ts, pid, _ in first.detail]
            repeated = sorted({pid for _, pid in keys} & {pid for _, pid in before})
            if repeated:
                page.body["order"].append(f"repeats {', '.join(repeated[:5])} from the first page")
            elif before and keys and keys[0] >= before[-1]:
                page.body["order"].append(f"starts at {keys[0][1]}, not older than the first page's last post "
                                          f"{before[-1][1]}")
            if before:
                upper = before[-1]
        lower = keys[-1] if len(keys) >= limit else (-math.inf, "")
        shown = {pid for _, pid in keys}
        for post in self.posts:
            if (post.key in follows and post.status == 200 and post.answered <= page.scheduled - FRESH
                    and lower < (post.body["ts"], post.body["id"]) < upper and post.body["id"] not in shown):
                page.body["missing"].append(post)


capstone, scenario, reference_replay = scenario_fixtures(SLUG, Scenario, BUILDS_ON, seed=SEED, folder="feed")
