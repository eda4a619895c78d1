"""Implementation providers: where the components a suite grades come from.

A provider turns an exercise into a loaded module: the learner's ``exercises/<slug>.py``, the
reference, or ``<slug>.py`` in any directory. Exactly one provider is active in a run. A module
that is missing, does not import or lacks a component raises :class:`ImplementationLoadError`
with one line naming the file (and line), and only that exercise is affected.

The code graded is the code submitted: a learner's module is compiled from its source text,
never from cached bytecode (a ``__pycache__/<slug>.cpython-311.pyc`` shipped beside the stub,
compiled from other code with unchecked-hash invalidation, would otherwise run instead of it).
Modules it imports from a learner folder are compiled from source too, and bytecode there is
never run (:class:`SourceOnlyFinder`). The same loading serves the grading worker and the fresh
interpreters a suite starts (:mod:`sysdesign.interpreters`).
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import itertools
import os
import sys
import time
import traceback
from pathlib import Path
from types import ModuleType
from typing import Protocol

from sysdesign import KIT_ROOT
from sysdesign.exercise import Exercise

_load_serial = itertools.count(1)


class ImplementationLoadError(Exception):
    """The module for an exercise cannot be used; ``str()`` is one line naming the file."""


class ImplementationProvider(Protocol):
    """Where a run's implementations come from."""

    name: str
    description: str

    def path_for(self, exercise: Exercise) -> Path:
        """The module file that implements ``exercise``."""

    def load(self, exercise: Exercise) -> ModuleType:
        """The loaded module for ``exercise`` (raises ImplementationLoadError)."""


def display_path(path: Path) -> str:
    """``path`` relative to the working directory or the kit when it lies below one of them."""
    path = Path(path)
    for base in (Path.cwd(), KIT_ROOT):
        try:
            return str(path.resolve().relative_to(base.resolve()))
        except ValueError:
            continue
    return str(path)


def _import_failure_line(path: Path, exc: BaseException) -> str:
    shown = display_path(path)
    if isinstance(exc, SyntaxError) and exc.filename and Path(exc.filename).resolve() == path.resolve():
        return f"{shown}:{exc.lineno}: {type(exc).__name__}: {exc.msg}"
    lineno = None
    for frame, line in traceback.walk_tb(exc.__traceback__):
        if Path(frame.f_code.co_filename).resolve() == path.resolve():
            lineno = line
    where = f"{shown}:{lineno}" if lineno else shown
    message = str(exc).splitlines()[0] if str(exc) else ""
    detail = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return f"{where}: {detail} while importing"


#: Where processes that run learner code look for cached bytecode: a location that cannot exist
#: (below a device file), so no ``__pycache__`` is ever read there, and nothing can be written.
NO_BYTECODE_PREFIX = os.path.join(os.devnull, "sysdesign-no-bytecode")
_SOURCE_SUFFIXES = tuple(importlib.machinery.SOURCE_SUFFIXES)
_COMPILED_SUFFIXES = (".pyc", ".pyo")


class SourceOnlyLoader(importlib.machinery.SourceFileLoader):
    """Loads a module from its source text (``compile(source, path, "exec")``), never from a
    cached ``.pyc``, and writes no bytecode."""

    def get_code(self, fullname: str):  # type: ignore[override]
        path = self.get_filename(fullname)
        return self.source_to_code(self.get_data(path), path)

    def set_data(self, path: str, data: bytes, *, _mode: int = 0o666) -> None:
        return None  # never write bytecode


