"""Fixtures for the circuit_breaker suite: the module under test, and functions that succeed
or fail on demand while counting how often they were called."""

from __future__ import annotations

import pytest


@pytest.fixture
def cb(impl):
    """The active implementation of exercises/circuit_breaker.py."""
    return impl("circuit_breaker")


class Boom(Exception):
    """The dependency failed (a counted failure by default)."""


class BadRequest(Exception):
    """The caller's mistake: the dependency answered."""


class Dependency:
    """A fake dependency: ``ok()`` returns ``"ok"``, ``fail()`` raises :class:`Boom`, the other
    methods raise the exception they are named after; ``calls`` counts every call, so a test can
    prove that an open breaker did not call it. ``trip(breaker, n)`` makes ``n`` failing calls
    through ``breaker``. The exception classes are attributes too (``dep.Boom``...).

    Exceptions are raised here, on the suite's side, never passed to learner code as arguments:
    in classroom grading learner code runs in another process, and an exception crosses as its
    type and message."""

    Boom, BadRequest = Boom, BadRequest

    def __init__(self) -> None:
        self.calls = 0

    def ok(self, value: str = "ok") -> str:
        self.calls += 1
        return value

    def fail(self) -> None:
        self.calls += 1
        raise Boom("dependency down")

    def refuse(self) -> None:
        self.calls += 1
        raise ConnectionRefusedError("connection refused")

    def reject(self) -> None:
        self.calls += 1
        raise BadRequest("no such user")

    def missing_key(self) -> None:
        self.calls += 1
        raise KeyError("k")

    def lookup_error(self) -> None:
        self.calls += 1
        raise LookupError("not a counted failure")

    def trip(self, breaker, times: int) -> None:
        """Make ``times`` calls through ``breaker`` that fail with :class:`Boom`."""
        for _ in range(times):
            with pytest.raises(Boom):
                breaker.call(self.fail)


@pytest.fixture
def dep() -> Dependency:
    return Dependency()
