"""What learner code may read, write and execute while it is graded, and how a program that runs
learner code is started.

Every process that runs learner code (the worker, and every interpreter a suite starts on the
submission) gets the same confinement from :func:`learner_rules`: it may read the Python
standard library, the installed third-party packages, the kit's runtime (``harness/``) and the
submission's private copy; it may write only in its scratch folders. Never readable: the kit's
references, suites, stubs and release blobs, every installed pack's exercise folders, the grader's
workspace (grading specs, event files, staged hidden tests), the submission's original folder and
its classmates'. The rules are Landlock rules (:mod:`sysdesign.grade.landlock`); the system-call
filter, resource limits and the unprivileged user come from :mod:`sysdesign.grade.sandbox`.
"""

from __future__ import annotations

import itertools
import os
import pwd
import site
import stat
import sys
import sysconfig
import threading
from collections.abc import Iterable
from pathlib import Path

from sysdesign import KIT_ROOT
from sysdesign.grade import landlock
from sysdesign.grade.landlock import EXECUTE, READ, READ_DIR, READ_FILE, WRITE, Rules

#: Folders of the kit that learner code never reads (``harness/`` is the runtime it may read).
KIT_PRIVATE = ("solutions", "tests", "exercises", "plugins", ".references", "hidden", "docs", "examples")
#: System folders every Python program needs: shared libraries, the dynamic loader, time zones.
SYSTEM_READ = ("/usr/lib", "/usr/lib64", "/lib", "/lib64", "/usr/local/lib", "/usr/share/zoneinfo",
               "/etc/localtime", "/etc/ld.so.cache")
DEVICES = ("/dev/null", "/dev/zero", "/dev/urandom", "/dev/random")

#: Environment variables a program started on learner code keeps; everything else is dropped.
ENV_KEPT = ("PYTHONHASHSEED", "LANG", "LC_ALL")


def _within(path: Path, folder: Path) -> bool:
    """``path`` is ``folder`` or inside it (both absolute). Compared as text: ``folder in
    path.parents`` built and compared path objects, ~0.5 s of every exercise's grading."""
    inner, outer = str(path), str(folder)
    return inner == outer or inner.startswith(outer if outer.endswith(os.sep) else outer + os.sep)


def kit_secrets(exercises: Iterable = ()) -> list[Path]:
    """The kit's own folders learner code must never read, and every pack exercise's files."""
    secrets = [KIT_ROOT / name for name in KIT_PRIVATE]
    for exercise in exercises:
        for path in (exercise.reference, exercise.suite, exercise.variants, exercise.stub):
            if path is None:
                continue
            path = Path(path)
            secrets.append(path.parent if path.suffix == ".py" else path)
    return [p.resolve() for p in secrets]


def import_roots() -> list[Path]:
    """The folders this interpreter imports from (standard library and site-packages)."""
    paths = sysconfig.get_paths()
    roots = [paths.get(k) for k in ("stdlib", "platstdlib", "purelib", "platlib")]
    roots += site.getsitepackages() if hasattr(site, "getsitepackages") else []
    seen: list[Path] = []
    for root in roots:
        if root and Path(root).is_dir() and Path(root).resolve() not in seen:
            seen.append(Path(root).resolve())
    return seen


def _grant_tree(rules: Rules, root: Path, secrets: list[Path], rights: int) -> None:
    """Allow ``rights`` on ``root`` except on any secret inside it (whose siblings are allowed)."""
    if any(_within(root, s) for s in secrets):
        return
    inside = [s for s in secrets if _within(s, root)]
    if not inside:
        rules.allow(str(root), rights)
        return
    if root.is_dir():
        rules.allow(str(root), READ_DIR)  # names only: the files of a secret stay unreadable
        for child in root.iterdir():
            _grant_tree(rules, child.resolve() if not child.is_symlink() else child, secrets, rights)


