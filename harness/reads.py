"""Many reads of one learner object at once: a suite's model check after every step.

A check such as "which of these twelve keys answer ``in``, what is ``len``, what are ``hits``
and ``misses``" is fifteen operations on the learner's object. In-process they cost nothing;
in ``sysdesign grade`` the object lives in the sandboxed worker and each operation is a round
trip through a pipe. :func:`read_all` sends them as one request there, and is the plain
expressions everywhere else::

    from sysdesign.reads import attr, contains, length, read_all

    *present, size, hits, misses = read_all(cache, [*map(contains, KEYS), length(),
                                                   attr("hits"), attr("misses")])

The reads run in order, through the same rules as single operations; the first one that raises
ends the batch and its exception is raised, exactly as evaluating them one by one would.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any

Read = tuple


def contains(item: Any) -> Read:
    """``item in obj`` (a bool)."""
    return ("contains", item)


def length() -> Read:
    """``len(obj)``."""
    return ("len",)


def attr(name: str) -> Read:
    """``obj.<name>``."""
    return ("attr", name)


def call(name: str, *args: Any, **kwargs: Any) -> Read:
    """``obj.<name>(*args, **kwargs)``."""
    return ("call", name, args, kwargs)


def item(key: Any) -> Read:
    """``obj[key]``."""
    return ("getitem", key)


def _local(obj: Any, read: Read) -> Any:
    kind = read[0]
    if kind == "contains":
        return read[1] in obj
    if kind == "len":
        return len(obj)
    if kind == "attr":
        return getattr(obj, read[1])
    if kind == "call":
        return getattr(obj, read[1])(*read[2], **read[3])
    if kind == "getitem":
        return obj[read[1]]
    raise ValueError(f"unknown read {read!r}")


def read_all(obj: Any, reads: Iterable[Read]) -> list[Any]:
    """The values of ``reads`` on ``obj``, in order (one round trip when ``obj`` is remote)."""
    __tracebackhide__ = True
    reads = list(reads)
    proxies = sys.modules.get("sysdesign.grade.proxies")
    if proxies is not None:
        remote = obj.__dict__["_sysdesign_remote"] if isinstance(obj, proxies.RemoteModule) else obj
        if isinstance(remote, proxies.Proxy) and not isinstance(remote, proxies.LiveContainer):
            return remote._ch.batch(remote, reads)
    return [_local(obj, read) for read in reads]


def call_each(obj: Any, name: str, items: Iterable[Any]) -> list[Any]:
    """``[obj.<name>(x) for x in items]`` (one round trip when ``obj`` is remote), e.g. the owner
    of each of 2,000 keys: ``call_each(ring, "node_for", keys)``."""
    __tracebackhide__ = True
    return read_all(obj, [call(name, x) for x in items])


def call_times(obj: Any, name: str, times: int) -> list[Any]:
    """``[obj.<name>() for _ in range(times)]`` (one round trip when ``obj`` is remote), e.g.
    30,000 picks of a balancer: ``call_times(balancer, "pick", 30_000)``."""
    __tracebackhide__ = True
    return read_all(obj, [call(name)] * times)


def map_calls(fn: Any, items: Iterable[Any]) -> list[Any]:
    """``[fn(x) for x in items]``; when ``fn`` is a method of a remote object (``ring.node_for``
    in grading), one round trip."""
    __tracebackhide__ = True
    proxies = sys.modules.get("sysdesign.grade.proxies")
    if proxies is not None and isinstance(fn, proxies.BoundRemoteMethod):
        return call_each(fn._owner, fn._name, items)
    return [fn(x) for x in items]
