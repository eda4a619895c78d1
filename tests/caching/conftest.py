"""Fixtures for the caching suite: the module under test, a slow fake database, and a plain
cache of the suite's own for judging CacheAside on its own."""

from __future__ import annotations

import time

import pytest


@pytest.fixture
def caching(impl):
    """The active implementation of exercises/caching.py."""
    return impl("caching")


class FakeDatabase:
    """A slow key-value database.

    Learner code may call only ``get(key)`` (the value, or ``None`` when absent) and
    ``put(key, value)``. Each call spends ``service_time`` seconds in ``time.sleep``, which the
    virtual clock turns into virtual time, and is counted in ``reads`` / ``writes`` (failed
    calls included). With ``down`` set, both calls raise ``ConnectionError`` after the wait.
    The suite reads ``data`` (what the database durably holds) and ``written`` (every
    successful put, in order) without cost.
    """

    def __init__(self, data: dict | None = None, service_time: float = 0.01) -> None:
        self.data = dict(data or {})
        self.service_time = service_time
        self.reads = 0
        self.writes = 0
        self.written: list[tuple] = []
        self.down = False

    @property
    def calls(self) -> int:
        return self.reads + self.writes

    def _serve(self) -> None:
        if self.service_time:
            time.sleep(self.service_time)
        if self.down:
            raise ConnectionError("the database is down")

    def get(self, key):
        self.reads += 1
        self._serve()
        return self.data.get(key)

    def put(self, key, value) -> None:
        if value is None:
            raise ValueError("the database does not store None (it means 'absent' to get)")
        self.writes += 1
        self._serve()
        self.data[key] = value
        self.written.append((key, value))


@pytest.fixture
def make_db(clock):
    """``make_db(data=None, service_time=0.01)``: a new FakeDatabase. Depends on ``clock`` so
    that its ``time.sleep`` is always virtual."""
    return FakeDatabase


@pytest.fixture
def db(make_db):
    """An empty FakeDatabase with a service time of 10 ms per call."""
    return make_db()


class SuiteLRU:
    """The suite's own small LRU cache (get/put/delete/in/len), so that CacheAside is judged
    without depending on the learner's LRUCache."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.data: dict = {}

    def get(self, key, default=None):
        if key not in self.data:
            return default
        self.data[key] = self.data.pop(key)
        return self.data[key]

    def put(self, key, value) -> None:
        self.data.pop(key, None)
        if len(self.data) >= self.capacity:
            del self.data[next(iter(self.data))]
        self.data[key] = value

    def delete(self, key) -> bool:
        return self.data.pop(key, self) is not self

    def __contains__(self, key) -> bool:
        return key in self.data

    def __len__(self) -> int:
        return len(self.data)


@pytest.fixture
def suite_lru():
    """``suite_lru(capacity)``: a fresh SuiteLRU."""
    return SuiteLRU


#: The eviction-policy caches and the task each belongs to.
POLICY_TASKS = {"LRUCache": 1, "LFUCache": 2, "FIFOCache": 3, "LIFOCache": 4, "TTLCache": 5}

#: The default TTL of the TTLCache the common-interface tests build: longer than any test runs.
LONG_TTL = 3600


def pytest_generate_tests(metafunc):
    """A test that takes ``policy_name`` runs once per eviction-policy cache, marked with that
    cache's task."""
    if "policy_name" in metafunc.fixturenames:
        metafunc.parametrize("policy_name", [
            pytest.param(name, marks=pytest.mark.task(task), id=name) for name, task in POLICY_TASKS.items()
        ])


@pytest.fixture
def make_cache(caching, clock):
    """``make_cache(name, capacity)``: the learner's cache class ``name`` with that capacity (a
    TTLCache gets a one-hour TTL, so nothing expires unless a test moves the clock)."""

    def make(name: str, capacity: int):
        cls = getattr(caching, name)
        return cls(capacity, ttl=LONG_TTL) if name == "TTLCache" else cls(capacity)

    return make
