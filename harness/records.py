"""Kit record classes that cross the grading boundary by value.

A frozen dataclass of the kit that learner code builds or receives in bulk (an etcd ``Op`` or
``Compare`` a learner's transaction sends, the ``KeyValue`` and ``TxnResult`` it gets back) is
registered here with :func:`record`. In ``sysdesign grade`` such an object travels as its class
name and field values and is rebuilt on the other side as a real instance of the same class
(``harness/grade/codec.py``), instead of staying behind as a proxy whose every field read is a
round trip. Only classes registered here are ever rebuilt, by name, from this table.
"""

from __future__ import annotations

import dataclasses
import importlib
from typing import TypeVar

T = TypeVar("T", bound=type)

#: Kit packages whose modules may be imported to find a record class named in a message.
_HOMES = ("sysdesign.cluster.services.",)

#: ``"module.QualName"`` -> the registered class.
RECORDS: dict[str, type] = {}


def record(cls: T) -> T:
    """Register a frozen dataclass of the kit as a record (a class decorator)."""
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen:
        raise TypeError(f"{cls.__name__}: only frozen dataclasses cross the boundary by value")
    RECORDS[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return cls


def name_of(cls: type) -> str | None:
    """The registered name of ``cls`` (None when it is not a record class)."""
    name = f"{cls.__module__}.{cls.__qualname__}"
    return name if RECORDS.get(name) is cls else None


def build(name: str, values: dict) -> object:
    """An instance of the record class ``name`` from its field values (KeyError, TypeError on
    an unknown class or fields that do not match)."""
    if name not in RECORDS and name.startswith(_HOMES):
        importlib.import_module(name.rsplit(".", 1)[0])  # a kit module the other side already uses
    cls = RECORDS[name]
    fields = {f.name for f in dataclasses.fields(cls) if f.init}
    if set(values) - fields:
        raise TypeError(f"{name}: unknown fields {sorted(set(values) - fields)}")
    return cls(**values)
