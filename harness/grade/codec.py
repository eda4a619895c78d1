"""What crosses the boundary between the deciding process and the worker: JSON, never pickle.

Plain JSON values travel as themselves (``None``, ``bool``, ``int``, ``float`` including
``nan``/``inf``, ``str``, ``list``, and ``dict`` with ``str`` keys). Everything else is an object
with a ``"__t__"`` tag:

==========  =========================================================================
tag         meaning
==========  =========================================================================
tuple       ``{"v": [...]}``; a named tuple also has ``"name"`` and ``"fields"``
set         ``{"v": [...]}`` (``frozenset``: tag ``frozenset``)
dict        ``{"v": [[key, value], ...]}``: keys that are not ``str`` (or the key ``"__t__"``)
bytes       ``{"v": base64}`` (``bytearray`` arrives as ``bytes``)
deque       ``{"v": [...]}``
slice       ``{"v": [start, stop, step]}`` (``audit[-3:]`` on a learner's list)
path        ``{"v": "/a/path"}`` (a ``pathlib`` path; arrives as ``pathlib.Path``)
datetime    ``{"v": isoformat}``; ``date`` likewise; ``timedelta``: ``{"us": microseconds}``
random      ``{"v": state}``: a ``random.Random`` travels as a copy of its state
rec         ``{"n": "module.Class", "f": {field: value}}``: a kit record class
            (:mod:`sysdesign.records`: etcd's ``Op``, ``KeyValue``...), rebuilt as itself
builtin     ``{"v": "ValueError"}``: a class of the ``builtins`` module (``int``, ``KeyError``)
exc         an exception *value*: ``{"type", "mod", "args", "msg"}``
ref         ``{"o": owner side, "h": handle, "c": class key, "n": type name}``: an object that
            stays where it lives; the other side holds a proxy and calls back
meth        ``{"h", "n", "c"}``: method ``n`` of the remote object ``h``
xcls        an exception class defined by learner code (see :mod:`sysdesign.grade.remote_errors`)
==========  =========================================================================

Subclasses of the plain types travel as the plain type (a ``str`` subclass with a rigged
``__eq__`` arrives as a ``str``), so comparisons in the deciding process are always between
plain data.
"""

from __future__ import annotations

import base64
import collections
import dataclasses
import datetime as _dt
import pathlib
import random
from collections.abc import Callable
from typing import Any

from sysdesign import records

TAG = "__t__"
MAX_DEPTH = 64


class EncodeError(TypeError):
    """A value that cannot be sent (nested too deeply, or refused as a reference)."""


class DecodeError(ValueError):
    """A message that is not well formed."""


def _builtin_class(value: Any) -> str | None:
    import builtins

    if isinstance(value, type) and value.__module__ == "builtins" and getattr(builtins, value.__name__, None) is value:
        return value.__name__
    return None


