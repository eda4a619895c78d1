"""Fixtures for the http_basics suite: a watchdog for the parser, and scripted fake servers
on ``responses`` that record the virtual time and the timeout of every call."""

from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
import requests

from sysdesign.clock import to_micros
from sysdesign.messages import explain

URL = "http://api.test/items"


@pytest.fixture
def http_basics(impl):
    """The active implementation of exercises/http_basics.py."""
    return impl("http_basics")


class ParserHung(BaseException):
    """Raised by the watchdog into code that runs far longer than it should (a BaseException,
    so an ``except Exception`` in the code under test cannot swallow it)."""


@contextmanager
def watchdog(seconds: float, what: str):
    """Interrupt the block after ``seconds`` of real time. Correct code finishes in
    milliseconds; this only turns a hang into a failure instead of a stuck run."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def fire(signum, frame):
        raise ParserHung(f"{what} was still running after {seconds} s (real time); it must never wait for more bytes")

    previous = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def parse_should_fail(http_basics, data: bytes, why: str) -> None:
    """``parse_request(data)`` must raise HTTPParseError: not return, not raise anything else."""
    call = f"parse_request({data!r})"
    try:
        with watchdog(1.0, call):
            result = http_basics.parse_request(data)
    except http_basics.HTTPParseError:
        return
    except NotImplementedError:
        raise
    except Exception as exc:  # noqa: BLE001 - the finding
        raise AssertionError(explain(call, f"{type(exc).__name__}: {exc}", "HTTPParseError",
                                     f"{why}; bad input raises HTTPParseError and no other exception")) from None
    raise AssertionError(explain(call, result, "HTTPParseError", why))


class RunawayClient(BaseException):
    """Raised into the client by a fake server that has been called far more often than any
    capped retry policy allows."""


@dataclass
class Call:
    at: float
    """Virtual seconds since the server was set up, exact to the microsecond."""
    method: str
    timeout: object
    request: requests.PreparedRequest


class FakeServer:
    """One URL on a ``responses.RequestsMock`` that answers from a script.

    Each call takes the next step of ``script`` (the last step repeats forever): an int is a
    status code to answer with, an exception instance is raised, as a network failure would
    be; a ``(status, headers)`` pair answers with those headers too. Every call is recorded with the virtual time (read with ``time.monotonic()``, which the
    clock fixture controls) and the ``timeout`` the client passed to ``requests``.
    """

    LIMIT = 60

    def __init__(self, rsps, script, url: str = URL, methods=("GET",)):
        self.script, self.url, self.calls = list(script), url, []
        self._start = time.monotonic()
        for method in methods:
            rsps.add_callback(method, url, callback=self._answer)

    def _answer(self, request):
        timeout = getattr(request, "req_kwargs", {}).get("timeout", "<not recorded>")
        at = to_micros(time.monotonic() - self._start) / 1_000_000
        self.calls.append(Call(at=at, method=request.method, timeout=timeout, request=request))
        if len(self.calls) > self.LIMIT:
            raise RunawayClient(f"the client called {self.url} more than {self.LIMIT} times: are the attempts capped?")
        step = self.script[min(len(self.calls), len(self.script)) - 1]
        if isinstance(step, BaseException):
            raise step
        status, headers = step if isinstance(step, tuple) else (step, {})
        body = "" if request.method == "HEAD" else f"answer {len(self.calls)}: {status}"
        return (status, {"Content-Type": "text/plain", **headers}, body)

    @property
    def times(self) -> list[float]:
        return [c.at for c in self.calls]

    @property
    def gaps(self) -> list[float]:
        t = self.times
        return [round(b - a, 6) for a, b in zip(t, t[1:])]


def describe(script) -> str:
    def one(step) -> str:
        if isinstance(step, BaseException):
            return type(step).__name__
        if isinstance(step, tuple):
            return f"{step[0]} " + " ".join(f"{k}: {v}" for k, v in step[1].items())
        return str(step)

    return "[" + ", ".join(one(s) for s in script) + "]"
