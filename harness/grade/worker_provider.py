"""The deciding process's side: the implementation provider whose modules are proxies to a
worker process, and the rules for what learner code may do with the suite's objects.

``load(exercise)`` starts the worker (one per exercise), asks it to import the submission's
``<slug>.py`` and returns a :class:`RemoteModule`: a real module object whose attributes are
fetched from the worker (classes and functions come back as proxies, exception classes as
local stand-ins, constants as data) and whose ``__file__`` is the submission's file.

What learner code may do with objects the suite hands it (a fake database, a callback, a
``sqlite3`` connection, a cluster node): read public attributes and call public methods; use
``len``, ``in``, iteration, indexing and ``with``. It may not read private attributes
(``_x``) or frame/traceback/generator internals, set attributes (except the few a class lists
in ``sysdesign_remote_settable``, and ``sqlite3``'s ``row_factory``, ``text_factory`` and
``isolation_level``), load ``sqlite3`` extensions, attach databases or replace a connection's
callbacks, nor receive modules, files, processes, sockets or the test runner's own objects.
"""

from __future__ import annotations

import builtins
import json
import os
import signal
import subprocess
import sys
import threading
import time
import types
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sysdesign import wallclock
from sysdesign.exercise import Exercise
from sysdesign.grade import FILE_SIZE_LIMIT, OUTPUT_LIMIT, PROVIDER_NAME, rpc, sandbox
from sysdesign.grade.codec import DecodeError, EncodeError
from sysdesign.providers import ImplementationLoadError, display_path

_EPOCH = __import__("datetime").datetime(1970, 1, 1)
_MICRO = __import__("datetime").timedelta(microseconds=1)


# -- errors that become statuses -----------------------------------------------------------------
class WorkerError(Exception):
    """The worker cannot answer any more; ``grade_status`` is the status of the test that saw it."""

    grade_status = "crashed"


class WorkerTimedOut(WorkerError):
    grade_status = "timed_out"


class WorkerOutOfMemory(WorkerError):
    grade_status = "out_of_memory"


class WorkerCrashed(WorkerError):
    grade_status = "crashed"


class WorkerLoadError(ImplementationLoadError):
    """The submission's module could not be loaded in the worker."""

    def __init__(self, message: str, status: str = "error") -> None:
        super().__init__(message)
        self.grade_status = status


# -- virtual time --------------------------------------------------------------------------------
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


# -- what learner code may receive and do ---------------------------------------------------------
_DENIED_MODULES = frozenset("""
os posix nt sys subprocess shutil importlib ctypes _ctypes pickle _pickle marshal io _io socket _socket
signal runpy code codeop pdb bdb multiprocessing _multiprocessing pty fcntl resource mmap gc inspect
site sysconfig tempfile pathlib zipimport pkgutil threading _thread concurrent asyncio selectors
select _pytest pytest pluggy py freezegun responses urllib3 http urllib ftplib smtplib
webbrowser logging atexit zipfile tarfile ensurepip venv plugins tracemalloc faulthandler
""".split())
_DENIED_PREFIXES = ("sysdesign.grade", "sysdesign.plugin_manager", "sysdesign.clock", "sysdesign.state",
                    "requests.adapters", "requests.api")
_HTTP_METHODS = frozenset({"request", "get", "post", "put", "patch", "delete", "head", "options", "send"})
_DENIED_BUILTINS = frozenset("""
eval exec compile open __import__ getattr setattr delattr globals locals vars input breakpoint help
exit quit memoryview
""".split())
_DENIED_ATTRIBUTES = frozenset("""
gi_frame gi_code gi_yieldfrom gi_suspended cr_frame cr_code cr_await cr_origin ag_frame ag_code ag_await
tb_frame tb_next f_globals f_locals f_builtins f_back f_code f_trace func_globals func_code
""".split())
_SQLITE_DENIED = frozenset("""
enable_load_extension load_extension backup deserialize serialize set_authorizer set_progress_handler
set_trace_callback setlimit create_collation
""".split())
_LIVE_ATTRIBUTES = frozenset({("sysdesign.cluster.node", "Node", "durable"), ("sysdesign.cluster.node", "Node", "memory")})
_SQLITE_SETTABLE = {"Connection": {"row_factory", "text_factory", "isolation_level"},
                    "Cursor": {"row_factory", "arraysize"}}


def _module_of(obj: Any) -> str:
    if isinstance(obj, (type, types.FunctionType, types.BuiltinFunctionType)):
        return str(getattr(obj, "__module__", "") or "")
    return str(getattr(type(obj), "__module__", "") or "")


