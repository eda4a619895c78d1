"""Tasks 2-5: the service-level objectives, each graded from the one scenario run (see
conftest.py for the workload, the faults and the oracle). Latency is virtual time from a ride
request's scheduled send to the first answer naming a driver at the rider's phone, retries
included (a request never answered counts as the 8 s the phone keeps trying); percentiles are
nearest-rank.

When an objective misses with your own components (``parts``), the suite runs the same wiring
and seed once more with the reference components: if the objective is then met, the message
says to look at your components first; if not, the wiring is at fault."""

import math

import pytest

from sysdesign.capstone import Ledger, grade_slo, judge_slo, percentile

# the scenario's figures (conftest.py)
MEASURE_FROM, END = 10.0, 85.0
RADIUS, EXPIRY = 3.0, 12.0
RIDE_GIVES_UP = 8.0
STALENESS_BOUND = EXPIRY + 0.5      # the expiry, plus the time a location takes to reach a matcher
RADIUS_SLACK = 0.1                  # km: a driver moves 40 m between two reports
BUILDS_ON = "specialized_storage, kv_store"


def failures(requests, n=5):
    bad = [r for r in requests if not r.good][:n]
    return "\n".join(f"  t={r.scheduled:.3f} ride {r.key}: {r.detail or 'no answer'}" for r in bad)


def judge(request, run, replay, objective, target, measure, why):
    """Grade one objective (``sysdesign.capstone.judge_slo`` with this capstone's parts)."""
    __tracebackhide__ = True
    judge_slo(request, run, replay, objective, target, measure, why, BUILDS_ON)


def rides_in_window(run):
    return run.ledger.of("ride", MEASURE_FROM, END)


def matches(run):
    """(ride, time, driver) of every ride's first answer naming a driver."""
    out = []
    for ride in run.rides.values():
        for t, status, driver in ride.answers:
            if status == 200 and driver is not None:
                out.append((ride, t, str(driver)))
                break
    return sorted(out, key=lambda m: m[1])


@pytest.mark.task(2)
@pytest.mark.points(2)
def test_wiring_has_the_entry_the_roles_and_fits_the_budget(request, scenario):
    problems = scenario.spec_problems
    grade_slo(request, "wiring: entry node, roles, node budget, faults", "api exists, dispatch assigned, <= 4 "
              "nodes added, no fault applied by the wiring",
              "ok" if not problems else "; ".join(problems), not problems,
              "riders and drivers talk to http://api/ only, the faults aim at the roles, every node is on the bill, "
              "and a wiring that undoes the suite's faults escapes the scenario instead of surviving it",
              f"seed {scenario.seed}; replay: {scenario.replay}")


@pytest.mark.task(2)
@pytest.mark.points(10)
def test_ride_requests_are_answered_through_a_crash_and_a_partition(request, scenario, reference_replay):
    def measure(run):
        sent = rides_in_window(run)
        got = Ledger.availability(sent)
        return f"{got:.2%} of {len(sent)}", got >= 0.99, failures(sent)

    judge(request, scenario, reference_replay,
          "ride requests matched to a driver (t 10-85; a dispatch node cut off 40-46, another crashed 50-58)",
          ">= 99%", measure,
          "a rider standing among free drivers must get one: a crashed or cut-off matcher must not fail the "
          "request (try another), and a restarted one must not answer 'no driver' from its empty index")


@pytest.mark.task(2)
@pytest.mark.points(6)
def test_match_latency_p99(request, scenario, reference_replay):
    def measure(run):
        p99 = percentile(Ledger.latencies(rides_in_window(run), RIDE_GIVES_UP), 99)
        return f"{p99 * 1000:.0f} ms", p99 <= 1.0, ""

    judge(request, scenario, reference_replay, "ride request to matched driver, p99", "<= 1 s", measure,
          "a match costs a few milliseconds; a request must not wait out a dead matcher's timeout, nor the "
          "rider's own retry")


