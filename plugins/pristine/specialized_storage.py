"""Specialised storage: blobs, time series, graphs and space.

A general-purpose database can store anything, but some shapes of data are so common, and so
badly served by rows and columns, that whole products exist for each. This exercise builds the
core idea of four of them, small enough to test against brute force.

* **Blob stores** (Amazon S3, Google Cloud Storage) keep large unstructured objects (videos,
  images, builds) under a name, and nothing else: no queries, only put and get by name. Two
  ideas make them cheap and safe. *Content addressing*: cut each blob into fixed-size chunks
  and name every chunk by a hash of its bytes; two blobs that share content (a file uploaded
  twice, version 2 of a build that only appends) then share chunks, and each distinct chunk is
  stored once (*de-duplication*). *Checksums*: disks and networks flip bits, so every read
  recomputes the chunk's hash and refuses data that no longer matches. The cost: reference
  counting (a chunk may be freed only when no blob uses it) and a hash per chunk.
* **Time-series databases** (InfluxDB, Prometheus) store ``(timestamp, value)`` points per
  series (a metric, a sensor, a stock) and answer questions about time windows: the points
  between two instants, or the average / min / max per minute (*downsampling*), which is how
  a dashboard draws a week of per-second data. Old data is dropped by a *retention* horizon.
  Keeping each series sorted by time makes a window two binary searches.
* **Graph databases** (Neo4j, queried with Cypher) make relationships first-class. "Friends of
  my friends who are not yet my friends" is three self-joins in SQL and one short walk over
  adjacency sets here. Shortest paths come from breadth-first search, which reaches nodes in
  order of their distance.
* **Spatial indexes** answer "what is in this rectangle?" and "what are the 5 nearest
  restaurants?" without looking at every point. A **quadtree** covers the map with one
  rectangle; when a rectangle holds more than its capacity, it splits into four quadrants and
  hands its points down, so dense areas (cities) get small rectangles and empty ones
  (oceans) stay big. A query only enters the rectangles that can contain an answer. Points
  lying exactly on a split line are the classic bug: each must go to exactly one quadrant.

When would you choose otherwise? A blob store with variable-size, content-defined chunks
de-duplicates even after an insertion shifts the bytes; an R-tree indexes rectangles, not only
points; a k-d tree splits on the data rather than on fixed midpoints.

Only the standard library is needed (``hashlib``, ``bisect``, ``heapq``, ``collections``).
Run ``sysdesign check specialized_storage``.

Tasks
-----
1. ``BlobStore``: chunk, address chunks by content, de-duplicate (``put``, ``get``, ``stored_bytes``).
2. ``BlobStore``: verify every chunk on read; ``delete`` and overwrite with reference counts.
3. ``TimeSeriesDB``: ``append`` and ``range`` over sorted series.
4. ``TimeSeriesDB``: ``downsample`` by bucket (avg/min/max/sum/count) and retention.
5. ``GraphDB``: nodes, undirected edges, ``neighbours``, ``friends_of_friends``.
6. ``GraphDB.shortest_path`` by breadth-first search.
7. ``QuadTree``: ``insert`` with a split at capacity, and a pruning rectangle ``query``.
8. ``QuadTree.nearest``: the k nearest points, without visiting the whole tree.
"""

from __future__ import annotations

from typing import Any


# -- blobs ---------------------------------------------------------------------------------------
class CorruptionError(Exception):
    """Task 2. A stored chunk no longer matches its checksum. (Given.)"""


class BlobStore:
    """Tasks 1-2. Named blobs made of content-addressed, de-duplicated, checksummed chunks.

    A blob's bytes are cut into chunks of ``chunk_size`` bytes (the last one may be shorter;
    an empty blob has no chunks). A chunk's id is ``hashlib.sha256(chunk).hexdigest()``, which
    is also its checksum. ``chunks`` is the chunk storage: a plain ``dict`` from chunk id to the
    chunk's bytes, holding every distinct chunk that some blob uses, once. (The grading suite
    reads it, and corrupts a chunk by assigning other bytes to an id.)
    """

    def __init__(self, chunk_size: int = 4096) -> None:
        """Task 1. An empty store; ``self.chunks`` is an empty dict. ``chunk_size < 1`` raises
        ``ValueError``."""
        raise NotImplementedError("task 1: implement BlobStore.__init__")

    def put(self, name: str, data: bytes) -> list[str]:
        """Tasks 1-2. Store ``data`` (bytes-like) under ``name`` and return its chunk ids, in order.

        A chunk whose id is already in ``chunks`` is not stored again. Putting an existing name
        replaces that blob (task 2: chunks only the old version used are freed).
        """
        raise NotImplementedError("task 1: implement BlobStore.put")

    def get(self, name: str) -> bytes:
        """Tasks 1-2. The blob's bytes. ``KeyError`` for an unknown name. Task 2: every chunk is
        checked on every read (recompute its hash, compare with its id) and a mismatch raises
        ``CorruptionError``; corrupted bytes are never returned."""
        raise NotImplementedError("task 1: implement BlobStore.get")

    def delete(self, name: str) -> None:
        """Task 2. Remove the blob; free (remove from ``chunks``) every chunk no other blob still
        uses. ``KeyError`` for an unknown name."""
        raise NotImplementedError("task 2: implement BlobStore.delete")

    def manifest(self, name: str) -> list[str]:
        """Task 1. The blob's chunk ids, in order (a copy). ``KeyError`` for an unknown name."""
        raise NotImplementedError("task 1: implement BlobStore.manifest")

    def names(self) -> list[str]:
        """Task 1. The names of the stored blobs, sorted."""
        raise NotImplementedError("task 1: implement BlobStore.names")

    @property
    def stored_bytes(self) -> int:
        """Task 1. Bytes actually held: the total length of the distinct chunks in ``chunks``."""
        raise NotImplementedError("task 1: implement BlobStore.stored_bytes")