class Codec:
    """Encodes and decodes values for one side. ``make_ref(obj)`` turns an object that is not
    data into a tag (or raises EncodeError); ``resolve(tag)`` turns a ``ref``/``meth``/``xcls``/
    ``exc`` tag back into an object."""

    def __init__(self, make_ref: Callable[[Any], dict], resolve: Callable[[dict], Any],
                 proxy_base: type | None = None) -> None:
        self.make_ref = make_ref
        self.resolve = resolve
        #: Proxies always travel as references (checked by type: a proxy may claim a class).
        self.proxy_base = proxy_base
        self._data_only: Codec | None = None

    # -- encoding ----------------------------------------------------------------------------
    def encode(self, value: Any, depth: int = 0) -> Any:
        t = type(value)
        if t in _PLAIN:
            return value
        if t in _BY_REFERENCE or self.proxy_base is not None and issubclass(t, self.proxy_base):
            return self.make_ref(value)
        if depth > MAX_DEPTH:
            raise EncodeError(f"value nested more than {MAX_DEPTH} levels deep (or a cycle)")
        d = depth + 1
        # a leaf that is a plain value is taken as it is, without a call (most leaves are)
        if t is list:
            return [v if type(v) in _PLAIN else self.encode(v, d) for v in value]
        if t is dict:
            if (not value or set(map(type, value)) == _STR_ONLY) and TAG not in value:
                return {k: v if type(v) in _PLAIN else self.encode(v, d) for k, v in value.items()}
            return {TAG: "dict", "v": [[self.encode(k, d), self.encode(v, d)] for k, v in value.items()]}
        if t is tuple:
            return {TAG: "tuple", "v": [self.encode(v, d) for v in value]}
        if isinstance(value, bool):  # pragma: no cover - bool cannot be subclassed
            return bool(value)
        if isinstance(value, int):
            return int.__int__(value)
        if isinstance(value, float):
            return float.__float__(value)
        if isinstance(value, str):
            return str.__str__(value)
        if isinstance(value, tuple):
            fields = getattr(type(value), "_fields", None)
            items = [self.encode(v, d) for v in tuple.__iter__(value)]
            if isinstance(fields, tuple) and all(type(f) is str for f in fields) and len(fields) == len(items):
                return {TAG: "tuple", "v": items, "name": type(value).__name__, "fields": list(fields)}
            return {TAG: "tuple", "v": items}
        if isinstance(value, (set, frozenset)):
            kind = "frozenset" if isinstance(value, frozenset) else "set"
            return {TAG: kind, "v": [self.encode(v, d) for v in value]}
        if isinstance(value, (bytes, bytearray)):
            return {TAG: "bytes", "v": base64.b64encode(bytes(value)).decode("ascii")}
        if isinstance(value, collections.deque):
            return {TAG: "deque", "v": [self.encode(v, d) for v in value]}
        if t is slice:
            return {TAG: "slice", "v": [self.encode(value.start, d), self.encode(value.stop, d), self.encode(value.step, d)]}
        if isinstance(value, list):
            return [self.encode(v, d) for v in list.__iter__(value)]
        if isinstance(value, dict):
            return self.encode(dict(dict.items(value)), depth)
        if isinstance(value, pathlib.PurePath):
            return {TAG: "path", "v": str(value)}
        if isinstance(value, _dt.datetime):
            return {TAG: "datetime", "v": _dt.datetime.isoformat(value)}
        if isinstance(value, _dt.date):
            return {TAG: "date", "v": _dt.date.isoformat(value)}
        if isinstance(value, _dt.timedelta):
            return {TAG: "timedelta", "us": _dt.timedelta.__floordiv__(value, _dt.timedelta(microseconds=1))}
        if type(value) is random.Random:
            return {TAG: "random", "v": _random_state_tag(value)}
        name = _builtin_class(value)
        if name is not None:
            return {TAG: "builtin", "v": name}
        record = records.name_of(t)
        if record is not None:
            return {TAG: "rec", "n": record,
                    "f": {f.name: self.encode(getattr(value, f.name), d) for f in dataclasses.fields(value) if f.init}}
        if not isinstance(value, type) and len(_BY_REFERENCE) < _BY_REFERENCE_LIMIT:
            _BY_REFERENCE.add(t)  # every check above depends on the class alone
        return self.make_ref(value)

    def encode_data(self, value: Any) -> Any:
        """Like :meth:`encode`, but only plain data (no references); raises EncodeError."""
        data_only = self._data_only
        if data_only is None:
            data_only = self._data_only = Codec(_refuse_ref, self.resolve, self.proxy_base)
        return data_only.encode(value)

    # -- decoding ----------------------------------------------------------------------------
    def decode(self, value: Any, depth: int = 0) -> Any:
        t = type(value)
        if t in _PLAIN:
            return value
        if depth > MAX_DEPTH + 2:
            raise DecodeError("message nested too deeply")
        d = depth + 1
        if t is list:
            return [v if type(v) in _PLAIN else self.decode(v, d) for v in value]
        if t is not dict:
            raise DecodeError(f"unexpected JSON value of type {t.__name__}")
        tag = value.get(TAG)
        if tag is None:
            return {k: v if type(v) in _PLAIN else self.decode(v, d) for k, v in value.items()}
        try:
            return self._decode_tagged(tag, value, d)
        except (DecodeError, RecursionError):
            raise
        except (TypeError, ValueError, KeyError, AttributeError) as exc:
            raise DecodeError(f"malformed {tag!r} value: {exc}") from None

    def _decode_tagged(self, tag: str, value: dict, d: int) -> Any:
        if tag in _RESOLVED:
            return self.resolve(value)
        if tag == "tuple":
            items = tuple(self.decode(v, d) for v in value["v"])
            fields = value.get("fields")
            if fields is not None:
                return _named_tuple(str(value.get("name", "Row")), tuple(str(f) for f in fields))(*items)
            return items
        if tag == "dict":
            return {self.decode(k, d): self.decode(v, d) for k, v in value["v"]}
        if tag == "set":
            return {self.decode(v, d) for v in value["v"]}
        if tag == "frozenset":
            return frozenset(self.decode(v, d) for v in value["v"])
        if tag == "bytes":
            return base64.b64decode(str(value["v"]).encode("ascii"), validate=True)
        if tag == "deque":
            return collections.deque(self.decode(v, d) for v in value["v"])
        if tag == "slice":
            start, stop, step = (self.decode(v, d) for v in value["v"])
            return slice(start, stop, step)
        if tag == "path":
            return pathlib.Path(str(value["v"]))
        if tag == "datetime":
            return _dt.datetime.fromisoformat(str(value["v"]))
        if tag == "date":
            return _dt.date.fromisoformat(str(value["v"]))
        if tag == "timedelta":
            return _dt.timedelta(microseconds=int(value["us"]))
        if tag == "builtin":
            import builtins

            found = getattr(builtins, str(value["v"]), None)
            if not isinstance(found, type):
                raise DecodeError(f"no builtin class {value['v']!r}")
            return found
        if tag == "random":
            rng = random.Random()
            rng.setstate(_random_state(value["v"]))
            return rng
        if tag == "rec":
            fields = value["f"]
            if type(fields) is not dict:
                raise DecodeError("malformed record")
            return records.build(str(value["n"]), {str(k): self.decode(v, d) for k, v in fields.items()})
        raise DecodeError(f"unknown tag {tag!r}")


