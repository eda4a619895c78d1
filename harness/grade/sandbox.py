"""Limits of every process that runs learner code during grading.

Two layers, both applied by the process to itself before any learner code runs:

- **resource limits** (``setrlimit``): address space (``--memory``), CPU seconds, the size of any
  file written (so output cannot fill the disk), no core files, and ``RLIMIT_NPROC`` (which stops
  fork bombs for an ordinary user; the kernel ignores it for root, hence the second layer);
- **a system-call filter** (seccomp, x86-64 and arm64): no new processes or threads, no file
  opened for writing, created, renamed, removed or re-permissioned, no sockets, no signals to
  other processes, no tracing or reading other processes' memory, no raising of limits, no
  mounts, namespaces, modules, io_uring or terminal injection. A refused call fails with an
  ordinary ``OSError`` (``PermissionError``, ``BlockingIOError``...), so learner code sees an
  exception, never a crash of the grader. It holds for root too, and survives ``exec``.

Nothing here is needed by the learner's own loop (``pytest``, ``sysdesign check``). Off Linux
only the resource limits the platform supports apply.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import resource
import signal
import struct
import sys

from sysdesign.grade import landlock

_LINUX = sys.platform.startswith("linux")

# -- seccomp / BPF constants -------------------------------------------------------------------
_PR_SET_PDEATHSIG = 1
_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000
_RET_KILL_PROCESS = 0x80000000
_LD_W_ABS = 0x20  # BPF_LD | BPF_W | BPF_ABS
_JEQ_K = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
_JGE_K = 0x35  # BPF_JMP | BPF_JGE | BPF_K
_JSET_K = 0x45  # BPF_JMP | BPF_JSET | BPF_K
_RET_K = 0x06  # BPF_RET | BPF_K

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_TIOCSTI, _TIOCLINUX = 0x5412, 0x541C
#: ioctl requests that change a file's flags (immutable, append-only) or project attributes.
_FS_IOC_SET = (0x40086602, 0x40046602, 0x401C5820)

#: Per architecture: the audit arch value and the numbers of the system calls the filter judges.
#: Names absent from an architecture (arm64 has no ``open`` or ``fork``) are simply left out.
_ARCHES: dict[str, tuple[int, dict[str, int]]] = {
    "x86_64": (0xC000003E, {
        "fork": 57, "vfork": 58, "clone": 56, "clone3": 435, "execve": 59, "execveat": 322,
        "open": 2, "openat": 257, "openat2": 437, "creat": 85, "open_by_handle_at": 304,
        "name_to_handle_at": 303, "truncate": 76, "rename": 82, "renameat": 264, "renameat2": 316,
        "mkdir": 83, "mkdirat": 258, "rmdir": 84, "link": 86, "linkat": 265, "unlink": 87,
        "unlinkat": 263, "symlink": 88, "symlinkat": 266, "chmod": 90, "fchmodat": 268,
        "fchmodat2": 452, "fchmod": 91, "fchown": 93, "fsetxattr": 190, "fremovexattr": 199, "chown": 92,
        "lchown": 94, "fchownat": 260, "mknod": 133, "mknodat": 259,
        "utime": 132, "utimes": 235, "utimensat": 280, "futimesat": 261, "setxattr": 188,
        "lsetxattr": 189, "removexattr": 197, "lremovexattr": 198, "setxattrat": 463,
        "removexattrat": 466, "kill": 62, "tkill": 200, "tgkill": 234, "rt_sigqueueinfo": 129,
        "rt_tgsigqueueinfo": 297, "pidfd_send_signal": 424, "pidfd_open": 434, "pidfd_getfd": 438,
        "ptrace": 101, "process_vm_readv": 310, "process_vm_writev": 311, "kcmp": 312,
        "process_madvise": 440, "socket": 41, "setrlimit": 160, "prlimit64": 302, "mount": 165,
        "umount2": 166, "pivot_root": 155, "chroot": 161, "unshare": 272, "setns": 308,
        "swapon": 167, "swapoff": 168, "reboot": 169, "sethostname": 170, "setdomainname": 171,
        "iopl": 172, "ioperm": 173, "init_module": 175, "delete_module": 176, "finit_module": 313,
        "kexec_load": 246, "kexec_file_load": 320, "quotactl": 179, "acct": 163,
        "settimeofday": 164, "clock_settime": 227, "adjtimex": 159, "clock_adjtime": 305,
        "syslog": 103, "bpf": 321, "perf_event_open": 298, "userfaultfd": 323, "keyctl": 250,
        "add_key": 248, "request_key": 249, "io_uring_setup": 425, "io_uring_enter": 426,
        "io_uring_register": 427, "fanotify_init": 300, "vhangup": 153, "mount_setattr": 442,
        "move_mount": 429, "open_tree": 428, "fsopen": 430, "fsconfig": 431, "fsmount": 432,
        "fspick": 433, "ioctl": 16, "personality": 135,
    }),
    "aarch64": (0xC00000B7, {
        "clone": 220, "clone3": 435, "execve": 221, "execveat": 281, "openat": 56, "openat2": 437,
        "open_by_handle_at": 265, "name_to_handle_at": 264, "truncate": 45, "renameat": 38,
        "renameat2": 276, "mkdirat": 34, "linkat": 37, "unlinkat": 35, "symlinkat": 36,
        "fchmodat": 53, "fchmodat2": 452, "fchownat": 54, "fchmod": 52, "fchown": 55, "fsetxattr": 7,
        "fremovexattr": 16, "mknodat": 33, "utimensat": 88,
        "setxattr": 5, "lsetxattr": 6, "removexattr": 14, "lremovexattr": 15, "setxattrat": 463,
        "removexattrat": 466, "kill": 129, "tkill": 130, "tgkill": 131, "rt_sigqueueinfo": 138,
        "rt_tgsigqueueinfo": 240, "pidfd_send_signal": 424, "pidfd_open": 434, "pidfd_getfd": 438,
        "ptrace": 117, "process_vm_readv": 270, "process_vm_writev": 271, "kcmp": 272,
        "process_madvise": 440, "socket": 198, "setrlimit": 164, "prlimit64": 261, "mount": 40,
        "umount2": 39, "pivot_root": 41, "chroot": 51, "unshare": 97, "setns": 268, "swapon": 224,
        "swapoff": 225, "reboot": 142, "sethostname": 161, "setdomainname": 162, "init_module": 105,
        "delete_module": 106, "finit_module": 273, "kexec_load": 104, "kexec_file_load": 294,
        "quotactl": 60, "acct": 89, "settimeofday": 170, "clock_settime": 112, "adjtimex": 171,
        "clock_adjtime": 266, "syslog": 116, "bpf": 280, "perf_event_open": 241, "userfaultfd": 282,
        "keyctl": 219, "add_key": 217, "request_key": 218, "io_uring_setup": 425,
        "io_uring_enter": 426, "io_uring_register": 427, "fanotify_init": 262, "vhangup": 58,
        "mount_setattr": 442, "move_mount": 429, "open_tree": 428, "fsopen": 430, "fsconfig": 431,
        "fsmount": 432, "fspick": 433, "ioctl": 29, "personality": 92,
    }),
}

#: File-system calls refused by the filter unless Landlock confines writes to allowed folders.
#: Changes of a file's owner, mode or extended attributes are refused always, also through a
#: descriptor opened for reading (Landlock does not judge them).
_FS_WRITES = frozenset({
    "creat", "truncate", "rename", "renameat", "renameat2", "mkdir", "mkdirat", "rmdir", "link", "linkat",
    "unlink", "unlinkat", "symlink", "symlinkat", "mknod", "mknodat", "utime", "utimes", "utimensat", "futimesat",
})

#: Refused outright, with the errno learner code sees.
_REFUSE = {
    **dict.fromkeys(("fork", "vfork", "clone"), errno.EAGAIN),
    **dict.fromkeys(("clone3", "openat2"), errno.ENOSYS),  # the C library falls back to clone/openat
    **dict.fromkeys((
        "creat", "open_by_handle_at", "name_to_handle_at", "truncate", "rename", "renameat",
        "renameat2", "mkdir", "mkdirat", "rmdir", "link", "linkat", "unlink", "unlinkat", "symlink",
        "symlinkat", "chmod", "fchmodat", "fchmodat2", "fchmod", "chown", "lchown", "fchownat", "fchown",
        "mknod", "mknodat", "utime", "utimes", "utimensat", "futimesat", "setxattr", "lsetxattr", "fsetxattr",
        "removexattr", "lremovexattr", "fremovexattr", "setxattrat", "removexattrat", "socket",
    ), errno.EACCES),
    **dict.fromkeys((
        "tkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo", "pidfd_send_signal", "pidfd_open",
        "pidfd_getfd", "ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "process_madvise",
        "setrlimit", "mount", "umount2", "pivot_root", "chroot", "unshare", "setns", "swapon",
        "swapoff", "reboot", "sethostname", "setdomainname", "iopl", "ioperm", "init_module",
        "delete_module", "finit_module", "kexec_load", "kexec_file_load", "quotactl", "acct",
        "settimeofday", "clock_settime", "adjtimex", "clock_adjtime", "syslog", "bpf",
        "perf_event_open", "userfaultfd", "keyctl", "add_key", "request_key", "io_uring_setup",
        "io_uring_enter", "io_uring_register", "fanotify_init", "vhangup", "mount_setattr",
        "move_mount", "open_tree", "fsopen", "fsconfig", "fsmount", "fspick", "personality",
    ), errno.EPERM),
}


def _insn(code: int, k: int = 0, jt: int = 0, jf: int = 0) -> bytes:
    return struct.pack("HBBI", code, jt, jf, k & 0xFFFFFFFF)


def _arg_low(i: int) -> int:
    """Offset of the low 32 bits of system-call argument ``i`` in ``struct seccomp_data``."""
    return 16 + 8 * i + (0 if struct.pack("=I", 1)[0] == 1 else 4)


def _arg_high(i: int) -> int:
    return 16 + 8 * i + (4 if struct.pack("=I", 1)[0] == 1 else 0)


def _errno(code: int) -> int:
    return _RET_ERRNO | code


def build_filter(*, allow_exec: bool, own_pid: int, machine: str | None = None,
                 allow_fs_writes: bool = False) -> bytes | None:
    """The BPF program (bytes of ``struct sock_filter``), or None on an unknown architecture.
    ``allow_fs_writes``: leave file writes to Landlock (which confines them to some folders)."""
    arch = _ARCHES.get(machine or platform.machine())
    if arch is None:
        return None
    audit_arch, nr = arch
    prog = [_insn(_LD_W_ABS, 4), _insn(_JEQ_K, audit_arch, jt=1), _insn(_RET_K, _RET_KILL_PROCESS),
            _insn(_LD_W_ABS, 0)]
    if audit_arch == 0xC000003E:  # x32 system calls are the same calls with bit 30 set: refuse them
        prog += [_insn(_JGE_K, 0x40000000, jf=1), _insn(_RET_K, _errno(errno.ENOSYS))]

    def refuse(name: str, code: int) -> None:
        if name in nr:
            prog.extend([_insn(_JEQ_K, nr[name], jf=1), _insn(_RET_K, _errno(code))])

    def block(name: str, body: list[bytes]) -> None:
        """Jump into ``body`` (which must end in a return) when the call is ``name``."""
        if name in nr:
            prog.append(_insn(_JEQ_K, nr[name], jf=len(body)))
            prog.extend(body)

    for name, code in _REFUSE.items():
        if not (allow_fs_writes and name in _FS_WRITES):
            refuse(name, code)
    if not allow_exec:
        refuse("execve", errno.EACCES)
        refuse("execveat", errno.EACCES)
    deny_write = [_insn(_JSET_K, _WRITE_FLAGS, jf=1), _insn(_RET_K, _errno(errno.EACCES)), _insn(_RET_K, _RET_ALLOW)]
    if not allow_fs_writes:
        block("open", [_insn(_LD_W_ABS, _arg_low(1)), *deny_write])
        block("openat", [_insn(_LD_W_ABS, _arg_low(2)), *deny_write])
    # signals: only to itself (kill(0, ...) reaches its own process group, which holds nothing else)
    block("kill", [_insn(_LD_W_ABS, _arg_low(0)), _insn(_JEQ_K, own_pid, jt=2), _insn(_JEQ_K, 0, jt=1),
                   _insn(_RET_K, _errno(errno.EPERM)), _insn(_RET_K, _RET_ALLOW)])
    block("tgkill", [_insn(_LD_W_ABS, _arg_low(0)), _insn(_JEQ_K, own_pid, jt=1),
                     _insn(_RET_K, _errno(errno.EPERM)), _insn(_RET_K, _RET_ALLOW)])
    # prlimit64(pid, resource, new, old): reading is fine, setting is not
    block("prlimit64", [_insn(_LD_W_ABS, _arg_low(2)), _insn(_JEQ_K, 0, jf=2), _insn(_LD_W_ABS, _arg_high(2)),
                        _insn(_JEQ_K, 0, jt=1), _insn(_RET_K, _errno(errno.EPERM)), _insn(_RET_K, _RET_ALLOW)])
    refused = (_TIOCSTI, _TIOCLINUX, *_FS_IOC_SET)
    block("ioctl", [_insn(_LD_W_ABS, _arg_low(1)),
                    *[_insn(_JEQ_K, code, jt=len(refused) - i) for i, code in enumerate(refused)],
                    _insn(_RET_K, _RET_ALLOW), _insn(_RET_K, _errno(errno.EPERM))])
    prog.append(_insn(_RET_K, _RET_ALLOW))
    return b"".join(prog)


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def install_filter(*, allow_exec: bool, allow_fs_writes: bool = False) -> str:
    """Install the system-call filter on this process (and everything it execs). Returns a
    one-line description of what is now in force."""
    if not _LINUX:
        return f"no system-call filter on {sys.platform} (only resource limits apply)"
    program = build_filter(allow_exec=allow_exec, own_pid=os.getpid(), allow_fs_writes=allow_fs_writes)
    if program is None:
        return f"no system-call filter on {platform.machine()} (only resource limits apply)"
    libc = _libc()
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return f"no system-call filter (no_new_privs refused: {os.strerror(ctypes.get_errno())})"
    buf = ctypes.create_string_buffer(program, len(program))
    prog = _SockFprog(len(program) // 8, ctypes.cast(buf, ctypes.c_void_p))
    if libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.addressof(prog), 0, 0) != 0:
        return f"no system-call filter (seccomp refused: {os.strerror(ctypes.get_errno())})"
    return "system-call filter in force"


def set_parent_death_signal() -> None:
    """Ask the kernel to kill this process when its parent dies (no orphaned workers)."""
    if not _LINUX:
        return
    try:
        _libc().prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass


def address_space_bytes() -> int:
    """This process's current virtual memory size."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):  # pragma: no cover - not Linux
        return 0