@pytest.mark.task(3)
@pytest.mark.points(12)
def test_matched_drivers_are_near_and_still_reporting(request, scenario, reference_replay):
    def measure(run):
        bad, oldest, farthest = [], 0.0, 0.0
        found = matches(run)
        for ride, t, driver in found:
            p = run.position(driver, t)
            if p is None:
                bad.append(f"  t={t:.3f} ride {ride.ride}: driver {driver!r} never reported a location")
                continue
            age, far = t - p[0], math.hypot(p[1] - ride.pickup[0], p[2] - ride.pickup[1])
            oldest, farthest = max(oldest, age), max(farthest, far)
            if age > STALENESS_BOUND or far > RADIUS + RADIUS_SLACK:
                bad.append(f"  t={t:.3f} ride {ride.ride}: driver {driver} last reported {age:.1f} s before, "
                           f"{far:.2f} km from the pickup")
        return (f"{len(found) - len(bad)} of {len(found)} matches fine ({len(bad)} stale or far; oldest "
                f"{oldest:.1f} s, farthest {farthest:.2f} km)",
                not bad and bool(found), "\n".join(bad[:5]))

    judge(request, scenario, reference_replay, "matched drivers: reporting and within the radius",
          f"100% last reported <= {STALENESS_BOUND:g} s before the match, within {RADIUS:g} km", measure,
          "a driver whose phone went silent (40 of them go dark at t=30) is not there any more: a position "
          "must expire 12 s after it reached the matcher (the matcher's clock, not the phone's), and a match "
          "must come from the radius")


@pytest.mark.task(3)
@pytest.mark.points(6)
def test_matches_take_a_nearest_free_driver(request, scenario, reference_replay):
    def measure(run):
        found = [(ride, t, d) for ride, t, d in matches(run) if ride.nearest_free is not None
                 and math.isfinite(ride.nearest_free)]
        bad = []
        for ride, t, driver in found:
            p = run.position(driver, t)
            far = math.inf if p is None else math.hypot(p[1] - ride.pickup[0], p[2] - ride.pickup[1])
            if far > 1.25 * ride.nearest_free + 0.2:
                bad.append(f"  t={t:.3f} ride {ride.ride}: driver {driver} {far:.2f} km away; the nearest free "
                           f"driver was {ride.nearest_free:.2f} km away")
        share = 1 - len(bad) / len(found) if found else 0.0
        return (f"{share:.1%} of {len(found)} within 1.25x + 200 m of the nearest", share >= 0.95,
                "\n".join(bad[:5]))

    judge(request, scenario, reference_replay, "match quality: the nearest free driver",
          ">= 95% within 1.25x the nearest free driver's distance + 200 m", measure,
          "the rider waits for the driver to arrive: take the nearest free drivers from the index (a quadtree's "
          "nearest-k), not the first one in range")


@pytest.mark.task(3)
@pytest.mark.points(6)
def test_locations_cost_no_durable_write(request, scenario, reference_replay):
    def measure(run):
        n = run.updates_in_window or 1
        writes, messages = run.etcd_writes_in_window / n, run.messages_in_window / n
        return (f"{writes:.3f} etcd writes and {messages:.2f} messages per location update "
                f"({run.updates_in_window} updates)", writes <= 0.5 and messages <= 3.0, "")

    judge(request, scenario, reference_replay, "cost per location update (t 10-85)",
          "<= 0.5 etcd writes (all of them: rides too), <= 3 messages sent by the wiring", measure,
          "50 locations a second, each worthless 12 s later: keep them in memory; a durable write per update "
          "(250,000 a second at full scale) is the bill that sinks the design")


@pytest.mark.task(4)
@pytest.mark.points(13)
def test_no_driver_is_assigned_two_rides(request, scenario, reference_replay):
    def measure(run):
        breaks = run.double_assignments
        pairs = [m for m in matches(run) if m[0].ride.startswith("pair-")]
        ok = not breaks and bool(pairs)
        details = "\n".join(f"  t={t:.3f} driver {d} holds rides {', '.join(rides)} at once"
                            for t, d, rides in breaks[:5])
        if not pairs:
            details = "  none of the 30 racing riders (t=75) was matched: the race was not run"
        return f"{len(breaks)} double assignments ({len(pairs)} racing riders matched)", ok, details

    judge(request, scenario, reference_replay, "a driver holds at most one ride (checked at every step)",
          "0 double assignments", measure,
          "two requests racing for one driver both read 'free': the claim must be one atomic step (a "
          "transaction that creates the claim only if it does not exist), not a read followed by a write, and "
          "it must last until the ride ends (a lease nobody keeps alive frees the driver mid-ride)")


@pytest.mark.task(4)
@pytest.mark.points(8)
def test_one_driver_per_ride_request(request, scenario, reference_replay):
    def measure(run):
        bad = []
        for ride in sorted(run.rides.values(), key=lambda r: r.request.scheduled):
            named = [d for _, status, d in ride.answers if status == 200]
            if len(set(map(str, named))) > 1:
                bad.append(f"  ride {ride.ride}: answers named {', '.join(map(str, named))}")
        checked = sum(1 for r in run.rides.values() if any(s == 200 for _, s, _ in r.answers))
        return f"{len(bad)} of {checked} ride ids answered with two drivers", not bad and checked > 0, \
            "\n".join(bad[:5])

    judge(request, scenario, reference_replay, "retries and double taps of one ride id", "one driver per ride id",
          measure, "a rider's retry (same ride id) after a timeout or a crash mid-match must find the ride its first "
                   "attempt made, not take a second driver")


