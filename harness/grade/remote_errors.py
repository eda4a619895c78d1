"""Exceptions across the boundary: the stand-in base for learner exception classes
(:class:`RemoteError`), class descriptions and tracebacks as data, raising at the learner's line,
and the clipping of the texts they carry."""

from __future__ import annotations

import builtins
import traceback
from collections.abc import Callable
from typing import Any

from sysdesign.grade import MESSAGE_LIMIT


class RemoteError(Exception):
    """An exception raised by learner code whose class the deciding process does not import.

    Its class is a stand-in made in the deciding process with the learner class's name and its
    nearest built-in base (so ``pytest.raises(LookupError)`` still catches a learner's
    ``class UnknownAccount(LookupError)``); ``remote_type`` names the original class and
    ``remote_traceback`` holds the worker's traceback text.
    """

    remote_type = ""
    remote_traceback = ""


def _clip(text: str, limit: int = MESSAGE_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit // 2] + f"\n... ({len(text) - limit} characters cut) ...\n" + text[-limit // 2:]


def safe_str(value: Any) -> str:
    try:
        return _clip(str(value))
    except BaseException:  # noqa: BLE001 - a learner's __str__ may raise anything
        return f"<{type(value).__name__} whose str() raised>"


def _builtin_name(cls: type) -> str | None:
    if cls.__module__ == "builtins" and getattr(builtins, cls.__name__, None) is cls:
        return cls.__name__
    return None


def builtin_base(cls: type) -> str:
    """The name of the first class in ``cls``'s MRO that is a built-in exception."""
    for klass in getattr(cls, "__mro__", ()):
        name = _builtin_name(klass)
        if name is not None and issubclass(klass, BaseException):
            return name
    return "Exception"


def class_description(cls: type, depth: int = 0) -> dict:
    """``{"mod", "qual", "base", "parents"}`` of an exception class that is not built in."""
    parents = []
    if depth < 6:
        for base in cls.__bases__:
            if isinstance(base, type) and issubclass(base, BaseException) and _builtin_name(base) is None:
                parents.append(class_description(base, depth + 1))
    return {"mod": str(cls.__module__)[:200], "qual": str(cls.__qualname__)[:200], "base": builtin_base(cls),
            "parents": parents[:4]}


def format_traceback(exc: BaseException, keep: Callable[[str], bool] | None = None) -> str:
    """The traceback text of ``exc`` (frames whose file ``keep`` rejects are left out)."""
    try:
        frames = traceback.extract_tb(exc.__traceback__)
        if keep is not None:
            frames = traceback.StackSummary.from_list([f for f in frames if keep(f.filename)])
        lines = ["Traceback (most recent call last):\n", *frames.format(),
                 *traceback.format_exception_only(type(exc), exc)]
        return _clip("".join(lines))
    except BaseException:  # noqa: BLE001
        return f"{type(exc).__name__}: <traceback unavailable>"


def innermost(exc: BaseException, prefer: Callable[[str], bool]) -> list | None:
    """``[file, line, function]`` of the innermost frame ``prefer`` accepts (else the last)."""
    try:
        frames = traceback.extract_tb(exc.__traceback__)
    except BaseException:  # noqa: BLE001
        return None
    chosen = [f for f in frames if prefer(f.filename)] or list(frames)
    if not chosen:
        return None
    f = chosen[-1]
    return [str(f.filename)[:500], int(f.lineno or 1), str(f.name)[:100]]


def raise_at(exc: BaseException, where: Any) -> None:
    """Raise ``exc`` with a last traceback frame at ``where`` (``[file, line, function]``), so
    reports point at the learner's line; raise it plainly when ``where`` is unusable."""
    __tracebackhide__ = True
    try:
        filename, lineno, name = str(where[0]), int(where[1]), str(where[2])
        if not name.isidentifier():
            name = "learner_code"
        code = compile("raise __sysdesign_exc__", filename, "exec").replace(
            co_firstlineno=max(1, min(lineno, 10_000_000)), co_name=name)
    except Exception:  # noqa: BLE001
        raise exc from None
    exec(code, {"__sysdesign_exc__": exc, "__name__": "submission"})
