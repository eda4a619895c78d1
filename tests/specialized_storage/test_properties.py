"""Tasks 1-2, 3-4 and 7-8 as properties: the blob store, the time series and the quadtree against
small models, after every step of sequences hypothesis chooses (and shrinks when one fails).

The inputs lean to the edges the docstrings name: the smallest chunk size (1) and empty blobs;
timestamps on a 0.5 s grid, negative ones included, queries starting and ending exactly on
points, equal timestamps, retention 0 and a point exactly at the horizon; quadtree points on the
outer edges and on split lines, zero-width query rectangles, capacity 1. A chunk corrupted after
it was read once must still be caught on the next read: every read checks.
"""

import hashlib
import math

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, precondition, rule

from sysdesign.properties import ModelMachine, Story, run_machine

# -- blobs -------------------------------------------------------------------------------------


def sha(data):
    return hashlib.sha256(data).hexdigest()


NAMES = st.sampled_from(["a", "b", "c"])
DATA = st.lists(st.sampled_from([b"x", b"y", b"z"]), max_size=6).map(b"".join)


class BlobMachine(ModelMachine):
    storage = None

    @initialize(chunk_size=st.sampled_from([1, 1, 2, 3]))
    def start(self, chunk_size):
        self.size = chunk_size
        self.story = Story(f"store = BlobStore(chunk_size={chunk_size})")
        self.store = self.story.build(f"BlobStore(chunk_size={chunk_size})",
                                      lambda: self.storage.BlobStore(chunk_size=chunk_size),
                                      "any chunk_size >= 1 is valid; 1 is the smallest")
        self.blobs = {}
        self.pieces = {}  # chunk id -> its sound bytes
        self.corrupted = set()

    def ids(self, data):
        pieces = [data[i:i + self.size] for i in range(0, len(data), self.size)]
        for piece in pieces:
            self.pieces.setdefault(sha(piece), piece)
        return [sha(p) for p in pieces]

    def live(self):
        return {cid for data in self.blobs.values() for cid in self.ids(data)}

    def forget_unused(self):
        self.corrupted &= self.live()

    @rule(name=NAMES, data=DATA)
    def put(self, name, data):
        call = f"store.put({name!r}, {data!r})"
        self.story.add(call)
        self.check(call, self.store.put(name, data), self.ids(data), "the sha256 hex ids of the chunks, in order")
        self.blobs[name] = data
        self.forget_unused()

    @rule(name=NAMES)
    def delete(self, name):
        call = f"store.delete({name!r})"
        self.story.add(call)
        if name not in self.blobs:
            self.story.raises(KeyError, call, lambda: self.store.delete(name), "no blob has that name")
            return
        self.store.delete(name)
        del self.blobs[name]
        self.forget_unused()

    @rule(name=NAMES)
    def get(self, name):
        call = f"store.get({name!r})"
        self.story.add(call)
        if name not in self.blobs:
            self.story.raises(KeyError, call, lambda: self.store.get(name), "no blob has that name")
            return
        bad = [cid for cid in self.ids(self.blobs[name]) if cid in self.corrupted]
        if bad:
            self.story.raises(self.storage.CorruptionError, call, lambda: self.store.get(name),
                              f"chunk {bad[0][:12]}... no longer matches its id: every read recomputes every "
                              "chunk's sha256, also for a chunk that was sound when it was read before")
        else:
            self.check(call, self.store.get(name), self.blobs[name], "the bytes last put under that name")

    @precondition(lambda self: self.blobs and any(self.blobs.values()))
    @rule(pick=st.integers(min_value=0, max_value=10))
    def corrupt(self, pick):
        chosen = sorted(self.live())[pick % len(self.live())]
        piece = self.pieces[chosen]
        self.story.add(f"store.chunks[{chosen[:12]}...] = {piece!r} with its first bit flipped")
        self.store.chunks[chosen] = bytes([piece[0] ^ 1]) + piece[1:]
        self.corrupted.add(chosen)

    @invariant()
    def chunks_match_the_model(self):
        if not hasattr(self, "story"):
            return
        live = self.live()
        self.check("(store.names(), sorted(store.chunks))", (self.store.names(), sorted(self.store.chunks)),
                   (sorted(self.blobs), sorted(live)),
                   "every chunk some blob uses is stored once, and a chunk no blob uses any more is freed")
        self.check("store.stored_bytes", self.store.stored_bytes, sum(len(self.pieces[c]) for c in live),
                   "the bytes of the distinct chunks stored")


