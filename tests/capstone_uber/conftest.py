"""The Uber capstone's scenario: the suite-owned nodes (etcd, the payment provider, the drivers'
phones, the riders' phones), the seeded workload, the oracle and the faults, run once per
module; every SLO test reads the record it leaves.

One city of 10 x 10 km (coordinates in km). 200 drivers, placed around the centre (a Gaussian
of 2 km), each moving 40 m in a random direction and sending its location (a message to
``api``: ``{"type": "location", "driver", "x", "y"}``) every 4 s, each at its own phase.

Timeline (virtual seconds): 0-10 warm-up (never measured). Ride requests Poisson 2/s from 6 to
85, pickups around the centre (a Gaussian of 1.5 km); 10% of them sent twice 50 ms apart with
the same ride id (a double tap). A rider whose request fails or goes unanswered (2 s) sends it
again, with the same ride id, 0.5 s later, for up to 8 s, and then cancels it. Each matched
ride then goes on from the phones: 15% are cancelled by the rider 1 s after the match (so is
every ride given a driver who stopped reporting: that driver never shows up), a third of those
followed 0.5 s later by a late "complete" from the driver's app that must be refused; the
others are started 2 s after the match and completed 8-14 s later with a fare (a phone retries
a call that failed or went unanswered, same ride, every 0.5 s, for up to 25 s).

Faults: at 30 the 40 drivers nearest the centre go dark (they stop reporting, without a word);
the second "dispatch" node is cut off from every node from 40 to 46; the first "dispatch" node
crashes right after its first etcd write from t = 50 made while it serves a ride request
(mid-match; at 52 if none came), and restarts at 58; the payment provider answers 2.5 s late
from 60 to 70; at 75, 15 pairs of riders standing on 15 free drivers request a ride at the
same instant. Traffic ends at 85; settle: heal, restart what is down, 25 s (every ride reaches
its last state; the drivers stay parked where they are, still reporting); then every ride is
read back through the API, and a rider standing on each driver still reporting (every one but
the 40 gone dark) asks for a ride: that driver must be free (up to 4 asks, keeping the drivers
given meanwhile, so a driver a few metres away who comes first does not count against him).

The oracle: a driver is assigned a ride from the first answer naming it until the phones send
that ride's first "cancel" or "complete" (two rides overlapping in that sense are a double
assignment); for the match quality, a driver is free again only once that cancel or complete
was acknowledged. A driver's position is the last one its phone sent.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, field
from pathlib import Path

import requests

from sysdesign.capstone import Ledger, Request, Spec, builds_on, scenario_fixtures

SLUG = "capstone_uber"
HERE = Path(__file__).parent
BUILDS_ON = builds_on(HERE / "exercise.toml")
SEED = 20261208

CITY = (0.0, 0.0, 10.0, 10.0)
CENTRE = (5.0, 5.0)
DRIVERS = [f"d{i}" for i in range(200)]
RIDERS = [f"r{i}" for i in range(120)]
INTERVAL, STEP = 4.0, 0.04                 # a location every 4 s; 40 m between two
RADIUS, EXPIRY = 3.0, 12.0
BUDGET = 4
MEASURE_FROM, END, SETTLE = 10.0, 85.0, 25.0
RIDE_RATE, RIDES_FROM, DOUBLE_TAP = 2.0, 6.0, 0.1
CANCEL_SHARE, LATE_COMPLETE_SHARE = 0.15, 1 / 3
DARK_AT, DARK_COUNT = 30.0, 40
ISOLATE = (40.0, 46.0)
CRASH_AFTER, RESTART_AT, CRASH_FALLBACK = 50.0, 58.0, 52.0
PAY_SLOW, PAY_DELAY = (60.0, 70.0), 2.5
PAIRS_AT, PAIRS = 75.0, 15
TIMEOUT = {"ride": 2.0, "action": 3.5, "read": 2.0}
RIDE_RETRY_FOR, ACTION_RETRY_FOR, RETRY_GAP = 8.0, 25.0, 0.5
FREE_CHECK_FOR, FREE_CHECK_TRIES = 120.0, 4


def clamp(v: float) -> float:
    return min(CITY[2] - 0.1, max(CITY[0] + 0.1, v))


@dataclass
class Ride:
    """One ride as the phones saw it: every answer to its request (``answers``: (time, status,
    driver)), the driver it went on with, and each transition the phones sent (``actions``:
    action -> (first send, acknowledged time or None, final status))."""

    ride: str
    rider: str
    pickup: tuple
    request: Request
    answers: list = field(default_factory=list)
    driver: str | None = None
    matched_at: float | None = None
    actions: dict = field(default_factory=dict)
    fare: int = 0
    late_complete: int | None = None           # status of the refused late completion
    nearest_free: float | None = None           # oracle: the nearest free driver's distance at the match
    final: tuple | None = None                  # (status, state) read back after the settle


@dataclass
class Run:
    """What one scenario run left: the ledger, the rides, the oracle's findings, the counters."""

    seed: int
    ledger: Ledger
    spec_problems: list[str]
    roles: dict
    rides: dict = field(default_factory=dict)           # ride id -> Ride
    updates: dict = field(default_factory=dict)         # driver -> [(sent, x, y)]
    dark: set = field(default_factory=set)
    double_assignments: list = field(default_factory=list)   # (t, driver, rides)
    charges: list = field(default_factory=list)         # accepted charges: dicts
    updates_in_window: int = 0
    etcd_writes_in_window: int = 0
    messages_in_window: int = 0
    crashed_at: float | None = None
    free_checks: list = field(default_factory=list)     # (driver, last status, drivers given) after the settle
    free_expected: list = field(default_factory=list)   # the drivers the free check asks for
    fallbacks: list = field(default_factory=list)
    replay: str = ""
    reference_parts: bool = True

    def position(self, driver: str, at: float):
        """The last ``(sent, x, y)`` the driver's phone sent at or before ``at``."""
        updates = self.updates.get(driver, [])
        i = bisect.bisect_right(updates, at, key=lambda u: u[0])
        return updates[i - 1] if i else None


