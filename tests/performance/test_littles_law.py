"""Task 4: Little's law, L = lambda * W, solved for the missing one."""

import math
import random

import pytest

from sysdesign.messages import expect_true

pytestmark = pytest.mark.task(4)


def close(a, b):
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


def test_the_example(perf):
    for kwargs, expected, why in [
        ({"arrival_rate": 250, "time_in_system": 0.2}, 50, "L = lambda * W"),
        ({"in_system": 50, "time_in_system": 0.2}, 250, "lambda = L / W: the most a server holding 50 at once "
                                                         "can handle when each takes 0.2 s"),
        ({"in_system": 50, "arrival_rate": 250}, 0.2, "W = L / lambda"),
    ]:
        got = perf.littles_law(**kwargs)
        shown = ", ".join(f"{k}={v}" for k, v in kwargs.items())
        expect_true(close(got, expected), f"littles_law({shown})", got=got, expected=expected, why=why)


@pytest.mark.points(2)
def test_random_cases_solve_for_each(perf):
    rng = random.Random(41)
    for _ in range(300):
        rate = rng.uniform(0.1, 5000)
        wait = rng.uniform(0.001, 30)
        count = rate * wait
        for missing, expected in (("in_system", count), ("arrival_rate", rate), ("time_in_system", wait)):
            given = {"in_system": count, "arrival_rate": rate, "time_in_system": wait}
            del given[missing]
            got = perf.littles_law(**given)
            expect_true(math.isclose(got, expected, rel_tol=1e-9), f"littles_law({given})", got=got, expected=expected,
                        why=f"solve L = lambda * W for {missing}")


@pytest.mark.parametrize("kwargs", [
    {}, {"in_system": 5}, {"in_system": 5, "arrival_rate": 1, "time_in_system": 5},
    {"in_system": -1, "arrival_rate": 2}, {"arrival_rate": 2, "time_in_system": -0.5},
    {"in_system": 5, "time_in_system": 0}, {"in_system": 5, "arrival_rate": 0},
], ids=["none", "one", "three", "negative-L", "negative-W", "W-zero", "rate-zero"])
def test_errors(perf, kwargs):
    with pytest.raises(ValueError):
        perf.littles_law(**kwargs)
