"""Capstone: a news feed, wired from your own components.

The design question: users post short texts and follow each other (friends follow each other
both ways), and each user reads a home feed: the posts of the people they follow, newest first,
a page at a time. Reads outnumber posts several times over; most users have a few dozen friends,
but a few accounts (celebrities) are followed by everyone. A post must show in the followers'
feeds within seconds, never twice on one scroll, and never get lost.

Two ways to build a feed, and why neither alone works:

* **Fan-out on write** (push): when a post is made, insert it into the stored timeline of each
  follower. A feed read is then one lookup. The cost moves to the write: a post costs one
  timeline write per follower, which is fine for 40 friends and absurd for 10,000 followers
  (or 100 million: minutes of the whole fleet's work for one post).
* **Fan-out on read** (pull): keep only each author's posts; at read time, fetch the recent
  posts of everyone the reader follows and merge them. Writes are cheap; every read costs one
  store call per followee, and reads are the common case.

The usual answer is the **hybrid**: push the posts of ordinary authors into the timelines of
their followers; pull the few celebrities' recent posts at read time (their lists are few and
hot, so they cache well) and merge them in. Timelines are a cache, sharded by user: the posts
themselves live in a durable store, and a timeline lost with its node is rebuilt from it. The
push runs through a durable broker, so an acknowledged post reaches every timeline even when
the worker pushing it crashes.

There is no new algorithm here. This module is the **wiring**: which nodes exist, which of
your components runs on each, how they talk, and which policies apply. The components are the
ones you built in the concept exercises, handed to you as ``parts``: ``parts.pubsub.Broker``,
``parts.pubsub.Subscription`` and ``parts.pubsub.IdempotentConsumer`` (the fan-out),
``parts.hashing.ConsistentHashRing`` (which feed node holds a user's timeline),
``parts.caching.LRUCache`` / ``TTLCache`` (celebrities' posts and the social graph on ``api``),
``parts.rate_limiting.TokenBucket`` (each author's posting rate).
They are your own modules (``exercises/pubsub.py``...), so a capstone grades your components
inside a system; under ``--solutions`` they are the references.

What the suite fixes (the rest is yours):

* Clients send every request to ``http://api/...``: add a node named ``api``.
* The post store is the suite's node ``store`` (``spec.store``): durable, 10 ms a call, over
  HTTP. ``POST /posts`` with a post ``{"id", "author", "ts", "text"}`` stores it (200; again
  with the same id: stored once); ``GET /posts/<author>?limit=N`` answers the author's newest
  ``N`` posts (at most 200), newest first; ``GET /following/<user>`` the accounts ``user``
  follows; ``GET /followers/<user>`` the users following ``user``. The social graph does not
  change during the run.
* ``spec.post_limit``: ``{"burst": 3, "per_second": 1.0}``: an author may post 3 posts at once
  and one more a second after that (a token bucket); ``POST /posts`` refuses a post past it
  with 429, and that post goes nowhere.
* ``spec.celebrities``: the celebrity accounts (10,000 followers each; nobody else has more
  than a few dozen).
* Timelines: keep them in the memory of the feed nodes, ``node.memory["timelines"]``, a dict
  ``user -> list`` of posts (each a post id, or a dict with its ``"id"``): the suite counts the
  entries held there to measure what fan-out costs. An ordinary author's post goes into the
  timeline of every follower (whether or not they have read their feed yet); a celebrity's
  post into very few.
* Node budget: the wiring may add at most ``spec.budget`` (8) nodes.
* Roles: ``spec.assign("feed", [names])`` names the nodes holding the timelines (the suite
  crashes the second, losing its memory), ``spec.assign("fanout", [names])`` the nodes pushing
  posts into timelines (the suite crashes the first).
* Faults are the suite's alone: the wiring never crashes, restarts, pauses, slows, partitions
  or heals anything (a wiring that does is not well formed, task 2).

The public API (what ``api`` must answer, JSON):

| call | answer |
|---|---|
| ``POST /posts`` ``{"id", "author", "ts", "text"}`` | 200 once the post is stored durably and on its way to the followers' feeds; 429 past the author's posting rate |
| ``GET /feed/<user>?limit=N`` | 200 ``{"posts": [{"id", "author", "ts"}...], "next": cursor or null}``: the newest ``N`` posts of the accounts ``user`` follows, newest first by ``(ts, id)`` |
| ``GET /feed/<user>?limit=N&cursor=<c>`` | the next page: the ``N`` posts that come after the last one of the page that gave ``c`` |

``ts`` is the author's clock when posting (seconds); ``(ts, id)`` orders every feed, newest
first; ``next`` is null when there is nothing more to show. A post must be in every follower's
feed from 3 s after its acknowledgement; a scroll (a page, then the next with its cursor) never
shows a post twice, however many posts arrived between the two pages. A feed may stop after its
newest 200 posts.

How the suite grades it (one seeded run of 55 s of virtual time, measured from t = 5 s): 300
active users with power-law friendships, 9,700 passive readers, three celebrities followed by
all 10,000; posts 5/s from active users, each celebrity posting every 10 s and twice more at
40-45, the best-connected active user posting 10/s from 25 to 30 (a spammer); feed reads 15/s
(a burst of 60 at t = 20), 40% of readers scrolling to a second page 1 s later. The second
"feed" node crashes at t = 30 (back at 32, its memory empty), the first "fanout" node at 40
(back at 41), and from 42 to 50 one message in five sent to it arrives twice. Then a settle
(heal, restart, 5 s) and a first page of 20 for every second active user. Each service-level
objective (SLO) is one graded test, and a failure shows its SLO table row: objective, target,
measured, pass/fail, points.

Tasks:

1. ``estimate``: back-of-the-envelope figures (feed reads and posts a second, fan-out writes a
   second, storage, the timeline cache, the time to push one post of the largest account).
2. ``wire``: the ``api`` entry; posts stored before they are acknowledged; feed pages newest
   first with a cursor that never repeats a post.
3. Fan-out on write: timelines sharded by user on the feed nodes, filled through the broker,
   so a feed read costs a lookup, not a store call per friend.
4. Celebrities: their posts are pulled at read time and merged, not pushed to 10,000 timelines.
5. A feed node that loses its memory: timelines rebuilt from the store, no post lost.
6. A spammer: each author held to the posting rate (429 past it), nobody else refused.
"""

