"""The worker: the only process that runs the submission's code during grading.

Started by the deciding process as ``python -I -u -m sysdesign.grade.worker RFD WFD CONFIG``. It
imports what it needs, intercepts ``requests`` and ``time.sleep``, applies its limits and the
system-call filter (:mod:`sysdesign.grade.sandbox`), gives up its capabilities, and only then
imports the submission's ``<slug>.py`` and serves the deciding process's requests until its
pipe closes.

Time: every message from the deciding process carries its virtual time; the worker enters
freezegun once (at the first frozen time it sees) and then sets the frozen time directly, so
learner code here reads the same clock as the suite. With no freeze on the deciding side the
worker's clock runs at real time. ``time.sleep(s)`` becomes a request: the deciding process
sleeps (on its virtual clock or cluster) and answers with the new time.

Conversations: each message names the conversation it belongs to (on the deciding side, one per
greenlet: the test body, or a cluster task that calls learner code). The worker serves each
conversation on a greenlet of its own and a dispatcher routes every incoming message to its
conversation, so a cluster task blocked in the middle of one (its learner code waits for a
reply, a sleep or an HTTP answer) leaves the worker free to serve the other tasks' calls, as
the nodes' threads would in-process. Learner code still runs one conversation at a time.

HTTP: a ``responses`` catch-all forwards every ``requests`` call to the deciding process, which
performs it there (against whatever fake network the suite set up) and answers with status,
headers and body, or with the ``ConnectionError``/``Timeout`` to raise.
"""

from __future__ import annotations

import contextvars
import datetime as _dt
import importlib
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from greenlet import getcurrent, greenlet

from sysdesign.grade import landlock, sandbox
from sysdesign.grade.channel import Channel
from sysdesign.grade.codec import DecodeError
from sysdesign.grade.framing import Pipe, PipeClosed, ProtocolError
from sysdesign.grade.remote_errors import _builtin_name, class_description, format_traceback, innermost

_EPOCH = _dt.datetime(1970, 1, 1)
_freezegun_api: Any = None
_HERE = str(Path(__file__).resolve().parent)
_TRUSTED_TOPS = frozenset(sys.stdlib_module_names) | {"requests", "urllib3"}
#: Greenlets kept waiting for the next conversation (more are made when more run at once).
IDLE_CONVERSATIONS = 16


class LoadFailure(Exception):
    """The submission's module did not import (``str()`` is the one-line reason)."""

    def __init__(self, line: str, status: str = "error") -> None:
        super().__init__(line)
        self.status = status


class WorkerClock:
    """The worker's view of the deciding process's clock."""

    def __init__(self) -> None:
        self.freezer = None
        self.factory = None
        self.frozen = False
        #: The last frozen time set, in microseconds and as the datetime handed to freezegun.
        self.micros: int | None = None
        self.when: _dt.datetime | None = None

    def set(self, micros: Any) -> None:
        api = _freezegun_api
        if micros is None:
            if self.frozen:
                now = api.real_datetime.now(_dt.timezone.utc).replace(tzinfo=None)
                api.freeze_factories[-1] = api.TickingDateTimeFactory(now, api.real_datetime.now())
                self.frozen = False
            return
        if type(micros) is not int:
            raise ProtocolError("time must be integer microseconds")
        if self.frozen and micros == self.micros and self.factory.time_to_freeze is self.when \
                and api.freeze_factories[-1] is self.factory:
            return  # most messages carry the time the previous one did
        when = _EPOCH + _dt.timedelta(microseconds=micros)
        if self.freezer is None:
            from freezegun import freeze_time

            from sysdesign.clock import skip_stack_checks

            self.freezer = freeze_time(when, ignore=["_pytest.timing"])
            self.factory = self.freezer.start()
            skip_stack_checks()
        elif not self.frozen:
            api.freeze_factories[-1] = self.factory
        self.factory.time_to_freeze = self.when = when
        self.micros, self.frozen = micros, True


