"""Run a snippet against an implementation module in a fresh Python interpreter.

Suites use it to prove what one process cannot: that two interpreters (with different
``PYTHONHASHSEED``, so different salts for ``hash()``) compute the same answers. The child
prints JSON; nothing but data comes back.

The child runs learner code, so it follows the rules of every process that does: the module is
compiled from its source text (never from a ``__pycache__`` shipped beside it), the
interpreter writes no bytecode (``-B``) and reads none for anything imported after the kit's
own start-up (:func:`sysdesign.providers.no_bytecode_process`). Its answer is the last line that
starts with a marker; whatever learner code printed around it is ignored, and a child that
ends without that line, prints more than :data:`OUTPUT_LIMIT` bytes or is killed is reported
as such (:class:`InterpreterError`, one line saying what happened).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

#: The line prefix of the child's answer.
RESULT_MARK = "\x1esysdesign-result:"
#: Bytes of output (answer and learner prints together) read from a child.
OUTPUT_LIMIT = 32 * 1024 * 1024

_LOADER = """
import json, sys
from sysdesign.providers import load_source_module, no_bytecode_process, reference_package_importable
no_bytecode_process()
if {references!r}:
    reference_package_importable()
m = load_source_module({path!r}, "subject")
{snippet}
sys.stdout.write("\\n" + {mark!r} + json.dumps(result) + "\\n")
sys.stdout.flush()
"""


class InterpreterError(RuntimeError):
    """The child interpreter failed; the message says how (and carries the end of its stderr)."""


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


class FreshInterpreters:
    """Child interpreters, one per hash seed, started at once and running side by side.

    Each loads ``module_path`` as ``m``, runs ``snippet`` (which sets ``result``) and prints it as
    JSON. Start them early; :meth:`results` waits for them.
    """

    def __init__(self, module_path: str | Path, snippet: str, *, hashseeds: tuple[int, ...] = (1, 2)) -> None:
        self.module_path = Path(module_path).resolve()
        from sysdesign import providers  # the child may import ``solutions`` when this process may

        code = _LOADER.format(path=str(self.module_path), snippet=snippet, mark=RESULT_MARK,
                              references=providers.reference_package_is_importable())
        self._children: dict[int, tuple[subprocess.Popen, Any, Any]] = {}
        for seed in hashseeds:
            env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
            env["PYTHONHASHSEED"] = str(seed)
            out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
            child = subprocess.Popen(
                [sys.executable, "-B", "-P", "-c", code], stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                env=env, cwd=self.module_path.parent,
            )
            self._children[seed] = (child, out, err)
        self._results: dict[int, Any] | None = None
        self._error: InterpreterError | None = None

    def results(self, timeout: float = 60) -> dict[int, Any]:
        """``{seed: result}``; raises InterpreterError when a child failed."""
        if self._error is not None:
            raise InterpreterError(str(self._error))
        if self._results is None:
            try:
                self._results = {seed: self._collect(seed, timeout) for seed in self._children}
            except InterpreterError as exc:
                self._error = exc
                raise
            finally:
                self.close()
        return self._results

    def _collect(self, seed: int, timeout: float) -> Any:
        child, out, err = self._children[seed]
        where = f"a fresh interpreter (PYTHONHASHSEED={seed}) running {self.module_path.name}"
        try:
            code = child.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise InterpreterError(f"{where} did not finish within {timeout:g}s") from None
        tail = _tail(err)
        if code == -getattr(signal, "SIGXFSZ", 0):
            raise InterpreterError(f"{where} was stopped for writing more output than a learner process may (SIGXFSZ)")
        if code < 0:
            raise InterpreterError(f"{where} was killed by {_signal_name(-code)}" + (f":\n{tail}" if tail else ""))
        if code != 0:
            raise InterpreterError(f"{where} failed (exit code {code})" + (f":\n{tail}" if tail else ""))
        size = out.seek(0, os.SEEK_END)
        if size > OUTPUT_LIMIT:
            raise InterpreterError(f"{where} printed {size} bytes, over the {OUTPUT_LIMIT}-byte limit")
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
        answers = [line for line in text.split("\n") if line.startswith(RESULT_MARK)]
        if not answers:
            raise InterpreterError(f"{where} exited (code 0) without printing its answer"
                                   + (f":\n{tail}" if tail else ""))
        try:
            return json.loads(answers[-1][len(RESULT_MARK):])
        except ValueError as exc:
            raise InterpreterError(f"{where} printed an answer that is not JSON ({exc})") from None

    def close(self) -> None:
        for child, out, err in self._children.values():
            if child.poll() is None:
                child.kill()
                child.wait()
            if not out.closed:
                out.close()
                err.close()


def _tail(stream: Any, lines: int = 5, limit: int = 4000) -> str:
    """The last ``lines`` lines of ``stream`` (a temporary file), at most ``limit`` characters."""
    size = stream.seek(0, os.SEEK_END)
    stream.seek(max(0, size - limit))
    text = stream.read().decode("utf-8", "replace")
    return "\n".join(text.strip().splitlines()[-lines:])


def run_in_fresh_interpreters(
    module_path: str | Path, snippet: str, *, hashseeds: tuple[int, ...] = (1, 2), timeout: float = 60
) -> dict[int, Any]:
    """Run ``snippet`` against ``module_path`` in one fresh interpreter per hash seed."""
    return FreshInterpreters(module_path, snippet, hashseeds=hashseeds).results(timeout)
