"""Property tests in grading suites: one settings profile, one failure shape.

A suite may check a component against a small model (the oracle) with `hypothesis`_: a
rule-based state machine (:mod:`hypothesis.stateful`) drives the learner's object and the model
side by side, and after every step an invariant compares them. Hypothesis then shrinks a
failing run to the shortest sequence of steps it can find, and the learner reads that sequence
in the kit's usual message (``called / got / expected / why``).

Grading has to be repeatable and fast, so every property test in the kit runs under
:func:`grading_settings`:

- ``derandomize=True`` and ``database=None``: the same examples on every machine, in every run,
  with nothing remembered between runs (a learner's second run must not differ from the first);
- ``deadline=None``: time in the suites is virtual (``time.sleep`` moves the clock), and under
  ``sysdesign grade`` every call crosses to a worker process (about 50 us a call), so a wall-clock
  deadline would measure the grader, not the learner;
- a bounded ``max_examples`` and ``stateful_step_count`` chosen per test so the whole suite stays
  within a few seconds on the reference, graded through the worker too;
- ``Verbosity.quiet`` and no "explain" phase: the failure a learner reads is the kit's own
  message, whose ``called`` part lists the shrunk steps (see :class:`Story`).

.. _hypothesis: https://hypothesis.readthedocs.io
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, Phase, Verbosity, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, run_state_machine_as_test

from sysdesign import wallclock
from sysdesign.messages import explain

__all__ = [
    "DEFAULT_EXAMPLES",
    "DEFAULT_STEPS",
    "ModelMachine",
    "Story",
    "boundary_floats",
    "grading_settings",
    "run_machine",
    "st",
]


def _no_local_constants() -> None:
    """Hypothesis seeds some draws with constants it collects from the source of every "local"
    module loaded so far (the suites, the learner's module, whatever ran before), and caches them
    under ``.hypothesis/``. The examples would then depend on which modules happen to be loaded
    (one suite or all of them, pytest or the grading worker) and on the learner's own numbers:
    grading must not. Keep only hypothesis's fixed, global constants."""
    try:
        from hypothesis.internal.conjecture import providers
    except ImportError:  # pragma: no cover - another hypothesis layout: nothing to turn off
        return
    if hasattr(providers, "_get_local_constants") and hasattr(providers, "Constants"):
        providers._get_local_constants = providers.Constants


_no_local_constants()

#: Real seconds hypothesis may spend shrinking a failing example (its own default is 300). A
#: graded test has a wall-clock budget (10 s by default), and a learner is better served by a
#: fairly short counterexample than by a "timed out"; on a slow machine the shrunk example may be
#: a step or two longer, the verdict never changes.
SHRINK_SECONDS = 3.0


class _RealTime:
    """The ``time`` module as hypothesis's engine sees it: its clocks read real time even while a
    test runs on the virtual clock (freezegun would otherwise stop its shrinking deadline)."""

    def __getattr__(self, name: str) -> Any:
        import time

        return getattr(time, name)

    @staticmethod
    def perf_counter() -> float:
        return wallclock.wall_seconds()

    @staticmethod
    def monotonic() -> float:
        return wallclock.wall_seconds()


def _bounded_shrinking() -> None:
    try:
        from hypothesis.internal.conjecture import engine
    except ImportError:  # pragma: no cover - another hypothesis layout: keep its defaults
        return
    if hasattr(engine, "MAX_SHRINKING_SECONDS") and hasattr(engine, "time"):
        engine.MAX_SHRINKING_SECONDS = SHRINK_SECONDS
        engine.time = _RealTime()


_bounded_shrinking()

#: Examples per property test unless the test says otherwise (each example is a fresh object).
DEFAULT_EXAMPLES = 60
#: Steps per state-machine example unless the test says otherwise.
DEFAULT_STEPS = 25

settings.register_profile(
    "sysdesign-grading",
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=DEFAULT_EXAMPLES,
    stateful_step_count=DEFAULT_STEPS,
    suppress_health_check=list(HealthCheck),
    phases=(Phase.explicit, Phase.generate, Phase.shrink),
    print_blob=False,
    report_multiple_bugs=False,
    verbosity=Verbosity.quiet,
)


def grading_settings(max_examples: int = DEFAULT_EXAMPLES, steps: int = DEFAULT_STEPS) -> settings:
    """The kit's profile with this test's budget: use as ``@grading_settings(40)`` on a
    ``@given`` test, or pass to :func:`run_machine`."""
    return settings(settings.get_profile("sysdesign-grading"), max_examples=max_examples,
                    stateful_step_count=steps)


def run_machine(machine: type[RuleBasedStateMachine], *, max_examples: int = DEFAULT_EXAMPLES,
                steps: int = DEFAULT_STEPS, **bind: Any) -> None:
    """Run a state machine as one test. ``bind`` sets class attributes on a fresh subclass (the
    learner's module, the clock fixture), so a machine defined at module level can use a
    test's fixtures."""
    bound = type(machine.__name__, (machine,), dict(bind)) if bind else machine
    run_state_machine_as_test(bound, settings=grading_settings(max_examples, steps))


def boundary_floats(edges: list[float], *, spread: float = 4.0, step: float = 0.25) -> st.SearchStrategy[float]:
    """Floats biased to boundaries: each edge exactly, one ``step`` either side, or a multiple
    of ``step`` within ``spread`` of it (all exact in binary, so comparisons are exact)."""
    offsets = st.integers(min_value=-int(spread / step), max_value=int(spread / step)).map(lambda n: n * step)
    return st.one_of(
        st.sampled_from(edges),
        st.tuples(st.sampled_from(edges), st.sampled_from([-step, step])).map(sum),
        st.tuples(st.sampled_from(edges), offsets).map(sum),
    )


class Story:
    """The steps a property test has taken so far, for the ``called`` part of a message.

    ``add("put('a', 1)")`` after each step; ``check(call, got, expected, why)`` fails with
    ``called <call> after <every step so far>``. Hypothesis shrinks a failing run before the
    message is made for the last time, so the story a learner reads is the shortest one found.
    """

    def __init__(self, opening: str) -> None:
        self.opening = opening
        self.steps: list[str] = []

    def add(self, step: str) -> None:
        self.steps.append(step)

    def text(self, limit: int = 40) -> str:
        steps = self.steps if len(self.steps) <= limit else ["..."] + self.steps[-limit:]
        return "; ".join([self.opening, *steps])

    def fail(self, call: str, got: Any, expected: Any, why: str = "") -> AssertionError:
        return AssertionError(explain(f"{call} after {self.text()}", got, expected, why))

    def check(self, call: str, got: Any, expected: Any, why: str = "") -> None:
        """Fail unless ``got == expected``."""
        if got != expected:
            raise self.fail(call, got, expected, why)

    def check_true(self, condition: bool, call: str, got: Any, expected: Any, why: str = "") -> None:
        if not condition:
            raise self.fail(call, got, expected, why)

    def build(self, call: str, factory: Callable[[], Any], why: str = "") -> Any:
        """``factory()``, or a failure naming ``call`` when it raises: a constructor given valid
        settings (the smallest ones included) must accept them."""
        try:
            return factory()
        except NotImplementedError:
            raise  # an unfinished stub is "not started", not a failure
        except Exception as exc:  # noqa: BLE001 - reported in the kit's shape
            raise AssertionError(explain(call, f"{type(exc).__name__}: {exc}", "a new object", why)) from None

    def raises(self, exc: type[BaseException] | tuple[type[BaseException], ...], call: str,
               action: Callable[[], Any], why: str = "") -> None:
        """Fail unless ``action()`` raises ``exc``."""
        try:
            got = action()
        except exc:
            return
        names = exc.__name__ if isinstance(exc, type) else " or ".join(e.__name__ for e in exc)
        raise self.fail(call, got, f"{names} raised", why)


class ModelMachine(RuleBasedStateMachine):
    """A state machine with a :class:`Story`: subclasses set ``self.story`` in an
    ``@initialize`` rule and record each step with ``self.story.add``."""

    story: Story

    def check(self, call: str, got: Any, expected: Any, why: str = "") -> None:
        self.story.check(call, got, expected, why)

    def check_true(self, condition: bool, call: str, got: Any, expected: Any, why: str = "") -> None:
        self.story.check_true(condition, call, got, expected, why)