class WorkerChannel(Channel):
    side, peer = "w", "d"

    def __init__(self, pipe: Pipe) -> None:
        super().__init__(pipe)
        self.clock = WorkerClock()
        #: The submission's modules loaded so far (tracebacks point at the innermost of them).
        self.module_paths: set[str] = set()
        self.handlers["load"] = self._h_load
        self.handlers["kit"] = self._h_kit

    def live_attribute(self, obj: Any, name: str) -> bool:
        return True  # the suite may change a learner object's containers, as it could in-process

    def on_receive(self, msg: dict) -> None:
        if "t" in msg:
            self.clock.set(msg["t"])
        if "g" in msg:
            self.replacements_moved()

    # -- serving -----------------------------------------------------------------------------
    def serve_forever(self) -> None:
        """The dispatcher: route each message to its conversation's greenlet (an idle one, or a
        new one, for a conversation's first request), until the pipe closes."""
        self._dispatcher = getcurrent()
        conversations: dict[Any, greenlet] = {}
        contexts: dict[int, contextvars.Context] = {}
        idle: list[greenlet] = []
        while True:
            try:
                msg = self._recv()
                key = msg.get("c")
                task = conversations.get(key)
                if task is not None:
                    task.switch(msg)
                    continue
                if "i" not in msg or type(key) is not int:
                    raise ProtocolError("expected a request starting a conversation")
                fresh = not idle
                task = conversations[key] = greenlet(self._converse, parent=self._dispatcher) if fresh else idle.pop()
                # learner code sees one context per conversation, as it would on the one
                # greenlet that calls it in-process (a ContextVar set in one call and reset
                # in the next works)
                task.gr_context = contexts.setdefault(key, contextvars.Context())
                setattr(task, self.conversation_attribute, key)
                if fresh:
                    task.switch(msg, conversations, idle)
                else:
                    task.switch(msg)
            except (PipeClosed, ProtocolError):
                os._exit(0)

    def _converse(self, msg: dict, conversations: dict, idle: list) -> None:
        """Serve conversations one after another: each ends when its first request is answered,
        and the greenlet then waits in ``idle`` for the next one (making a greenlet per request
        cost ~11 us, about a tenth of a crossing)."""
        while True:
            try:
                self._serve(msg)
            finally:
                conversations.pop(msg["c"], None)
            if len(idle) >= IDLE_CONVERSATIONS:
                return
            idle.append(getcurrent())
            msg = self._dispatcher.switch()

    def conversation(self) -> int:
        found = getattr(getcurrent(), self.conversation_attribute, None)
        if found is None:
            raise ProtocolError("a message outside any conversation")
        return found

    def _next_message(self) -> dict:
        return self._dispatcher.switch()

    def _h_load(self, msg: dict) -> dict:
        path, name, components = Path(str(msg["path"])), str(msg["name"]), [str(c) for c in msg["components"]]
        resolved = str(path.resolve())
        if resolved in self.module_paths or name in sys.modules:
            raise ProtocolError(f"{path} is loaded already")
        if self.module_paths and Path(resolved).parent != Path(next(iter(self.module_paths))).parent:
            raise ProtocolError("the worker loads modules of one submission folder only")
        # One module per exercise; a capstone also loads the concept exercises it builds on.
        self.module_paths.add(resolved)
        from sysdesign.providers import _import_failure_line, load_source_module, no_bytecode_process

        if path.suffix != ".py":
            raise LoadFailure(f"{path}: not a Python source file")
        # The code graded is the code submitted: compiled from its source text, and no cached
        # bytecode is read (or written) for anything imported from now on.
        no_bytecode_process()
        try:
            module = load_source_module(path, name)
        except BaseException as exc:  # noqa: BLE001 - SystemExit, skip() and the rest: the module did not load
            status = "out_of_memory" if isinstance(exc, MemoryError) else "error"
            raise LoadFailure(_import_failure_line(path, exc), status) from None
        missing = [c for c in components if not hasattr(module, c)]
        return {"h": self.export(module), "missing": missing}

    def _h_kit(self, msg: dict) -> Any:
        """A kit operation the deciding process asks for (``sysdesign.grade.worker_provider.worker_call``):
        instrumentation that must run where learner code runs, from the fixed table below."""
        name, args = msg.get("n"), self._decode(msg.get("a", []))
        operation = _kit_operations().get(name) if type(name) is str else None
        if operation is None or type(args) is not list:
            raise ProtocolError(f"unknown kit operation {name!r}")
        return operation(*args)

    # -- exceptions --------------------------------------------------------------------------
    def describe_exception(self, exc: BaseException, data: dict, as_value: bool) -> None:
        origin = getattr(exc, "_sysdesign_origin", None)
        if type(origin) is int:
            data["origin"] = origin
        if isinstance(exc, LoadFailure):
            data["load"] = str(exc)
            data["status"] = exc.status
        if _builtin_name(type(exc)) is None:
            data["cls"] = class_description(type(exc))
        if not as_value:
            data["tb"] = format_traceback(exc, keep=lambda f: not f.startswith(_HERE))
            where = innermost(exc, lambda f: f in self.module_paths)
            if where is not None:
                data["where"] = where

    def _class_for(self, desc: dict) -> type:
        mod, qual = str(desc.get("mod", "")), str(desc.get("qual", ""))
        if mod == "builtins":
            found = getattr(__import__("builtins"), qual, None)
            if isinstance(found, type) and issubclass(found, BaseException):
                return found
        elif (mod in sys.modules or mod.split(".")[0] in _TRUSTED_TOPS) and all(p.isidentifier() for p in qual.split(".")):
            # a module learner code already imported (sysdesign.cluster.services for its
            # LeaseNotFound), or the standard library / requests: the real class, so that
            # ``except`` clauses in learner code match
            try:
                obj: Any = sys.modules.get(mod) or importlib.import_module(mod)
                for part in qual.split("."):
                    obj = getattr(obj, part)
                if isinstance(obj, type) and issubclass(obj, BaseException):
                    return obj
            except Exception:  # noqa: BLE001 - fall back to a stand-in
                pass
        return self.synthetic_class(desc, self.builtin_class(str(desc.get("base", "Exception"))))

    def exception_class_from(self, tag: dict) -> type:
        return self._class_for(tag)

    def exception_from(self, data: Any, as_value: bool = False) -> BaseException:
        if type(data) is not dict:
            raise ProtocolError("malformed exception")
        cls = self._class_for(data)
        args = data.get("args")
        try:
            args = self.codec.decode(args) if args is not None else None
        except DecodeError:
            args = None
        exc = _instantiate(cls, args, str(data.get("msg", "")))
        for key, value in (data.get("attrs") or {}).items():
            if isinstance(key, str) and not key.startswith("_"):
                try:
                    setattr(exc, key, self.codec.decode(value))
                except Exception:  # noqa: BLE001
                    pass
        if type(data.get("origin")) is int:
            try:
                exc._sysdesign_origin = data["origin"]  # type: ignore[attr-defined]
            except Exception:  # noqa: BLE001
                pass
        return exc


