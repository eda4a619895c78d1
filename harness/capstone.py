"""Shared machinery of the capstones: a capstone is the wiring of a whole system out of the
components the learner built in the concept exercises, graded on service-level objectives.

* :class:`Parts` (``parts.caching.LRUCache``): the components of other exercises, resolved
  through the swap (``impl("caching")``): the learner's own modules, the references under
  ``--solutions``, a submission's under ``--impl DIR``. A part missing from a ``--impl`` folder
  (a folder holding only the capstone's module, as a known-wrong variant does) falls back to
  the reference, and :attr:`Parts.fallbacks` says so.
* :class:`Spec`: what the suite fixes and what the wiring declares: the node budget (how many
  nodes the wiring may add) and ``assign(role, names)``, the nodes that play each role, which is
  where the suite's faults aim.
* :class:`Ledger`: every request the load generator sent (class, scheduled send time, answer
  time, status, whether the answer was right), and the measures read from it: nearest-rank
  percentiles of latency in virtual time, availability.
* :class:`SLO` and :func:`grade_slo`: one graded objective (objective, target, measured,
  pass/fail, points). A test calls :func:`grade_slo`; the row is recorded in the test's
  ``user_properties`` (``("sysdesign_slo", {...})``) and, when it misses, the failure message
  is the SLO table row (76 columns, cells wrapped) with the reason. The kit's plugin copies the
  row onto the test's result (``TestResult.slo``), so ``sysdesign check``, the points table of
  ``pytest``, ``sysdesign grade`` and every report show the SLO table of a capstone
  (``sysdesign.grade.reporting.slo_text_table`` and its neighbours render it).
  :func:`slo_table` renders rows as a Markdown table.
* :func:`scenario_fixtures`: the ``capstone``, ``scenario`` and ``reference_replay`` fixtures
  every capstone suite's conftest shares.
* :func:`builds_on`: the concept exercises a capstone builds on (``builds_on`` in its
  ``exercise.toml``), which ``sysdesign check`` can name when one is not passing yet.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Iterable

SLO_PROPERTY = "sysdesign_slo"


# -- parts: the learner's components through the swap ----------------------------------------------
class Parts:
    """``parts.<slug>`` is the active implementation of exercise ``<slug>`` (``impl(slug)``),
    loaded on first use. ``allowed`` limits which exercises a capstone may use."""

    def __init__(self, impl: Callable[[str], ModuleType], allowed: Iterable[str],
                 fallback: Callable[[str], ModuleType] | None = None) -> None:
        self._impl, self._allowed, self._fallback = impl, tuple(allowed), fallback
        self._loaded: dict[str, ModuleType] = {}
        self.fallbacks: list[str] = []

    def __getattr__(self, slug: str) -> ModuleType:
        if slug.startswith("_"):
            raise AttributeError(slug)
        if slug not in self._allowed:
            raise AttributeError(f"parts.{slug}: this capstone builds on {', '.join(self._allowed)}")
        if slug not in self._loaded:
            self._loaded[slug] = self._load(slug)
        return self._loaded[slug]

    def preload(self) -> "Parts":
        """Load every allowed part now (before the wiring runs: under ``sysdesign grade`` a module
        is loaded into the worker by a request of its own, which must not nest inside a call the
        worker is serving)."""
        for slug in self._allowed:
            getattr(self, slug)
        return self

    def are_references(self) -> bool:
        """True when every part loaded so far is the reference module of its exercise."""
        from sysdesign import KIT_ROOT

        for slug, module in self._loaded.items():
            where = getattr(module, "__file__", None)
            if slug not in self.fallbacks and (
                    where is None or Path(where).resolve() != (KIT_ROOT / "solutions" / f"{slug}.py").resolve()):
                return False
        return True

    def _load(self, slug: str) -> ModuleType:
        from sysdesign.providers import ImplementationLoadError

        try:
            return self._impl(slug)
        except ImplementationLoadError as exc:
            if self._fallback is None or "file not found" not in str(exc):
                raise
            self.fallbacks.append(slug)
            return self._fallback(slug)


def reference_module(slug: str) -> ModuleType:
    """The reference module of a core exercise (what a part falls back to). Never in the
    deciding process of ``sysdesign grade``: references are not handed to learner code there
    (a missing part is then an error, and no replay with reference parts runs)."""
    import os

    from sysdesign import KIT_ROOT
    from sysdesign.exercise import load_exercise_toml
    from sysdesign.providers import ImplementationLoadError, ReferenceProvider

    if os.environ.get("SYSDESIGN_GRADE_SPEC"):
        raise ImplementationLoadError(f"{slug}: the references are not handed to learner code in grading")

    exercise = load_exercise_toml(KIT_ROOT / "tests" / slug / "exercise.toml",
                                  stub=KIT_ROOT / "plugins" / "pristine" / f"{slug}.py",
                                  reference=KIT_ROOT / "solutions" / f"{slug}.py", pack="core")
    return ReferenceProvider().load(exercise)


# -- the scenario fixtures every capstone suite shares ----------------------------------------------
def scenario_fixtures(slug: str, scenario_class: type, allowed: Iterable[str], *, seed: int, folder: str,
                      **cluster_options: Any) -> tuple[Callable, Callable, Callable]:
    """The three module-scoped fixtures of a capstone suite, for its conftest::

        capstone, scenario, reference_replay = scenario_fixtures(SLUG, Scenario, BUILDS_ON, seed=SEED, folder="feed")

    * ``capstone``: the active implementation of the capstone's own module (``impl(slug)``);
    * ``scenario``: one run of ``scenario_class(cluster, capstone, parts).execute()`` on a fresh
      cluster with the fixed ``seed`` (``--cluster-seed=N`` replays another) and the learner's
      parts (a part missing from a ``--impl`` folder falls back to the reference); the run gets
      ``replay`` (the command that reruns it) and ``reference_parts``;
    * ``reference_replay``: ``reference_replay()`` runs the same wiring and seed with the
      reference parts, once, on first use (only when an objective missed with the learner's).

    ``cluster_options`` go to :class:`sysdesign.cluster.Cluster` (e.g. ``trace_limit=None``).
    """
    import pytest

    allowed = tuple(allowed)

    def run(seed_used: int, capstone: Any, parts: Parts, base_path: Path) -> Any:
        from sysdesign.clock import VirtualClock
        from sysdesign.cluster import Cluster

        clock = VirtualClock().start()
        try:
            with Cluster(seed_used, clock=clock, base_path=base_path, **cluster_options) as cluster:
                outcome = scenario_class(cluster, capstone, parts).execute()
        finally:
            clock.stop()
        outcome.replay = f"pytest tests/{slug} --cluster-seed={seed_used}"
        outcome.reference_parts = parts.are_references()
        return outcome

    def seed_of(config: Any) -> int:
        return config.getoption("cluster_seed", None) or seed

    @pytest.fixture(scope="module", name="capstone")
    def capstone_fixture(impl):
        return impl(slug)

    @pytest.fixture(scope="module", name="scenario")
    def scenario_fixture(request, impl, capstone, tmp_path_factory):
        """One run of the scenario (the seed is fixed; ``--cluster-seed=N`` replays another)."""
        parts = Parts(impl, allowed, fallback=reference_module).preload()
        return run(seed_of(request.config), capstone, parts, tmp_path_factory.mktemp(folder))

    @pytest.fixture(scope="module", name="reference_replay")
    def reference_replay_fixture(request, capstone, tmp_path_factory):
        """``reference_replay()``: the same wiring and seed with the reference parts (run once,
        on first use: only when an objective missed with the learner's own parts)."""
        done: list[Any] = []

        def replay() -> Any:
            if not done:
                parts = Parts(reference_module, allowed).preload()
                done.append(run(seed_of(request.config), capstone, parts,
                                tmp_path_factory.mktemp(f"{folder}-reference-parts")))
            return done[0]

        return replay

    return capstone_fixture, scenario_fixture, reference_replay_fixture


def builds_on(exercise_toml: str | Path) -> list[str]:
    """The ``builds_on`` list of a capstone's ``exercise.toml`` (empty for a concept exercise)."""
    try:
        data = tomllib.loads(Path(exercise_toml).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return []
    return [str(s) for s in data.get("builds_on", [])]


def unmet(prerequisites: Iterable[str], passing: Iterable[str]) -> list[str]:
    """The prerequisite exercises not in ``passing``, in the order the capstone lists them."""
    done = set(passing)
    return [slug for slug in prerequisites if slug not in done]


# -- spec: roles and the node budget ---------------------------------------------------------------
class WiringError(AssertionError):
    """The wiring broke a rule the capstone fixes (the node budget, a missing role)."""


class Spec:
    """What a capstone fixes from outside, and what the wiring tells the suite.

    ``budget``: how many nodes the wiring may add. ``roles``: the role names the wiring must
    assign (``assign(role, names)``); the suite's faults target those nodes."""

    def __init__(self, cluster: Any, *, budget: int, roles: dict[str, str], entry: str, **fixed: Any) -> None:
        self.cluster, self.budget, self.role_help, self.entry = cluster, budget, dict(roles), entry
        self.roles: dict[str, list[str]] = {}
        self._before = set(cluster.nodes)
        for name, value in fixed.items():  # what the capstone hands the wiring: services, names
            setattr(self, name, value)
        #: Fixed once built: in grading they travel with the spec (learner code may read
        #: ``spec.radius`` in a hot loop without a round trip each).
        self.sysdesign_remote_constant = ("budget", "entry", *fixed)

    def assign(self, role: str, names: Iterable[str]) -> None:
        """Declare which nodes play ``role`` (one of the capstone's roles)."""
        if role not in self.role_help:
            raise WiringError(f"spec.assign({role!r}, ...): no such role; roles: {', '.join(self.role_help)}")
        names = list(names)
        unknown = [n for n in names if n not in self.cluster.nodes]
        if unknown or not names:
            raise WiringError(f"spec.assign({role!r}, {names!r}): add the nodes first (unknown: {unknown})")
        self.roles[role] = names

    def added(self) -> list[str]:
        """The nodes the wiring added."""
        return [n for n in self.cluster.nodes if n not in self._before]

    def problems(self) -> list[str]:
        """What the wiring got wrong about the fixed parts (empty when it is well formed)."""
        out = []
        added = self.added()
        if len(added) > self.budget:
            out.append(f"the wiring added {len(added)} nodes {added}; the budget is {self.budget}")
        if self.entry not in self.cluster.nodes:
            out.append(f"no node named {self.entry!r}: clients send every request to http://{self.entry}/")
        for role, help_text in self.role_help.items():
            if role not in self.roles:
                out.append(f"no spec.assign({role!r}, [...]) ({help_text})")
        return out


# -- the ledger ------------------------------------------------------------------------------------
@dataclass
class Request:
    """One request of the load generator: its class (``page``, ``run``...), when it was
    scheduled to be sent, when its answer came (None: no answer), the status (0: no answer),
    whether the answer was the right one, what it showed (``detail``) and what it sent
    (``body``)."""

    cls: str
    key: str
    scheduled: float
    answered: float | None = None
    status: int = 0
    good: bool = False
    detail: Any = ""
    body: Any = None          # what the request sent, for the suite's oracle

    @property
    def latency(self) -> float | None:
        return None if self.answered is None else self.answered - self.scheduled


@dataclass
class Ledger:
    requests: list[Request] = field(default_factory=list)

    def add(self, request: Request) -> Request:
        self.requests.append(request)
        return request

    def of(self, cls: str, start: float = 0.0, end: float = math.inf,
           where: Callable[[Request], bool] | None = None) -> list[Request]:
        """The requests of class ``cls`` scheduled in ``[start, end)``."""
        return [r for r in self.requests
                if r.cls == cls and start <= r.scheduled < end and (where is None or where(r))]

    @staticmethod
    def availability(requests: list[Request]) -> float:
        """good / sent (1.0 for no requests)."""
        return sum(r.good for r in requests) / len(requests) if requests else 1.0

    @staticmethod
    def latencies(requests: list[Request], timeout: float) -> list[float]:
        """Latency of each request; one that got no answer counts as ``timeout``."""
        return [r.latency if r.latency is not None else timeout for r in requests]


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (``p`` in 0-100) of ``values``; nan for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


# -- SLOs ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SLO:
    """One row of the SLO table."""

    objective: str
    target: str
    measured: str
    passed: bool
    points: float

    def cells(self) -> tuple[str, str, str, str, str]:
        """objective, target, measured, result, points (what the row scores)."""
        got = f"{self.points:g}/{self.points:g}" if self.passed else f"0/{self.points:g}"
        return self.objective, self.target, self.measured, "pass" if self.passed else "FAIL", got

    def row(self) -> str:
        got = f"{self.points:g}/{self.points:g}" if self.passed else f"0/{self.points:g}"
        return f"| {self.objective} | {self.target} | {self.measured} | {'pass' if self.passed else 'FAIL'} | {got} |"


TABLE_HEAD = "| SLO | target | measured | result | points |\n|---|---|---|---|---|"


def slo_table(rows: Iterable[SLO]) -> str:
    return "\n".join([TABLE_HEAD, *(row.row() for row in rows)])


def grade_slo(request: Any, objective: str, target: str, measured: str, passed: bool, why: str,
              details: str = "") -> SLO:
    """Record one SLO row on the running test (``request`` is pytest's fixture request) and
    fail the test with the row, the reason and ``details`` when it missed."""
    __tracebackhide__ = True
    marker = request.node.get_closest_marker("points")
    points = float(marker.args[0]) if marker else 1.0
    slo = SLO(objective, target, measured, bool(passed), points)
    request.node.user_properties.append((SLO_PROPERTY, slo.__dict__.copy()))
    if not passed:
        from sysdesign.grade.reporting import text_table

        lines = [f"SLO missed: {objective}", *text_table([slo.cells()], width=76, indent=0), f"why: {why}"]
        if details:
            lines.append(details)
        raise AssertionError("\n".join(lines))
    return slo


def judge_slo(request: Any, run: Any, replay: Callable[[], Any], objective: str, target: str,
              measure: Callable[[Any], tuple[str, bool, str]], why: str, builds_on: str) -> SLO:
    """Grade one objective of a capstone run: ``measure(run)`` gives ``(measured, passed,
    details)``. When it missed with the learner's own parts, ``replay()`` (the same wiring and
    seed with the reference parts of ``builds_on``; unavailable in a release or in grading)
    says whether the components or the wiring are at fault; the run's fallbacks, seed and
    replay command follow, and :func:`grade_slo` records the row."""
    __tracebackhide__ = True
    from sysdesign.providers import ImplementationLoadError

    measured, passed, details = measure(run)
    lines = [details] if details else []
    if not passed and not run.reference_parts:
        try:
            other, ok, _ = measure(replay())
        except ImplementationLoadError:  # no references to compare with (a release, or grading)
            other, ok = None, None
        if ok:
            lines.append(f"with the reference {builds_on} in place of yours, the same wiring meets this objective "
                         f"({other}): look at your components first (sysdesign check on those exercises)")
        elif ok is not None:
            lines.append(f"with the reference {builds_on} too it misses ({other}): the wiring is at fault")
    if run.fallbacks:
        lines.append(f"parts not in the submission, taken from the references: {', '.join(run.fallbacks)}")
    lines.append(f"seed {run.seed}; replay: {run.replay}")
    return grade_slo(request, objective, target, measured, passed, why, "\n".join(lines))


def rows_from_reports(reports: Iterable[Any]) -> list[SLO]:
    """The SLO rows recorded by the call phase of ``reports`` (pytest TestReports)."""
    rows = []
    for report in reports:
        for key, value in getattr(report, "user_properties", ()):
            if key == SLO_PROPERTY:
                rows.append(SLO(**value))
    return rows


def within(got: Any, expected: float, tolerance: float) -> bool:
    """``got`` is a number within ``tolerance`` (a fraction) of ``expected``."""
    if isinstance(got, bool) or not isinstance(got, (int, float)) or math.isnan(got):
        return False
    return abs(got - expected) <= tolerance * abs(expected)