def learner_rules(*, submission: Path, writable: Iterable[Path], secrets: Iterable[Path],
                  executables: Iterable[str] = ()) -> Rules:
    """The Landlock rules of a process that runs learner code (see the module docstring)."""
    roots = import_roots()
    # A folder that holds the interpreter itself cannot be kept secret; nothing outside the
    # granted folders is readable anyway.
    secrets = [s for s in (Path(p).resolve() for p in secrets) if not any(_within(r, s) for r in roots)]
    rules = Rules()
    for path in SYSTEM_READ:
        rules.allow(path, READ | EXECUTE)
    for path in DEVICES:
        rules.allow(path, READ_FILE | landlock.WRITE_FILE)
    for root in roots:
        _grant_tree(rules, root, secrets, READ)
    rules.allow(str((KIT_ROOT / "harness").resolve()), READ)
    for exe in (sys.executable, *executables):
        rules.allow(exe, READ_FILE | EXECUTE)
        rules.allow(os.path.realpath(exe), READ_FILE | EXECUTE)
    rules.allow(str(Path(sys.prefix) / "pyvenv.cfg"), READ_FILE)
    rules.allow(str(Path(submission).resolve()), READ)
    for folder in writable:
        rules.allow(str(Path(folder).resolve()), READ | WRITE)
    return rules


def learner_env(scratch: Path, env: dict[str, str] | None = None) -> dict[str, str]:
    """A minimal environment for a program that runs learner code: no grading spec, no tokens."""
    source = os.environ if env is None else env
    kept = {k: v for k, v in source.items() if k in ENV_KEPT}
    kept.update({"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(scratch), "TMPDIR": str(scratch),
                 "LANG": kept.get("LANG", "C.UTF-8"), "LC_ALL": kept.get("LC_ALL", "C.UTF-8"),
                 "PYTHONDONTWRITEBYTECODE": "1"})
    return kept


#: User ids the kit runs learner code under when the grader is root (ids with an account on the
#: machine are skipped). Each grading run takes the next one, so two submissions graded at once
#: never share a user.
SANDBOX_UIDS = range(61000, 62000)
_next_uid = itertools.cycle(SANDBOX_UIDS)
_uid_lock = threading.Lock()


def sandbox_uid() -> int | None:
    """The unprivileged user id for one grading run's learner processes; None when the grader
    is not root (learner code then runs as the grader's own, unprivileged, user)."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return None
    with _uid_lock:
        for _ in SANDBOX_UIDS:
            uid = next(_next_uid)
            try:
                pwd.getpwuid(uid)
            except KeyError:
                return uid
    return None


def runtime_paths() -> list[Path]:
    """What an unprivileged learner process must be able to read: the interpreter, the folders
    it imports from, and the kit's runtime."""
    paths = [Path(os.path.realpath(sys.executable)), *import_roots(), (KIT_ROOT / "harness").resolve()]
    cfg = Path(sys.prefix) / "pyvenv.cfg"
    return paths + ([cfg] if cfg.exists() else [])


def private_runtime_problem() -> str | None:
    """Why another user could not run this Python and the kit (a private folder on the way),
    or None."""
    for path in runtime_paths():
        for folder in [*reversed(path.parents), path]:
            try:
                mode = folder.stat().st_mode
            except OSError:
                break
            if stat.S_ISDIR(mode) and not mode & stat.S_IXOTH or folder == path and not mode & stat.S_IROTH:
                return f"{path} is not readable by other users (see the permissions of {folder})"
    return None


def landlock_available() -> bool:
    return sys.platform.startswith("linux") and landlock.abi() >= 1


def unavailable() -> str | None:
    """One line saying what grading cannot enforce on this machine, or None when it can."""
    if not sys.platform.startswith("linux"):
        return f"{sys.platform} has no Landlock or seccomp: learner code could read and change any file the grader can"
    if landlock.abi() < 1:
        return ("this kernel has no Landlock (Linux 5.13+): learner code could read the references, the suites, "
                "hidden tests and other submissions")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        problem = private_runtime_problem()
        if problem:
            return (f"learner code would run as root (capabilities dropped) because an unprivileged user cannot "
                    f"start this Python: {problem}; install the kit in a Python other users can read")
    return None
