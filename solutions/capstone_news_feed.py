"""Reference wiring for the news feed capstone.

``api``: the entry. A post is stored in the post store, then published to the broker (topic
``posts``, keyed by its author, so one author's posts fan out in order) and acknowledged once
the broker has it. A feed page is the user's timeline from the feed shard that owns the user
(a consistent-hash ring over the feed nodes), merged with the recent posts of the celebrities
the user follows (pulled from the store at read time through a one-second cache on ``api``),
newest first, cut at a cursor (the sort key of the last post shown). Each author's posts
pass a token bucket on ``api`` first (``spec.post_limit``); one past it is refused with 429. ``fanout-1``: an
idempotent consumer of the broker that pushes an ordinary author's post into the timelines of
every follower (one batch per shard); a celebrity's post is never pushed. ``feed-1..3``: the
timelines in memory, newest ``TIMELINE_LENGTH`` posts per user, inserts de-duplicated by post
id. A feed node that restarts knows it lost its memory (a marker on its disk) and has every
timeline rebuilt from the store on first read, merged with what was pushed meanwhile; while a
feed node is down, ``api`` builds the page from the store itself.

Limits: the inserts travel as messages; one lost on the way to a feed node that stays up (a
partition between the fan-out node and it, which this scenario does not apply) leaves that
post out of those timelines until the node restarts. An acknowledgement from the feed nodes,
with the broker's delivery acknowledged only after them, would close that gap.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import requests

REQUIREMENTS = {
    "daily_active_users": 1_000_000_000,
    "feed_loads_per_user_per_day": 5,
    "posts_per_user_per_day": 1,
    "friends_per_user": 200,
    "post_bytes": 1_000,
    "timeline_ids": 500,
    "id_bytes": 8,
    "largest_followers": 100_000_000,
}

SECONDS_PER_DAY = 86_400
FEEDS = ["feed-1", "feed-2", "feed-3"]
FANOUT = "fanout-1"
BROKER = "broker"
TIMELINE_LENGTH = 200
CELEBRITY_TTL = 1.0


def estimate(requirements: dict) -> dict:
    r = requirements
    reads = r["daily_active_users"] * r["feed_loads_per_user_per_day"] / SECONDS_PER_DAY
    posts = r["daily_active_users"] * r["posts_per_user_per_day"] / SECONDS_PER_DAY
    pushes = posts * r["friends_per_user"]
    return {
        "feed_reads_per_second": reads,
        "posts_per_second": posts,
        "fanout_writes_per_second": pushes,
        "post_bytes_per_year": r["daily_active_users"] * r["posts_per_user_per_day"] * r["post_bytes"] * 365,
        "timeline_cache_bytes": r["daily_active_users"] * r["timeline_ids"] * r["id_bytes"],
        "seconds_to_fan_out_largest_account": r["largest_followers"] / pushes,
    }


# -- helpers ---------------------------------------------------------------------------------------
def sort_key(post: dict) -> tuple:
    return (post["ts"], post["id"])


def newest_first(posts: list, limit: int | None = None) -> list:
    """``posts`` de-duplicated by id, newest first (by ``(ts, id)``), at most ``limit``."""
    seen, out = set(), []
    for post in sorted(posts, key=sort_key, reverse=True):
        if post["id"] not in seen:
            seen.add(post["id"])
            out.append(post)
    return out if limit is None else out[:limit]


def encode_cursor(post: dict) -> str:
    return json.dumps([post["ts"], post["id"]])


def decode_cursor(cursor: str | None) -> tuple | None:
    if not cursor:
        return None
    ts, pid = json.loads(cursor)
    return (float(ts), str(pid))


def session() -> requests.Session:
    """A session for a node's calls (no lookup of proxies in the environment on every call)."""
    http = requests.Session()
    http.trust_env = False
    return http


HTTP = session()


def store_get(path: str, timeout: float = 1.0) -> Any:
    answer = HTTP.get(f"http://store{path}", timeout=timeout)
    answer.raise_for_status()
    return answer.json()


