"""Capstone 1: AlgoExpert, a coding-interview platform, wired from your own components.

The design question: a site where users browse a catalogue of coding questions, read them,
write code in the browser, run it against test cases, and find their code saved where they
left it. Mostly reads of static content (the question list and question pages change only
when the authors release an edit), hot keys (a few questions get most of the traffic), code
runs that cost a second of a run server each and arrive in bursts (a contest, a class), and
progress saves that must never be lost.

There is no new algorithm here. This module is the **wiring**: which nodes exist, which of
your components runs on each, how they talk, and which policies apply. The components are the
ones you built in the concept exercises, handed to you as ``parts``: ``parts.caching.LRUCache``,
``parts.caching.CacheAside``, ``parts.load_balancing.RoundRobin``,
``parts.load_balancing.PathBased``, ``parts.load_balancing.HealthChecker``... They are your own
modules (``exercises/caching.py``...), so a capstone grades your caches and balancers inside a
system; under ``--solutions`` they are the references.

What the suite fixes (the rest is yours):

* Clients send every request to ``http://api/...``: add a node named ``api``.
* The database is the service node ``db`` (``spec.db``: a slow key-value store, 50 ms a call;
  ``spec.db.client(node.name)`` gives a client with ``get(key)`` (None when absent),
  ``put(key, value)`` and ``delete(key)``). It holds ``"questions"`` (the question list: a list
  of ``{"id", "title"}``) and ``"question:<id>"`` (a page: ``{"id", "title", "version",
  "body"}``). Keep progress in it under any key you like.
* Run servers ``spec.runners`` (``runner-1`` .. ``runner-3``): ``POST /run`` with a JSON body
  ``{"question", "code"}`` answers 200 ``{"verdict": ...}`` after 0.4 s of work. Each has **one
  slot**: while it runs code, another ``POST /run`` gets 503 at once. ``GET /health`` answers
  200 while it is up.
* Node budget: the wiring may add at most ``spec.budget`` (4) nodes.
* Roles: ``spec.assign("web", [names])`` names the nodes that serve question pages (the suite
  crashes one of them).
* Faults are the suite's alone: the wiring never crashes, restarts, pauses, slows, partitions
  or heals anything (a wiring that does is not well formed, task 2).

The public API (what ``api`` must answer):

| call | answer |
|---|---|
| ``GET /questions`` | 200, the question list (the ``"questions"`` value) |
| ``GET /questions/<id>`` | 200, the page (the ``"question:<id>"`` value); 404 when absent |
| ``PUT /questions/<id>`` (JSON page) | a content release: 200 once stored; every page served from 1 s after this answer shows it |
| ``POST /run`` (JSON ``{"user", "question", "code"}``) | 200, what a run server answered |
| ``PUT /progress/<user>/<id>`` (JSON ``{"code"}``) | 200 once the save is durable (the last save wins) |
| ``GET /progress/<user>/<id>`` | 200 ``{"code"}``: the last save; 404 when none |

How the suite grades it (one seeded run of 60 s of virtual time, measured from t = 5 s):
pages at 25/s (Zipf over 40 questions, the list page 20%), runs at 1.5/s with a burst of 12 at
t = 20, progress saves from 30 users every 10 s each (each user reading back the question it
saved last just before its next save), a release of the hottest question at
t = 25, runner-3 slowed by 0.6 s a call from t = 15 to 25, the first "web" node crashed at t =
30 (back at 38), runner-2 crashed at t = 40 (back at 50), runner-1 cut off from every node at
t = 44 to 50; then a settle (heal, restart, 10 s) and a read of every user's progress. Each
service-level objective (SLO) is one graded test, and a failure shows its SLO table row:
objective, target, measured, pass/fail, points.

Tasks:

1. ``estimate``: back-of-the-envelope figures (requests per second, run servers, storage per
   year, bandwidth) from the requirements.
2. ``wire``: the ``api`` entry node and the "web" nodes serving pages and progress, within the
   node budget; pages stay available while a web node crashes.
3. Cache the static content: pages fast (p50, p99) and few database reads per page.
4. Invalidate on a release: a released page shows within 1 s on every web node.
5. Runs: spread them over the run servers, keep a dead, cut-off or busy one from failing a
   run (health checks, retries, waiting out a burst).
6. Progress saves: acknowledge a save only once the database has it, so a crash loses nothing.
"""

from __future__ import annotations

from typing import Any

#: The requirements of the design question, as ``estimate`` receives them.
REQUIREMENTS = {
    "concurrent_users": 10_000,        # at peak
    "pages_per_user_per_minute": 10,
    "runs_per_user_per_minute": 0.5,
    "run_seconds": 1.0,                # one run keeps one core busy this long
    "cores_per_machine": 8,
    "target_utilization": 0.7,         # run machines are sized to be this busy at peak
    "page_bytes": 50_000,              # one page, as sent to the browser
    "run_log_bytes": 5_000,            # stored per run
    "average_to_peak": 0.25,           # average load over a year, as a share of the peak
}


def estimate(requirements: dict) -> dict:
    """Task 1: the back-of-the-envelope figures for ``requirements`` (shaped like
    :data:`REQUIREMENTS`), as a dict of floats:

    * ``"page_rps"``: page requests per second at peak;
    * ``"run_rps"``: code runs per second at peak;
    * ``"runs_in_progress"``: runs being executed at once at peak (Little's law);
    * ``"run_machines"``: machines needed at peak, at the target utilization (a fraction is fine);
    * ``"run_log_bytes_per_year"``: run logs stored per year, at the average load;
    * ``"page_bandwidth_bytes_per_second"``: outgoing page bytes per second at peak.

    The suite checks each figure within 20% of its own calculation, for the stated requirements
    and for other ones."""
    raise NotImplementedError("task 1: implement estimate")


def wire(cluster: Any, parts: Any, spec: Any) -> None:
    """Tasks 2-6: build the system in ``cluster`` (add nodes with ``cluster.add_node``, routes
    with ``node.route``, timers, start hooks: see docs/cluster.md), out of ``parts`` (your
    components: ``parts.caching``, ``parts.load_balancing``), and tell the suite which nodes
    play which role with ``spec.assign("web", [...])``. ``spec.db`` is the database service,
    ``spec.runners`` the run servers' names, ``spec.budget`` the node budget.

    The suite calls it once, at t = 0, before any traffic; everything after that happens in
    the nodes' handlers, timers and tasks."""
    raise NotImplementedError("task 2: implement wire")
