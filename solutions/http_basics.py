"""Reference solution: http_basics (request parser, response serialiser, retrying client)."""

from __future__ import annotations

import datetime
import email.utils
import http
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qs

import requests

TOKEN_CHARS = frozenset("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")

RETRY_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"})

RETRY_STATUSES = frozenset({408, 429})

_METHOD_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_VERSIONS = ("HTTP/1.1", "HTTP/1.0")
_DIGITS = frozenset("0123456789")


class HTTPParseError(ValueError):
    pass


class Headers:
    def __init__(self, fields: Iterable[tuple[str, str]] = ()) -> None:
        self._fields: list[tuple[str, str]] = []
        for name, value in fields:
            self.add(name, value)

    def add(self, name: str, value: str) -> None:
        self._fields.append((name, value))

    def get_all(self, name: str) -> list[str]:
        wanted = name.lower()
        return [v for n, v in self._fields if n.lower() == wanted]

    def get(self, name: str, default: str | None = None) -> str | None:
        values = self.get_all(name)
        return ", ".join(values) if values else default

    def __getitem__(self, name: str) -> str:
        value = self.get(name)
        if value is None:
            raise KeyError(name)
        return value

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and bool(self.get_all(name))

    def __len__(self) -> int:
        return len(self._fields)

    def items(self) -> list[tuple[str, str]]:
        return list(self._fields)

    def __iter__(self) -> Iterator[str]:
        return iter([n for n, _ in self._fields])


@dataclass
class Request:
    method: str
    target: str
    path: str
    query: dict[str, list[str]]
    version: str
    headers: Headers
    body: bytes = field(default=b"")


def _is_token(text: str, chars: frozenset[str] = TOKEN_CHARS) -> bool:
    return bool(text) and all(c in chars for c in text)


def _parse_request_line(line: str) -> tuple[str, str, str]:
    parts = line.split(" ")
    if len(parts) != 3:
        raise HTTPParseError(f"request line must be 'METHOD TARGET VERSION': {line!r}")
    method, target, version = parts
    if not _is_token(method, _METHOD_CHARS):
        raise HTTPParseError(f"bad method {method!r}")
    if not target.startswith("/"):
        raise HTTPParseError(f"target must start with '/': {target!r}")
    if version not in _VERSIONS:
        raise HTTPParseError(f"unsupported version {version!r}")
    return method, target, version


def _parse_header_line(line: str) -> tuple[str, str]:
    if line[:1] in (" ", "\t"):
        raise HTTPParseError(f"obsolete line folding: {line!r}")
    name, colon, value = line.partition(":")
    if not colon:
        raise HTTPParseError(f"header line without a colon: {line!r}")
    if not _is_token(name):
        raise HTTPParseError(f"bad header name {name!r}")
    return name, value.strip(" \t")


def _content_length(headers: Headers) -> int:
    values = headers.get_all("Content-Length")
    if not values:
        return 0
    if any(not v or not set(v) <= _DIGITS for v in values):
        raise HTTPParseError(f"Content-Length must be digits: {values!r}")
    if len({int(v) for v in values}) > 1:
        raise HTTPParseError(f"conflicting Content-Length fields: {values!r}")
    return int(values[0])


def _parse_head(data: bytes) -> tuple[str, str, str, Headers, int]:
    """(method, target, version, headers, offset of the first body byte)."""
    end = data.find(b"\r\n\r\n")
    if end < 0:
        raise HTTPParseError("incomplete head: no empty line (CRLF CRLF) after the headers")
    try:
        head = data[:end].decode("ascii")
    except UnicodeDecodeError:
        raise HTTPParseError("the head is not ASCII") from None
    lines = head.split("\r\n")
    if any("\r" in line or "\n" in line for line in lines):
        raise HTTPParseError("a lone CR or LF in the head")
    method, target, version = _parse_request_line(lines[0])
    headers = Headers(_parse_header_line(line) for line in lines[1:])
    if "Transfer-Encoding" in headers:
        raise HTTPParseError("Transfer-Encoding is not supported; frame the body with Content-Length")
    return method, target, version, headers, end + 4


