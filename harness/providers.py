"""Implementation providers: where the components a suite grades come from.

A provider turns an exercise into a loaded module: the learner's ``exercises/<slug>.py``, the
reference, or ``<slug>.py`` in any directory. Exactly one provider is active in a run. A module
that is missing, does not import or lacks a component raises :class:`ImplementationLoadError`
with one line naming the file (and line), and only that exercise is affected.
"""

from __future__ import annotations

import importlib.util
import itertools
import os
import sys
import time
import traceback
from pathlib import Path
from types import ModuleType
from typing import Protocol

from harness import KIT_ROOT
from harness.exercise import Exercise

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


def _late_bind_sleep(module: ModuleType) -> None:
    """``from time import sleep`` binds the real sleep at import; route it through the clock."""
    from harness.clock import late_bound_sleep
    from harness.wallclock import real_sleep

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
    safe = "".join(c if c.isalnum() else "_" for c in provider_name)
    name = f"sysdesign_impl_{safe}_{exercise.slug}_{next(_load_serial)}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImplementationLoadError(f"{display_path(path)}: not a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses and pickling look modules up by name
    try:
        spec.loader.exec_module(module)
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # SystemExit too: a module must not end the run
        sys.modules.pop(name, None)
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
        return self.directory / f"{exercise.slug}.py"
