"""The reference of an exercise with the work of later tasks taken out again: every function or
method whose stub raises ``NotImplementedError("task N: ...")`` with N above a given task gets
its stub body back. What a learner's module looks like after finishing tasks 1..N in order."""

from __future__ import annotations

import ast
import re
from pathlib import Path

_TASK = re.compile(r"^\s*task\s+(\d+)\b", re.IGNORECASE)


def _functions(tree: ast.Module) -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef]:
    """Qualified name -> definition, for module functions and methods of module classes."""
    out = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            out[node.name] = node
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    out[f"{node.name}.{item.name}"] = item
    return out


def stub_tasks(stub_source: str) -> dict[str, int]:
    """Qualified name -> task number, from each stub body's ``raise NotImplementedError("task N...")``."""
    out = {}
    for name, fn in _functions(ast.parse(stub_source)).items():
        for node in ast.walk(fn):
            if (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)
                    and getattr(node.exc.func, "id", None) == "NotImplementedError" and node.exc.args
                    and isinstance(node.exc.args[0], ast.Constant) and isinstance(node.exc.args[0].value, str)):
                match = _TASK.match(node.exc.args[0].value)
                if match:
                    out[name] = int(match.group(1))
                    break
    return out


def _span(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[int, int]:
    first = min([fn.lineno, *(d.lineno for d in fn.decorator_list)])
    return first, fn.end_lineno or fn.lineno


def reference_up_to(stub: Path, reference: Path, task: int) -> str:
    """The reference's source with every function of a task above ``task`` put back to its stub."""
    stub_source, ref_source = stub.read_text(encoding="utf-8"), reference.read_text(encoding="utf-8")
    tasks = stub_tasks(stub_source)
    stub_fns, ref_fns = _functions(ast.parse(stub_source)), _functions(ast.parse(ref_source))
    stub_lines, ref_lines = stub_source.splitlines(keepends=True), ref_source.splitlines(keepends=True)
    swaps = []
    for name, number in tasks.items():
        if number > task and name in ref_fns:
            start, end = _span(stub_fns[name])
            swaps.append((_span(ref_fns[name]), stub_lines[start - 1:end]))
    for (start, end), lines in sorted(swaps, reverse=True):
        ref_lines[start - 1:end] = lines
    return "".join(ref_lines)