# -- time series ---------------------------------------------------------------------------------
class TimeSeriesDB:
    """Tasks 3-4. ``(timestamp, value)`` points per named series, kept sorted by timestamp.

    Timestamps and values are numbers (seconds, any unit you like). Points may arrive out of
    order; a point with a timestamp the series already has replaces that point's value.
    """

    def __init__(self, retention: float | None = None) -> None:
        """Tasks 3-4. An empty database. ``retention`` (task 4): keep, in each series, only points
        with ``timestamp >= newest - retention``, where ``newest`` is the largest timestamp the
        series holds; ``None`` keeps everything; a negative retention raises ``ValueError``."""
        raise NotImplementedError("task 3: implement TimeSeriesDB.__init__")

    def append(self, series: str, timestamp: float, value: float) -> None:
        """Tasks 3-4. Add a point to ``series`` (created on first use), in timestamp order.

        Task 4: after the append, drop the points older than the horizon (``timestamp < newest -
        retention``); a point exactly at the horizon stays. A point that arrives already older
        than the horizon is not stored at all.
        """
        raise NotImplementedError("task 3: implement TimeSeriesDB.append")

    def range(self, series: str, start: float, end: float) -> list[tuple[float, float]]:
        """Task 3. The points with ``start <= timestamp < end`` (half-open), sorted by timestamp,
        as ``(timestamp, value)`` tuples. An unknown series gives ``[]``. Use ``bisect``."""
        raise NotImplementedError("task 3: implement TimeSeriesDB.range")

    def downsample(self, series: str, start: float, end: float, bucket: float, agg: str) -> list[tuple[float, float]]:
        """Task 4. Aggregate the points of ``range(series, start, end)`` per time bucket.

        A point at ``t`` belongs to the bucket starting at ``math.floor(t / bucket) * bucket``
        (buckets are aligned to multiples of ``bucket``, not to ``start``). ``agg`` is one of
        ``"avg"``, ``"min"``, ``"max"``, ``"sum"``, ``"count"``. Return ``(bucket_start,
        aggregate)`` for every bucket that has at least one point, sorted by bucket start.
        ``bucket <= 0`` or an unknown ``agg`` raises ``ValueError``.
        """
        raise NotImplementedError("task 4: implement TimeSeriesDB.downsample")

    def series(self) -> list[str]:
        """Task 3. The names of the series that have points, sorted."""
        raise NotImplementedError("task 3: implement TimeSeriesDB.series")

    def count(self, series: str) -> int:
        """Tasks 3-4. How many points ``series`` holds now (0 for an unknown series)."""
        raise NotImplementedError("task 3: implement TimeSeriesDB.count")


