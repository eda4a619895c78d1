"""The AlgoExpert capstone's scenario: the suite-owned nodes (the database, three one-slot run
servers, the clients), the seeded open-loop workload and the faults, run once per module; every
SLO test reads the ledger it leaves.

Timeline (virtual seconds): 0-5 warm-up (never measured); pages Poisson 25/s (20% the list,
else Zipf(1.1) over 40 questions), runs Poisson 1.5/s plus a burst of 12 at t=20, saves from
30 users every 10 s each, each user reading back the question of its previous save 0.5 s
before the next one; runner-3 slowed by 0.6 s a call from 15 to 25; release of q1 (the
hottest question) at 25; the first "web" node crashed at 30 and restarted at 38; runner-2
crashed at 40, restarted at 50; runner-1 cut off from every node from 44 to 50; traffic ends
at 60; settle: heal, restart what is down, 10 s; then every user's last save is read back
through the API.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from sysdesign.capstone import Ledger, Request, Spec, builds_on, scenario_fixtures

SLUG = "capstone_algoexpert"
HERE = Path(__file__).parent
BUILDS_ON = builds_on(HERE / "exercise.toml")
SEED = 20261206

QUESTIONS = [f"q{i}" for i in range(1, 41)]
RUNNERS = ["runner-1", "runner-2", "runner-3"]
RUN_SECONDS = 0.4
MEASURE_FROM, END, SETTLE = 5.0, 60.0, 10.0
PAGE_RATE, LIST_SHARE, RUN_RATE, USERS, SAVE_EVERY = 25.0, 0.2, 1.5, 30, 10.0
BURST_AT, BURST_RUNS = 20.0, 12
RELEASE_AT, RELEASED = 25.0, "q1"
TIMEOUT = {"page": 2.0, "run": 10.0, "save": 5.0, "progress": 5.0}
BUDGET = 4


def question_page(qid: str, version: int = 1) -> dict:
    return {"id": qid, "title": f"Question {qid[1:]}", "version": version,
            "body": f"Statement of {qid}, edition {version}. " + "x" * 200}


def verdict(question: str, code: str) -> str:
    """What a run server answers for ``code`` (the oracle the suite checks runs against)."""
    return "accepted" if (len(code) + len(question)) % 3 else "wrong answer"


@dataclass
class Run:
    """What one scenario run left: the ledger and the counters the SLO tests read."""

    seed: int
    ledger: Ledger
    spec_problems: list[str]
    roles: dict
    db_gets: int = 0                                # database reads of page keys, t 5-60
    release_acked: float | None = None
    saves: dict = field(default_factory=dict)      # (user, q) -> [(index, code, acked)]
    final: dict = field(default_factory=dict)      # (user, q) -> (status, code or detail)
    fallbacks: list = field(default_factory=list)
    replay: str = ""
    reference_parts: bool = True                    # every part was the reference module


class Scenario:
    def __init__(self, cluster, capstone, parts):
        self.cluster, self.capstone, self.parts = cluster, capstone, parts
        self.ledger = Ledger()
        self.problems: list[BaseException] = []
        self.db = cluster.add_service("slow_db", data={"questions": [{"id": q, "title": question_page(q)["title"]}
                                                                    for q in QUESTIONS],
                                                      **{f"question:{q}": question_page(q) for q in QUESTIONS}})
        self.page_gets = 0
        state = cluster.nodes["db"].app
        get = state.get

        def counted_get(key):  # the database's reads of page keys (the cost of serving pages)
            if key == "questions" or str(key).startswith("question:"):
                self.page_gets += 1
            return get(key)

        state.get = counted_get
        for name in RUNNERS:
            self._runner(cluster.add_node(name), name)
        self.clients = cluster.add_node("clients")
        self.session = cluster.session()
        self.spec = Spec(cluster, budget=BUDGET, entry="api", db=self.db, runners=list(RUNNERS),
                         roles={"web": "the nodes serving question pages; the suite crashes the first"})
        self.run = Run(cluster.seed, self.ledger, [], {})
        self.suite_faulting, self.foreign_faults = False, []
        record = cluster.trace.record

        def record_faults(kind, node, peer="", data=None):  # faults are the suite's alone
            if kind == "fault" and not self.suite_faulting:
                self.foreign_faults.append(f"t={cluster.now():.3f} {node}: {data}")
            record(kind, node, peer, data)

        cluster.trace.record = record_faults

    def fault(self, *args, **kwargs) -> None:
        """Apply a fault of the suite's timeline (``cluster.fault``)."""
        self.suite_faulting = True
        try:
            self.cluster.fault(*args, **kwargs)
        finally:
            self.suite_faulting = False

    # -- suite-owned nodes ------------------------------------------------------------------------
    def _runner(self, node, name):
        def run(req):
            if node.memory.get("busy"):
                return 503, {}, {"error": f"{name} is busy"}
            node.memory["busy"] = True
            try:
                body = req.json()
                time.sleep(RUN_SECONDS)  # virtual: the run itself
                return 200, {}, {"verdict": verdict(body["question"], body["code"]), "runner": name}
            finally:
                node.memory["busy"] = False

        node.route("POST", "/run", run)
        node.route("GET", "/health", lambda req: (200, {}, "ok"))

    # -- the load generator -----------------------------------------------------------------------
    def _send(self, request: Request, method: str, path: str, body, check) -> None:
        try:
            answer = self.session.request(method, f"http://api{path}", json=body, timeout=TIMEOUT[request.cls])
        except requests.RequestException as exc:
            request.detail = type(exc).__name__
            return
        except NotImplementedError as exc:
            self.problems.append(exc)
            return
        request.answered, request.status = self.cluster.now(), answer.status_code
        try:
            request.good, request.detail = check(answer)
        except ValueError:
            request.good, request.detail = False, f"not JSON: {answer.text[:60]!r}"

    def _schedule(self, request: Request, method: str, path: str, body, check) -> None:
        self.ledger.add(request)
        self.clients.spawn(self._send, request, method, path, body, check, delay=request.scheduled)

    def workload(self) -> None:
        rng = self.cluster.random("workload")
        weights = [1 / (rank + 1) ** 1.1 for rank in range(len(QUESTIONS))]
        t = 0.0
        while True:
            t += rng.expovariate(PAGE_RATE)
            if t >= END:
                break
            if rng.random() < LIST_SHARE:
                self._schedule(Request("page", "questions", t), "GET", "/questions", None, self._check_list)
            else:
                qid = rng.choices(QUESTIONS, weights)[0]
                self._schedule(Request("page", qid, t), "GET", f"/questions/{qid}", None, self._check_page(qid))
        times, t = [], 0.0
        while True:
            t += rng.expovariate(RUN_RATE)
            if t >= END:
                break
            times.append(t)
        times += [BURST_AT + 0.04 * i for i in range(BURST_RUNS)]
        for i, t in enumerate(sorted(times)):
            qid, code = rng.choice(QUESTIONS), "def solve(x):\n    return x" + " " * rng.randrange(6)
            body = {"user": f"u{rng.randrange(USERS)}", "question": qid, "code": code}
            self._schedule(Request("run", qid, t), "POST", "/run", body, self._check_run(qid, code))
        for user in range(USERS):
            for k in range(int(END // SAVE_EVERY)):
                t = 1.0 + user * SAVE_EVERY / USERS + k * SAVE_EVERY + rng.uniform(0, 0.2)
                if t >= END:
                    continue
                qid = QUESTIONS[(user + k // 3) % len(QUESTIONS)]
                code = f"# u{user} on {qid}, save {k}\ndef solve(x):\n    return x"
                saves = self.run.saves.setdefault((f"u{user}", qid), [])
                entry = [k, code, False]
                saves.append(entry)
                request = Request("save", f"u{user}/{qid}", t, body=code)
                self._schedule(request, "PUT", f"/progress/u{user}/{qid}", {"code": code}, self._check_save(entry))
                if k:  # the user reopens the question of the previous save: is it there?
                    before = QUESTIONS[(user + (k - 1) // 3) % len(QUESTIONS)]
                    self._schedule(Request("progress", f"u{user}/{before}", t - 0.5), "GET",
                                   f"/progress/u{user}/{before}", None, self._check_progress)

    @staticmethod
    def _check_list(answer):
        if answer.status_code != 200:
            return False, f"status {answer.status_code}"
        body = answer.json()
        ok = isinstance(body, list) and [q.get("id") for q in body if isinstance(q, dict)] == QUESTIONS
        return ok, "the list" if ok else f"not the question list: {str(body)[:60]}"

    @staticmethod
    def _check_page(qid):
        def check(answer):
            if answer.status_code != 200:
                return False, f"status {answer.status_code}"
            body = answer.json()
            ok = isinstance(body, dict) and body.get("id") == qid
            return ok, body.get("version") if ok else f"not page {qid}: {str(body)[:60]}"
        return check

    @staticmethod
    def _check_run(qid, code):
        def check(answer):
            if answer.status_code != 200:
                return False, f"status {answer.status_code}"
            body = answer.json()
            ok = isinstance(body, dict) and body.get("verdict") == verdict(qid, code)
            return ok, "verdict" if ok else f"wrong answer for the run: {str(body)[:60]}"
        return check

    @staticmethod
    def _check_progress(answer):
        """Answered at all; whether it is the last acknowledged save is judged from the ledger."""
        if answer.status_code == 404:
            return True, None
        if answer.status_code != 200:
            return False, f"status {answer.status_code}"
        body = answer.json()
        return isinstance(body, dict), body.get("code") if isinstance(body, dict) else f"not JSON object: {body!r:.60}"

    @staticmethod
    def _check_save(entry):
        def check(answer):
            entry[2] = answer.status_code == 200
            return entry[2], f"status {answer.status_code}"
        return check

    # -- faults -----------------------------------------------------------------------------------
    def faults(self) -> None:
        at = self.cluster.at
        at(15.0, self.fault, "slow", "runner-3", delay=0.6)
        at(25.0, self.fault, "slow", "runner-3")
        webs = self.spec.roles.get("web", [])
        if webs:
            at(30.0, self.fault, "crash", webs[0])
            at(38.0, self.fault, "restart", webs[0])
        at(40.0, self.fault, "crash", "runner-2")
        at(50.0, self.fault, "restart", "runner-2")
        at(44.0, self.fault, "isolate", "runner-1")
        at(50.0, self.fault, "heal")

    def release(self) -> None:
        def send():
            try:
                answer = self.session.put(f"http://api/questions/{RELEASED}", json=question_page(RELEASED, 2),
                                          timeout=5.0)
            except requests.RequestException:
                return
            if answer.status_code == 200:
                self.run.release_acked = self.cluster.now()

        self.clients.spawn(send, delay=RELEASE_AT)

    # -- the run ----------------------------------------------------------------------------------
    def execute(self) -> Run:
        c = self.cluster
        self.capstone.wire(c, self.parts, self.spec)
        self.run.spec_problems, self.run.roles = self.spec.problems(), dict(self.spec.roles)
        self.workload()
        self.faults()
        self.release()
        gets = {}
        c.at(MEASURE_FROM, lambda: gets.__setitem__("start", self.page_gets))
        c.at(END, lambda: gets.__setitem__("end", self.page_gets))
        c.run_to(END)
        self._raise_not_started()
        self.run.db_gets = gets["end"] - gets["start"]
        self.suite_faulting = True  # the settle: heal, restart what is down, back to full speed
        try:
            c.heal()
            c.reset_links()
            for name in list(c.nodes):
                if c.nodes[name].status != "up":
                    c.restart(name)
                c.slow(name)
        finally:
            self.suite_faulting = False
        c.run_for(SETTLE)
        keys = [key for key in sorted(self.run.saves) if any(acked for _, _, acked in self.run.saves[key])]
        for i, key in enumerate(keys):  # one every 20 ms: a few dozen tasks each starting a chain of
            # nested calls at the same instant end in a RecursionError in the cluster's task runner
            self.clients.spawn(self._read_back, key, delay=0.02 * i)
        c.run_for(0.02 * len(keys) + 3.0)
        self._raise_not_started()
        self.run.fallbacks = list(self.parts.fallbacks)
        if self.foreign_faults:
            self.run.spec_problems.append("the wiring applied faults itself (crash, restart, partition, heal, "
                                          "slow... are the suite's alone): " + "; ".join(self.foreign_faults[:3]))
        return self.run

    def _read_back(self, key):
        user, qid = key
        try:
            answer = self.session.get(f"http://api/progress/{user}/{qid}", timeout=2.0)
            code = answer.json().get("code") if answer.status_code == 200 else None
            self.run.final[key] = (answer.status_code, code)
        except (requests.RequestException, ValueError, AttributeError) as exc:
            self.run.final[key] = (0, type(exc).__name__)
        except NotImplementedError as exc:
            self.problems.append(exc)

    def _raise_not_started(self):
        if self.problems:
            raise self.problems[0]


capstone, scenario, reference_replay = scenario_fixtures(SLUG, Scenario, BUILDS_ON, seed=SEED, folder="algoexpert")