def refusal(obj: Any) -> str | None:
    """Why ``obj`` must not be handed to learner code (None: it may be)."""
    if isinstance(obj, (types.ModuleType, types.FrameType, types.TracebackType, types.CodeType)):
        return f"a {type(obj).__name__}"
    if isinstance(obj, types.BuiltinFunctionType) and isinstance(getattr(obj, "__self__", None), types.ModuleType) \
            and obj.__self__.__name__ == "builtins" and obj.__name__ in _DENIED_BUILTINS:
        return f"the builtin {obj.__name__}()"
    module = _module_of(obj)
    if module == "builtins" and not isinstance(obj, type):
        return None
    if module.split(".")[0] in _DENIED_MODULES or module.startswith(_DENIED_PREFIXES):
        return f"an object of module {module}"
    return None


def _is_sqlite(obj: Any, kind: str) -> bool:
    sqlite3 = sys.modules.get("sqlite3")
    return sqlite3 is not None and isinstance(obj, getattr(sqlite3, kind))


class DecidingChannel(rpc.Channel):
    """The deciding process's end: deadlines, time stamps, the rules above, and exceptions
    raised again as built-ins, trusted standard-library classes or stand-ins."""

    side, peer = "d", "w"

    def __init__(self, pipe: rpc.Pipe, provider: WorkerProvider) -> None:
        super().__init__(pipe)
        self.provider = provider
        self.dead: WorkerError | None = None
        self._raised: OrderedDict[int, BaseException] = OrderedDict()
        self._origins = iter(range(1, 1 << 62))
        self.handlers.update({"sleep": self._h_sleep, "http": self._h_http})

    def stamp(self, msg: dict) -> None:
        msg["t"] = virtual_now_micros()

    # -- failure -----------------------------------------------------------------------------
    def request(self, op: str, **fields: Any) -> Any:
        __tracebackhide__ = True
        if self.dead is not None:
            raise type(self.dead)(f"{self.dead} (earlier in this exercise)")
        try:
            return super().request(op, **fields)
        except rpc.PipeClosed:
            raise self.provider.fail(self.provider.exit_error()) from None
        except rpc.ProtocolError as exc:
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
        why = refusal(obj)
        if why is not None:
            raise EncodeError(f"{why} cannot be handed to learner code during grading")

    def allow_attribute(self, obj: Any, name: str) -> None:
        if name.startswith("_") or name in _DENIED_ATTRIBUTES:
            raise AttributeError(f"learner code may not read {name!r} of the grader's {type(obj).__name__}")
        if (_is_sqlite(obj, "Connection") or _is_sqlite(obj, "Cursor")) and name in _SQLITE_DENIED:
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
        return rpc._run

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
            rpc.raise_at(exc, data["where"])
        raise exc

    def exception_class_from(self, tag: dict) -> type:
        return _trusted_class(str(tag.get("mod", "")), str(tag.get("qual", ""))) or self.synthetic_class(tag, rpc.RemoteError)

    def builtin_class(self, name: str) -> type:
        found = getattr(builtins, name, None)
        if isinstance(found, type) and issubclass(found, Exception) and not issubclass(found, BaseExceptionGroup):
            return found
        return Exception

    def exception_from(self, data: Any, as_value: bool = False) -> BaseException:
        if type(data) is not dict:
            raise rpc.ProtocolError("malformed exception")
        origin = data.get("origin")
        if not as_value and type(origin) is int and origin in self._raised:
            original = self._raised.pop(origin)
            try:
                original._sysdesign_original = True  # type: ignore[attr-defined]
            except Exception:  # noqa: BLE001
                pass
            return original
        message = rpc._clip(str(data.get("msg", "")))
        mod, typ = str(data.get("mod", "")), str(data.get("type", ""))
        if not as_value and "load" in data:
            return WorkerLoadError(rpc._clip(str(data["load"]), 1000), str(data.get("status", "error")))
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
                cls = self.synthetic_class(desc, rpc.RemoteError)
            except DecodeError as exc:
                raise rpc.ProtocolError(str(exc)) from None
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
        if isinstance(exc, rpc.RemoteError):
            exc.remote_type = f"{mod}.{data.get('qual', typ)}"
        if type(tb) is str and tb:
            try:
                exc.remote_traceback = tb  # type: ignore[attr-defined]
                exc.add_note("in the worker (learner code):\n" + rpc._clip(tb, 1500).rstrip())
            except Exception:  # noqa: BLE001
                pass
        return exc


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
    return rpc.RemoteError(message)