def _instantiate(cls: type, args: Any, message: str) -> BaseException:
    attempts = ([tuple(args)] if isinstance(args, list) else []) + [(message,), ()]
    for attempt in attempts:
        try:
            return cls(*attempt)
        except Exception:  # noqa: BLE001
            continue
    return RuntimeError(message)


def _kit_operations() -> dict[str, Any]:
    """The kit operations a deciding process may run here, by name. Only kit modules are listed;
    each takes data or references and answers data (docs/grading.md, "Worker-side
    instrumentation"): ``durability.*`` records the sync points of learner code for the storage
    suite's power cuts and closes a crashed store's files without flushing them; ``walk.*`` finds
    (and replaces) the bytes a learner object holds, for the capstones' storage checks."""
    from sysdesign import durability, walk

    return {**{f"durability.{name}": fn for name, fn in durability.WORKER_OPERATIONS.items()},
            **{f"walk.{name}": fn for name, fn in walk.WORKER_OPERATIONS.items()}}


# -- interception ----------------------------------------------------------------------------------
def _install_sleep(channel: WorkerChannel) -> None:
    def sleep(seconds: float) -> None:
        if not isinstance(seconds, (int, float)) or isinstance(seconds, bool):
            raise TypeError(f"'{type(seconds).__name__}' object cannot be interpreted as an integer or float")
        if seconds != seconds or seconds < 0:
            raise ValueError("sleep length must be non-negative")
        channel.request("sleep", s=float(seconds))

    time.sleep = sleep


