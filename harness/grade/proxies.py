"""Proxies: objects of the other side as this side holds them (:class:`Proxy`, live containers,
dataclass records, bound and deferred remote methods), and the submission's module as the suites
see it in grade mode (:class:`RemoteModule`). A proxy names its channel by number
(:data:`_CHANNELS`); every operation on it is a request of that channel
(:mod:`sysdesign.grade.channel`)."""

from __future__ import annotations

import operator
import types
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sysdesign.grade.channel import Channel
    from sysdesign.grade.deciding_channel import DecidingChannel

#: Every channel of this process, by number (its :class:`~sysdesign.grade.channel.Channel` adds it).
_CHANNELS: dict[int, Channel] = {}


class Proxy:
    """An object living on the other side. Attribute reads, calls and the special methods the
    suites use (``len``, ``in``, iteration, indexing, ``with``, ordering, ``repr``) are requests
    to that side; everything that comes back is data or another proxy."""

    # The channel is looked up by number, so that code walking objects (``gc.get_referents``)
    # from a proxy finds plain numbers, never the grader's own objects.
    __slots__ = ("_cid", "_h", "_ck", "_tn", "__weakref__")

    def __init__(self, channel: Channel, handle: int, class_key: Any = None, type_name: str = "object") -> None:
        object.__setattr__(self, "_cid", channel.number)
        object.__setattr__(self, "_h", handle)
        object.__setattr__(self, "_ck", class_key)
        object.__setattr__(self, "_tn", type_name)

    @property
    def _ch(self) -> Channel:
        return _CHANNELS[self._cid]

    def __getattr__(self, name: str) -> Any:
        __tracebackhide__ = True
        if name.startswith("__") and name.endswith("__"):
            if name not in _REMOTE_DUNDER_ATTRS:
                raise AttributeError(name)
            try:  # asked by reporting code (names, docs): never an error of another kind
                return self._ch.get_attribute(self, name)
            except Exception:  # noqa: BLE001
                raise AttributeError(name) from None
        return self._ch.get_attribute(self, name)

    def __setattr__(self, name: str, value: Any) -> None:
        __tracebackhide__ = True
        self._ch.request("setattr", h=self._h, n=name, v=self._ch.codec.encode(value))

    def __delattr__(self, name: str) -> None:
        __tracebackhide__ = True
        self._ch.request("delattr", h=self._h, n=name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        __tracebackhide__ = True
        return self._ch.call(self._h, None, args, kwargs)

    def _op(self, name: str, *args: Any) -> Any:
        __tracebackhide__ = True
        return self._ch.request("op", h=self._h, n=name, a=self._ch.codec.encode(list(args)))

    def __len__(self) -> int:
        __tracebackhide__ = True
        return _as(int, self._op("len"), "len()")

    def __bool__(self) -> bool:
        __tracebackhide__ = True
        if not self._ch.judges:
            return _as(bool, self._op("bool"), "bool()")
        raise TypeError(f"the truth value of a remote {self._tn} is not data: the grader does not let learner "
                        "code decide it (compare a value the code returned, or len())")

    def __iter__(self):
        __tracebackhide__ = True
        return self._op("iter")

    def __next__(self):
        __tracebackhide__ = True
        self._ch.count_item(self)
        return self._op("next")

    def __contains__(self, item: Any) -> bool:
        __tracebackhide__ = True
        return _as(bool, self._op("contains", item), "in")

    def __getitem__(self, key: Any) -> Any:
        __tracebackhide__ = True
        return self._op("getitem", key)

    def __setitem__(self, key: Any, value: Any) -> None:
        __tracebackhide__ = True
        self._op("setitem", key, value)

    def __delitem__(self, key: Any) -> None:
        __tracebackhide__ = True
        self._op("delitem", key)

    def __enter__(self) -> Any:
        __tracebackhide__ = True
        return self._op("enter")

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> bool:
        __tracebackhide__ = True
        suppress = self._op("exit", exc_type, exc, None)
        if not self._ch.judges:
            return suppress
        # Learner code may swallow an error of its own kind (contextlib.suppress), never the
        # suite's verdict: an AssertionError or pytest's outcomes inside the block go on.
        return (suppress is True and isinstance(exc, Exception) and not isinstance(exc, AssertionError)
                and not _is_verdict(exc))

    def _order(self, name: str, symbol: str, other: Any) -> bool:
        __tracebackhide__ = True
        if not self._ch.judges:
            return self._op(name, other)
        if isinstance(other, Proxy) and other._cid == self._cid:
            return _as(bool, self._op(name, other), f"'{symbol}'")
        raise TypeError(f"'{symbol}' between a remote {self._tn} and {_kind(other)}: the grader compares data, "
                        "and learner code does not decide a comparison (return a number or a string)")

    def __lt__(self, other: Any) -> bool:
        return self._order("lt", "<", other)

    def __le__(self, other: Any) -> bool:
        return self._order("le", "<=", other)

    def __gt__(self, other: Any) -> bool:
        return self._order("gt", ">", other)

    def __ge__(self, other: Any) -> bool:
        return self._order("ge", ">=", other)

    def _not_a_number(self, what: str) -> TypeError:
        return TypeError(f"{what} of a remote {self._tn}: the grader does not let learner code turn an object into "
                         "a number (return the number itself)")

    def __int__(self) -> int:
        if not self._ch.judges:
            return _as(int, self._op("int"), "int()")
        raise self._not_a_number("int()")

    def __float__(self) -> float:
        if not self._ch.judges:
            return _as(float, self._op("float"), "float()")
        raise self._not_a_number("float()")

    def __index__(self) -> int:
        if not self._ch.judges:
            return _as(int, self._op("index"), "index")
        raise self._not_a_number("an index")

    def __complex__(self) -> complex:
        raise self._not_a_number("complex()")

    def __round__(self, ndigits: Any = None) -> Any:
        raise self._not_a_number("round()")

    def __format__(self, spec: str) -> str:
        if spec and not self._ch.judges:
            return format(str(self), spec)
        if spec:
            raise TypeError(f"format spec {spec!r} for a remote {self._tn}: only data is formatted")
        return str(self)

    def __instancecheck__(self, instance: Any) -> bool:
        return _as(bool, self._op("instancecheck", instance), "isinstance()")

    def __subclasscheck__(self, subclass: Any) -> bool:
        return _as(bool, self._op("subclasscheck", subclass), "issubclass()")

    def __repr__(self) -> str:
        try:
            text = self._op("repr")
        except BaseException:  # noqa: BLE001 - a repr must not raise (pytest calls it in reports)
            return f"<remote {self._tn} (unavailable)>"
        return text if type(text) is str else f"<remote {self._tn}>"

    def __str__(self) -> str:
        try:
            text = self._op("str")
        except BaseException:  # noqa: BLE001
            return f"<remote {self._tn} (unavailable)>"
        return text if type(text) is str else f"<remote {self._tn}>"

    def __eq__(self, other: Any) -> bool:
        return self._ch.proxy_eq(self, other)

    def __ne__(self, other: Any) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __hash__(self) -> int:
        return self._ch.proxy_hash(self)

    def __reduce_ex__(self, protocol: Any):
        raise TypeError("a remote object cannot be pickled")


#: Dunder attributes a proxy asks the other side for (everything else is "no such attribute").
_REMOTE_DUNDER_ATTRS = frozenset({"__name__", "__qualname__", "__doc__", "__module__"})


def _kind(value: Any) -> str:
    if isinstance(value, Proxy):
        return f"a remote {value._tn} of another process"
    return f"{type(value).__name__} data"


def _is_verdict(exc: BaseException) -> bool:
    """True for pytest's outcomes (fail, skip, xfail, exit), which carry a test's verdict."""
    return any(cls.__module__.startswith("_pytest") for cls in type(exc).__mro__)


def _as(kind: type, value: Any, what: str) -> Any:
    if type(value) is not kind and not (kind is float and type(value) is int):
        raise TypeError(f"{what} of a remote object returned {type(value).__name__}, expected {kind.__name__}")
    return value


class LiveContainer(Proxy):
    """A list, dict, set or bytearray attribute of an object on the other side (a learner
    object's container as the suite sees it, or a node's ``durable`` dict as learner code sees
    it): writes (``c[k] = v``, ``c.append(x)``) change the real container; reads (iteration,
    ``==``, ``repr``, ``keys()``, ``get()``...) work on a fresh copy of its data, so
    comparisons are between plain data on the reading side."""

    __slots__ = ()
    _READS = frozenset({"keys", "values", "items", "get", "copy", "count", "index", "issubset", "issuperset",
                        "union", "intersection", "difference", "symmetric_difference", "isdisjoint", "hex",
                        "decode", "startswith", "endswith", "find"})

    def _snapshot(self) -> Any:
        __tracebackhide__ = True
        return self._op("snapshot")

    @property  # type: ignore[misc]
    def __class__(self) -> type:
        """``isinstance(c, dict)`` holds for a live dict, as it would in-process."""
        return _LIVE_KINDS.get(self._tn, type(self))

    def __getattr__(self, name: str) -> Any:
        __tracebackhide__ = True
        if name in LiveContainer._READS:
            return getattr(self._snapshot(), name)
        if name == "sort" and self._tn == "list":
            return self._sort
        return Proxy.__getattr__(self, name)

    def _sort(self, *, key: Any = None, reverse: Any = False) -> None:
        """``list.sort`` of a live list. With a ``key`` that lives on this side, the data is
        sorted here and written back whole (two requests): sorted over there, every call of the
        key would cross back, which was most of a capstone's grading time (timelines of 200
        posts sorted by a learner function). Without one, or with a key of the list's own side,
        the list sorts itself there. The list ends as ``list.sort`` would leave it; a key that
        waits (a sleep) lets other tasks run, whose changes to the list the result replaces."""
        __tracebackhide__ = True
        if key is None or isinstance(key, Proxy):
            return Proxy.__getattr__(self, "sort")(key=key, reverse=reverse)
        data = self._snapshot()
        data.sort(key=key, reverse=reverse)
        self[:] = data
        return None

    def __iter__(self):
        __tracebackhide__ = True
        return iter(self._snapshot())

    def __reversed__(self):
        return reversed(self._snapshot())

    # Truth value, membership and ordering of the container's data, decided here.
    def __bool__(self) -> bool:
        __tracebackhide__ = True
        return bool(self._snapshot())

    def __contains__(self, item: Any) -> bool:
        __tracebackhide__ = True
        return item in self._snapshot()

    def _order(self, name: str, symbol: str, other: Any) -> bool:
        __tracebackhide__ = True
        if isinstance(other, LiveContainer):
            other = other._snapshot()
        return getattr(operator, name)(self._snapshot(), other)

    def __eq__(self, other: Any) -> bool:
        __tracebackhide__ = True
        if isinstance(other, LiveContainer):
            other = other._snapshot()
        return self._snapshot() == other

    def __ne__(self, other: Any) -> bool:
        return not self.__eq__(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        try:
            return repr(self._snapshot())
        except BaseException:  # noqa: BLE001
            return f"<remote {self._tn} (unavailable)>"

    __str__ = __repr__

    def __add__(self, other: Any) -> Any:
        return self._snapshot() + (other._snapshot() if isinstance(other, LiveContainer) else other)

    def __radd__(self, other: Any) -> Any:
        return other + self._snapshot()

    def __or__(self, other: Any) -> Any:
        return self._snapshot() | (other._snapshot() if isinstance(other, LiveContainer) else other)

    def __and__(self, other: Any) -> Any:
        return self._snapshot() & (other._snapshot() if isinstance(other, LiveContainer) else other)

    def __sub__(self, other: Any) -> Any:
        return self._snapshot() - (other._snapshot() if isinstance(other, LiveContainer) else other)


class RecordProxy(Proxy):
    """A dataclass instance on the other side: a proxy like any other, whose ``==`` compares
    the class name and the data of the fields that take part in comparisons (fetched as
    data), as the dataclass's own ``__eq__`` would; no code of the other side is run here."""

    __slots__ = ()

    def _fields(self) -> Any:
        return self._op("fields")

    def __eq__(self, other: Any) -> Any:
        if isinstance(other, RecordProxy):
            if other._cid == self._cid and other._h == self._h:
                return True
            return self._tn == other._tn and self._ck == other._ck and self._fields() == other._fields()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._tn)


LIVE_TYPES = (list, dict, set, bytearray)
_LIVE_KINDS = {kind.__name__: kind for kind in LIVE_TYPES}


class BoundRemoteMethod:
    """``proxy.name`` when the other side said it is a method: calling it is one request."""

    __slots__ = ("_owner", "_name")

    def __init__(self, owner: Proxy, name: str) -> None:
        self._owner, self._name = owner, name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        __tracebackhide__ = True
        owner = self._owner
        return owner._ch.call(owner._h, self._name, args, kwargs)

    def __repr__(self) -> str:
        return f"<remote method {self._owner._tn}.{self._name}>"

    @property
    def __name__(self) -> str:
        return self._name

    @property
    def __self__(self) -> Proxy:
        return self._owner


class DeferredRemoteMethod(BoundRemoteMethod):
    """A method the other side marked ``sysdesign_remote_deferred`` (a node's ``send``): it
    returns nothing, so the call is queued and travels with this side's next message, which
    the other side runs first, in order (see :meth:`sysdesign.grade.channel.Channel.defer`)."""

    __slots__ = ()

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        owner = self._owner
        owner._ch.defer(owner._h, self._name, args, kwargs)


class RemoteModule(types.ModuleType):
    """The submission's module as the suites see it in grade mode."""

    def __init__(self, channel: DecidingChannel, handle: int, name: str, path: Path) -> None:
        super().__init__(name)
        self.__file__ = str(path)
        self.__dict__["_sysdesign_remote"] = Proxy(channel, handle, None, "module")

    def __getattr__(self, name: str) -> Any:
        __tracebackhide__ = True
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        remote = self.__dict__["_sysdesign_remote"]
        value = remote._ch.request("getattr", h=remote._h, n=name)
        if isinstance(value, (Proxy, type)):
            self.__dict__[name] = value
        return value

    def __repr__(self) -> str:
        return f"<submission module {self.__name__!r} from {self.__file__!r} (in the grading worker)>"