def _without_attach(conn: Any, fn: Callable[[], Any]) -> Any:
    """Run ``fn`` with ATTACH (and so VACUUM INTO) refused on ``conn``: learner SQL must not
    create or write files the grader can reach."""
    import sqlite3

    try:
        old = conn.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
    except (sqlite3.Error, AttributeError):
        return fn()
    try:
        return fn()
    finally:
        try:
            conn.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, old)
        except sqlite3.Error:
            pass


_ORIGINAL_SEND = None


def fake_network_active() -> bool:
    """True when something (``responses``, the cluster) intercepts ``requests`` here."""
    import requests.adapters

    return requests.adapters.HTTPAdapter.send is not _ORIGINAL_SEND


def _remember_original_send() -> None:
    global _ORIGINAL_SEND
    import requests.adapters

    if _ORIGINAL_SEND is None:
        _ORIGINAL_SEND = requests.adapters.HTTPAdapter.send


# -- the module proxy and the provider ------------------------------------------------------------
class RemoteModule(types.ModuleType):
    """The submission's module as the suites see it in grade mode."""

    def __init__(self, channel: DecidingChannel, handle: int, name: str, path: Path) -> None:
        super().__init__(name)
        self.__file__ = str(path)
        self.__dict__["_sysdesign_remote"] = rpc.Proxy(channel, handle, None, "module")

    def __getattr__(self, name: str) -> Any:
        __tracebackhide__ = True
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        remote = self.__dict__["_sysdesign_remote"]
        value = remote._ch.request("getattr", h=remote._h, n=name)
        if isinstance(value, (rpc.Proxy, type)):
            self.__dict__[name] = value
        return value

    def __repr__(self) -> str:
        return f"<submission module {self.__name__!r} from {self.__file__!r} (in the grading worker)>"


def worker_of(obj: Any) -> DecidingChannel | None:
    """The channel to the worker holding ``obj`` (the submission's module, or a proxy to one of
    its objects), or None when ``obj`` lives in this process."""
    if isinstance(obj, RemoteModule):
        obj = obj.__dict__["_sysdesign_remote"]
    if isinstance(obj, rpc.Proxy):
        channel = rpc._CHANNELS.get(obj._cid)
        if isinstance(channel, DecidingChannel):
            return channel
    return None


def worker_call(via: Any, name: str, *args: Any) -> Any:
    """Run the kit operation ``name`` (e.g. ``durability.install``, see ``_kit_operations`` in
    :mod:`sysdesign.grade.worker`) in the worker holding ``via``, with ``args`` (data, suite
    objects as references, proxies as the worker's own objects). Kit code in the worker serves
    it, instrumenting the process that runs learner code; the answer is data, like any other,
    and may be forged by learner code."""
    __tracebackhide__ = True
    channel = worker_of(via)
    if channel is None:
        raise TypeError(f"{type(via).__name__} does not live in a grading worker")
    return channel.request("kit", n=name, a=channel.codec.encode(list(args)))


