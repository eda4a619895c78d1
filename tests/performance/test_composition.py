"""Task 2: availability of parts in series, in parallel, and nested."""

import math
import random

import pytest

from sysdesign.messages import expect_true

pytestmark = pytest.mark.task(2)


def close(a, b):
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


def model_series(parts):
    result = 1.0
    for a in parts:
        result *= a
    return result


def model_parallel(parts):
    down = 1.0
    for a in parts:
        down *= 1 - a
    return 1 - down


def random_parts(rng, n):
    return [rng.choice([rng.random(), rng.uniform(0.9, 1.0), rng.uniform(0.99, 1.0)]) for _ in range(n)]


@pytest.mark.points(2)
def test_series_multiplies_availabilities(perf):
    rng = random.Random(11)
    for _ in range(300):
        parts = random_parts(rng, rng.randint(1, 6))
        got, expected = perf.series(*parts), model_series(parts)
        expect_true(close(got, expected), f"series(*{parts})", got=got, expected=expected,
                    why="every part is needed: the availabilities multiply")


def test_series_is_worse_than_its_weakest_part(perf):
    got = perf.series(0.999, 0.999, 0.999)
    expect_true(close(got, 0.999 ** 3) and got < 0.999, "series(0.999, 0.999, 0.999)", got=got, expected=0.999 ** 3,
                why="three parts at three nines each give about 99.7 %, less than any one part")


@pytest.mark.points(2)
def test_parallel_multiplies_unavailabilities(perf):
    rng = random.Random(12)
    for _ in range(300):
        parts = random_parts(rng, rng.randint(1, 6))
        got, expected = perf.parallel(*parts), model_parallel(parts)
        expect_true(close(got, expected), f"parallel(*{parts})", got=got, expected=expected,
                    why="down only when every copy is down at once: 1 - product of (1 - a)")


def test_two_servers_at_99_percent_give_four_nines(perf):
    got = perf.parallel(0.99, 0.99)
    expect_true(close(got, 0.9999), "parallel(0.99, 0.99)", got=got, expected=0.9999,
                why="redundancy: 1 - 0.01 x 0.01; a product of availabilities (0.9801) is the series formula")


def random_spec(rng, depth=0):
    if depth >= 3 or rng.random() < 0.35:
        return rng.choice([rng.uniform(0.5, 1.0), rng.uniform(0.99, 1.0)])
    kind = rng.choice(["series", "parallel"])
    children = [random_spec(rng, depth + 1) for _ in range(rng.randint(1, 4))]
    return (kind, *children) if rng.random() < 0.8 else [kind, *children]


def model(spec):
    if isinstance(spec, float):
        return spec
    inner = [model(s) for s in spec[1:]]
    return model_series(inner) if spec[0] == "series" else model_parallel(inner)


@pytest.mark.points(2)
def test_combined_on_random_systems(perf):
    rng = random.Random(13)
    example = ("series", 0.999, ("parallel", 0.99, 0.99), 0.9995)
    cases = [example, 0.97, ("parallel", ("series", 0.9, 0.9), ("series", 0.9, 0.9))]
    cases += [random_spec(rng) for _ in range(300)]
    for spec in cases:
        got, expected = perf.combined(spec), model(spec)
        expect_true(close(got, expected), f"combined({spec!r})", got=got, expected=expected,
                    why="series multiplies availabilities, parallel multiplies unavailabilities, nested as written")


@pytest.mark.parametrize("call", [
    "series()", "parallel()", "series(0.9, 1.1)", "parallel(-0.1, 0.5)",
    "combined(('series',))", "combined(('mirror', 0.9, 0.9))", "combined(('parallel', 0.9, 2.0))",
    "combined('0.9')", "combined(None)",
])
def test_errors(perf, call):
    with pytest.raises(ValueError):
        eval(call, {}, vars(perf))  # noqa: S307 (the suite's own fixed expressions)