_DROPPED_HEADERS = {"content-encoding", "content-length", "transfer-encoding"}


def _install_http(channel: WorkerChannel) -> None:
    import re

    import responses

    from sysdesign.cluster.http import ignore_environment, quicken_protocol_checks

    def forward(request: Any) -> tuple[int, dict, bytes]:
        body = request.body
        if isinstance(body, str):
            body = body.encode("utf-8")
        elif body is not None and not isinstance(body, (bytes, bytearray)):
            body = b"".join(bytes(part) for part in body)
        timeout = (getattr(request, "req_kwargs", None) or {}).get("timeout")
        reply = channel.request("http", m=str(request.method), u=str(request.url),
                                hd=channel.codec.encode(dict(request.headers)),
                                b=channel.codec.encode(body), to=channel.codec.encode(timeout))
        if type(reply) is not dict:
            raise ProtocolError("malformed HTTP answer")
        headers = {str(k): str(v) for k, v in dict(reply.get("headers") or {}).items() if str(k).lower() not in _DROPPED_HEADERS}
        return int(reply["status"]), headers, bytes(reply.get("body") or b"")

    mock = responses.RequestsMock(assert_all_requests_are_fired=False)
    matches = [mock.add_callback(method, re.compile(r".*"), callback=forward, content_type=None)
               for method in ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS")]

    def forward_and_forget(request: Any) -> tuple[int, dict, bytes]:
        mock.calls.reset()  # ``responses`` keeps every call; the deciding side keeps the trace
        for match in matches:
            match.calls.reset()
        return forward(request)

    for match in matches:
        match.callback = forward_and_forget
    mock.start()
    quicken_protocol_checks()
    ignore_environment()


def main(argv: list[str]) -> None:
    rfd, wfd, config = int(argv[1]), int(argv[2]), json.loads(argv[3])
    sandbox.set_parent_death_signal()
    import freezegun  # noqa: F401 - imported before the filter, like everything the worker needs
    import freezegun.api
    import requests  # noqa: F401

    global _freezegun_api
    _freezegun_api = freezegun.api

    import sysdesign.durability  # noqa: F401 - kit operations (and its PowerCut, raised here as itself)
    import sysdesign.providers  # noqa: F401

    from sysdesign.clock import refuse_threads

    refuse_threads()  # the filter below refuses them anyway; this gives the kit's one message
    channel = WorkerChannel(Pipe(rfd, wfd))
    _install_http(channel)
    _install_sleep(channel)
    sandbox.apply_limits(memory_bytes=int(config["memory_mb"]) * 1024 * 1024, cpu_seconds=float(config["cpu_seconds"]),
                         file_size=int(config["file_size"]))
    sandbox.drop_capabilities()
    confined = False
    if config.get("rules") is not None:
        refused = landlock.restrict(landlock.Rules.from_json(config["rules"]))
        if refused is not None:
            print(f"sysdesign grade: the worker could not confine itself: {refused}", file=sys.stderr)
            os._exit(126)
        confined = True
    sandbox.install_filter(allow_exec=False, allow_fs_writes=confined)
    channel.serve_forever()


if __name__ == "__main__":
    main(sys.argv)