class Scenario:
    def __init__(self, cluster, capstone, parts):
        self.cluster, self.capstone, self.parts = cluster, capstone, parts
        self.ledger = Ledger()
        self.problems: list[BaseException] = []
        self.run = Run(cluster.seed, self.ledger, [], {})
        self.etcd = cluster.add_service("etcd")
        self._count_etcd_writes()
        self.payments = cluster.add_node("payments")
        self._payment_provider()
        self.phones = cluster.add_node("drivers")
        self.riders = cluster.add_node("riders")
        self.session = cluster.session()
        self.spec = Spec(cluster, budget=BUDGET, entry="api", etcd=self.etcd, payments="payments",
                         city=CITY, radius=RADIUS, location_expiry=EXPIRY, location_interval=INTERVAL,
                         roles={"dispatch": "the nodes matching riders to drivers; the suite crashes the first "
                                            "and cuts the second off"})
        self.active: dict[str, set] = {}        # driver -> rides assigned, their end not yet sent
        self.held: dict[str, set] = {}          # driver -> rides assigned, their end not yet acknowledged
        self.touched: set = set()               # drivers assigned since the last invariant check
        self.seen_breaks: set = set()
        self.crash_armed = False
        self.suite_faulting, self.foreign_faults = False, []
        record = cluster.trace.record

        def record_events(kind, node, peer="", data=None):
            if kind == "fault" and not self.suite_faulting:  # faults are the suite's alone
                self.foreign_faults.append(f"t={cluster.now():.3f} {node}: {data}")
            record(kind, node, peer, data)

        cluster.trace.record = record_events

    def fault(self, *args, **kwargs) -> None:
        """Apply a fault of the suite's timeline (``cluster.fault``)."""
        self.suite_faulting = True
        try:
            self.cluster.fault(*args, **kwargs)
        finally:
            self.suite_faulting = False

    # -- suite-owned nodes ------------------------------------------------------------------------
    def _count_etcd_writes(self) -> None:
        """Count the durable writes (etcd puts, deletes, transactions that write) in the measured
        window, and crash the first dispatch node right after its first write from t = 50."""
        state = self.etcd.node.app
        cluster = self.cluster

        def counted(name, writes):
            original = getattr(state, name)

            def call(*args, **kwargs):
                result = original(*args, **kwargs)
                if writes(result, *args):
                    if MEASURE_FROM <= cluster.now() < END:
                        self.run.etcd_writes_in_window += 1
                    self._maybe_crash(cluster.caller)
                return result

            setattr(state, name, call)

        counted("put", lambda result, *a: True)
        counted("delete", lambda result, *a: bool(result))
        counted("delete_prefix", lambda result, *a: bool(result))
        counted("txn", lambda result, *a: any(op.kind in ("put", "delete")
                                              for op in (a[1] if result.succeeded else a[2])))

    def _maybe_crash(self, caller) -> None:
        """From t = 50: an etcd write by the first dispatch node while it serves a ride request
        (an HTTP POST that is not a transition) crashes it before the answer leaves."""
        dispatch = self.spec.roles.get("dispatch", [])
        if not (self.crash_armed and dispatch and caller == dispatch[0]):
            return
        serving = [call.label for call in self.cluster.nodes[caller]._open_calls.values()]
        if any(label.startswith("POST ") and not label.endswith(("/start", "/cancel", "/complete"))
               for label in serving):
            self.crash_armed = False
            self.cluster.after(0.0, self._crash_first)

    def _crash_first(self) -> None:
        name = self.spec.roles["dispatch"][0]
        if self.cluster.nodes[name].status == "up":
            self.run.crashed_at = self.cluster.now()
            self.fault("crash", name)

    def _payment_provider(self) -> None:
        """``POST /charges`` ``{"ride", "rider", "amount"}``: 201 with the charge; a request
        carrying an ``Idempotency-Key`` already seen answers 200 with the first charge and charges
        nothing."""
        keys: dict = {}

        def charge(req):
            try:
                body = req.json()
                ride, rider, amount = str(body["ride"]), str(body["rider"]), body["amount"]
            except (ValueError, KeyError, TypeError):
                return 400, {}, {"error": "a charge is {ride, rider, amount}"}
            if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
                return 400, {}, {"error": "amount: a positive number of cents"}
            key = req.headers.get("Idempotency-Key")
            if key is not None and key in keys:
                return 200, {}, keys[key]
            entry = {"id": len(self.run.charges) + 1, "ride": ride, "rider": rider, "amount": amount,
                     "key": key, "time": self.cluster.now()}
            self.run.charges.append(entry)
            if key is not None:
                keys[key] = entry
            return 201, {}, entry

        self.payments.route("POST", "/charges", charge)

    # -- the drivers' phones ----------------------------------------------------------------------
    def drivers(self) -> None:
        rng = self.cluster.random("drivers")
        for d in DRIVERS:
            x, y = clamp(rng.gauss(CENTRE[0], 2.0)), clamp(rng.gauss(CENTRE[1], 2.0))
            self.run.updates[d] = []
            self.phones.every(INTERVAL, self._report, d, [x, y], rng.random(), first=rng.uniform(0.0, INTERVAL))

    def _report(self, driver, pos, seed) -> None:
        if driver in self.run.dark:
            return
        now = self.cluster.now()
        updates = self.run.updates[driver]
        if updates and now < END:  # parked after the traffic: the settle's checks know where he is
            angle = (seed * 7919 + len(updates) * 2.399963) % (2 * math.pi)
            pos[0], pos[1] = clamp(pos[0] + STEP * math.cos(angle)), clamp(pos[1] + STEP * math.sin(angle))
        updates.append((now, pos[0], pos[1]))
        if MEASURE_FROM <= now < END:
            self.run.updates_in_window += 1
        self.phones.send("api", {"type": "location", "driver": driver, "x": pos[0], "y": pos[1]})

    def go_dark(self) -> None:
        now = self.cluster.now()
        last = {d: self.run.position(d, now) for d in DRIVERS}
        by_centre = sorted((math.hypot(p[1] - CENTRE[0], p[2] - CENTRE[1]), d) for d, p in last.items() if p)
        self.run.dark = {d for _, d in by_centre[:DARK_COUNT]}

    # -- the riders' phones -----------------------------------------------------------------------
    def workload(self) -> None:
        rng = self.cluster.random("riders")
        t, n = RIDES_FROM, 0
        while True:
            t += rng.expovariate(RIDE_RATE)
            if t >= END:
                break
            pickup = (clamp(rng.gauss(CENTRE[0], 1.5)), clamp(rng.gauss(CENTRE[1], 1.5)))
            self._schedule(f"ride-{n}", rng.choice(RIDERS), pickup, t, rng.random() < DOUBLE_TAP,
                           rng.random(), rng.uniform(8.0, 14.0), rng.randrange(800, 4000))
            n += 1
        self.riders.spawn(self._pairs, delay=PAIRS_AT)

    def _pairs(self) -> None:
        """15 pairs of riders standing on 15 free, reporting drivers, each pair at once."""
        now = self.cluster.now()
        rng = self.cluster.random("pairs")
        free = [d for d in DRIVERS if d not in self.run.dark and not self.active.get(d)
                and (p := self.run.position(d, now)) and now - p[0] < INTERVAL + 0.5]
        chosen = []
        for d in sorted(free, key=lambda d: rng.random()):
            p = self.run.position(d, now)
            if all(math.hypot(p[1] - q[1], p[2] - q[2]) > 0.5 for q in chosen):
                chosen.append(p)
            if len(chosen) == PAIRS:
                break
        for i, p in enumerate(chosen):
            for j in range(2):
                self._schedule(f"pair-{i}-{j}", f"p{i}-{j}", (p[1], p[2]), now, False, 1.0, 8.0, 1500)

    def _schedule(self, ride_id, rider, pickup, t, double, draw, trip, fare) -> None:
        request = self.ledger.add(Request("ride", ride_id, t, body={"pickup": pickup}))
        ride = self.run.rides[ride_id] = Ride(ride_id, rider, pickup, request, fare=fare)
        body = {"ride": ride_id, "rider": rider, "x": pickup[0], "y": pickup[1]}
        self.riders.spawn(self._ride, ride, body, draw, trip, delay=max(0.0, t - self.cluster.now()))
        if double:
            self.riders.spawn(self._tap, ride, body, delay=max(0.0, t + 0.05 - self.cluster.now()))

    def _post(self, path, body, timeout):
        try:
            answer = self.session.post(f"http://api{path}", json=body, timeout=timeout)
        except requests.RequestException as exc:
            return 0, type(exc).__name__
        except NotImplementedError as exc:
            self.problems.append(exc)
            return 0, "not started"
        try:
            return answer.status_code, answer.json()
        except ValueError:
            return answer.status_code, f"not JSON: {answer.text[:60]!r}"

    def _answer(self, ride: Ride, status, answer) -> str | None:
        """Record one answer to a ride request; the driver it names (None: none)."""
        driver = answer.get("driver") if status == 200 and isinstance(answer, dict) else None
        now = self.cluster.now()
        ride.answers.append((now, status, driver if status == 200 else answer))
        if status == 200 and driver is not None:
            driver = str(driver)
            if ride.nearest_free is None:
                ride.nearest_free = self.nearest_free(ride, now, driver)
            self.assign(driver, ride.ride)
        return driver

    def nearest_free(self, ride: Ride, now: float, driver: str) -> float:
        """The distance from the pickup to the nearest driver free and reporting at ``now`` (the
        matched one counts as free), for the match-quality objective."""
        best = math.inf
        for d in DRIVERS:
            p = self.run.position(d, now)
            if p is None or now - p[0] > EXPIRY - 1.0 or (d != driver and self.held.get(d)):
                continue
            best = min(best, math.hypot(p[1] - ride.pickup[0], p[2] - ride.pickup[1]))
        return best

    def _tap(self, ride: Ride, body) -> None:
        status, answer = self._post("/rides", body, TIMEOUT["ride"])
        self._answer(ride, status, answer)

    def _ride(self, ride: Ride, body, draw, trip) -> None:
        request = ride.request
        give_up = request.scheduled + RIDE_RETRY_FOR
        while True:
            status, answer = self._post("/rides", body, TIMEOUT["ride"])
            driver = self._answer(ride, status, answer)
            request.status = status
            if status == 200:
                request.answered = self.cluster.now()
                request.good, request.detail = driver is not None, driver if driver is not None else "no driver"
                break
            request.detail = answer if isinstance(answer, str) else f"status {status}"
            if self.cluster.now() + RETRY_GAP >= give_up:
                self._abandon(ride)
                return
            _sleep(RETRY_GAP)
        if driver is None:
            return
        ride.driver, ride.matched_at = str(driver), request.answered
        if ride.driver in self.run.dark or draw < CANCEL_SHARE:
            _sleep(1.0)
            if not self._act(ride, "cancel", {}):
                return
            if draw < CANCEL_SHARE * LATE_COMPLETE_SHARE:
                _sleep(0.5)
                status, _ = self._post(f"/rides/{ride.ride}/complete", {"fare": ride.fare}, TIMEOUT["action"])
                ride.late_complete = status
            return
        _sleep(2.0)
        if not self._act(ride, "start", {}):
            return
        _sleep(trip)
        self._act(ride, "complete", {"fare": ride.fare})

    def _abandon(self, ride: Ride) -> None:
        """The rider gives up waiting: the phone cancels the request (a ride the wiring made
        without telling him must not keep its driver)."""
        give_up = self.cluster.now() + ACTION_RETRY_FOR
        while True:
            status, _ = self._post(f"/rides/{ride.ride}/cancel", {}, TIMEOUT["action"])
            if 200 <= status < 500 or self.cluster.now() + RETRY_GAP >= give_up:
                return
            _sleep(RETRY_GAP)

    def _act(self, ride: Ride, action: str, body) -> bool:
        """Send one transition until it is acknowledged (200) or refused; True when acknowledged."""
        first = self.cluster.now()
        if action in ("cancel", "complete"):
            self.release(ride.driver, ride.ride)
        give_up = first + ACTION_RETRY_FOR
        while True:
            status, _ = self._post(f"/rides/{ride.ride}/{action}", body, TIMEOUT["action"])
            if status == 200:
                ride.actions[action] = (first, self.cluster.now(), status)
                if action in ("cancel", "complete"):
                    self.held.get(ride.driver, set()).discard(ride.ride)
                return True
            if 400 <= status < 500 or self.cluster.now() + RETRY_GAP >= give_up:
                ride.actions[action] = (first, None, status)
                return False
            _sleep(RETRY_GAP)

    # -- the oracle: who is assigned to what, at every step ---------------------------------------
    def assign(self, driver: str, ride: str) -> None:
        self.active.setdefault(driver, set()).add(ride)
        self.held.setdefault(driver, set()).add(ride)
        self.touched.add(driver)

    def release(self, driver: str, ride: str) -> None:
        self.active.get(driver, set()).discard(ride)

    def check_assignments(self, cluster) -> None:
        """Runs after every event (``cluster.add_invariant``): a driver holding two rides at once
        is recorded (not raised: the scenario goes on so every objective is measured)."""
        if not self.touched:
            return None
        for driver in sorted(self.touched):
            rides = self.active.get(driver, set())
            if len(rides) > 1 and (driver, frozenset(rides)) not in self.seen_breaks:
                self.seen_breaks.add((driver, frozenset(rides)))
                self.run.double_assignments.append((cluster.now(), driver, sorted(rides)))
        self.touched.clear()
        return None

    # -- faults -----------------------------------------------------------------------------------
    def faults(self) -> None:
        at = self.cluster.at
        at(DARK_AT, self.go_dark)
        dispatch = self.spec.roles.get("dispatch", [])
        if len(dispatch) > 1:
            at(ISOLATE[0], self.fault, "isolate", dispatch[1])
            at(ISOLATE[1], self.fault, "heal")
        if dispatch:
            at(CRASH_AFTER, self.__setattr__, "crash_armed", True)
            at(CRASH_FALLBACK, self._crash_if_armed)
            at(RESTART_AT, self._restart_first)
        at(PAY_SLOW[0], self.fault, "slow", "payments", delay=PAY_DELAY)
        at(PAY_SLOW[1], self.fault, "slow", "payments")

    def _crash_if_armed(self) -> None:
        """No etcd write came from the first dispatch node in 2 s: crash it anyway."""
        if self.crash_armed:
            self.crash_armed = False
            self._crash_first()

    def _restart_first(self) -> None:
        name = self.spec.roles["dispatch"][0]
        if self.cluster.nodes[name].status != "up":
            self.fault("restart", name)

    # -- the run ----------------------------------------------------------------------------------
    def execute(self) -> Run:
        c = self.cluster
        self.capstone.wire(c, self.parts, self.spec)
        self.run.spec_problems, self.run.roles = self.spec.problems(), dict(self.spec.roles)
        c.add_invariant("a driver holds at most one ride at a time", self.check_assignments)
        self.drivers()
        self.workload()
        self.faults()
        c.run_to(END)
        self._raise_not_started()
        wiring = set(self.spec.added())  # messages the wiring's nodes sent in the window
        self.run.messages_in_window = sum(1 for e in c.trace.sent()
                                          if e.node in wiring and MEASURE_FROM <= e.time < END)
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
        rides = [r for _, r in sorted(self.run.rides.items()) if r.driver is not None]
        for i, ride in enumerate(rides):  # spread out: many nested chains at one instant recurse deeply
            self.riders.spawn(self._read_back, ride, delay=0.01 * i)
        c.run_for(0.01 * len(rides) + 3.0)
        self._raise_not_started()
        self.run.free_expected = [d for d in DRIVERS if d not in self.run.dark]
        done = []
        self.riders.spawn(self._free_check, self.run.free_expected, done)
        c.run_until(lambda: bool(done), FREE_CHECK_FOR)
        self._raise_not_started()
        self.run.fallbacks = list(self.parts.fallbacks)
        if self.foreign_faults:
            self.run.spec_problems.append("the wiring applied faults itself (crash, restart, partition, heal, "
                                          "slow... are the suite's alone): " + "; ".join(self.foreign_faults[:3]))
        return self.run

    def _free_check(self, drivers, done) -> None:
        """After the settle every ride has ended: a rider standing on each reporting driver
        (parked) must get that driver; then the ride is cancelled."""
        for driver in drivers:
            _, x, y = self.run.updates[driver][-1]
            given, held, status = [], [], 0
            for attempt in range(FREE_CHECK_TRIES):  # a driver a few metres away may come first: keep
                ride = f"free-check-{driver}-{attempt}"  # him and ask again
                status, answer = self._post("/rides", {"ride": ride, "rider": "checker", "x": x, "y": y},
                                            TIMEOUT["ride"])
                got = answer.get("driver") if status == 200 and isinstance(answer, dict) else None
                given.append(got)
                if got is None or got == driver:
                    held += [ride] if got is not None else []
                    break
                held.append(ride)
            self.run.free_checks.append((driver, status, given))
            for ride in held:
                self._post(f"/rides/{ride}/cancel", {}, TIMEOUT["action"])
        done.append(True)

    def _read_back(self, ride: Ride) -> None:
        try:
            answer = self.session.get(f"http://api/rides/{ride.ride}", timeout=TIMEOUT["read"])
            state = answer.json().get("state") if answer.status_code == 200 else None
            ride.final = (answer.status_code, state)
        except (requests.RequestException, ValueError, AttributeError) as exc:
            ride.final = (0, type(exc).__name__)
        except NotImplementedError as exc:
            self.problems.append(exc)

    def _raise_not_started(self):
        if self.problems:
            raise self.problems[0]


def _sleep(seconds: float) -> None:
    import time

    time.sleep(seconds)  # virtual: suspends only this phone's task


capstone, scenario, reference_replay = scenario_fixtures(SLUG, Scenario, BUILDS_ON, seed=SEED, folder="uber", trace_limit=None)
