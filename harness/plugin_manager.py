"""Builds the kit's pluggy plugin manager: built-in plugins, then installed packs.

A pack is an installable package that names a plugin module in the ``sysdesign.packs``
entry-point group. A pack that fails to import, misspells a hook or returns bad metadata costs
one line in :attr:`Kit.problems`; the rest of the kit keeps working.
"""

from __future__ import annotations

import functools
import importlib
import importlib.metadata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pluggy

from sysdesign import hookspecs
from sysdesign.exercise import Exercise, ExerciseDefinitionError, validate
from sysdesign.providers import DirectoryProvider, ImplementationProvider

PACK_GROUP = "sysdesign.packs"

#: Modules registered before any pack: they use the same hooks a pack does.
BUILTIN_PLUGINS = (
    "sysdesign.plugins.exercises_core",
    "sysdesign.plugins.providers_builtin",
    "sysdesign.plugins.report_json",
    "sysdesign.plugins.report_gradescope",
    "sysdesign.plugins.report_exercism",
    "sysdesign.plugins.report_junit",
    "sysdesign.plugins.report_markdown",
    "sysdesign.plugins.report_html",
)


class ImplementationNotFound(LookupError):
    """``--impl`` names no directory and no registered implementation set."""


class UnknownExercise(LookupError):
    """A slug that names no exercise of the kit (the message lists the valid ones)."""


def one_line(exc: BaseException) -> str:
    """``exc`` as one line: its type and the first line of its message."""
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


@dataclass(frozen=True)
class HookAnswer:
    """What one plugin answered to a hook: ``value``, or the exception it raised (``error``)."""

    plugin: str
    value: Any = None
    error: BaseException | None = None


#: How a hook's raw answer is read, inside the plugin's own isolation (a generator of exercises
#: is drained once, and a non-iterable answer is that plugin's error).
_READ_ANSWER = {
    "sysdesign_exercises": lambda answer: list(answer or ()),
}

#: The hooks whose answers are recorded per plugin (see :meth:`Kit.hook_answers`).
RECORDED_HOOKS = ("sysdesign_exercises", "sysdesign_cluster_extensions")


def _ask_each(pm: pluggy.PluginManager, hook_name: str) -> list[HookAnswer]:
    """Call ``hook_name`` (a hook without arguments) on each plugin on its own, in the order the
    plugins were registered, so that one plugin that raises cannot hide the others' answers."""
    read = _READ_ANSWER.get(hook_name, lambda answer: answer)
    answers = []
    for impl in getattr(pm.hook, hook_name).get_hookimpls():
        try:
            answers.append(HookAnswer(impl.plugin_name, value=read(impl.function())))
        except Exception as exc:
            answers.append(HookAnswer(impl.plugin_name, error=exc))
    return answers