class WorkerProvider:
    """Loads each exercise's module in a worker process (one worker per deciding process)."""

    name = PROVIDER_NAME

    def __init__(self, submission: Path, *, deadline: float, memory_mb: int, timeout: float,
                 output_path: Path, scratch: Path, on_worker: Callable[[int], None] | None = None,
                 rules: list | None = None) -> None:
        self.submission = Path(submission)
        self.description = f"the submission in {display_path(self.submission)}"
        self.deadline, self.memory_mb, self.timeout = deadline, memory_mb, timeout
        self.output_path, self.scratch = Path(output_path), Path(scratch)
        self.on_worker = on_worker
        #: The worker's Landlock rules (:mod:`sysdesign.grade.confinement`), as JSON; None: unconfined.
        self.rules = rules
        self.process: subprocess.Popen | None = None
        self.channel: DecidingChannel | None = None
        self._cache: dict[str, RemoteModule | WorkerLoadError] = {}
        self._output_offset = 0
        self._killed_by_us = False
        self.timed_out = False
        self._watchdog: threading.Timer | None = None
        _remember_original_send()

    def path_for(self, exercise: Exercise) -> Path:
        return self.submission / f"{exercise.slug}.py"

    def load(self, exercise: Exercise) -> types.ModuleType:
        __tracebackhide__ = True
        if exercise.slug not in self._cache:
            try:
                self._cache[exercise.slug] = self._load(exercise)
            except WorkerLoadError as exc:
                self._cache[exercise.slug] = exc
        found = self._cache[exercise.slug]
        if isinstance(found, WorkerLoadError):
            raise WorkerLoadError(str(found), found.grade_status)
        return found

    def _load(self, exercise: Exercise) -> RemoteModule:
        path = self.path_for(exercise)
        shown = display_path(path)
        if not path.is_file():
            raise WorkerLoadError(f"{shown}: file not found (the module for exercise '{exercise.slug}')")
        channel = self.start()
        try:
            reply = channel.request("load", path=str(path), name=f"sysdesign_impl_{exercise.slug}",
                                    components=list(exercise.components))
        except WorkerLoadError:
            raise
        except WorkerError as exc:
            raise WorkerLoadError(f"{shown}: {exc} (while importing)", exc.grade_status) from None
        except Exception as exc:  # noqa: BLE001
            raise WorkerLoadError(f"{shown}: {type(exc).__name__}: {exc} (while importing)") from None
        if type(reply) is not dict or type(reply.get("h")) is not int:
            raise WorkerLoadError(f"{shown}: the worker answered the import with {reply!r}", "crashed")
        missing = [str(m) for m in reply.get("missing") or []]
        if missing:
            raise WorkerLoadError(f"{shown}: missing {', '.join(missing)} "
                                  f"(exercise '{exercise.slug}' needs {', '.join(exercise.components)})")
        return RemoteModule(channel, reply["h"], f"sysdesign_impl_{exercise.slug}", path)

    # -- the worker process ---------------------------------------------------------------------
    def start(self) -> DecidingChannel:
        if self.channel is not None:
            return self.channel
        to_worker_r, to_worker_w = os.pipe()
        from_worker_r, from_worker_w = os.pipe()
        self.scratch.mkdir(parents=True, exist_ok=True)
        config = {"memory_mb": self.memory_mb, "cpu_seconds": self.timeout + 1, "file_size": FILE_SIZE_LIMIT,
                  "rules": self.rules}
        env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(self.scratch), "TMPDIR": str(self.scratch),
               "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
        with open(self.output_path, "ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-I", "-u", "-m", "sysdesign.grade.worker", str(to_worker_r), str(from_worker_w),
                 json.dumps(config)],
                pass_fds=(to_worker_r, from_worker_w), stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                cwd=self.scratch, env=env, preexec_fn=sandbox.set_parent_death_signal, start_new_session=True,
            )
        os.close(to_worker_r)
        os.close(from_worker_w)
        if self.on_worker is not None:
            self.on_worker(self.process.pid)
        self.channel = DecidingChannel(rpc.Pipe(from_worker_r, to_worker_w), self)
        self._watchdog = threading.Timer(max(0.0, self.deadline - wallclock.wall_seconds()), self._time_up)
        self._watchdog.daemon = True
        self._watchdog.start()
        return self.channel

    def _time_up(self) -> None:
        """The exercise's time is up: kill the worker (a blocked read then ends)."""
        self.timed_out = True
        self._kill()

    def fail(self, error: WorkerError) -> WorkerError:
        """Record that the worker is unusable, kill it, and return ``error`` to raise."""
        if self.channel is not None and self.channel.dead is None:
            self.channel.dead = error
        self.stop()
        return error

    def _kill(self) -> None:
        process = self.process
        if process is None or process.returncode is not None:
            return
        self._killed_by_us = True
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    def stop(self) -> None:
        if self._watchdog is not None:
            self._watchdog.cancel()
        process = self.process
        if process is None or process.poll() is not None:
            return
        self._kill()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL is not ignorable
            pass

    def timeout_message(self) -> str:
        return f"learner code ran past the exercise's time limit (--timeout {self.timeout:g}s)"

    def exit_error(self) -> WorkerError:
        """Why the worker's pipe closed, as the error the current test gets."""
        process = self.process
        if self.timed_out:
            return WorkerTimedOut(self.timeout_message())
        code = None
        if process is not None:
            try:
                code = process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.stop()
                code = process.returncode
        if code is not None and code < 0:
            sig = -code
            name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
            if sig == signal.SIGXCPU:
                return WorkerTimedOut(f"learner code used up its CPU time (killed by {name})")
            if sig == signal.SIGKILL and not self._killed_by_us:
                return WorkerOutOfMemory(f"the worker was killed ({name}), most likely for using too much memory")
            return WorkerCrashed(f"the worker was killed by {name}")
        return WorkerCrashed(f"learner code ended the worker process (exit code {code})")

    def take_output(self, limit: int = OUTPUT_LIMIT) -> str:
        """What learner code printed since the last call (cut to ``limit`` characters)."""
        try:
            with open(self.output_path, "rb") as fh:
                fh.seek(self._output_offset)
                data = fh.read(limit * 4 + 1)
                end = fh.seek(0, os.SEEK_END)
        except OSError:
            return ""
        self._output_offset = end
        text = data.decode("utf-8", "replace")
        if len(text) > limit or len(data) > limit * 4:
            return text[:limit] + f"\n... (output cut at {limit} characters)"
        return text