def _request(method: str, target: str, version: str, headers: Headers, body: bytes) -> Request:
    path, _, query = target.partition("?")
    return Request(method=method, target=target, path=path, query=parse_qs(query, keep_blank_values=True),
                   version=version, headers=headers, body=body)


def parse_request(data: bytes) -> Request:
    method, target, version, headers, start = _parse_head(data)
    length = _content_length(headers)
    body = bytes(data[start:start + length])
    if len(body) < length:
        raise HTTPParseError(f"body has {len(body)} bytes, Content-Length says {length}")
    return _request(method, target, version, headers, body)


def _header_pairs(headers) -> list[tuple[str, str]]:
    if isinstance(headers, Headers):
        return headers.items()
    if isinstance(headers, Mapping):
        return list(headers.items())
    return [(name, value) for name, value in headers]


def serialize_response(status: int, headers=(), body: bytes | str = b"", reason: str | None = None) -> bytes:
    if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599:
        raise ValueError(f"status must be an int from 100 to 599, got {status!r}")
    if reason is None:
        try:
            reason = http.HTTPStatus(status).phrase
        except ValueError:
            reason = ""
    payload = body.encode("utf-8") if isinstance(body, str) else bytes(body)
    lines = [f"HTTP/1.1 {status} {reason}"]
    for name, value in _header_pairs(headers):
        if not _is_token(name):
            raise ValueError(f"bad header name {name!r}")
        if "\r" in value or "\n" in value:
            raise ValueError(f"header {name!r} has a CR or LF in its value")
        if name.lower() != "content-length":
            lines.append(f"{name}: {value}")
    lines.append(f"Content-Length: {len(payload)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + payload


def _check_timeout(timeout) -> None:
    parts = timeout if isinstance(timeout, tuple) else (timeout,)
    if timeout is None or not parts or any(
        isinstance(p, bool) or not isinstance(p, (int, float)) or p <= 0 for p in parts
    ):
        raise ValueError(f"timeout must be positive seconds or a (connect, read) pair, got {timeout!r}")


class RetryingClient:
    def __init__(self, *, timeout=5.0, max_attempts: int = 4, base_delay: float = 0.5, max_delay: float = 8.0,
                 retry_methods: Iterable[str] = RETRY_METHODS, session: requests.Session | None = None) -> None:
        _check_timeout(timeout)
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if base_delay < 0 or max_delay < base_delay:
            raise ValueError("need 0 <= base_delay <= max_delay")
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.retry_methods = frozenset(m.upper() for m in retry_methods)
        self.session = session if session is not None else requests.Session()

    def backoff(self, retry: int) -> float:
        return min(self.max_delay, self.base_delay * 2 ** (retry - 1))

    def request(self, method: str, url: str, **kwargs) -> requests.Response:
        timeout = kwargs.pop("timeout", self.timeout)
        _check_timeout(timeout)
        attempts = self.max_attempts if method.upper() in self.retry_methods else 1
        wait = 0.0
        for attempt in range(1, attempts + 1):
            if attempt > 1:
                time.sleep(wait)
            try:
                response = self.session.request(method, url, timeout=timeout, **kwargs)
            except (requests.ConnectionError, requests.Timeout):
                if attempt == attempts:
                    raise
                wait = self.backoff(attempt)
                continue
            if not self._retryable(response.status_code) or attempt == attempts:
                return response
            asked = self._retry_after(response)
            if asked is not None and asked > self.max_delay:
                return response
            wait = self.backoff(attempt) if asked is None else asked
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def _retryable(status: int) -> bool:
        return status >= 500 or status in RETRY_STATUSES

    @staticmethod
    def _retry_after(response: requests.Response) -> float | None:
        """Seconds the answer's Retry-After asks for, or None when absent or unreadable."""
        value = (response.headers.get("Retry-After") or "").strip()
        if value.isascii() and value.isdigit():
            return float(int(value))
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:  # an HTTP-date is always GMT
            when = when.replace(tzinfo=datetime.timezone.utc)
        return max(0.0, when.timestamp() - time.time())

    def get(self, url: str, **kwargs) -> requests.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs) -> requests.Response:
        return self.request("POST", url, **kwargs)