def apply_limits(*, memory_bytes: int | None, cpu_seconds: float | None,
                 file_size: int, extra_memory: bool = True, processes: bool = True) -> None:
    """Resource limits for this process. ``memory_bytes`` is added to the current address space
    when ``extra_memory`` (a worker that has already imported what it needs), else absolute."""

    def limit(kind: int, value: int) -> None:
        try:
            soft, hard = resource.getrlimit(kind)
            value = value if hard == resource.RLIM_INFINITY else min(value, hard)
            resource.setrlimit(kind, (value, value))
        except (ValueError, OSError):
            pass

    if memory_bytes:
        limit(resource.RLIMIT_AS, memory_bytes + (address_space_bytes() if extra_memory else 0))
    if cpu_seconds:
        soft = max(1, int(cpu_seconds) + 2)
        try:
            _, hard = resource.getrlimit(resource.RLIMIT_CPU)
            resource.setrlimit(resource.RLIMIT_CPU, (soft, soft + 2 if hard == resource.RLIM_INFINITY else min(soft + 2, hard)))
        except (ValueError, OSError):
            pass
    limit(resource.RLIMIT_FSIZE, file_size)
    limit(resource.RLIMIT_CORE, 0)
    # Counts every process of the user: 1 means "no new process" (root is exempt; the filter is not).
    if processes:
        limit(resource.RLIMIT_NPROC, 1)