@pytest.mark.task(2)
@pytest.mark.points(2)
def test_blob_store_matches_a_model_after_every_step(storage):
    run_machine(BlobMachine, max_examples=60, steps=14, storage=storage)


# -- time series -------------------------------------------------------------------------------

TIMES = st.integers(min_value=-6, max_value=6).map(lambda n: n / 2)
EDGES = st.integers(min_value=-7, max_value=7).map(lambda n: n / 2)
SERIES = st.sampled_from(["s", "t"])
AGGS = {"avg": lambda v: sum(v) / len(v), "min": min, "max": max, "sum": sum, "count": len}


class SeriesMachine(ModelMachine):
    storage = None

    @initialize(retention=st.sampled_from([None, None, 0, 0.5, 2]))
    def start(self, retention):
        self.retention = retention
        self.story = Story(f"db = TimeSeriesDB(retention={retention})")
        self.db = self.story.build(f"TimeSeriesDB(retention={retention})",
                                   lambda: self.storage.TimeSeriesDB(retention=retention),
                                   "None or any retention >= 0 is valid; 0 keeps only the newest timestamp")
        self.data = {}

    @rule(series=SERIES, timestamp=TIMES, value=st.integers(min_value=0, max_value=9))
    def append(self, series, timestamp, value):
        self.story.add(f"db.append({series!r}, {timestamp}, {value})")
        self.db.append(series, timestamp, value)
        points = self.data.get(series, {})
        if self.retention is not None and points and timestamp < max(points) - self.retention:
            return
        points[timestamp] = value
        if self.retention is not None:
            horizon = max(points) - self.retention
            points = {t: v for t, v in points.items() if t >= horizon}
        self.data[series] = points

    def model_range(self, series, start, end):
        return sorted((t, v) for t, v in self.data.get(series, {}).items() if start <= t < end)

    @rule(series=SERIES, start=EDGES, end=EDGES)
    def range(self, series, start, end):
        call = f"db.range({series!r}, {start}, {end})"
        got = [tuple(p) for p in self.db.range(series, start, end)]
        self.check(call, got, self.model_range(series, start, end),
                   "the points with start <= timestamp < end, sorted: a point exactly at start is in, one exactly "
                   "at end is out")

    @rule(series=SERIES, start=EDGES, end=EDGES, bucket=st.sampled_from([0.5, 1, 2, 3]), agg=st.sampled_from(sorted(AGGS)))
    def downsample(self, series, start, end, bucket, agg):
        call = f"db.downsample({series!r}, {start}, {end}, bucket={bucket}, agg={agg!r})"
        groups = {}
        for t, v in self.model_range(series, start, end):
            groups.setdefault(math.floor(t / bucket) * bucket, []).append(v)
        expected = [(b, AGGS[agg](vs)) for b, vs in sorted(groups.items())]
        got = [tuple(p) for p in self.db.downsample(series, start, end, bucket, agg)]
        close = len(got) == len(expected) and all(
            g[0] == e[0] and abs(g[1] - e[1]) < 1e-9 for g, e in zip(got, expected))
        self.check_true(close, call, got, expected,
                        "a point at t belongs to the bucket starting at math.floor(t / bucket) * bucket (for a "
                        "negative t too: floor rounds down, int() would round toward zero), sorted by bucket start")

    @invariant()
    def counts_match_the_model(self):
        if not hasattr(self, "story"):
            return
        self.check("(db.series(), [db.count(s) for s in ('s', 't')])",
                   (self.db.series(), [self.db.count(s) for s in ("s", "t")]),
                   (sorted(s for s, p in self.data.items() if p), [len(self.data.get(s, {})) for s in ("s", "t")]),
                   "one point per timestamp (an equal timestamp replaces the value); with retention, the points "
                   "with timestamp >= newest - retention stay (the horizon itself included)")