from __future__ import annotations

from typing import Any

#: The requirements of the design question, as ``estimate`` receives them.
REQUIREMENTS = {
    "daily_active_users": 1_000_000_000,
    "feed_loads_per_user_per_day": 5,
    "posts_per_user_per_day": 1,
    "friends_per_user": 200,           # each post goes into this many timelines
    "post_bytes": 1_000,
    "timeline_ids": 500,               # post ids kept in each user's timeline cache
    "id_bytes": 8,
    "largest_followers": 100_000_000,  # the largest account's followers
}


def estimate(requirements: dict) -> dict:
    """Task 1: the back-of-the-envelope figures for ``requirements`` (shaped like
    :data:`REQUIREMENTS`), as a dict of floats, on average over a day (86,400 s):

    * ``"feed_reads_per_second"``: feed loads a second;
    * ``"posts_per_second"``: posts a second;
    * ``"fanout_writes_per_second"``: timeline writes a second if every post is pushed to the
      timeline of each friend;
    * ``"post_bytes_per_year"``: bytes of the posts made in a year (365 days);
    * ``"timeline_cache_bytes"``: the memory holding every user's timeline of ids;
    * ``"seconds_to_fan_out_largest_account"``: how long one post of the largest account would
      take to push, at the fan-out writes a second the whole fleet sustains.

    The suite checks each figure within 20-30% of its own calculation, for the stated
    requirements and for other ones."""
    raise NotImplementedError("task 1: implement estimate")


def wire(cluster: Any, parts: Any, spec: Any) -> None:
    """Tasks 2-6: build the system in ``cluster`` (add nodes with ``cluster.add_node``, routes
    with ``node.route``, messages, timers, start hooks; ``cluster.future()`` to wait for a
    reply: see docs/cluster.md), out of ``parts`` (``parts.pubsub``, ``parts.hashing``,
    ``parts.caching``, ``parts.rate_limiting``), and tell the suite which nodes play which role with
    ``spec.assign("feed", [...])`` and ``spec.assign("fanout", [...])``. ``spec.store`` is the
    post store's node name, ``spec.celebrities`` the celebrity accounts, ``spec.post_limit``
    each author's posting rate, ``spec.budget`` the node budget.

    The suite calls it once, at t = 0, before any traffic; everything after that happens in
    the nodes' handlers, timers and tasks."""
    raise NotImplementedError("task 2: implement wire")