def child_preexec(memory_mb: int, cpu_seconds: float, file_size: int, rules_json: list | None,
                  uid: int | None = None):
    """A ``preexec_fn`` for every program started on learner code (the worker, and a fresh
    interpreter a suite starts on the submission): its own session, limits, Landlock rules, the
    unprivileged user ``uid`` (when the grader is root), no capabilities and the system-call
    filter, with ``exec`` allowed so the program can start. A child that cannot be confined exits
    (status 126) before running anything."""

    def preexec() -> None:
        os.setsid()
        apply_limits(memory_bytes=(256 + memory_mb) * 1024 * 1024, cpu_seconds=cpu_seconds,
                     file_size=file_size, extra_memory=False, processes=False)
        if uid is not None:
            set_parent_death_signal()
            enter_pid_namespace()
        confined = False
        if rules_json is not None:
            if landlock.restrict(landlock.Rules.from_json(rules_json)) is not None:
                os._exit(126)
            confined = True
        if uid is not None:
            try:
                os.setgroups([])
                os.setgid(uid)
                os.setuid(uid)
            except OSError:
                os._exit(126)
        drop_capabilities()
        set_parent_death_signal()  # after the change of user, which clears it
        apply_limits(memory_bytes=None, cpu_seconds=None, file_size=file_size)
        install_filter(allow_exec=True, allow_fs_writes=confined)

    return preexec


