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


def run_in_fresh_interpreter(module_path: str | Path, snippet: str, *, hashseed: int, timeout: float = 60) -> Any:
    """Load ``module_path`` as ``m`` in a new interpreter with ``PYTHONHASHSEED=hashseed``, run
    ``snippet`` (which sets ``result``) and return ``result`` decoded from JSON."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONHASHSEED"] = str(hashseed)
    code = _LOADER.format(path=str(module_path), snippet=snippet)
    done = subprocess.run(
        [sys.executable, "-P", "-c", code], capture_output=True, text=True, env=env, timeout=timeout,
        cwd=Path(module_path).parent,
    )
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-5:])
        raise InterpreterError(f"a fresh interpreter could not run {Path(module_path).name}:\n{tail}")
    return json.loads(done.stdout.strip().splitlines()[-1])
