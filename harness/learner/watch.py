"""``sysdesign watch``: re-run the current exercise whenever its module is saved.

The loop is driven by three things it is given, so tests drive it without waiting: a change
source (``changed()``, see :mod:`sysdesign.learner.sources`), a key source (``read(timeout)``,
which is also where the loop waits) and a clock (``clock() -> seconds``, for the debounce).
``run(events=..., keys=..., clock=..., runner=..., max_cycles=...)`` runs it with fakes; the
command builds the real ones.

Each cycle: wait up to ``tick`` seconds for a key and act on it; note a change of the file;
once the file has been quiet for ``debounce`` seconds, re-run the suite if its content differs
from the content last graded. Keys: n next exercise, h hint (one level more each press),
l list, a check all, r reset (asks y to confirm), Enter re-run, q quit, ? help.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from typing import Protocol, TextIO

from sysdesign import files, places
from sysdesign.learner import hint_levels, last_results
from sysdesign.exercise import Exercise
from sysdesign.learner import core, hints, render
from sysdesign.providers import display_path
from sysdesign.term import CLEAR_SCREEN, progress_bar, style

QUIT = "quit"
KEYS_HELP = "n next, h hint, l list, a check all, r reset, Enter re-run, q quit"


class ChangeSource(Protocol):
    description: str

    def watch(self, path) -> None: ...
    def changed(self) -> bool: ...
    def close(self) -> None: ...


class KeySource(Protocol):
    interactive: bool

    def read(self, timeout: float) -> str | None: ...


class Watch:
    """One watch session over the curriculum, starting at ``exercise``."""

    def __init__(
        self,
        kit,
        exercise: Exercise,
        *,
        events: ChangeSource,
        keys: KeySource,
        out: TextIO,
        clock: Callable[[], float] = time.monotonic,
        runner: core.Runner | None = None,
        screen: bool = False,
        debounce: float = 0.15,
        tick: float = 0.1,
    ) -> None:
        self.kit, self.exercise = kit, exercise
        self.events, self.keys, self.out, self.clock = events, keys, out, clock
        self.runner, self.screen = runner, screen
        self.debounce, self.tick = debounce, tick
        self.runs = 0
        self.last: core.LearnerRun | None = None
        self.last_digest: str | None = None
        self._pending: float | None = None
        self._confirm: str | None = None
        self._notes: list[str] = []

    @property
    def exercises(self) -> Sequence[Exercise]:
        return self.kit.exercises

    # -- output ----------------------------------------------------------------------------------
    def say(self, *lines: str) -> None:
        for line in lines:
            self.out.write(line + "\n")
        self.out.flush()

    def _bar(self) -> str:
        finished = core.finished_slugs(self.exercises)
        return f"Done {progress_bar(len(finished), len(self.exercises), stream=self.out)}"

    def _header(self) -> str:
        number = list(self.exercises).index(self.exercise) + 1
        title = f"sysdesign watch: {self.exercise.slug} (exercise {number} of {len(self.exercises)})"
        return style(f"== {title}, run {self.runs} ==", "bold", self.out)

    def _footer(self) -> list[str]:
        where = f"Watching {core.shown_path(self.exercise)} ({self.events.description})."
        if self.keys.interactive:
            return [where + "  Keys: " + KEYS_HELP]
        return [where + "  Type a letter and Enter: " + KEYS_HELP.replace("Enter re-run", "empty line re-runs")]

    # -- running ---------------------------------------------------------------------------------
    def rerun(self, *, only_if_changed: bool = False) -> None:
        path = core.learner_path(self.exercise)
        digest = files.file_digest(path)
        if only_if_changed and digest == self.last_digest and self.last_digest is not None:
            return
        self.runs += 1
        self.last_digest = digest
        if self.screen:
            self.out.write(CLEAR_SCREEN)
        self.say(self._header())
        if core.is_missing(self.exercise):
            self.last = None
            self.say(*(f"  {line}" for line in core.missing_lines(self.exercise)))
            self.say("  Or press r here to restore it; the watch goes on when the file is back.")
        else:
            self._run_and_show()
        self.say("", self._bar(), *self._footer())
        if self._notes:
            self.say(*self._notes)
            self._notes.clear()

    def _run_and_show(self) -> None:
        if self.screen:  # a line that says what is going on while the suite runs, erased after
            self.out.write(style(f"  running the {self.exercise.slug} suite... (Ctrl-C stops a run that hangs)", "dim", self.out))
            self.out.flush()
        try:
            done = core.run_learner(self.exercise, self.exercises, self.runner)
        except Exception as exc:  # a broken suite or plugin must not end the watch
            self.last, self.last_digest = None, None
            self._erase_status()
            self.say(f"  sysdesign: the {self.exercise.slug} suite could not run: {type(exc).__name__}: {exc}")
            return
        self._erase_status()
        self.last = done
        if done.interrupted:
            # The content stays "graded": file events that arrive for it (an editor's late write, a
            # read) must not start the same hanging run again. A save that changes it re-runs.
            self.say(*render.interrupted_lines(self.exercise, done.outcome)[1:])
            self.say("  If your code hung, look for a loop that never ends (a test that runs too long is stopped",
                     "  as timed out by itself). Save a change, or press Enter to re-run.")
            return
        slug = self.exercise.slug
        self.say(*render.result_lines(
            self.exercise, done.outcome, description="your code", module=core.learner_path(self.exercise),
            hint_level=lambda n: hint_levels.hint_level(slug, n), hint_more="press h",
            full_output=f"pytest {display_path(self.exercise.suite)}", stream=self.out,
        ))
        if done.status == "passing":
            self.say("")
            if done.recorded:
                self.say(f"Recorded in PROGRESS.md: {', '.join(done.recorded)}.")
            nxt = core.next_exercise(self.exercises, self.exercise, core.finished_slugs(self.exercises))
            if nxt is not None:
                self.say(style(f"{slug} passes every test.", "green", self.out)
                         + f" Press n for the next exercise: {nxt.slug} ({nxt.title}).")
            else:
                self.say(style("Every exercise is done. Well done!", "green", self.out) + " Press q to quit.")

    def _erase_status(self) -> None:
        if self.screen:
            self.out.write("\r\033[K")

    def switch(self, exercise: Exercise) -> None:
        self.exercise = exercise
        self.events.watch(core.learner_path(exercise))
        self._pending = None
        self.last, self.last_digest = None, None
        self.rerun()

    # -- keys ------------------------------------------------------------------------------------
    def on_key(self, key: str) -> str | None:
        if self._confirm is not None:
            action, self._confirm = self._confirm, None
            if key.lower() == "y" and action == "reset":
                self._reset()
            else:
                self.say("Reset cancelled; nothing changed.")
            return None
        key = "\n" if key == "\r" else key
        if key in ("q", "Q", "\x04"):
            return QUIT
        if key == "\n":
            self.rerun()
        elif key == "n":
            nxt = core.next_exercise(self.exercises, self.exercise, core.finished_slugs(self.exercises))
            if nxt is None:
                self.say("No other exercise is left unfinished." if self.last is None or self.last.status != "passing"
                         else "Every exercise is done. Press q to quit.")
            else:
                self.switch(nxt)
        elif key == "h":
            self._hint()
        elif key == "l":
            from sysdesign.commands.cmd_list import list_lines

            self.say("", *list_lines(self.kit, stream=self.out, current=self.exercise))
        elif key == "a":
            self._check_all()
        elif key == "r":
            self._confirm = "reset"
            self.say(f"Reset {core.shown_path(self.exercise)} to the pristine stub? Your version is kept in "
                     f"{display_path(places.backups_dir())}/. Press y to confirm, any other key to cancel.")
        elif key in ("?", "H"):
            self.say("Keys: " + KEYS_HELP)
        else:
            self.say(f"Unknown key {key!r}. Keys: {KEYS_HELP}")
        return None

    def _hint(self) -> None:
        entry = last_results.load_last_results().get(self.exercise.slug)
        if self.last is not None and self.last.status == "passing":
            self.say(f"{self.exercise.slug} passes: no hint needed. Press n for the next exercise.")
            return
        if entry and entry.get("error"):
            self.say("Your module does not import yet; fix that first:", f"  {entry['error']}")
            return
        found = hints.target(self.exercise, entry)
        if found is None:
            self.say("No hint for this exercise.")
            return
        task, test = found
        shown = hints.hint(self.exercise, task, more=True, test=test)
        self.say("", *shown.lines("press h again"))

    def _check_all(self) -> None:
        self.say("", "Checking every exercise on your code:")
        width = max(len(e.slug) for e in self.exercises)
        for exercise in self.exercises:
            if core.is_missing(exercise):
                self.say(f"  {exercise.slug:<{width}}  file missing (sysdesign reset {exercise.slug} restores it)")
                continue
            try:
                done = core.run_learner(exercise, self.exercises, self.runner)
            except Exception as exc:
                self.say(f"  {exercise.slug:<{width}}  could not run: {type(exc).__name__}: {exc}")
                continue
            result = done.result
            points = f"{render.fmt_points(result.points)}/{render.fmt_points(result.max_points)}" if result else "-"
            self.say(f"  {exercise.slug:<{width}}  {done.status:<12} {points:>9}")
        self.say(self._bar(), f"Back on {self.exercise.slug}: save it, or press Enter to re-run it.")

    def _reset(self) -> None:
        try:
            done = core.reset(self.exercise)
        except core.ResetError as exc:
            self.say(f"sysdesign: {exc}")
            return
        if done.already_pristine:
            self.say(f"{core.shown_path(self.exercise)} is already the pristine stub.")
            return
        kept = f"; your version is kept at {display_path(done.backup)}" if done.backup else ""
        self._notes.append(f"Restored the pristine stub in {core.shown_path(self.exercise)}{kept}")
        self.rerun()

    # -- the loop --------------------------------------------------------------------------------
    def loop(self, max_cycles: int | None = None) -> int:
        """Run until q (or ``max_cycles`` cycles); returns the exit code."""
        self.events.watch(core.learner_path(self.exercise))
        self.rerun()
        cycles = 0
        try:
            while max_cycles is None or cycles < max_cycles:
                cycles += 1
                key = self.keys.read(self.tick)
                if key is not None and self.on_key(key) == QUIT:
                    break
                if self.events.changed():
                    self._pending = self.clock()
                if self._pending is not None and self.clock() - self._pending >= self.debounce:
                    self._pending = None
                    self.rerun(only_if_changed=True)
        except KeyboardInterrupt:
            pass
        self.say("", f"Stopped watching. {self._bar()}")
        return 0


def run(
    kit=None,
    slug: str | None = None,
    *,
    events: ChangeSource | None = None,
    keys: KeySource | None = None,
    out: TextIO | None = None,
    clock: Callable[[], float] | None = None,
    runner: core.Runner | None = None,
    max_cycles: int | None = None,
    poll: bool = False,
    screen: bool = False,
    debounce: float = 0.15,
    tick: float = 0.1,
) -> int:
    """Watch ``slug`` (default: the first unfinished exercise). Anything not given is the real
    thing: file events or polling, keys from stdin, ``sys.stdout``, ``time.monotonic``, the
    in-process suite runner."""
    from sysdesign.learner.sources import LineKeys, open_source
    from sysdesign.plugin_manager import shared_kit

    kit = kit or shared_kit()
    if slug is not None:
        exercise = kit.exercise(slug)
        if exercise is None:
            raise LookupError(f"unknown exercise '{slug}'; valid: {', '.join(kit.slugs)}")
    else:
        exercise = core.next_exercise(kit.exercises, None, core.finished_slugs(kit.exercises)) or kit.exercises[0]
    clock = clock or time.monotonic
    own_events = events is None
    events = events or open_source(core.learner_path(exercise), poll=poll, clock=clock)
    try:
        session = Watch(kit, exercise, events=events, keys=keys or LineKeys(sys.stdin), out=out or sys.stdout,
                        clock=clock, runner=runner, screen=screen, debounce=debounce, tick=tick)
        return session.loop(max_cycles)
    finally:
        if own_events:
            events.close()