def _random_state_tag(rng: random.Random) -> dict:
    """``rng.getstate()`` as :meth:`Codec.encode` would write it (a tuple holding a tuple of
    625 ints), built directly: item by item it was a tenth of a gossip suite's grading."""
    version, internal, gauss = rng.getstate()
    return {TAG: "tuple", "v": [version, {TAG: "tuple", "v": list(internal)}, gauss]}


def _random_state(tag: Any) -> tuple:
    """The state a ``random`` tag carries, checked: a version, a tuple of ints, None or a float."""
    if type(tag) is not dict or tag.get(TAG) != "tuple" or type(tag.get("v")) is not list or len(tag["v"]) != 3:
        raise DecodeError("malformed random state")
    version, internal, gauss = tag["v"]
    if type(internal) is not dict or internal.get(TAG) != "tuple" or type(internal.get("v")) is not list:
        raise DecodeError("malformed random state")
    ints = internal["v"]
    if type(version) is not int or not (gauss is None or type(gauss) is float) or not ints \
            or set(map(type, ints)) != {int} or min(ints) < 0 or max(ints) >= 1 << 32:
        raise DecodeError("malformed random state")
    return version, tuple(ints), gauss


#: The types of values that are JSON as they are (a subclass is not: it travels as its base).
_PLAIN = frozenset({str, int, float, bool, type(None)})
_STR_ONLY = {str}
#: Tags the codec's ``resolve`` turns into objects (the commonest: a reference).
_RESOLVED = frozenset({"ref", "meth", "xcls", "exc"})
#: Classes whose instances travel as references (learned once per class: an object's class
#: decides every check :meth:`Codec.encode` makes before making one), and how many it keeps.
_BY_REFERENCE: set[type] = set()
_BY_REFERENCE_LIMIT = 4096


def _refuse_ref(value: Any) -> dict:
    raise EncodeError(f"{type(value).__name__} is not plain data")


_NAMED: dict[tuple[str, tuple[str, ...]], type] = {}


def _named_tuple(name: str, fields: tuple[str, ...]) -> type:
    """A local named-tuple class for rows that came as named tuples (data only, cached)."""
    key = (name, fields)
    if key not in _NAMED:
        safe = name if name.isidentifier() else "Row"
        try:
            _NAMED[key] = collections.namedtuple(safe, fields, rename=True)
        except (TypeError, ValueError):
            _NAMED[key] = collections.namedtuple("Row", [f"f{i}" for i in range(len(fields))])
    return _NAMED[key]
