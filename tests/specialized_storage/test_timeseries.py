"""Tasks 3-4: the time-series database (append, range, downsample, retention)."""

import math
import random

import pytest

from sysdesign.messages import expect_equal, expect_true


def brute_range(points, start, end):
    return sorted((t, v) for t, v in points.items() if start <= t < end)


@pytest.mark.task(3)
@pytest.mark.points(2)
def test_range_is_half_open_and_sorted(storage):
    db = storage.TimeSeriesDB()
    for t in (10, 20, 30, 40, 50):
        db.append("cpu", t, t / 10)
    expect_equal("db.range('cpu', 20, 40) with points at 10, 20, 30, 40, 50", db.range("cpu", 20, 40),
                 [(20, 2.0), (30, 3.0)], why="start <= t < end: the start is in, the end is out")
    expect_equal("db.range('cpu', 0, 100)", [t for t, _ in db.range("cpu", 0, 100)], [10, 20, 30, 40, 50])
    expect_equal("db.range('cpu', 41, 50)", db.range("cpu", 41, 50), [])
    expect_equal("db.range('cpu', 50, 50)", db.range("cpu", 50, 50), [], why="an empty window")
    expect_equal("db.range('nope', 0, 100) (unknown series)", db.range("nope", 0, 100), [])


@pytest.mark.task(3)
@pytest.mark.points(2)
def test_late_points_are_kept_in_order_and_duplicates_replace(storage):
    db = storage.TimeSeriesDB()
    for t, v in [(5, 1), (1, 2), (3, 3), (9, 4), (3, 30), (0, 5)]:
        db.append("s", t, v)
    expect_equal("db.range('s', 0, 10) after appending t = 5, 1, 3, 9, 3 (again), 0", db.range("s", 0, 10),
                 [(0, 5), (1, 2), (3, 30), (5, 1), (9, 4)],
                 why="points arrive out of order but are kept sorted; a second point at t=3 replaces the first")
    expect_equal("db.count('s')", db.count("s"), 5)
    expect_equal("db.count('nope')", db.count("nope"), 0)
    db.append("a", 1, 1)
    expect_equal("db.series()", db.series(), ["a", "s"], why="sorted names")


@pytest.mark.task(3)
@pytest.mark.points(3)
def test_random_ranges_match_brute_force(storage):
    rng = random.Random(7)
    db = storage.TimeSeriesDB()
    model = {f"sensor-{i}": {} for i in range(5)}
    for _ in range(6000):
        name = rng.choice(list(model))
        t = rng.randrange(0, 3000)
        value = rng.randrange(-500, 500) / 4
        db.append(name, t, value)
        model[name][t] = value
    for _ in range(400):
        name = rng.choice(list(model))
        start = rng.randrange(-10, 3010)
        end = start + rng.choice([0, 1, 5, 50, 500, 4000])
        expect_equal(f"db.range({name!r}, {start}, {end}) after 6000 random appends (seed 7)",
                     db.range(name, start, end), brute_range(model[name], start, end))


def brute_downsample(points, start, end, bucket, agg):
    groups = {}
    for t, v in brute_range(points, start, end):
        groups.setdefault(math.floor(t / bucket) * bucket, []).append(v)
    fn = {"avg": lambda vs: sum(vs) / len(vs), "min": min, "max": max, "sum": sum, "count": len}[agg]
    return [(b, fn(vs)) for b, vs in sorted(groups.items())]


@pytest.mark.task(4)
@pytest.mark.points(2)
def test_downsample_buckets_are_aligned_to_multiples(storage):
    db = storage.TimeSeriesDB()
    for t, v in [(3, 1.0), (7, 3.0), (10, 10.0), (12, 2.0), (19, 6.0), (35, 5.0)]:
        db.append("temp", t, v)
    cases = {
        "avg": [(0, 2.0), (10, 6.0), (30, 5.0)],
        "min": [(0, 1.0), (10, 2.0), (30, 5.0)],
        "max": [(0, 3.0), (10, 10.0), (30, 5.0)],
        "sum": [(0, 4.0), (10, 18.0), (30, 5.0)],
        "count": [(0, 2), (10, 3), (30, 1)],
    }
    for agg, expected in cases.items():
        expect_equal(f"db.downsample('temp', 3, 40, bucket=10, agg={agg!r}) with points at 3, 7, 10, 12, 19, 35",
                     db.downsample("temp", 3, 40, 10, agg), expected,
                     why="buckets start at multiples of 10 (0, 10, 30), not at the query start 3; empty buckets (20) are left out")
    expect_equal("db.downsample('temp', 5, 19, bucket=10, agg='count')", db.downsample("temp", 5, 19, 10, "count"),
                 [(0, 1), (10, 2)], why="only points of range(5, 19) count: 7, 10 and 12")