@pytest.mark.task(4)
@pytest.mark.points(6)
def test_drivers_are_free_again_after_their_rides(request, scenario, reference_replay):
    def measure(run):
        checked = {d for d, _, _ in run.free_checks}
        stuck = [(d, status, given) for d, status, given in run.free_checks if d not in given]
        stuck += [(d, 0, ["not asked: the check ran out of time"]) for d in run.free_expected if d not in checked]
        return (f"{len(stuck)} of {len(run.free_expected)} drivers not given to a rider standing on them",
                not stuck and bool(run.free_checks),
                "\n".join(f"  POST /rides at driver {d}'s position, {len(given)} times: drivers {given!r} "
                          f"(last status {status})" for d, status, given in stuck[:5]))

    judge(request, scenario, reference_replay, "after the settle, every driver still reporting is free",
          "100% given to a rider standing on them (within 4 asks)", measure,
          "a claim must not outlive its ride: when a matcher crashes between claiming a driver and recording the "
          "ride, the claim stays for good unless both are one transaction (or the claim has a lease that "
          "expires), and the driver never works again")


@pytest.mark.task(5)
@pytest.mark.points(8)
def test_rides_read_back_in_their_last_acknowledged_state(request, scenario, reference_replay):
    states = {"start": "in_progress", "cancel": "cancelled", "complete": "completed"}

    def measure(run):
        bad, checked = [], 0
        for ride in sorted(run.rides.values(), key=lambda r: r.request.scheduled):
            if ride.driver is None:
                continue
            checked += 1
            allowed = {"accepted"}
            for action in ("start", "cancel", "complete"):
                if action in ride.actions:
                    _, acked, _ = ride.actions[action]
                    allowed = {states[action]} if acked is not None else allowed | {states[action]}
            status, state = ride.final or (0, "not read")
            if state not in allowed:
                bad.append(f"  GET /rides/{ride.ride}: status {status}, state {state!r}; expected "
                           f"{' or '.join(sorted(allowed))}")
            if ride.late_complete is not None and not 400 <= ride.late_complete < 500:
                bad.append(f"  POST /rides/{ride.ride}/complete after its cancel: status {ride.late_complete}; "
                           "expected a refusal (409)")
        return f"{len(bad)} wrong of {checked} rides", not bad and checked > 0, "\n".join(bad[:5])

    judge(request, scenario, reference_replay, "ride states after the settle", "every ride in its last acknowledged "
          "state; a completion of a cancelled ride refused", measure,
          "an acknowledged transition is a promise to rider and driver: keep it durable through crashes, and "
          "refuse the transitions the state machine forbids")


@pytest.mark.task(5)
@pytest.mark.points(13)
def test_completed_rides_are_charged_exactly_once(request, scenario, reference_replay):
    def measure(run):
        by_ride = {}
        for charge in run.charges:
            by_ride.setdefault(charge["ride"], []).append(charge)
        bad, completed = [], 0
        for ride in sorted(run.rides.values(), key=lambda r: r.request.scheduled):
            charges = by_ride.pop(ride.ride, [])
            done = ride.actions.get("complete", (0, None, 0))[1] is not None
            cancelled = ride.actions.get("cancel", (0, None, 0))[1] is not None
            completed += done
            if done and (len(charges) != 1 or charges[0]["amount"] != ride.fare):
                bad.append(f"  ride {ride.ride} (completed, fare {ride.fare}): charged "
                           f"{[c['amount'] for c in charges]}")
            elif cancelled and charges:
                bad.append(f"  ride {ride.ride} (cancelled): charged {[c['amount'] for c in charges]}")
            elif len(charges) > 1:
                bad.append(f"  ride {ride.ride}: charged {[c['amount'] for c in charges]}")
        bad += [f"  charge for unknown ride {r!r}" for r in sorted(by_ride)]
        return (f"{len(bad)} wrong of {completed} completed rides ({len(run.charges)} charges)",
                not bad and completed > 0, "\n".join(bad[:5]))

    judge(request, scenario, reference_replay, "payment: completed rides charged once, cancelled never",
          "0 double or missing charges", measure,
          "a charge that timed out may have gone through (the provider answered 2.5 s late from t=60 to 70): "
          "retry it only with the same idempotency key, and never charge a ride twice for a repeated 'complete'")
