"""No wall-clock sleeps and no real network in the harness or the tests.

Scans every Python file under ``harness/`` and ``tests/`` (syntax tree, not text), except the
known-wrong variants under ``tests/<slug>/variants/`` (learner-shaped implementations, which
sleep as learner code may: their suites run them under the virtual clock), and fails on:

- a call to ``time.sleep``, to ``sleep`` imported from ``time``, or to the harness's
  ``real_sleep``, unless the virtual clock is visibly in charge: the file uses the virtual clock
  (it is part of ``sysdesign.clock`` / ``sysdesign.cluster``, imports one of them, or has a function
  taking the ``clock``, ``cluster`` or ``run_cluster_seeds`` fixture), or the line carries a
  ``# virtual`` comment.
  Under the virtual clock ``time.sleep`` advances virtual time instead of blocking;
- an import of a module that opens real connections (``socket``, ``urllib.request``,
  ``http.client``, ``httpx``...), outside the few files whose job it is.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SCANNED = ("harness", "tests", "examples")
PRAGMA = "# virtual"
VIRTUAL_FIXTURES = {"clock", "cluster", "run_cluster_seeds"}
VIRTUAL_MODULES = ("sysdesign.clock", "sysdesign.cluster")

#: Files allowed to import network modules: the cluster's guard against real connections.
NETWORK_ALLOWED = {"harness/cluster/sockets.py", "tests/kit/cluster/test_real_network_guard.py"}
NETWORK_MODULES = ("socket", "socketserver", "ssl", "http.client", "http.server", "urllib.request",
                   "httpx", "aiohttp", "asyncio.streams")
REAL_SLEEPS = {"real_sleep"}


def python_files(root: Path = ROOT) -> list[Path]:
    files: list[Path] = []
    for top in SCANNED:
        files += sorted(p for p in (root / top).rglob("*.py") if not {"__pycache__", "variants"} & set(p.parts))
    return files


def _matches(name: str, modules: tuple[str, ...]) -> bool:
    return any(name == m or name.startswith(m + ".") for m in modules)


def _uses_virtual_clock(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if {a.arg for a in node.args.args + node.args.kwonlyargs} & VIRTUAL_FIXTURES:
                return True
        elif isinstance(node, ast.Import):
            if any(_matches(a.name, VIRTUAL_MODULES) for a in node.names):
                return True
        elif isinstance(node, ast.ImportFrom) and node.module and _matches(node.module, VIRTUAL_MODULES):
            return True
    return False


def problems_in(path: Path, root: Path = ROOT) -> list[str]:
    """What is wrong with one file (``path:line: why``), in line order."""
    rel = path.relative_to(root).as_posix()
    source = path.read_text(encoding="utf-8")
    try:
        tree = ast.parse(source, filename=rel)
    except SyntaxError:
        return []  # learner-shaped files may not parse; other checks report them
    lines = source.splitlines()
    sleep_names, time_names = set(REAL_SLEEPS), {"time"}
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "time":
                    time_names.add(alias.asname or "time")
                if _matches(alias.name, NETWORK_MODULES) and rel not in NETWORK_ALLOWED:
                    found.append((node.lineno, f"imports {alias.name} (real network)"))
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "time":
                sleep_names |= {a.asname or a.name for a in node.names if a.name == "sleep"}
            if _matches(node.module, NETWORK_MODULES) and rel not in NETWORK_ALLOWED:
                found.append((node.lineno, f"imports from {node.module} (real network)"))
    module = rel[:-3].replace("/", ".").removesuffix(".__init__")
    module = "sysdesign." + module.removeprefix("harness.") if module.startswith("harness.") else module
    virtual_file = _matches(module, VIRTUAL_MODULES) or _uses_virtual_clock(tree)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        real = isinstance(func, ast.Attribute) and func.attr in REAL_SLEEPS or (
            isinstance(func, ast.Name) and func.id in REAL_SLEEPS)
        sleep = real or (isinstance(func, ast.Attribute) and func.attr == "sleep" and isinstance(func.value, ast.Name)
                         and func.value.id in time_names) or (isinstance(func, ast.Name) and func.id in sleep_names)
        line = lines[node.lineno - 1] if node.lineno <= len(lines) else ""
        if sleep and (real or not virtual_file) and PRAGMA not in line:
            found.append((node.lineno, f"{line.strip()}  (a wall-clock sleep: only the virtual clock may wait)"))
    return [f"{rel}:{n}: {why}" for n, why in sorted(found)]


def test_no_wall_clock_sleep_and_no_real_network_in_harness_and_tests():
    files = python_files()
    assert any(p.as_posix().endswith("harness/clock.py") for p in files)
    problems = [problem for path in files for problem in problems_in(path)]
    assert problems == [], "\n".join(problems)


def test_the_scanner_catches_what_it_should(tmp_path):
    (tmp_path / "harness").mkdir()
    bad = tmp_path / "harness" / "bad.py"
    bad.write_text("import time\nimport socket\nfrom time import sleep as nap\nfrom urllib.request import urlopen\n"
                   "time.sleep(1)\nnap(2)\ntime.sleep(3)  # virtual\n")
    assert [f.split(":")[1] for f in problems_in(bad, tmp_path)] == ["2", "4", "5", "6"]
    fine = tmp_path / "harness" / "fine.py"
    fine.write_text("import time\n\ndef test_x(clock):\n    time.sleep(5)\n")
    assert problems_in(fine, tmp_path) == []
    really = tmp_path / "harness" / "really.py"
    really.write_text("from sysdesign import wallclock\n\ndef test_x(clock):\n    wallclock.real_sleep(1)\n")
    assert len(problems_in(really, tmp_path)) == 1