@pytest.mark.task(4)
def test_downsample_errors(storage):
    db = storage.TimeSeriesDB()
    db.append("s", 1, 1)
    for bucket, agg in ((0, "avg"), (-5, "max"), (10, "median")):
        with pytest.raises(ValueError):
            db.downsample("s", 0, 10, bucket, agg)
    expect_equal("db.downsample('nope', 0, 10, 5, 'avg')", db.downsample("nope", 0, 10, 5, "avg"), [])


@pytest.mark.task(4)
@pytest.mark.points(3)
def test_random_downsamples_match_brute_force(storage):
    rng = random.Random(11)
    db = storage.TimeSeriesDB()
    points = {}
    for _ in range(5000):
        t = rng.randrange(0, 8000) / 4  # multiples of 0.25: exact in binary
        value = float(rng.randrange(-1000, 1000))
        db.append("m", t, value)
        points[t] = value
    for _ in range(150):
        start = rng.randrange(-40, 2000)
        end = start + rng.choice([10, 100, 700, 3000])
        bucket = rng.choice([0.5, 1, 7, 10, 60, 250])
        agg = rng.choice(["avg", "min", "max", "sum", "count"])
        got = db.downsample("m", start, end, bucket, agg)
        expected = brute_downsample(points, start, end, bucket, agg)
        same = len(got) == len(expected) and all(
            gb == eb and math.isclose(gv, ev, rel_tol=1e-9, abs_tol=1e-9) for (gb, gv), (eb, ev) in zip(got, expected)
        )
        expect_true(same, f"db.downsample('m', {start}, {end}, bucket={bucket}, agg={agg!r}) (seed 11)",
                    got=got[:6], expected=expected[:6], why="one (bucket_start, aggregate) per non-empty bucket, buckets at multiples of bucket")


@pytest.mark.task(4)
@pytest.mark.points(2)
def test_retention_keeps_the_horizon_relative_to_the_newest_point(storage):
    db = storage.TimeSeriesDB(retention=10)
    for t in range(21):
        db.append("s", t, t)
    expect_equal("timestamps kept after appending 0..20 with retention=10", [t for t, _ in db.range("s", -100, 100)],
                 list(range(10, 21)), why="keep t >= newest - retention = 10: the point exactly at the horizon stays")
    db.append("s", 12.5, 1)
    db.append("s", 9, 1)
    expect_equal("timestamps after late points at 12.5 (inside the horizon) and 9 (outside)",
                 [t for t, _ in db.range("s", -100, 100)], [10, 11, 12, 12.5] + list(range(13, 21)),
                 why="a late point inside the horizon is stored; one already older than newest - retention is not")
    db.append("other", 0, 0)
    expect_equal("db.count('other') (another series, newest point 0)", db.count("other"), 1,
                 why="retention is relative to each series' own newest point, not to the clock or to other series")
    db.append("s", 25, 1)
    expect_equal("timestamps after appending 25", [t for t, _ in db.range("s", -100, 100)],
                 [15, 16, 17, 18, 19, 20, 25])
    expect_equal("db.count('s')", db.count("s"), 7)
    with pytest.raises(ValueError):
        storage.TimeSeriesDB(retention=-1)


@pytest.mark.task(4)
@pytest.mark.points(2)
def test_random_appends_with_retention_match_a_model(storage):
    rng = random.Random(5)
    retention = 100
    db = storage.TimeSeriesDB(retention=retention)
    model = {"a": {}, "b": {}}
    newest = {"a": None, "b": None}
    for step in range(4000):
        name = rng.choice("ab")
        t = step // 2 + rng.randrange(-150, 20)
        db.append(name, t, step)
        if newest[name] is None or t >= newest[name] - retention:
            model[name][t] = step
            newest[name] = t if newest[name] is None else max(newest[name], t)
            model[name] = {k: v for k, v in model[name].items() if k >= newest[name] - retention}
        if step % 50 == 0:
            expect_equal(f"db.range({name!r}, -1000, 10000) after {step + 1} appends with retention={retention} (seed 5)",
                         db.range(name, -1000, 10000), brute_range(model[name], -1000, 10000))
