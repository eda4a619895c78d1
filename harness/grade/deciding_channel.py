"""The deciding process's end of the channel to the worker (:class:`DecidingChannel`): it stamps
every message with its virtual time, applies the rules of what learner code may receive and do
(:mod:`sysdesign.grade.learner_policy`), serves the worker's sleeps and HTTP requests, and raises
the worker's exceptions again as built-ins, trusted standard-library classes or stand-ins."""

from __future__ import annotations

import builtins
import sys
import time
import types
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sysdesign import wallclock
from sysdesign.cluster import node as node_module
from sysdesign.grade.channel import Channel, _run
from sysdesign.grade.codec import DecodeError, EncodeError
from sysdesign.grade.fake_network import fake_network_active
from sysdesign.grade.framing import Pipe, PipeClosed, ProtocolError
from sysdesign.grade.learner_policy import (_DENIED_ATTRIBUTES, _HTTP_METHODS, _LIVE_ATTRIBUTES, _SQLITE_DENIED,
                                            _SQLITE_SETTABLE, _is_sqlite, _module_of, _without_attach, refusal)
from sysdesign.grade.proxies import RemoteModule
from sysdesign.grade.remote_errors import RemoteError, _clip, raise_at
from sysdesign.grade.worker_errors import (WorkerCrashed, WorkerError, WorkerLoadError, WorkerOutOfMemory,
                                           WorkerTimedOut)

if TYPE_CHECKING:
    from sysdesign.grade.worker_provider import WorkerProvider

_EPOCH = __import__("datetime").datetime(1970, 1, 1)
_MICRO = __import__("datetime").timedelta(microseconds=1)


def virtual_now_micros() -> int | None:
    """This process's frozen time in microseconds since 1970, or None when no freeze is active."""
    api = sys.modules.get("freezegun.api")
    if api is None or not api.freeze_factories:
        return None
    factory = api.freeze_factories[-1]
    when = factory() if isinstance(factory, api.TickingDateTimeFactory) else factory.time_to_freeze
    if when.tzinfo is not None:
        when = when.astimezone(__import__("datetime").timezone.utc).replace(tzinfo=None)
    return (when - _EPOCH) // _MICRO


