"""Known-wrong: parallel availability computed as a product of availabilities (the series formula)."""

from solutions import performance as _reference
from solutions.performance import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_composition.py::test_parallel_multiplies_unavailabilities",
    "test_composition.py::test_two_servers_at_99_percent_give_four_nines",
    "test_composition.py::test_combined_on_random_systems",
]


def parallel(*parts):
    return _reference.series(*parts)


def combined(spec):
    if isinstance(spec, (tuple, list)) and spec and spec[0] == "parallel":
        return parallel(*[combined(s) for s in spec[1:]])
    if isinstance(spec, (tuple, list)) and spec and spec[0] == "series":
        return _reference.series(*[combined(s) for s in spec[1:]])
    return _reference.combined(spec)
