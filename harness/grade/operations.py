"""The operations a proxy asks of the other side's object by name (``len``, ``in``, iteration,
indexing, ``with``, comparisons, conversions, ``repr``...), as the side holding the object runs
them (:meth:`sysdesign.grade.channel.Channel._h_op`)."""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable
from typing import Any

from sysdesign.grade.remote_errors import _clip


def _special(obj: Any, name: str) -> Any:
    """``type(obj).name`` bound to ``obj``, as Python looks special methods up."""
    method = getattr(type(obj), name, None)
    if method is None:
        raise TypeError(f"'{type(obj).__name__}' object does not support the context manager protocol")
    return method.__get__(obj, type(obj))


def _op_next(obj: Any) -> Any:
    return next(obj)


def _op_iter(obj: Any) -> Any:
    return iter(obj)


_OPS: dict[str, Callable[..., Any]] = {
    "len": len, "bool": bool, "iter": _op_iter, "next": _op_next,
    "contains": lambda o, x: x in o,
    "getitem": operator.getitem,
    "setitem": operator.setitem,
    "delitem": operator.delitem,
    "repr": lambda o: _clip(repr(o), 2000),
    "str": lambda o: _clip(str(o), 2000),
    "hash": hash,
    "eq": lambda o, x: o == x,
    "lt": lambda o, x: o < x, "le": lambda o, x: o <= x, "gt": lambda o, x: o > x, "ge": lambda o, x: o >= x,
    "enter": lambda o: _special(o, "__enter__")(),
    "exit": lambda o, t, e, tb: _special(o, "__exit__")(t, e, tb),
    "int": int, "float": float, "index": lambda o: o.__index__(),
    # by the classes' real MRO: a metaclass's own __instancecheck__ never answers
    "instancecheck": lambda o, x: isinstance(o, type) and type.__subclasscheck__(o, type(x)),
    "snapshot": lambda o: o,
    "fields": lambda o: [getattr(o, f.name) for f in dataclasses.fields(o) if f.compare],
    "subclasscheck": lambda o, x: isinstance(o, type) and isinstance(x, type) and type.__subclasscheck__(o, x),
}
