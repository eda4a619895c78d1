"""Task 1: the back-of-the-envelope figures, checked against the suite's own calculation from
the stated requirements (and from other requirements, so that figures typed in from the notes
do not pass), each within 20%."""

import pytest

from sysdesign.capstone import grade_slo, within
from sysdesign.messages import expect_true

SECONDS_PER_DAY, DAYS_PER_YEAR = 24 * 3600, 365
TOLERANCE = 0.2

STATED = {
    "drivers_online": 1_000_000, "location_interval_seconds": 4.0, "location_bytes": 100,
    "trips_per_day": 10_000_000, "peak_to_average": 3.0, "trip_record_bytes": 2_000, "index_bytes_per_driver": 64,
}
OTHER = {
    "drivers_online": 80_000, "location_interval_seconds": 5.0, "location_bytes": 250,
    "trips_per_day": 1_500_000, "peak_to_average": 2.5, "trip_record_bytes": 3_500, "index_bytes_per_driver": 48,
}
SMALLEST = {
    "drivers_online": 1, "location_interval_seconds": 4.0, "location_bytes": 1,
    "trips_per_day": 1, "peak_to_average": 1.0, "trip_record_bytes": 1, "index_bytes_per_driver": 1,
}


def expected(r):
    """The suite's own calculation (the oracle)."""
    updates = r["drivers_online"] / r["location_interval_seconds"]
    return {
        "location_updates_per_second": updates,
        "location_ingress_bytes_per_second": updates * r["location_bytes"],
        "peak_ride_requests_per_second": r["trips_per_day"] / SECONDS_PER_DAY * r["peak_to_average"],
        "trip_storage_bytes_per_year": r["trips_per_day"] * DAYS_PER_YEAR * r["trip_record_bytes"],
        "index_bytes": r["drivers_online"] * r["index_bytes_per_driver"],
    }


def grade(request, capstone, requirements, label):
    got = capstone.estimate(dict(requirements))
    expect_true(isinstance(got, dict), f"estimate({label})", got=type(got).__name__, expected="a dict of figures")
    want = expected(requirements)
    wrong = {k: (got.get(k), v) for k, v in want.items() if not within(got.get(k), v, TOLERANCE)}
    measured = f"{len(want) - len(wrong)} of {len(want)} within 20%"
    details = "\n".join(f"  {k}: got {g!r}, expected about {w:.4g}" for k, (g, w) in sorted(wrong.items()))
    grade_slo(request, f"estimates for the {label} requirements", "every figure within 20%", measured, not wrong,
              "sizing starts from these figures: location updates a second are the write load (far too many for "
              "a database write each), ride requests at the peak size the matchers, and the index of every "
              "driver online fits one machine's memory, so a city is sharded for load, not for size", details)


@pytest.mark.task(1)
@pytest.mark.points(4)
def test_estimates_for_the_stated_requirements(request, capstone):
    grade(request, capstone, STATED, "stated")


@pytest.mark.task(1)
@pytest.mark.points(4)
def test_estimates_follow_other_requirements(request, capstone):
    grade(request, capstone, OTHER, "other (80k drivers every 5 s, peak 2.5x)")


@pytest.mark.task(1)
@pytest.mark.points(2)
def test_estimates_for_the_smallest_requirements(request, capstone):
    """One driver reporting every 4 s, one trip a day, one-byte records: the formulas hold at the
    edge (no rounding down to zero, no integer division)."""
    grade(request, capstone, SMALLEST, "smallest (1 driver, 1 trip a day)")
