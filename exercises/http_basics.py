"""HTTP basics: the bytes on the wire, and a client that survives a flaky server.

A browser and a server agree on nothing but a format. An HTTP/1.1 request is plain text
followed by an optional body::

    POST /payments?currency=eur HTTP/1.1\\r\\n        <- request line: method, target, version
    Host: shop.example\\r\\n                          <- header fields, "Name: value"
    Content-Type: application/json\\r\\n
    Content-Length: 13\\r\\n
    \\r\\n                                            <- an empty line ends the head
    {"amount": 5}                                    <- exactly Content-Length bytes of body

The server reads up to the empty line (CRLF CRLF), then exactly ``Content-Length`` more bytes.
It must not read "to the end of what arrived": on a kept-alive connection the next request may
already sit behind this one in the same buffer. Header names are case-insensitive
(``content-length`` and ``Content-Length`` are the same field); values are not. A response has
the same shape, with a status line (``HTTP/1.1 404 Not Found``) instead of the request line.

A parser faces untrusted bytes. Being strict is a feature: anything that does not match the
grammar is rejected with one well-defined error (a server turns it into ``400 Bad Request``).
A parser that guesses (accepts bare LF here, a space before the colon there, a body length
that does not parse) is how two programs end up disagreeing on where a request ends, which
is the root of request smuggling. And whatever arrives, the parser must answer quickly with a
result or that one error: never a stray ``IndexError``, never a loop that waits for bytes that
will not come.

The client side has its own discipline. The network fails in ways a function call does not:

* **Timeouts.** ``requests`` waits forever by default. A client without a timeout hangs as
  long as the slowest server lets it; pass ``timeout=`` on *every* call.
* **Retries, for the right failures.** A connection error, a timeout or a 5xx answer may be
  transient: try again. Most 4xx answers are the client's own mistake (bad input, not found,
  not allowed): sending the same request again gets the same answer, so never retry them. Two
  4xx codes are different: ``408 Request Timeout`` (the server gave up waiting for the request)
  and ``429 Too Many Requests`` (a rate limiter said "not now") describe a moment, not the
  request, so they are retried like a 5xx.
* **Backoff.** Retrying at once hammers a server that is already struggling. Wait longer each
  time (exponential backoff: base, 2*base, 4*base, ...), cap the wait, and cap the number of
  attempts so a dead server costs a bounded time. Production clients also add random jitter
  so that thousands of clients do not retry in lockstep; this one keeps the delays exact so
  they can be checked.
* **Retry-After.** A server that knows when it will be ready says so, most often on a ``429``
  or a ``503``: ``Retry-After: 120`` (seconds) or ``Retry-After: Wed, 21 Oct 2026 07:28:00
  GMT`` (an HTTP-date). The server's figure replaces the client's guess: wait that long, not
  less. When it is more than the client is willing to wait (``max_delay``), retrying sooner
  would only be refused again, so the client gives up at once and returns the answer: the
  caller learns the server's figure from the header and decides. An HTTP-date is only as good
  as the agreement between the server's clock and the client's (a client whose clock runs a
  minute slow waits a minute too long); seconds depend on neither clock, which is why most
  servers send them. The rate limiter's middleware (the ``rate_limiting`` exercise) writes
  this header, in whole seconds.
* **Idempotence, not safety.** RFC 9110 defines two properties. A *safe* method (``GET``,
  ``HEAD``, ``OPTIONS``, ``TRACE``) asks for no change at all. An *idempotent* method may
  change the server, but sending it twice has the same effect as sending it once: the safe
  methods, plus ``PUT`` (store this representation) and ``DELETE`` (remove this). Retrying
  needs only idempotence: if a ``PUT`` whose answer was lost is sent again, the resource ends
  up the same. A ``POST`` that charged a card but whose answer was lost charges it twice when
  repeated, and ``PATCH`` need not be idempotent either. So this client retries only
  idempotent methods (the server must keep the promise: a ``PUT`` handler that appends is a
  bug on the server's side). A ``POST`` can be made retryable with an idempotency key, which
  the server uses to recognise a repeat; that is beyond this exercise.

Use ``requests`` for HTTP (the suite's fake servers intercept it; ``urllib`` or ``httpx`` would
go to the real network) and ``time.sleep`` for the backoff (the suite's virtual clock turns it
into virtual time, so a 30-second backoff costs nothing). Implement the retry loop yourself:
``urllib3``'s ``Retry`` runs below the layer the fake servers replace. Run
``sysdesign check http_basics``.

Tasks
-----
1. ``Headers``: a case-insensitive, order-keeping collection of header fields.
2. ``parse_request``: the request line, the path and the query parameters.
3. ``parse_request``: the header fields and a body of exactly ``Content-Length`` bytes.
4. ``parse_request``: reject malformed input with ``HTTPParseError``, and only with it.
5. ``serialize_response``: status line, headers and a correct ``Content-Length``.
6. ``RetryingClient``: a timeout on every call; success and client errors answered at once;
   the backoff schedule.
7. ``RetryingClient``: retry 5xx answers and connection errors with capped exponential
   backoff and a capped number of attempts; retry only idempotent methods.
8. ``RetryingClient``: retry 408 and 429 too, and honour ``Retry-After`` (seconds or an
   HTTP-date; give up when it asks for more than ``max_delay``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

import requests

TOKEN_CHARS = frozenset("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
"""The characters a header name may contain (an HTTP "token"), and nothing else."""

RETRY_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"})
"""The idempotent methods (RFC 9110): sending one twice has the same effect as sending it once.
The first four are also *safe* (no effect at all); ``PUT`` and ``DELETE`` have an effect, the
same one however often they are repeated. ``POST`` and ``PATCH`` are not idempotent."""

RETRY_STATUSES = frozenset({408, 429})
"""The 4xx answers that describe a moment rather than the request, retried like a 5xx."""


class HTTPParseError(ValueError):
    """The bytes are not a well-formed HTTP/1.1 request (a server answers 400 Bad Request).

    ``parse_request`` raises this and no other exception for bad input.
    """


class Headers:
    """Task 1. Header fields in the order they were added, looked up without regard to case.

    A name may appear several times. ``items()`` gives the fields as they were added, with the
    names spelled as given; every lookup (``get``, ``get_all``, ``[]``, ``in``) ignores case.
    """

    def __init__(self, fields: Iterable[tuple[str, str]] = ()) -> None:
        """Task 1. Start with ``fields``, a sequence of ``(name, value)`` pairs, in order."""
        raise NotImplementedError("task 1: implement Headers.__init__")

    def add(self, name: str, value: str) -> None:
        """Task 1. Append the field ``name: value`` (an existing field of that name stays)."""
        raise NotImplementedError("task 1: implement Headers.add")

    def get_all(self, name: str) -> list[str]:
        """Task 1. Every value of ``name`` (any case), in the order added; ``[]`` if none."""
        raise NotImplementedError("task 1: implement Headers.get_all")

    def get(self, name: str, default: str | None = None) -> str | None:
        """Task 1. The values of ``name`` joined by ``", "`` (how HTTP combines repeated
        fields), or ``default`` when the name is absent."""
        raise NotImplementedError("task 1: implement Headers.get")

    def __getitem__(self, name: str) -> str:
        """Task 1. Like ``get`` but an absent name raises ``KeyError``."""
        raise NotImplementedError("task 1: implement Headers.__getitem__")

    def __contains__(self, name: object) -> bool:
        """Task 1. Whether a field of that name (any case) is present."""
        raise NotImplementedError("task 1: implement Headers.__contains__")

    def __len__(self) -> int:
        """Task 1. The number of fields (a repeated name counts each time)."""
        raise NotImplementedError("task 1: implement Headers.__len__")

    def items(self) -> list[tuple[str, str]]:
        """Task 1. Every ``(name, value)`` pair, names spelled as added, in the order added."""
        raise NotImplementedError("task 1: implement Headers.items")

    def __iter__(self) -> Iterator[str]:
        """Task 1. The names, as ``items()`` spells and orders them."""
        raise NotImplementedError("task 1: implement Headers.__iter__")


@dataclass
class Request:
    """A parsed request (task 2-3); ``parse_request`` fills every field."""

    method: str
    """The method exactly as sent, e.g. ``"GET"``."""
    target: str
    """The request target exactly as sent, e.g. ``"/search?q=a+b"``."""
    path: str
    """The target up to the first ``?``, as sent (not percent-decoded), e.g. ``"/search"``."""
    query: dict[str, list[str]]
    """Query parameters: name -> every value in order, percent-decoded, ``+`` read as a space,
    a parameter without ``=`` (or with nothing after it) has the value ``""``; ``{}`` when the
    target has no query. ``urllib.parse.parse_qs(qs, keep_blank_values=True)`` does this."""
    version: str
    """``"HTTP/1.1"`` or ``"HTTP/1.0"``."""
    headers: Headers
    """The header fields, names as sent, values without surrounding spaces or tabs."""
    body: bytes = field(default=b"")
    """Exactly ``Content-Length`` bytes after the head; ``b""`` without Content-Length."""


def parse_request(data: bytes) -> Request:
    """Tasks 2-4. Parse one HTTP/1.1 request from the start of ``data``.

    The grammar (anything else raises ``HTTPParseError``, and nothing else may escape):

    * The head is everything before the first ``b"\\r\\n\\r\\n"``; no such separator means the
      head is incomplete: error. The head must be ASCII.
    * The head's lines are separated by ``"\\r\\n"``; a lone ``"\\r"`` or ``"\\n"`` anywhere in
      the head is an error.
    * The first line is ``METHOD SP TARGET SP VERSION`` with exactly one space between the
      three parts. ``METHOD`` is one or more uppercase ASCII letters. ``TARGET`` starts with
      ``/``. ``VERSION`` is ``HTTP/1.1`` or ``HTTP/1.0``.
    * Every other line is a header field ``Name:value``. The name is one or more characters
      of ``TOKEN_CHARS`` (so no space before the colon); the value is the rest of the line,
      with spaces and tabs stripped at both ends. A line starting with a space or tab (the
      obsolete "line folding") is an error.
    * ``Content-Length`` (any case), when present, is one or more ASCII digits. Repeated
      Content-Length fields are an error unless all their values are equal. The body is the
      next ``Content-Length`` bytes after the head; fewer bytes than that is an error. Bytes
      after the body are not part of this request and are ignored. Without Content-Length
      the body is ``b""``.
    * ``Transfer-Encoding`` (any case) is an error: this parser frames bodies by
      Content-Length only.

    It runs in time proportional to ``len(data)`` and never waits for more bytes.
    """
    raise NotImplementedError("task 2: implement parse_request")


def serialize_response(
    status: int,
    headers: Mapping[str, str] | Iterable[tuple[str, str]] | Headers = (),
    body: bytes | str = b"",
    reason: str | None = None,
) -> bytes:
    """Task 5. The bytes of an HTTP/1.1 response.

    * Status line ``HTTP/1.1 <status> <reason>\\r\\n``. ``reason`` defaults to the standard
      phrase (``http.HTTPStatus(status).phrase``: ``200 OK``, ``404 Not Found``); for a code
      ``HTTPStatus`` does not know, the default reason is empty (the line ends
      ``"<status> \\r\\n"``). ``status`` must be an int from 100 to 599, else ``ValueError``.
    * Then every header as ``Name: value\\r\\n``, in the order given, except any
      ``Content-Length`` the caller passed (any case), which is dropped; then
      ``Content-Length: <n>\\r\\n`` where ``n`` is the length of the body **in bytes**;
      then ``\\r\\n`` and the body.
    * A ``str`` body is encoded as UTF-8.
    * A header name outside ``TOKEN_CHARS`` (or empty), or a value containing ``"\\r"`` or
      ``"\\n"``, raises ``ValueError``: a newline smuggled into a value would start a header,
      or a whole response, of the attacker's choosing.
    """
    raise NotImplementedError("task 5: implement serialize_response")


class RetryingClient:
    """Tasks 6-8. An HTTP client on ``requests`` with timeouts, retries and backoff.

    Every attempt is ``session.request(method, url, timeout=..., **kwargs)``. After an
    attempt:

    * a response with status below 500 (2xx, 3xx, 4xx) and not in ``RETRY_STATUSES`` (408,
      429) is returned at once;
    * a response with status 500-599, 408 or 429, or a ``requests.ConnectionError`` or
      ``requests.Timeout`` raised by the call, is a failed attempt. It is retried if the
      method (upper-cased) is in ``retry_methods`` and fewer than ``max_attempts`` attempts
      have been made; otherwise the last failure is the result: the response is returned, the
      exception is raised;
    * any other exception propagates at once, without a retry.

    Before retry number ``n`` (``n = 1`` for the second attempt) the client calls
    ``time.sleep(wait)`` once, and sleeps at no other time: not before the first attempt, not
    after the last. ``wait`` is (task 8):

    * when the failed attempt was a response with a ``Retry-After`` header the client can
      read, the seconds it asks for: either delay-seconds (ASCII digits only, e.g. ``"120"``)
      or an HTTP-date (``email.utils.parsedate_to_datetime`` reads it; the wait is that moment
      minus ``time.time()``, or 0 when it has passed). If that is more than ``max_delay``,
      the client does not retry: it returns this response at once, without sleeping. (HTTP
      lets a client wait longer than Retry-After, so ``max(backoff(n), retry_after)`` is
      correct too; this client waits exactly what the server asked.)
    * otherwise ``self.backoff(n)``: after a connection error or timeout, after an answer
      without ``Retry-After``, or with a value that is neither form (``"soon"``, ``"-1"``),
      which is ignored rather than an error.
    """

    def __init__(
        self,
        *,
        timeout: float | tuple[float, float] = 5.0,
        max_attempts: int = 4,
        base_delay: float = 0.5,
        max_delay: float = 8.0,
        retry_methods: Iterable[str] = RETRY_METHODS,
        session: requests.Session | None = None,
    ) -> None:
        """Task 6. Keep the settings; use ``session`` or a new ``requests.Session()``.

        ``timeout`` is seconds (a number, or a ``(connect, read)`` pair) passed to every call:
        ``None`` or any value that is not positive raises ``ValueError``. ``max_attempts`` is
        the total number of attempts, at least 1. ``base_delay`` >= 0 and
        ``max_delay`` >= ``base_delay``, else ``ValueError``."""
        raise NotImplementedError("task 6: implement RetryingClient.__init__")

    def backoff(self, retry: int) -> float:
        """Task 6. Seconds to wait before retry number ``retry`` (1, 2, ...):
        ``min(max_delay, base_delay * 2 ** (retry - 1))``."""
        raise NotImplementedError("task 6: implement RetryingClient.backoff")

    def request(self, method: str, url: str, **kwargs) -> requests.Response:
        """Tasks 6-8. Send the request with retries as the class describes. ``kwargs`` go to
        ``session.request``; a ``timeout`` among them replaces the client's for this call
        (``None`` or a value that is not positive raises ``ValueError``)."""
        raise NotImplementedError("task 6: implement RetryingClient.request")

    def get(self, url: str, **kwargs) -> requests.Response:
        """Task 6. ``request("GET", url, **kwargs)``."""
        raise NotImplementedError("task 6: implement RetryingClient.get")

    def post(self, url: str, **kwargs) -> requests.Response:
        """Task 7. ``request("POST", url, **kwargs)``."""
        raise NotImplementedError("task 7: implement RetryingClient.post")
