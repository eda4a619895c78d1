"""Run a snippet against an implementation module in a fresh Python interpreter.

Suites use it to prove what one process cannot: that two interpreters (with different
``PYTHONHASHSEED``, so different salts for ``hash()``) compute the same answers. The child
prints JSON; nothing but data comes back.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

_LOADER = """
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("subject", {path!r})
m = importlib.util.module_from_spec(spec)
sys.modules["subject"] = m
spec.loader.exec_module(m)
{snippet}
print("\\n" + json.dumps(result))
"""


class InterpreterError(RuntimeError):
    """The child interpreter failed; the message carries the end of its stderr."""


class FreshInterpreters:
    """Child interpreters, one per hash seed, started at once and running side by side.

    Each loads ``module_path`` as ``m``, runs ``snippet`` (which sets ``result``) and prints it as
    JSON. Start them early; :meth:`results` waits for them.
    """

    def __init__(self, module_path: str | Path, snippet: str, *, hashseeds: tuple[int, ...] = (1, 2)) -> None:
        self.module_path = Path(module_path).resolve()
        code = _LOADER.format(path=str(self.module_path), snippet=snippet)
        self._children: dict[int, subprocess.Popen] = {}
        for seed in hashseeds:
            env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
            env["PYTHONHASHSEED"] = str(seed)
            self._children[seed] = subprocess.Popen(
                [sys.executable, "-P", "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                text=True, env=env, cwd=self.module_path.parent,
            )
        self._results: dict[int, Any] | None = None

    def results(self, timeout: float = 60) -> dict[int, Any]:
        """``{seed: result}``; raises InterpreterError when a child failed."""
        if self._results is None:
            try:
                self._results = {seed: self._collect(child, timeout) for seed, child in self._children.items()}
            finally:
                self.close()
        return self._results

    def _collect(self, child: subprocess.Popen, timeout: float) -> Any:
        out, err = child.communicate(timeout=timeout)
        if child.returncode != 0:
            tail = "\n".join(err.strip().splitlines()[-5:])
            raise InterpreterError(f"a fresh interpreter could not run {self.module_path.name}:\n{tail}")
        return json.loads(out.strip().splitlines()[-1])

    def close(self) -> None:
        for child in self._children.values():
            if child.poll() is None:
                child.kill()
                child.wait()


def run_in_fresh_interpreters(
    module_path: str | Path, snippet: str, *, hashseeds: tuple[int, ...] = (1, 2), timeout: float = 60
) -> dict[int, Any]:
    """Run ``snippet`` against ``module_path`` in one fresh interpreter per hash seed."""
    return FreshInterpreters(module_path, snippet, hashseeds=hashseeds).results(timeout)