class DecidingChannel(Channel):
    """The deciding process's end: deadlines, time stamps, the rules of
    :mod:`sysdesign.grade.learner_policy`, and exceptions raised again as built-ins, trusted
    standard-library classes or stand-ins."""

    side, peer = "d", "w"

    def __init__(self, pipe: Pipe, provider: WorkerProvider) -> None:
        super().__init__(pipe)
        self.provider = provider
        self.dead: WorkerError | None = None
        self._raised: OrderedDict[int, BaseException] = OrderedDict()
        self._origins = iter(range(1, 1 << 62))
        #: Classes whose instances :func:`refusal` allowed (its answer depends on the class alone).
        self._exportable: set[type] = set()
        #: The count of replaced node attributes the worker last heard (see :meth:`stamp`).
        self._told_replacements: int | None = None
        self.handlers.update({"sleep": self._h_sleep, "http": self._h_http})

    def stamp(self, msg: dict) -> None:
        msg["t"] = virtual_now_micros()
        if node_module.replacements != self._told_replacements:  # the worker forgets what it kept
            msg["g"] = self._told_replacements = node_module.replacements

    # -- failure -----------------------------------------------------------------------------
    def request(self, op: str, **fields: Any) -> Any:
        __tracebackhide__ = True
        if self.dead is not None:
            raise type(self.dead)(f"{self.dead} (earlier in this exercise)")
        try:
            return super().request(op, **fields)
        except PipeClosed:
            raise self.provider.fail(self.provider.exit_error()) from None
        except ProtocolError as exc:
            raise self.provider.fail(WorkerCrashed(f"the worker broke the grading protocol: {exc}")) from None

    def must_propagate(self, exc: BaseException) -> bool:
        return isinstance(exc, (WorkerError, KeyboardInterrupt)) or super().must_propagate(exc)

    def _make_ref(self, obj: Any) -> dict:
        # A submission module handed back to learner code (a capstone's parts) is the worker's own.
        if isinstance(obj, RemoteModule) and obj.__dict__["_sysdesign_remote"]._ch is self:
            obj = obj.__dict__["_sysdesign_remote"]
        return super()._make_ref(obj)

    # -- rules ---------------------------------------------------------------------------------
    def check_export(self, obj: Any) -> None:
        kind = type(obj)
        if kind in self._exportable:
            return
        why = refusal(obj)
        if why is not None:
            raise EncodeError(f"{why} cannot be handed to learner code during grading")
        if not isinstance(obj, _DECIDED_BY_ITSELF):
            self._exportable.add(kind)  # every instance of the class is decided alike

    def allow_attribute(self, obj: Any, name: str) -> None:
        if name.startswith("_") or name in _DENIED_ATTRIBUTES:
            raise AttributeError(f"learner code may not read {name!r} of the grader's {type(obj).__name__}")
        if name in _SQLITE_DENIED and (_is_sqlite(obj, "Connection") or _is_sqlite(obj, "Cursor")):
            raise AttributeError(f"learner code may not use sqlite3 {type(obj).__name__}.{name} during grading")

    def live_attribute(self, obj: Any, name: str) -> bool:
        """Containers learner code may change in place: a cluster node's ``memory`` and
        ``durable`` dicts, and attributes a class lists in ``sysdesign_remote_live``."""
        kind = type(obj)
        if (kind.__module__, kind.__qualname__, name) in _LIVE_ATTRIBUTES:
            return True
        listed = getattr(kind, "sysdesign_remote_live", ())
        return isinstance(listed, (tuple, list, frozenset, set)) and name in listed

    def allow_setattr(self, obj: Any, name: str) -> None:
        self.allow_attribute(obj, name)
        for kind, names in _SQLITE_SETTABLE.items():
            if _is_sqlite(obj, kind) and name in names:
                return
        settable = getattr(type(obj), "sysdesign_remote_settable", ())
        if isinstance(settable, (tuple, list, frozenset, set)) and name in settable:
            return
        raise AttributeError(f"learner code may not set {name!r} on the grader's {type(obj).__name__}")

    def guard_call(self, obj: Any, method: str | None) -> Callable[[Callable[[], Any]], Any]:
        if method in _HTTP_METHODS and _module_of(obj) == "requests.sessions" and not fake_network_active():
            raise ConnectionError(f"{type(obj).__name__}.{method}: grading has no network (no simulated one is active)")
        if method in ("execute", "executemany", "executescript"):
            conn = obj if _is_sqlite(obj, "Connection") else getattr(obj, "connection", None) if _is_sqlite(obj, "Cursor") else None
            if conn is not None:
                return lambda fn: _without_attach(conn, fn)
        return _run

    # -- requests from the worker -------------------------------------------------------------
    def _h_sleep(self, msg: dict) -> None:
        seconds = msg.get("s")
        if type(seconds) not in (int, float) or not 0 <= seconds < float("inf"):
            raise ValueError(f"sleep length must be a finite non-negative number, got {seconds!r}")
        if virtual_now_micros() is None:
            left = self.provider.deadline - wallclock.wall_seconds()
            if seconds > left:
                raise self.provider.fail(WorkerTimedOut(
                    f"learner code called time.sleep({seconds:g}) with {max(left, 0):.1f}s of the exercise's time left"))
        # The learner's own sleep, made here so the suite's virtual clock or cluster advances;
        # with no freeze active it is as real as in-process, and bounded by the exercise's time.
        time.sleep(seconds)  # virtual

    def _h_http(self, msg: dict) -> dict:
        import requests

        decode = self._decode
        method, url = str(msg.get("m", "GET")), str(msg.get("u", ""))
        headers, body, timeout = decode(msg.get("hd")), decode(msg.get("b")), decode(msg.get("to"))
        if not fake_network_active():
            raise requests.exceptions.ConnectionError(
                f"{method} {url}: grading has no network (only the suite's simulated one, and none is active)")
        if not isinstance(headers, dict):
            headers = {}
        response = requests.request(method, url, headers={str(k): str(v) for k, v in headers.items()},
                                    data=body, timeout=timeout, allow_redirects=False)
        return {"status": int(response.status_code), "headers": {str(k): str(v) for k, v in response.headers.items()},
                "body": bytes(response.content)}

    # -- exceptions ------------------------------------------------------------------------------
    def describe_exception(self, exc: BaseException, data: dict, as_value: bool) -> None:
        origin = next(self._origins)
        self._raised[origin] = exc
        while len(self._raised) > 256:
            self._raised.popitem(last=False)
        data["origin"] = origin

    def raise_remote(self, data: Any) -> None:
        __tracebackhide__ = True
        exc = self.exception_from(data)
        if type(data) is dict and "where" in data and not getattr(exc, "_sysdesign_original", False):
            raise_at(exc, data["where"])
        raise exc

    def exception_class_from(self, tag: dict) -> type:
        return _trusted_class(str(tag.get("mod", "")), str(tag.get("qual", ""))) or self.synthetic_class(tag, RemoteError)

    def builtin_class(self, name: str) -> type:
        found = getattr(builtins, name, None)
        if isinstance(found, type) and issubclass(found, Exception) and not issubclass(found, BaseExceptionGroup):
            return found
        return Exception

    def exception_from(self, data: Any, as_value: bool = False) -> BaseException:
        if type(data) is not dict:
            raise ProtocolError("malformed exception")
        origin = data.get("origin")
        if not as_value and type(origin) is int and origin in self._raised:
            original = self._raised.pop(origin)
            try:
                original._sysdesign_original = True  # type: ignore[attr-defined]
            except Exception:  # noqa: BLE001
                pass
            return original
        message = _clip(str(data.get("msg", "")))
        mod, typ = str(data.get("mod", "")), str(data.get("type", ""))
        if not as_value and "load" in data:
            return WorkerLoadError(_clip(str(data["load"]), 1000), str(data.get("status", "error")))
        if not as_value and mod == "builtins" and typ == "MemoryError":
            return WorkerOutOfMemory(f"learner code ran out of memory (the limit is --memory {self.provider.memory_mb} MB)")
        cls: type | None = None
        if mod == "builtins":
            cls = self.builtin_class(typ) if self.builtin_class(typ).__name__ == typ else None
        else:
            cls = _trusted_class(mod, str(data.get("qual", "")))
        if cls is None:
            desc = data.get("cls") if type(data.get("cls")) is dict else {"mod": mod, "qual": data.get("qual", typ),
                                                                           "base": data.get("base", "Exception")}
            try:
                cls = self.synthetic_class(desc, RemoteError)
            except DecodeError as exc:
                raise ProtocolError(str(exc)) from None
        args = data.get("args")
        try:
            args = self.codec.decode(args) if isinstance(args, list) else None
        except (DecodeError, RecursionError):
            args = None
        exc = _instantiate(cls, args, message)
        for key, value in list((data.get("attrs") or {}).items())[:32]:
            if isinstance(key, str) and key.isidentifier() and not key.startswith("_") and key not in ("args", "add_note", "with_traceback"):
                try:
                    setattr(exc, key, self.codec.decode(value))
                except Exception:  # noqa: BLE001
                    pass
        tb = data.get("tb")
        if isinstance(exc, RemoteError):
            exc.remote_type = f"{mod}.{data.get('qual', typ)}"
        if type(tb) is str and tb:
            try:
                exc.remote_traceback = tb  # type: ignore[attr-defined]
                exc.add_note("in the worker (learner code):\n" + _clip(tb, 1500).rstrip())
            except Exception:  # noqa: BLE001
                pass
        return exc


#: Objects whose :func:`refusal` depends on the object itself, not only on its class.
_DECIDED_BY_ITSELF = (type, types.FunctionType, types.BuiltinFunctionType, types.ModuleType)


def _trusted_class(mod: str, qual: str) -> type | None:
    """A standard-library (or ``requests``) exception class already imported here, or None."""
    top = mod.split(".")[0]
    if top not in sys.stdlib_module_names and top not in ("requests", "urllib3"):
        return None
    if top in ("builtins", "_pytest") or not qual or not all(p.isidentifier() and not p.startswith("_") for p in qual.split(".")):
        return None
    obj: Any = sys.modules.get(mod)
    if obj is None:
        return None
    for part in qual.split("."):
        obj = getattr(obj, part, None)
    if isinstance(obj, type) and issubclass(obj, Exception) and not issubclass(obj, BaseExceptionGroup):
        return obj
    return None


def _instantiate(cls: type, args: Any, message: str) -> BaseException:
    attempts = ([tuple(args)] if isinstance(args, list) else []) + [(message,)]
    for attempt in attempts:
        try:
            exc = cls(*attempt)
            if isinstance(exc, BaseException):
                return exc
        except Exception:  # noqa: BLE001
            continue
    return RemoteError(message)