_CLONE_NEWPID = 0x20000000


def enter_pid_namespace() -> bool:
    """Run the rest of this (just forked, single-threaded) process as process 1 of a new PID
    namespace: it sees no other process and no other process id. This process stays behind as
    a small waiter that ends with its child's status (a signal is passed on as itself). False
    when the kernel refuses (the program then runs without one)."""
    if not _LINUX:
        return False
    libc = _libc()
    if libc.unshare(ctypes.c_int(_CLONE_NEWPID)) != 0:
        return False
    child = os.fork()
    if child == 0:
        return True
    os.closerange(3, 65536)  # the pipes to the program stay with the program alone
    while True:
        try:
            _, status = os.waitpid(child, 0)
            break
        except InterruptedError:
            continue
    if os.WIFSIGNALED(status):
        signal.signal(os.WTERMSIG(status), signal.SIG_DFL)
        os.kill(os.getpid(), os.WTERMSIG(status))
    os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1)


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def drop_capabilities() -> bool:
    """Give up every capability (root keeps its uid but loses its powers: no tracing, no reading
    other processes' memory or environment, no bypassing file permissions). True on success."""
    if not _LINUX or os.geteuid() != 0:
        return _LINUX
    try:
        header = _CapHeader(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3
        data = (_CapData * 2)()
        return _libc().capset(ctypes.byref(header), data) == 0
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        return False


def make_undumpable() -> None:
    """Make this process's memory, environment and file descriptors unreadable through /proc
    to processes without privileges (the worker, once it has dropped its capabilities)."""
    if not _LINUX:
        return
    try:
        _libc().prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass
