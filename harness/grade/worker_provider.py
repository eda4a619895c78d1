"""The deciding process's implementation provider, whose modules are proxies to a worker process.

``load(exercise)`` starts the worker (one per exercise), asks it to import the submission's
``<slug>.py`` and returns a :class:`~sysdesign.grade.proxies.RemoteModule`: a real module object
whose attributes are fetched from the worker (classes and functions come back as proxies,
exception classes as local stand-ins, constants as data) and whose ``__file__`` is the
submission's file. The provider also bounds the worker's time (a watchdog kills it when the
exercise's time is up), says why it ended (:mod:`sysdesign.grade.worker_errors`) and collects
what it printed; :func:`worker_call` runs a kit operation in the worker holding an object.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sysdesign import wallclock
from sysdesign.exercise import Exercise
from sysdesign.grade import FILE_SIZE_LIMIT, OUTPUT_LIMIT, PROVIDER_NAME, sandbox
from sysdesign.grade.deciding_channel import DecidingChannel
from sysdesign.grade.fake_network import _remember_original_send
from sysdesign.grade.framing import Pipe
from sysdesign.grade.proxies import _CHANNELS, Proxy, RemoteModule
from sysdesign.grade.worker_errors import WorkerCrashed, WorkerError, WorkerLoadError, WorkerOutOfMemory, WorkerTimedOut
from sysdesign.providers import display_path


def worker_of(obj: Any) -> DecidingChannel | None:
    """The channel to the worker holding ``obj`` (the submission's module, or a proxy to one of
    its objects), or None when ``obj`` lives in this process."""
    if isinstance(obj, RemoteModule):
        obj = obj.__dict__["_sysdesign_remote"]
    if isinstance(obj, Proxy):
        channel = _CHANNELS.get(obj._cid)
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
        self.channel = DecidingChannel(Pipe(from_worker_r, to_worker_w), self)
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