@dataclass
class Kit:
    """The plugin manager plus what it found: exercises in order, and problems."""

    pm: pluggy.PluginManager
    exercises: list[Exercise] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    _answers: dict[str, list[HookAnswer]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def hook_answers(self, hook_name: str) -> list[HookAnswer]:
        """Every plugin's answer to ``hook_name`` (one of :data:`RECORDED_HOOKS`), one
        :class:`HookAnswer` per plugin. The plugins are asked once per kit, by the first caller;
        later callers read the same record (a plugin registered after that is not asked)."""
        if hook_name not in RECORDED_HOOKS:
            raise ValueError(f"{hook_name} is not recorded per plugin (recorded: {', '.join(RECORDED_HOOKS)})")
        if hook_name not in self._answers:
            self._answers[hook_name] = _ask_each(self.pm, hook_name)
        return self._answers[hook_name]

    def select(self, slugs: list[str] | None) -> list[Exercise]:
        """The exercises ``slugs`` names, each once, in curriculum order (every exercise when
        none is named); :class:`UnknownExercise` for a slug the kit does not know."""
        if not slugs:
            return list(self.exercises)
        chosen: list[Exercise] = []
        for slug in slugs:
            exercise = self.exercise(slug)
            if exercise is None:
                raise UnknownExercise(f"unknown exercise '{slug}'; valid: {', '.join(self.slugs)}")
            if exercise not in chosen:
                chosen.append(exercise)
        return sorted(chosen, key=lambda e: (e.order, e.slug))

    @property
    def slugs(self) -> list[str]:
        return [e.slug for e in self.exercises]

    def exercise(self, slug: str) -> Exercise | None:
        return next((e for e in self.exercises if e.slug == slug), None)

    def exercise_for_path(self, path: Path) -> Exercise | None:
        """The exercise whose grading suite holds ``path``, if any."""
        return next((e for e in self.exercises if e.owns(path)), None)

    def resolve_impl(self, spec: str) -> ImplementationProvider:
        """``spec`` is a directory path or the name of a registered implementation set."""
        answers = [a for a in self.pm.hook.sysdesign_resolve_impl(name=spec) if a is not None]
        if len(answers) > 1:
            owners = ", ".join(type(a).__name__ for a in answers)
            raise ImplementationNotFound(f"--impl {spec}: {len(answers)} plugins answer ({owners}); expected one")
        if answers:
            return answers[0]
        path = Path(spec)
        if path.is_dir():
            return DirectoryProvider(path)
        if path.exists():
            raise ImplementationNotFound(f"--impl {spec}: not a directory (give the folder holding <slug>.py modules)")
        raise ImplementationNotFound(
            f"--impl {spec}: no such directory, and no plugin provides an implementation set of that name"
        )


def _register_builtin(pm: pluggy.PluginManager) -> None:
    for modname in BUILTIN_PLUGINS:
        pm.register(importlib.import_module(modname), name=modname)


def _register_packs(pm: pluggy.PluginManager, problems: list[str]) -> None:
    for ep in sorted(importlib.metadata.entry_points(group=PACK_GROUP), key=lambda e: e.name):
        if pm.has_plugin(ep.name) or pm.is_blocked(ep.name):
            continue
        try:
            plugin = ep.load()
            pm.register(plugin, name=ep.name)
        except Exception as exc:
            problems.append(f"pack '{ep.name}' ({ep.value}): {one_line(exc)}; pack skipped")


def _check_hooks(pm: pluggy.PluginManager, problems: list[str]) -> None:
    """Report (and unregister) plugins whose hook implementations match no hookspec."""
    for name, plugin in list(pm.list_name_plugin()):
        for hook_name in dir(plugin):
            if hook_name.startswith("sysdesign_") and not hasattr(hookspecs, hook_name):
                where = getattr(plugin, "__file__", repr(plugin))
                problems.append(f"pack '{name}' ({where}): unknown hook {hook_name}(); pack skipped")
                pm.unregister(plugin)
                break
    pm.check_pending()


def _collect_exercises(kit: Kit, problems: list[str]) -> list[Exercise]:
    found: dict[str, Exercise] = {}
    # One plugin at a time, so one pack's failure cannot hide another's exercises.
    for answer in kit.hook_answers("sysdesign_exercises"):
        exc = answer.error
        if exc is not None:
            reason = str(exc) if isinstance(exc, ExerciseDefinitionError) else one_line(exc)
            problems.append(f"pack '{answer.plugin}': {reason}; pack skipped")
            continue
        exercises = answer.value
        for exercise in exercises:
            if not isinstance(exercise, Exercise):
                problems.append(f"pack '{answer.plugin}': returned {type(exercise).__name__}, expected Exercise")
                continue
            bad = validate(exercise)
            if bad:
                problems.extend(bad)
                continue
            if exercise.slug in found:
                other = found[exercise.slug].pack
                problems.append(
                    f"pack '{exercise.pack}': exercise '{exercise.slug}' clashes with pack '{other}'; skipped"
                )
                continue
            found[exercise.slug] = exercise
    return sorted(found.values(), key=lambda e: (e.order, e.slug))


def build_kit(*, load_packs: bool = True, extra_plugins: tuple[object, ...] = ()) -> Kit:
    """A ready plugin manager with every exercise it could load, and the problems it met."""
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    problems: list[str] = []
    _register_builtin(pm)
    for plugin in extra_plugins:
        pm.register(plugin)
    if load_packs:
        _register_packs(pm, problems)
    _check_hooks(pm, problems)
    kit = Kit(pm=pm, problems=problems)
    kit.exercises = _collect_exercises(kit, problems)
    return kit


@functools.cache
def shared_kit() -> Kit:
    """The kit built once per process (the CLI and the pytest plugin in it share it)."""
    return build_kit()