# -- feed shards -----------------------------------------------------------------------------------
class FeedShard:
    """A feed node's process: ``node.memory["timelines"]`` (user -> posts, newest first)."""

    MARKER = "started"

    def __init__(self, node: Any) -> None:
        self.node = node
        self.timelines: dict[str, list] = node.memory.setdefault("timelines", {})
        marker = Path(node.disk) / self.MARKER
        self.fresh = not marker.exists()  # a first start: no post exists yet, every timeline is whole
        marker.write_text("1", encoding="utf-8")
        self.complete: set[str] = set()

    def insert(self, post: dict, users: list) -> None:
        for user in users:
            timeline = self.timelines.setdefault(user, [])
            if all(p["id"] != post["id"] for p in timeline):  # a redelivered post is not added twice
                timeline.append(post)
                timeline.sort(key=sort_key, reverse=True)
                del timeline[TIMELINE_LENGTH:]

    def read(self, user: str) -> dict:
        return {"posts": list(self.timelines.get(user, [])), "complete": self.fresh or user in self.complete}

    def install(self, user: str, posts: list) -> None:
        """A timeline rebuilt from the store, merged with what was pushed while it was rebuilt."""
        self.timelines[user] = newest_first(self.timelines.get(user, []) + posts, TIMELINE_LENGTH)
        self.complete.add(user)


def feed_routes(node: Any) -> None:
    """A feed node's messages (registered by the wiring: they stay across a crash)."""

    def on_message(msg):
        body = msg.body
        kind = body.get("type") if isinstance(body, dict) else None
        if kind == "insert":
            node.app.insert(body["post"], body["users"])
        elif kind == "read":
            node.reply(msg, {"type": "timeline", "rid": body["rid"], **node.app.read(body["user"])})
        elif kind == "install":
            node.app.install(body["user"], body["posts"])

    node.on_message(on_message)


# -- fan-out ---------------------------------------------------------------------------------------
class Fanout:
    """The fan-out worker's process: pushes ordinary authors' posts into followers' timelines."""

    def __init__(self, node: Any, parts: Any, spec: Any, ring: Any) -> None:
        self.node, self.ring, self.celebrities = node, ring, set(spec.celebrities)
        self.consumer = parts.pubsub.IdempotentConsumer(node, self.handle)

    def pushes(self, author: str) -> bool:
        return author not in self.celebrities

    def handle(self, delivery: Any) -> None:
        post = delivery.payload
        if not self.pushes(post["author"]):
            return  # a celebrity's posts are pulled at read time
        followers = store_get(f"/followers/{post['author']}")
        by_shard: dict[str, list] = {}
        for user in followers:
            by_shard.setdefault(self.ring.node_for(user), []).append(user)
        for shard, users in sorted(by_shard.items()):
            # a message, not a call: a feed node that is down rebuilds its timelines from the store
            # when it is back, so there is nothing to wait for
            self.node.send(shard, {"type": "insert", "post": post, "users": users})