# -- graph ---------------------------------------------------------------------------------------
class GraphDB:
    """Tasks 5-6. An undirected graph of named nodes: an edge ``a -- b`` is a friendship, seen
    from both ends. No self-loops; at most one edge between two nodes."""

    def __init__(self) -> None:
        """Task 5. An empty graph."""
        raise NotImplementedError("task 5: implement GraphDB.__init__")

    def add_node(self, node: str) -> None:
        """Task 5. Add ``node`` (no edges); adding an existing node changes nothing."""
        raise NotImplementedError("task 5: implement GraphDB.add_node")

    def remove_node(self, node: str) -> None:
        """Task 5. Remove ``node`` and all its edges. ``KeyError`` for an unknown node."""
        raise NotImplementedError("task 5: implement GraphDB.remove_node")

    def add_edge(self, a: str, b: str) -> None:
        """Task 5. Connect ``a`` and ``b`` both ways, adding either node if missing. Adding an
        existing edge changes nothing; ``a == b`` raises ``ValueError``."""
        raise NotImplementedError("task 5: implement GraphDB.add_edge")

    def remove_edge(self, a: str, b: str) -> None:
        """Task 5. Remove the edge ``a -- b`` (the same edge as ``b -- a``). ``KeyError`` if there
        is no such edge; the nodes stay."""
        raise NotImplementedError("task 5: implement GraphDB.remove_edge")

    def nodes(self) -> list[str]:
        """Task 5. Every node, sorted."""
        raise NotImplementedError("task 5: implement GraphDB.nodes")

    def neighbours(self, node: str) -> set[str]:
        """Task 5. The nodes joined to ``node`` by an edge (a new set). ``KeyError`` if unknown."""
        raise NotImplementedError("task 5: implement GraphDB.neighbours")

    def friends_of_friends(self, node: str) -> set[str]:
        """Task 5. The neighbours of ``node``'s neighbours, except ``node`` itself and its direct
        neighbours: exactly the nodes at distance 2. ``KeyError`` if unknown."""
        raise NotImplementedError("task 5: implement GraphDB.friends_of_friends")

    def shortest_path(self, a: str, b: str) -> list[str] | None:
        """Task 6. A path with the fewest edges from ``a`` to ``b``, as the list of nodes from
        ``a`` to ``b`` inclusive (``[a]`` when ``a == b``), or ``None`` when ``b`` cannot be
        reached. Any one of several equally short paths is fine. ``KeyError`` if either node
        is unknown. Breadth-first search: the first time it reaches ``b`` is by a shortest path.
        """
        raise NotImplementedError("task 6: implement GraphDB.shortest_path")


# -- quadtree ------------------------------------------------------------------------------------
class QuadTree:
    """Tasks 7-8. A point quadtree over a fixed rectangle.

    Each node covers a closed rectangle ``x0 <= x <= x1, y0 <= y <= y1``. A leaf holds up to
    ``capacity`` points; inserting into a full leaf (below ``max_depth``) splits it into four
    children at the midpoints ``mx = (x0 + x1) / 2``, ``my = (y0 + y1) / 2`` and moves its
    points down. A point goes to exactly one child: east if ``x >= mx`` else west, north if
    ``y >= my`` else south, so a point on a split line is neither lost nor duplicated. A leaf
    at ``max_depth`` never splits (it just grows: think of a thousand points at one address).

    ``node_count`` is the number of nodes in the tree (1 for a new tree; each split adds 4).
    ``nodes_visited`` is set by every ``query`` and ``nearest``: how many nodes that call
    entered (looked at the points or the children of). The root counts; a child that the
    search skips because it cannot hold an answer does not. A query that looks at the whole
    tree therefore visits ``node_count`` nodes.
    """

    def __init__(self, bounds: tuple[float, float, float, float], capacity: int = 4, max_depth: int = 16) -> None:
        """Task 7. An empty tree over ``bounds = (x_min, y_min, x_max, y_max)``; ``node_count``
        is 1 and ``nodes_visited`` 0. ``ValueError`` unless ``x_min < x_max`` and
        ``y_min < y_max``, or if ``capacity < 1``."""
        raise NotImplementedError("task 7: implement QuadTree.__init__")

    def __len__(self) -> int:
        """Task 7. How many points were inserted (duplicates count)."""
        raise NotImplementedError("task 7: implement QuadTree.__len__")

    def insert(self, x: float, y: float, item: Any = None) -> None:
        """Task 7. Add the point ``(x, y)`` carrying ``item``, splitting full leaves as described
        above (a split may need to repeat if all points land in one child). A point outside
        the bounds raises ``ValueError``; points on the outer edges are inside."""
        raise NotImplementedError("task 7: implement QuadTree.insert")

    def query(self, rect: tuple[float, float, float, float]) -> list[tuple[float, float, Any]]:
        """Task 7. Every stored ``(x, y, item)`` with ``x_min <= x <= x_max`` and
        ``y_min <= y <= y_max`` for ``rect = (x_min, y_min, x_max, y_max)`` (boundaries
        included), each exactly once, in any order. Enter only nodes whose rectangle
        intersects ``rect``, and set ``nodes_visited``."""
        raise NotImplementedError("task 7: implement QuadTree.query")

    def nearest(self, x: float, y: float, k: int = 1) -> list[tuple[float, float, Any]]:
        """Task 8. The ``k`` stored points nearest to ``(x, y)`` (Euclidean distance), nearest
        first, as ``(x, y, item)``; all of them if there are fewer than ``k``. Among points at
        the same distance any choice is fine. ``k < 1`` raises ``ValueError``.

        The nearest points need not be in the leaf containing ``(x, y)``. Keep the k best so
        far and a priority queue of nodes ordered by the distance from ``(x, y)`` to their
        rectangle; stop when the next node is no closer than the k-th best. Set
        ``nodes_visited``.
        """
        raise NotImplementedError("task 8: implement QuadTree.nearest")
