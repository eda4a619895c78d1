"""Known-wrong: W computed as lambda / L instead of L / lambda."""

from solutions import performance as _reference
from solutions.performance import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_littles_law.py::test_the_example",
    "test_littles_law.py::test_random_cases_solve_for_each",
]


def littles_law(*, in_system=None, arrival_rate=None, time_in_system=None):
    answer = _reference.littles_law(in_system=in_system, arrival_rate=arrival_rate, time_in_system=time_in_system)
    if time_in_system is None:
        return arrival_rate / in_system if in_system else answer
    return answer
