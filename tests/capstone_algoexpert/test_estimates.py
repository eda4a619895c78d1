"""Task 1: the back-of-the-envelope figures, checked against the suite's own calculation from
the stated requirements (and from other requirements, so that figures typed in from the notes
do not pass), each within 20%."""

import pytest

from sysdesign.capstone import grade_slo, within
from sysdesign.messages import expect_true

SECONDS_PER_YEAR = 365 * 24 * 3600
TOLERANCE = 0.2

STATED = {
    "concurrent_users": 10_000, "pages_per_user_per_minute": 10, "runs_per_user_per_minute": 0.5,
    "run_seconds": 1.0, "cores_per_machine": 8, "target_utilization": 0.7, "page_bytes": 50_000,
    "run_log_bytes": 5_000, "average_to_peak": 0.25,
}
OTHER = {
    "concurrent_users": 240_000, "pages_per_user_per_minute": 4, "runs_per_user_per_minute": 1.5,
    "run_seconds": 3.0, "cores_per_machine": 32, "target_utilization": 0.5, "page_bytes": 120_000,
    "run_log_bytes": 2_000, "average_to_peak": 0.4,
}
SMALLEST = {
    "concurrent_users": 1, "pages_per_user_per_minute": 1, "runs_per_user_per_minute": 1,
    "run_seconds": 1.0, "cores_per_machine": 1, "target_utilization": 1.0, "page_bytes": 1,
    "run_log_bytes": 1, "average_to_peak": 1.0,
}


def expected(r):
    """The suite's own calculation (the oracle)."""
    page_rps = r["concurrent_users"] * r["pages_per_user_per_minute"] / 60
    run_rps = r["concurrent_users"] * r["runs_per_user_per_minute"] / 60
    busy = run_rps * r["run_seconds"]  # Little's law: arrivals per second x seconds each
    return {
        "page_rps": page_rps,
        "run_rps": run_rps,
        "runs_in_progress": busy,
        "run_machines": busy / (r["cores_per_machine"] * r["target_utilization"]),
        "run_log_bytes_per_year": run_rps * r["average_to_peak"] * r["run_log_bytes"] * SECONDS_PER_YEAR,
        "page_bandwidth_bytes_per_second": page_rps * r["page_bytes"],
    }


def grade(request, capstone, requirements, label):
    got = capstone.estimate(dict(requirements))
    expect_true(isinstance(got, dict), f"estimate({label})", got=type(got).__name__, expected="a dict of figures")
    want = expected(requirements)
    wrong = {k: (got.get(k), round(v, 3)) for k, v in want.items() if not within(got.get(k), v, TOLERANCE)}
    measured = f"{len(want) - len(wrong)} of {len(want)} within 20%"
    details = "\n".join(f"  {k}: got {g!r}, expected about {w:g}" for k, (g, w) in sorted(wrong.items()))
    grade_slo(request, f"estimates for the {label} requirements", "every figure within 20%", measured, not wrong,
              "sizing starts from these figures: requests per second drive the servers, Little's law the run "
              "machines, the average load the storage", details)


@pytest.mark.task(1)
@pytest.mark.points(4)
def test_estimates_for_the_stated_requirements(request, capstone):
    grade(request, capstone, STATED, "stated")


@pytest.mark.task(1)
@pytest.mark.points(4)
def test_estimates_follow_other_requirements(request, capstone):
    grade(request, capstone, OTHER, "other (240k users, 3 s runs, 32-core machines)")


@pytest.mark.task(1)
@pytest.mark.points(2)
def test_estimates_for_the_smallest_requirements(request, capstone):
    """One user, one page and one run a minute, one-byte pages: the formulas hold at the edge
    (no rounding down to zero, no integer division)."""
    grade(request, capstone, SMALLEST, "smallest (1 user)")