@pytest.mark.task(4)
@pytest.mark.points(2)
def test_time_series_matches_a_model_after_every_step(storage):
    run_machine(SeriesMachine, max_examples=60, steps=14, storage=storage)


# -- quadtree ----------------------------------------------------------------------------------

SHAPES = [((0, 0, 4, 4), "0..4"), ((-2, -2, 2, 2), "-2..2"), ((0, 0, 1, 1), "0..1")]


def grid(bounds):
    """Quarter steps from just outside the bounds to just outside: edges and split lines included."""
    x0, _, x1, _ = bounds
    n = int((x1 - x0) * 4)
    return st.integers(min_value=-1, max_value=n + 1).map(lambda i: x0 + i / 4)


class TreeMachine(ModelMachine):
    storage = None

    @initialize(shape=st.integers(min_value=0, max_value=2), capacity=st.sampled_from([1, 1, 2, 3]),
                max_depth=st.sampled_from([1, 2, 16]), data=st.data())
    def start(self, shape, capacity, max_depth, data):
        self.bounds = SHAPES[shape][0]
        self.coord = grid(self.bounds)
        self.story = Story(f"tree = QuadTree({self.bounds}, capacity={capacity}, max_depth={max_depth})")
        self.tree = self.story.build(f"QuadTree({self.bounds}, capacity={capacity}, max_depth={max_depth})",
                                     lambda: self.storage.QuadTree(self.bounds, capacity=capacity, max_depth=max_depth),
                                     "capacity 1 is the smallest valid capacity")
        self.points = []

    def inside(self, x, y):
        x0, y0, x1, y1 = self.bounds
        return x0 <= x <= x1 and y0 <= y <= y1

    @rule(data=st.data())
    def insert(self, data):
        x, y = data.draw(self.coord), data.draw(self.coord)
        item = len(self.story.steps)
        call = f"tree.insert({x}, {y}, {item})"
        self.story.add(call)
        if not self.inside(x, y):
            self.story.raises(ValueError, call, lambda: self.tree.insert(x, y, item),
                              "a point outside the bounds is refused (the edges themselves are inside)")
            return
        self.tree.insert(x, y, item)
        self.points.append((x, y, item))

    @rule(data=st.data())
    def query(self, data):
        xs = sorted((data.draw(self.coord), data.draw(self.coord)))
        ys = sorted((data.draw(self.coord), data.draw(self.coord)))
        rect = (xs[0], ys[0], xs[1], ys[1])
        got = sorted((tuple(p) for p in self.tree.query(rect)), key=lambda p: p[2])
        expected = [p for p in self.points if rect[0] <= p[0] <= rect[2] and rect[1] <= p[1] <= rect[3]]
        self.check(f"tree.query({rect})", got, expected,
                   "every stored point with x_min <= x <= x_max and y_min <= y <= y_max (boundaries included, a "
                   "zero-width rectangle too), each exactly once")

    @rule(data=st.data(), k=st.integers(min_value=1, max_value=4))
    def nearest(self, data, k):
        x, y = data.draw(self.coord), data.draw(self.coord)
        got = [tuple(p) for p in self.tree.nearest(x, y, k)]
        expected = sorted((p[0] - x) ** 2 + (p[1] - y) ** 2 for p in self.points)[:k]
        self.check(f"squared distances of tree.nearest({x}, {y}, k={k})",
                   [(p[0] - x) ** 2 + (p[1] - y) ** 2 for p in got], expected,
                   "the k smallest distances (all points if fewer), nearest first")
        self.check(f"the points of tree.nearest({x}, {y}, k={k}) that are not stored (or come twice)",
                   [p for p in got if p not in self.points or got.count(p) > 1], [])

    @invariant()
    def size_matches(self):
        if not hasattr(self, "story"):
            return
        self.check("len(tree)", len(self.tree), len(self.points), "every accepted insert counts, a refused one does not")


@pytest.mark.task(8)
@pytest.mark.points(2)
def test_quadtree_matches_brute_force_after_every_insert(storage):
    run_machine(TreeMachine, max_examples=40, steps=14, storage=storage)
