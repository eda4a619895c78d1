"""The bytes a node keeps, wherever its objects live: for suites that inspect or damage storage.

A capstone suite counts the bytes a node stores (a cost objective) and corrupts some of them
(a fault). The node's ``durable`` dict belongs to the cluster, but what learner code puts there
(a blob store, a dict of blocks) may be a learner object: in-process a plain object, in
``sysdesign grade`` a proxy of an object in the worker, where walking its attributes from here
is impossible. :func:`stored_pieces` and :func:`replace_piece` walk what lives here and hand
each learner object found on the way to the worker (``sysdesign.grade.worker_provider.worker_call``),
which walks it with the same code (``WORKER_OPERATIONS``). Paths are lists of steps
``["k", key]`` (a dict key), ``["i", index]`` (a list or tuple item) and ``["a", name]`` (an
attribute), so they travel as data.

Like every worker-side operation, the answers from learner objects can be forged by learner
code; they measure what the learner's own storage claims to hold.
"""

from __future__ import annotations

import sys
from typing import Any

Path = list


def _remote(obj: Any) -> bool:
    proxies = sys.modules.get("sysdesign.grade.proxies")
    return proxies is not None and isinstance(obj, proxies.Proxy) and not isinstance(obj, proxies.LiveContainer)


def _children(obj: Any) -> list[tuple[list, Any]]:
    if isinstance(obj, dict):
        return [(["k", key], value) for key, value in list(obj.items())]
    if isinstance(obj, (list, tuple)):
        return [(["i", i], value) for i, value in enumerate(list(obj))]
    if hasattr(obj, "__dict__") and not isinstance(obj, type) and not _remote(obj):
        return [(["a", name], value) for name, value in list(vars(obj).items())]
    return []


def _walk(root: Any, delegate: bool) -> list[tuple[Path, bytes]]:
    out: list[tuple[Path, bytes]] = []
    seen: set[int] = set()
    stack: list[tuple[Any, Path]] = [(root, [])]
    while stack:
        obj, path = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if _remote(obj):
            if delegate:
                from sysdesign.grade.worker_provider import worker_call

                for item in worker_call(obj, "walk.stored_pieces", obj):
                    sub, value = item if type(item) in (list, tuple) and len(item) == 2 else (None, None)
                    if type(sub) is not list or type(value) is not bytes:  # what honest kit code answers
                        raise TypeError(f"walk.stored_pieces answered {type(item).__name__}, not [path, bytes]")
                    out.append((path + sub, value))
            continue
        for step, value in _children(obj):
            if isinstance(value, (bytes, bytearray)):
                out.append((path + [step], bytes(value)))
            elif isinstance(value, (dict, list, tuple)) or hasattr(value, "__dict__") or _remote(value):
                stack.append((value, path + [step]))
    return out


def stored_pieces(root: Any) -> list[tuple[Path, bytes]]:
    """Every ``bytes`` value reachable from ``root`` through dicts, lists, tuples and objects'
    attributes (each object once), as ``(path, value)``."""
    return _walk(root, delegate=True)


def _get(obj: Any, step: list) -> Any:
    kind, key = step
    if kind == "k":
        return obj[key]
    if kind == "i":
        return obj[key]
    return getattr(obj, key)


def _set(obj: Any, step: list, value: Any) -> None:
    kind, key = step
    if kind in ("k", "i"):
        obj[key] = value
    else:
        setattr(obj, key, value)


def _replaced(obj: Any, path: Path, new: bytes, delegate: bool) -> Any:
    """``obj`` with the piece at ``path`` replaced: the same object changed in place, or a new
    tuple (tuples cannot change; the caller puts the new one where the old one was)."""
    step, rest = path[0], path[1:]
    child = _get(obj, step)
    if rest:
        if _remote(child):
            if not delegate:
                raise TypeError("a path through an object of the other process")
            from sysdesign.grade.worker_provider import worker_call

            worker_call(child, "walk.replace_piece", child, rest, new)
            return obj
        new_child = _replaced(child, rest, new, delegate)
    else:
        new_child = new
    if isinstance(obj, tuple):
        return obj[:step[1]] + (new_child,) + obj[step[1] + 1:]
    if new_child is not child:
        _set(obj, step, new_child)
    return obj


def replace_piece(root: Any, path: Path, new: bytes) -> None:
    """Put ``new`` where :func:`stored_pieces` found a value at ``path`` (``root`` itself must
    not be a tuple)."""
    if not path:
        raise ValueError("an empty path")
    _replaced(root, path, new, delegate=True)


def _worker_pieces(root: Any) -> list[list]:
    return [[path, value] for path, value in _walk(root, delegate=False)]


def _worker_replace(root: Any, path: Any, new: Any) -> None:
    if not isinstance(path, list) or not path or not isinstance(new, bytes):
        raise ValueError("replace_piece needs a path and bytes")
    _replaced(root, path, new, delegate=False)


#: The operations the grading worker serves for this module (``walk.<name>``).
WORKER_OPERATIONS = {"stored_pieces": _worker_pieces, "replace_piece": _worker_replace}
