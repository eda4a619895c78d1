"""A warm start for the grader's children: one process (the zygote) imports what every deciding
and collecting pytest needs (pytest, hypothesis, requests, responses, freezegun, greenlet, the
kit's runtime) once, then forks a child for each run the grader asks for. A fresh interpreter
spent about 0.6 s of CPU on those imports for every exercise.

A forked child is the run that ``python -I -m pytest ARGS`` would have been: its own session,
the environment the grader gives it (not the zygote's), its working folder, standard input
from /dev/null, standard output and error into its log, a fresh random seed and temporary
folder. The kit's pytest plugins are not imported here but by each child (``-p``), so that
pytest rewrites their assertions as it always does. The zygote never runs learner code: the
children start their workers exactly as before.

Protocol (:class:`Zygote` on the grader's side), one JSON object per line on two pipes: the
grader writes ``{"id", "args", "cwd", "env", "log"}``; the zygote answers ``{"id", "pid"}`` at
once (or ``{"id", "error"}``) and ``{"id", "status"}`` when the child has ended (its exit code,
or minus the signal that ended it, as :mod:`subprocess` reports). The zygote ends when the
grader closes its pipe; its children do not depend on it.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path

#: What every deciding and collecting pytest imports before its first test (never the kit's
#: ``-p`` plugins themselves: see the module docstring).
WARM_MODULES = ("pytest", "hypothesis", "hypothesis.strategies", "requests", "responses",
                "freezegun", "greenlet", "sqlite3", "sysdesign.cluster", "sysdesign.grade.worker_provider",
                "sysdesign.grade.deciding_channel", "sysdesign.plugin_manager", "sysdesign.properties")


class ZygoteGone(RuntimeError):
    """The zygote ended (or never started): runs fall back to fresh interpreters."""


class Zygote:
    """The grader's end: :meth:`run` starts one child pytest and waits for it, from any thread."""

    def __init__(self, process: subprocess.Popen, requests: int, replies: int) -> None:
        self._process = process
        self._out = os.fdopen(requests, "w", encoding="utf-8")
        self._in = os.fdopen(replies, "r", encoding="utf-8")
        self._lock = threading.Lock()
        self._pending: dict[int, tuple[Future, Future]] = {}
        self._ids = 0
        self._gone: BaseException | None = None
        ready = self._in.readline()
        if ready.strip() != '{"ready": true}':
            self.close()
            raise ZygoteGone(f"the zygote did not start: {ready.strip()[:200]!r}")
        self._reader = threading.Thread(target=self._read, name="sysdesign-zygote", daemon=True)
        self._reader.start()

    @classmethod
    def start(cls, env: dict[str, str]) -> Zygote | None:
        """A running zygote, or None when it cannot start (runs then use fresh interpreters)."""
        to_zygote, from_grader = os.pipe()
        to_grader, from_zygote = os.pipe()
        try:
            process = subprocess.Popen([sys.executable, "-I", "-m", "sysdesign.grade.zygote", str(to_zygote),
                                        str(from_zygote)], pass_fds=(to_zygote, from_zygote), env=env,
                                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL, start_new_session=True)
        except OSError:
            for fd in (to_zygote, from_grader, to_grader, from_zygote):
                os.close(fd)
            return None
        os.close(to_zygote)
        os.close(from_zygote)
        try:
            return cls(process, from_grader, to_grader)
        except (ZygoteGone, OSError, ValueError):
            return None

    def run(self, args: list[str], *, cwd: Path, env: dict[str, str], log: Path,
            wall_limit: float, on_timeout: Callable[[int], None]) -> tuple[int, int | None, bool]:
        """Run ``pytest ARGS`` in a forked child; wait up to ``wall_limit`` seconds, then call
        ``on_timeout(pid)`` and wait for its end. Returns (pid, exit status, killed)."""
        started, ended = Future(), Future()
        with self._lock:
            if self._gone is not None:
                raise ZygoteGone(str(self._gone))
            self._ids += 1
            ident = self._ids
            self._pending[ident] = (started, ended)
            try:
                self._out.write(json.dumps({"id": ident, "args": args, "cwd": str(cwd), "env": env,
                                            "log": str(log)}) + "\n")
                self._out.flush()
            except (OSError, ValueError) as exc:
                self._pending.pop(ident, None)
                raise ZygoteGone(f"the zygote's pipe: {exc}") from None
        pid = started.result()  # ZygoteGone here: nothing started, the caller may run it afresh
        killed = False
        try:
            return pid, ended.result(timeout=wall_limit), killed
        except TimeoutError:
            killed = True
            on_timeout(pid)
            with contextlib.suppress(ZygoteGone):
                return pid, ended.result(), killed
        except ZygoteGone:  # the child's end can no longer be seen: stop it
            on_timeout(pid)
        return pid, None, killed

    def _read(self) -> None:
        try:
            for line in self._in:
                reply = json.loads(line)
                futures = self._pending.get(reply.get("id"))
                if futures is None:
                    continue
                started, ended = futures
                if "pid" in reply:
                    started.set_result(int(reply["pid"]))
                elif "error" in reply:
                    self._pending.pop(reply["id"], None)
                    started.set_exception(ZygoteGone(str(reply["error"])))
                elif "status" in reply:
                    self._pending.pop(reply["id"], None)
                    ended.set_result(int(reply["status"]))
        except (OSError, ValueError) as exc:
            self._gone = exc
        with self._lock:
            self._gone = self._gone or ZygoteGone("the zygote ended")
            pending, self._pending = self._pending, {}
        for started, ended in pending.values():
            for future in (started, ended):
                if not future.done():
                    future.set_exception(ZygoteGone(str(self._gone)))

    def close(self) -> None:
        """End the zygote (its children, each in its own session, are not touched)."""
        for stream in (self._out, self._in):
            with contextlib.suppress(OSError, ValueError):
                stream.close()
        with contextlib.suppress(OSError):
            self._process.wait(timeout=10)
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()