class SourceOnlyFinder:
    """First on ``sys.meta_path`` in a process that runs learner code: a module the other
    finders locate inside a learner folder (``import helper`` of a sibling file once that folder
    is on ``sys.path``, ``from exercises import helper``) is compiled from its source by
    :class:`SourceOnlyLoader`; bytecode or a binary module there is refused with ImportError.
    Modules elsewhere (the standard library, the kit) load as usual."""

    def __init__(self) -> None:
        self.folders: list[str] = []

    def add(self, folder: str | os.PathLike) -> None:
        resolved = os.path.realpath(folder)
        if resolved not in self.folders:
            self.folders.append(resolved)

    def _inside(self, origin: str) -> bool:
        try:
            where = os.path.realpath(origin)
        except (OSError, ValueError):
            return False
        return any(where == f or where.startswith(f + os.sep) for f in self.folders)

    def find_spec(self, fullname: str, path=None, target=None):
        spec = None
        for finder in list(sys.meta_path):
            find = getattr(finder, "find_spec", None)
            if finder is self or isinstance(finder, SourceOnlyFinder) or find is None:
                continue
            spec = find(fullname, path, target)
            if spec is not None:
                break
        if spec is None or not spec.has_location or not isinstance(spec.origin, str) or not self._inside(spec.origin):
            return spec
        if spec.origin.endswith(_SOURCE_SUFFIXES):
            return importlib.util.spec_from_file_location(
                fullname, spec.origin, loader=SourceOnlyLoader(fullname, spec.origin),
                submodule_search_locations=spec.submodule_search_locations)
        raise ImportError(f"{display_path(Path(spec.origin))}: only Python source is run from a submission "
                          f"(compiled or binary modules are ignored); ship {fullname.rpartition('.')[2]}.py",
                          name=fullname)


def source_only_imports(folder: str | os.PathLike) -> SourceOnlyFinder:
    """Make sure modules found in ``folder`` are compiled from source (see
    :class:`SourceOnlyFinder`; installed once per process, first on ``sys.meta_path``)."""
    finder = next((f for f in sys.meta_path if isinstance(f, SourceOnlyFinder)), None)
    if finder is None:
        finder = SourceOnlyFinder()
        sys.meta_path.insert(0, finder)
    finder.add(folder)
    return finder


def no_bytecode_process() -> None:
    """For a process that runs learner code (the grading worker, a suite's fresh interpreters):
    write no bytecode, and look for cached bytecode only where none can exist, so no
    ``__pycache__`` beside any source file is consulted from now on."""
    sys.dont_write_bytecode = True
    sys.pycache_prefix = NO_BYTECODE_PREFIX


def load_source_module(path: str | os.PathLike, name: str) -> ModuleType:
    """``path`` compiled from its source text and run as a fresh module ``name`` (registered in
    ``sys.modules``, ``__file__`` set); its folder gets :func:`source_only_imports`. Exceptions
    from the module propagate (the module is then removed from ``sys.modules``)."""
    path = os.fspath(path)
    source_only_imports(os.path.dirname(os.path.abspath(path)))
    loader = SourceOnlyLoader(name, path)
    spec = importlib.util.spec_from_file_location(name, path, loader=loader)
    module = importlib.util.module_from_spec(spec)
    module.__cached__ = None  # type: ignore[attr-defined] - no bytecode is read or written
    sys.modules[name] = module  # dataclasses and pickling look modules up by name
    try:
        loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


def compiled_files(folder: Path, limit: int = 1000) -> list[Path]:
    """The compiled files in ``folder`` (``*.pyc``/``*.pyo``, and everything in a
    ``__pycache__``), not following links, at most ``limit``: what grading ignores."""
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        cached = Path(root).name == "__pycache__"
        found += [Path(root, f) for f in sorted(files) if cached or f.endswith(_COMPILED_SUFFIXES)]
        if len(found) >= limit:
            break
    return found[:limit]


def _late_bind_sleep(module: ModuleType) -> None:
    """``from time import sleep`` binds the real sleep at import; route it through the clock."""
    from sysdesign.clock import late_bound_sleep
    from sysdesign.wallclock import real_sleep

    for attr, value in list(vars(module).items()):
        if value is real_sleep or value is time.sleep:
            setattr(module, attr, late_bound_sleep)


