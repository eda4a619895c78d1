"""What learner code may receive from the deciding process, and do with the suite's objects.

With the objects the suite hands it (a fake database, a callback, a ``sqlite3`` connection, a
cluster node), learner code may read public attributes and call public methods; use ``len``,
``in``, iteration, indexing and ``with``. It may not read private attributes (``_x``) or
frame/traceback/generator internals, set attributes (except the few a class lists in
``sysdesign_remote_settable``, and ``sqlite3``'s ``row_factory``, ``text_factory`` and
``isolation_level``), load ``sqlite3`` extensions, attach databases or replace a connection's
callbacks, nor receive modules, files, processes, sockets or the test runner's own objects.
:class:`~sysdesign.grade.deciding_channel.DecidingChannel` applies these rules.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from typing import Any

_DENIED_MODULES = frozenset("""
os posix nt sys subprocess shutil importlib ctypes _ctypes pickle _pickle marshal io _io socket _socket
signal runpy code codeop pdb bdb multiprocessing _multiprocessing pty fcntl resource mmap gc inspect
site sysconfig tempfile pathlib zipimport pkgutil threading _thread concurrent asyncio selectors
select _pytest pytest pluggy py freezegun responses urllib3 http urllib ftplib smtplib
webbrowser logging atexit zipfile tarfile ensurepip venv plugins tracemalloc faulthandler
""".split())
_DENIED_PREFIXES = ("sysdesign.grade", "sysdesign.plugin_manager", "sysdesign.clock", "sysdesign.places",
                    "sysdesign.files", "sysdesign.learner.last_results", "sysdesign.learner.hint_levels",
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
