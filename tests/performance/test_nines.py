"""Task 1: nines, and the downtime they allow in a 365-day year."""

import math
import random

import pytest

from sysdesign.messages import expect_equal, expect_true

pytestmark = pytest.mark.task(1)

DAY = 86_400
#: The suite's model: the length of each period in seconds (a year is 365 days).
PERIODS = {"year": 365 * DAY, "month": 365 * DAY / 12, "week": 7 * DAY, "day": DAY}

#: The figures published in the usual table. They count a year as 365.25 days, so a 365-day
#: year lands 0.08-0.12 % below them; a 360-day year lands 1.4 % below. Tolerance: 0.2 %.
PUBLISHED = [(2, 87.7 * 3600, "87.7 hours"), (3, 8.77 * 3600, "8.77 hours"),
             (4, 52.6 * 60, "52.6 minutes"), (5, 5.26 * 60, "5.26 minutes")]
TOLERANCE = 0.002


def close(a, b, rel=1e-12):
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-12)


@pytest.mark.points(2)
@pytest.mark.parametrize(("nines", "published", "label"), PUBLISHED, ids=[f"{n}-nines" for n, _, _ in PUBLISHED])
def test_the_published_table(perf, nines, published, label):
    availability = perf.availability_from_nines(nines)
    got = perf.downtime_seconds(availability, "year")
    off = abs(got - published) / published
    expect_true(off <= TOLERANCE, f"downtime_seconds(availability_from_nines({nines}), 'year')",
                got=f"{got:.1f} s ({got / 3600:.3f} h, {off:.2%} from the table)",
                expected=f"{published:.0f} s ({label}) within {TOLERANCE:.1%}",
                why="a year of 365 days gives 87.6 h, 8.76 h, 52.6 min, 5.26 min; "
                "1.4 % less means a 360-day year")


@pytest.mark.points(2)
def test_downtime_is_exact_for_every_period(perf):
    rng = random.Random(2026)
    cases = [(a, p) for a in (0.0, 1.0, 0.9, 0.99, 0.999, 0.9999, 0.99999) for p in PERIODS]
    cases += [(rng.random(), rng.choice(list(PERIODS))) for _ in range(200)]
    for availability, period in cases:
        got = perf.downtime_seconds(availability, period)
        expected = (1 - availability) * PERIODS[period]
        expect_true(close(got, expected), f"downtime_seconds({availability!r}, {period!r})", got=got, expected=expected,
                    why="(1 - availability) x the period: year = 365 x 86,400 s, month = year / 12, "
                    "week = 7 days, day = 86,400 s")


def test_downtime_defaults_to_a_year(perf):
    expect_true(close(perf.downtime_seconds(0.999), 31_536.0), "downtime_seconds(0.999)",
                got=perf.downtime_seconds(0.999), expected=31_536.0, why="8.76 hours: the period defaults to 'year'")


def test_availability_from_nines(perf):
    rng = random.Random(7)
    cases = [0, 1, 2, 3, 4, 5, 6, 9] + [round(rng.uniform(0, 7), 3) for _ in range(50)]
    for nines in cases:
        got = perf.availability_from_nines(nines)
        expected = 1 - 10 ** -nines
        expect_true(close(got, expected), f"availability_from_nines({nines!r})", got=got, expected=expected, why="1 - 10 ** -nines")


def test_nines_of(perf):
    rng = random.Random(8)
    for availability in [0.0, 0.9, 0.99, 0.999, 0.9995, 0.99999] + [rng.random() for _ in range(50)]:
        got = perf.nines_of(availability)
        expected = -math.log10(1 - availability)
        expect_true(math.isclose(got, expected, rel_tol=1e-9, abs_tol=1e-9), f"nines_of({availability!r})",
                    got=got, expected=expected, why="-log10(1 - availability)")
    expect_equal("nines_of(1.0)", perf.nines_of(1.0), math.inf, why="never down: infinitely many nines")


@pytest.mark.parametrize("call", [
    "downtime_seconds(1.5)", "downtime_seconds(-0.1)", "downtime_seconds(0.99, 'fortnight')",
    "nines_of(1.01)", "nines_of(-1)", "availability_from_nines(-1)",
])
def test_errors(perf, call):
    with pytest.raises(ValueError):
        eval(call, {}, vars(perf))  # noqa: S307 (the suite's own fixed expressions)