def load_module_from(path: Path, exercise: Exercise, provider_name: str) -> ModuleType:
    """Import ``path`` as a fresh module and check it has the exercise's components."""
    path = Path(path)
    if not path.is_file():
        raise ImplementationLoadError(
            f"{display_path(path)}: file not found (the module for exercise '{exercise.slug}')"
        )
    if not path.name.endswith(_SOURCE_SUFFIXES):
        raise ImplementationLoadError(f"{display_path(path)}: not a Python source file")
    safe = "".join(c if c.isalnum() else "_" for c in provider_name)
    name = f"sysdesign_impl_{safe}_{exercise.slug}_{next(_load_serial)}"
    try:
        module = load_source_module(path, name)  # from the source text, never a cached .pyc
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # SystemExit too: a module must not end the run
        raise ImplementationLoadError(_import_failure_line(path, exc)) from None
    _late_bind_sleep(module)
    missing = [c for c in exercise.components if not hasattr(module, c)]
    if missing:
        sys.modules.pop(name, None)
        raise ImplementationLoadError(
            f"{display_path(path)}: missing {', '.join(missing)} "
            f"(exercise '{exercise.slug}' needs {', '.join(exercise.components)})"
        )
    return module


class _ReferencePackageFinder:
    """Serves the kit's ``solutions`` folder as the package ``solutions``. It is not an installed
    package (nothing else in the environment can import the references); the reference
    provider and ``--impl DIR`` (where the known-wrong variants, which import the reference
    they change, are graded) put this finder in place before they load a module."""

    @staticmethod
    def find_spec(fullname: str, path=None, target=None):
        if fullname != "solutions":
            return None
        folder = KIT_ROOT / "solutions"
        if not (folder / "__init__.py").is_file():
            return None
        return importlib.util.spec_from_file_location("solutions", folder / "__init__.py",
                                                      submodule_search_locations=[str(folder)])


def reference_package_is_importable() -> bool:
    """Whether :func:`reference_package_importable` was called in this process."""
    return _ReferencePackageFinder in sys.meta_path


def reference_package_importable() -> None:
    """Let the modules loaded from now on ``import solutions`` (see :class:`_ReferencePackageFinder`)."""
    if _ReferencePackageFinder not in sys.meta_path:
        sys.meta_path.append(_ReferencePackageFinder)


class _CachingProvider:
    """Loads each exercise's module once per provider; remembers load errors too."""

    name = "provider"
    description = ""

    def __init__(self) -> None:
        self._cache: dict[str, ModuleType | ImplementationLoadError] = {}

    def path_for(self, exercise: Exercise) -> Path:  # pragma: no cover - overridden
        raise NotImplementedError

    def load(self, exercise: Exercise) -> ModuleType:
        if exercise.slug not in self._cache:
            try:
                self._cache[exercise.slug] = load_module_from(self.path_for(exercise), exercise, self.name)
            except ImplementationLoadError as exc:
                self._cache[exercise.slug] = exc
        found = self._cache[exercise.slug]
        if isinstance(found, ImplementationLoadError):
            raise ImplementationLoadError(str(found))
        return found


class LearnerProvider(_CachingProvider):
    """The learner's own modules: ``exercises/<slug>.py`` in the workspace."""

    name = "learner"

    def __init__(self, workspace: Path | None = None) -> None:
        super().__init__()
        self.workspace = Path(workspace or KIT_ROOT / "exercises")
        self.description = f"your code in {display_path(self.workspace)}/"

    def path_for(self, exercise: Exercise) -> Path:
        return self.workspace / f"{exercise.slug}.py"


class ReferenceProvider(_CachingProvider):
    """The reference solutions shipped with each exercise (``--solutions``)."""

    name = "reference"
    description = "the reference solutions"

    def path_for(self, exercise: Exercise) -> Path:
        reference_package_importable()
        return exercise.reference


class PristineStubProvider(_CachingProvider):
    """The stubs exactly as shipped (the kit's own tests prove they are 'not started')."""

    name = "pristine"
    description = "the pristine stubs"

    def path_for(self, exercise: Exercise) -> Path:
        return exercise.stub


class DirectoryProvider(_CachingProvider):
    """``<slug>.py`` modules in any directory (``--impl DIR``): a submission, a variant."""

    def __init__(self, directory: Path) -> None:
        super().__init__()
        self.directory = Path(directory)
        self.name = f"dir:{os.fspath(self.directory)}"
        self.description = f"modules in {display_path(self.directory)}"

    def path_for(self, exercise: Exercise) -> Path:
        reference_package_importable()
        return self.directory / f"{exercise.slug}.py"