# -- the entry -------------------------------------------------------------------------------------
class Api:
    """The ``api`` node's process."""

    def __init__(self, node: Any, cluster: Any, parts: Any, spec: Any, ring: Any) -> None:
        self.node, self.cluster, self.ring = node, cluster, ring
        self.celebrities = set(spec.celebrities)
        self.following = parts.caching.LRUCache(20_000)     # the social graph does not change
        self.recent = parts.caching.LRUCache(1_000)         # celebrity -> (fetched at, posts)
        self.limit = parts.rate_limiting.TokenBucket(spec.post_limit["burst"], spec.post_limit["per_second"])
        self.waiting: dict[str, Any] = {}
        self.suspect: dict[str, float] = {}   # feed node -> until when it is not asked
        self.asked = 0
        node.on_message(self.on_message)

    # posts
    def on_message(self, msg: Any) -> None:
        body = msg.body
        if not isinstance(body, dict):
            return
        if body.get("type") == "published" and body.get("id") in self.waiting:
            self.waiting.pop(body["id"]).set_result(True)
        elif body.get("type") == "timeline" and body.get("rid") in self.waiting:
            self.waiting.pop(body["rid"]).set_result(body)

    def ask(self, shard: str, user: str) -> dict | None:
        """The user's timeline from its feed node (None: no answer in time)."""
        if self.suspect.get(shard, -1.0) > time.monotonic():
            return None  # it did not answer a moment ago: do not wait for it again
        self.asked += 1
        rid = f"read-{self.asked}"
        answer = self.waiting[rid] = self.cluster.future()
        self.node.send(shard, {"type": "read", "rid": rid, "user": user})
        try:
            return answer.result(timeout=0.1)
        except TimeoutError:
            self.waiting.pop(rid, None)
            self.suspect[shard] = time.monotonic() + 1.0
            return None

    def publish(self, post: dict) -> bool:
        for _ in range(3):
            done = self.waiting[post["id"]] = self.cluster.future()
            self.node.send(BROKER, {"type": "publish", "id": post["id"], "topic": "posts", "key": post["author"],
                                    "payload": post})
            try:
                return done.result(timeout=0.5)
            except TimeoutError:
                self.waiting.pop(post["id"], None)
        return False

    def post(self, body: dict) -> tuple:
        post = {"id": str(body["id"]), "author": str(body["author"]), "ts": float(body["ts"]),
                "text": str(body.get("text", ""))}
        if not self.limit.allow(post["author"]):
            return 429, {}, {"error": f"{post['author']} is posting too fast"}
        try:
            HTTP.post("http://store/posts", json=post, timeout=1.0).raise_for_status()
        except requests.RequestException:
            return 503, {}, {"error": "the post store did not take the post"}
        if not self.publish(post):
            return 503, {}, {"error": "the broker did not take the post"}
        return 200, {}, {"id": post["id"]}

    # feeds
    def followees(self, user: str) -> list:
        got = self.following.get(user)
        if got is None:
            got = store_get(f"/following/{user}")
            self.following.put(user, got)
        return got

    def pull(self, authors: list) -> list:
        """The recent posts of ``authors`` from the store, read in parallel."""
        futures = []
        for author in authors:
            future = self.cluster.future()
            futures.append(future)
            self.node.spawn(self._fetch, author, future)
        posts = []
        for future in futures:
            posts += future.result(timeout=2.0)
        return posts

    @staticmethod
    def _fetch(author: str, future: Any) -> None:
        try:
            future.set_result(store_get(f"/posts/{author}?limit={TIMELINE_LENGTH}"))
        except Exception as exc:  # noqa: BLE001 - handed to the waiting request
            future.set_exception(exc)

    def celebrity_posts(self, author: str) -> list:
        cached = self.recent.get(author)
        if cached is None or time.monotonic() - cached[0] >= CELEBRITY_TTL:
            cached = (time.monotonic(), store_get(f"/posts/{author}?limit=50"))
            self.recent.put(author, cached)
        return cached[1]

    def timeline(self, user: str, ordinary: list) -> list:
        shard = self.ring.node_for(user)
        got = self.ask(shard, user)
        if got is None:
            return self.pull(ordinary)  # the feed node is down: build the page from the store
        if got["complete"]:
            return got["posts"]
        rebuilt = self.pull(ordinary)
        self.node.send(shard, {"type": "install", "user": user, "posts": rebuilt})
        return got["posts"] + rebuilt

    def feed(self, user: str, limit: int, cursor: str | None) -> tuple:
        try:
            followees = self.followees(user)
            posts = self.timeline(user, [a for a in followees if a not in self.celebrities])
            for author in followees:
                if author in self.celebrities:
                    posts = posts + self.celebrity_posts(author)
        except (requests.RequestException, TimeoutError):
            return 503, {}, {"error": "the feed could not be read"}
        return 200, {}, self.page(posts, limit, cursor)

    def page(self, posts: list, limit: int, cursor: str | None) -> dict:
        after = decode_cursor(cursor)
        ordered = [p for p in newest_first(posts) if after is None or sort_key(p) < after]
        shown = ordered[:limit]
        more = len(ordered) > limit
        return {"posts": [{"id": p["id"], "author": p["author"], "ts": p["ts"]} for p in shown],
                "next": encode_cursor(shown[-1]) if shown and more else None}


def api_routes(node: Any) -> None:
    def post(req):
        return node.app.post(req.json())

    def feed(req):
        limit = int(req.query.get("limit", 10))
        return node.app.feed(req.params["user"], max(1, min(limit, 50)), req.query.get("cursor"))

    node.route("POST", "/posts", post)
    node.route("GET", "/feed/<user>", feed)


def build(cluster: Any, parts: Any, spec: Any, *, api: type = Api, fanout: type = Fanout,
          shard: type = FeedShard) -> None:
    """The wiring, with the classes a variation replaces."""
    ring = parts.hashing.ConsistentHashRing(FEEDS)
    pubsub = parts.pubsub
    cluster.add_node(BROKER, start=lambda node: pubsub.Broker(
        node, [pubsub.Subscription("fanout", "posts", FANOUT)], visibility_timeout=0.5, max_attempts=20))
    for name in FEEDS:
        feed_routes(cluster.add_node(name, start=shard))
    cluster.add_node(FANOUT, start=lambda node: fanout(node, parts, spec, ring))
    entry = cluster.add_node("api", start=lambda node: api(node, cluster, parts, spec, ring))
    api_routes(entry)
    spec.assign("feed", FEEDS)
    spec.assign("fanout", [FANOUT])


def wire(cluster: Any, parts: Any, spec: Any) -> None:
    build(cluster, parts, spec)