# -- the zygote's side ---------------------------------------------------------------------------
def _child(request: dict, keep_closed: list[int]) -> None:
    """In the forked child: become the run ``python -I -m pytest ARGS`` would have been."""
    os.setsid()
    for fd in keep_closed:
        with contextlib.suppress(OSError):
            os.close(fd)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    log = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(devnull)
    os.close(log)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    import random
    import tempfile

    tempfile.tempdir = None  # from this run's TMPDIR
    random.seed()
    import pytest

    sys.argv = ["pytest", *request["args"]]
    code = 70
    try:
        code = int(pytest.main(list(request["args"])))
    except SystemExit as exc:
        code = 0 if exc.code is None else exc.code if isinstance(exc.code, int) else 1
    except BaseException:  # noqa: BLE001 - a fresh interpreter would print it and exit 1
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        import atexit

        atexit._run_exitfuncs()
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(code)


def serve(requests: int, replies: int) -> None:
    """The zygote's loop: fork a child per request, report its pid and, later, its status."""
    import importlib

    for name in WARM_MODULES:
        importlib.import_module(name)
    out = os.fdopen(replies, "w", encoding="utf-8")

    def send(reply: dict) -> None:
        out.write(json.dumps(reply) + "\n")
        out.flush()

    selector = selectors.DefaultSelector()
    selector.register(requests, selectors.EVENT_READ, None)
    send({"ready": True})
    buffer = b""
    while True:
        for key, _ in selector.select():
            if key.data is not None:  # a child ended
                ident, pid = key.data
                selector.unregister(key.fd)
                os.close(key.fd)
                _, status = os.waitpid(pid, 0)
                send({"id": ident, "status": os.waitstatus_to_exitcode(status)})
                continue
            chunk = os.read(requests, 1 << 16)
            if not chunk:
                return
            buffer += chunk
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                request = json.loads(line)
                try:
                    pid = os.fork()
                except OSError as exc:
                    send({"id": request.get("id"), "error": f"fork: {exc}"})
                    continue
                if pid == 0:
                    _child(request, [requests, replies, selector.fileno(),
                                     *(k.fd for k in selector.get_map().values())])
                pidfd = os.pidfd_open(pid)
                selector.register(pidfd, selectors.EVENT_READ, (request.get("id"), pid))
                send({"id": request.get("id"), "pid": pid})


if __name__ == "__main__":
    serve(int(sys.argv[1]), int(sys.argv[2]))
