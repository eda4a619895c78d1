"""Reference solution of the circuit_breaker exercise (same API as the stub)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import requests

CLOSED = "closed"
OPEN = "open"
HALF_OPEN = "half_open"


class CircuitOpenError(Exception):
    """Raised by :meth:`CircuitBreaker.call` instead of calling the function."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"circuit open: retry in {retry_after:g} s")
        self.retry_after = retry_after


class ServerError(Exception):
    """An HTTP answer with a 5xx status, raised by :func:`guarded_get`."""

    def __init__(self, response: requests.Response) -> None:
        super().__init__(f"HTTP {response.status_code} from {response.url}")
        self.response = response


class CircuitBreaker:
    """A circuit breaker in front of one dependency."""

    def __init__(self, failure_threshold: int = 5, reset_timeout: float = 30.0, half_open_max_calls: int = 1,
                 counted: tuple[type[BaseException], ...] = (Exception,)) -> None:
        if isinstance(failure_threshold, bool) or not isinstance(failure_threshold, int) or failure_threshold < 1:
            raise ValueError(f"failure_threshold must be an int >= 1, got {failure_threshold!r}")
        if not reset_timeout > 0:
            raise ValueError(f"reset_timeout must be > 0, got {reset_timeout!r}")
        if isinstance(half_open_max_calls, bool) or not isinstance(half_open_max_calls, int) or half_open_max_calls < 1:
            raise ValueError(f"half_open_max_calls must be an int >= 1, got {half_open_max_calls!r}")
        self.failure_threshold = failure_threshold
        self.reset_timeout = reset_timeout
        self.half_open_max_calls = half_open_max_calls
        self.counted = tuple(counted)
        self._failures = 0
        self._opened_at: float | None = None
        self._trials = 0

    @property
    def state(self) -> str:
        if self._opened_at is None:
            return CLOSED
        if time.monotonic() >= self._opened_at + self.reset_timeout:
            return HALF_OPEN
        return OPEN

    @property
    def failure_count(self) -> int:
        return self._failures

    def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        state = self.state
        if state == OPEN:
            raise CircuitOpenError(self._opened_at + self.reset_timeout - time.monotonic())
        trial = state == HALF_OPEN
        if trial:
            if self._trials >= self.half_open_max_calls:
                raise CircuitOpenError(0.0)
            self._trials += 1
        try:
            result = fn(*args, **kwargs)
        except BaseException as exc:
            self._finished(trial, failed=isinstance(exc, self.counted))
            raise
        self._finished(trial, failed=False)
        return result

    def _finished(self, trial: bool, *, failed: bool) -> None:
        if trial:
            self._trials -= 1
            if failed:
                self._opened_at = time.monotonic()
            else:
                self._opened_at, self._failures = None, 0
        elif failed:
            self._failures += 1
            if self._failures >= self.failure_threshold and self._opened_at is None:
                self._opened_at = time.monotonic()
        else:
            self._failures = 0


def guarded_get(breaker: CircuitBreaker, url: str, **kwargs: Any) -> requests.Response:
    def fetch() -> requests.Response:
        response = requests.get(url, **kwargs)
        if response.status_code >= 500:
            raise ServerError(response)
        return response

    return breaker.call(fetch)
