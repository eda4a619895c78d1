"""Landlock (Linux 5.13+): what a process may read, write and execute, by folder.

A process restricts itself, and everything it later execs, to a ruleset: every file-system access
the ruleset handles is refused (``PermissionError``) unless a rule allows it beneath some folder or
on some file. Nothing here needs privileges; the kernel keeps the restriction for the process's
life. With ABI 6 (Linux 6.12) the process is also kept from signalling processes outside its
ruleset and from reaching abstract Unix sockets outside it.
"""

from __future__ import annotations

import ctypes
import os
import platform
import sys
from dataclasses import dataclass, field

_CREATE, _ADD_RULE, _RESTRICT = 444, 445, 446  # the same numbers on x86-64 and arm64
_MACHINES = ("x86_64", "aarch64")
_VERSION_FLAG = 1  # LANDLOCK_CREATE_RULESET_VERSION
_PR_SET_NO_NEW_PRIVS = 38

EXECUTE, WRITE_FILE, READ_FILE, READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
_REMOVE = (1 << 4) | (1 << 5)
_MAKE = sum(1 << b for b in range(6, 13))  # char, dir, reg, sock, fifo, block, sym
REFER, TRUNCATE, IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
#: Rights that make sense on a single file (a rule on a file may grant only these).
_FILE_RIGHTS = EXECUTE | WRITE_FILE | READ_FILE | TRUNCATE | IOCTL_DEV
_NET_ALL = 1 | 2  # bind and connect TCP (ABI 4)
_SCOPE_ALL = 1 | 2  # abstract Unix sockets and signals (ABI 6)

READ = READ_FILE | READ_DIR
WRITE = WRITE_FILE | _REMOVE | _MAKE | REFER | TRUNCATE


def abi() -> int:
    """The kernel's Landlock ABI version; 0 when Landlock is unavailable or disabled."""
    if not sys.platform.startswith("linux") or platform.machine() not in _MACHINES:
        return 0
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    version = libc.syscall(_CREATE, None, ctypes.c_size_t(0), ctypes.c_uint32(_VERSION_FLAG))
    return max(0, int(version))


def _handled(version: int) -> int:
    rights = EXECUTE | READ | WRITE_FILE | _REMOVE | _MAKE
    if version >= 2:
        rights |= REFER
    if version >= 3:
        rights |= TRUNCATE
    if version >= 5:
        rights |= IOCTL_DEV
    return rights


class _Attr(ctypes.Structure):
    _fields_ = [("fs", ctypes.c_uint64), ("net", ctypes.c_uint64), ("scoped", ctypes.c_uint64)]


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


@dataclass
class Rules:
    """What stays allowed: paths (folders or files) with the rights granted beneath each."""

    grants: dict[str, int] = field(default_factory=dict)

    def allow(self, path: str, rights: int) -> None:
        self.grants[path] = self.grants.get(path, 0) | rights

    def to_json(self) -> list:
        return [[path, rights] for path, rights in sorted(self.grants.items())]

    @classmethod
    def from_json(cls, data: list) -> Rules:
        rules = cls()
        for path, rights in data:
            rules.allow(str(path), int(rights))
        return rules


def restrict(rules: Rules) -> str | None:
    """Restrict this process (and what it execs) to ``rules``. Returns None on success, else one
    line saying why not. Paths that do not exist are skipped (a machine without ``/lib64``)."""
    version = abi()
    if version < 1:
        return "Landlock is not available on this kernel (Linux 5.13+ with Landlock enabled)"
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    handled = _handled(version)
    attr = _Attr(handled, _NET_ALL if version >= 4 else 0, _SCOPE_ALL if version >= 6 else 0)
    size = 8 if version < 4 else 16 if version < 6 else 24
    ruleset = libc.syscall(_CREATE, ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0))
    if ruleset < 0:
        return f"Landlock refused a ruleset: {os.strerror(ctypes.get_errno())}"
    try:
        for path, rights in rules.grants.items():
            try:
                fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            except OSError:
                continue
            try:
                allowed = rights & handled
                if not _is_dir(fd):
                    allowed &= _FILE_RIGHTS
                if not allowed:
                    continue
                rule = _PathBeneath(allowed, fd)
                if libc.syscall(_ADD_RULE, ctypes.c_int(ruleset), ctypes.c_int(1), ctypes.byref(rule),
                                ctypes.c_uint32(0)) != 0:
                    return f"Landlock refused a rule for {path}: {os.strerror(ctypes.get_errno())}"
            finally:
                os.close(fd)
        libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
        if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            return f"no_new_privs refused: {os.strerror(ctypes.get_errno())}"
        if libc.syscall(_RESTRICT, ctypes.c_int(ruleset), ctypes.c_uint32(0)) != 0:
            return f"Landlock could not restrict the process: {os.strerror(ctypes.get_errno())}"
        return None
    finally:
        os.close(ruleset)


def _is_dir(fd: int) -> bool:
    import stat

    return stat.S_ISDIR(os.fstat(fd).st_mode)
