"""The simulated cluster's pytest plugin (registered through the ``pytest11`` entry point).

Options:

- ``--cluster-seed=N``: seed every cluster with ``N`` (default: a seed derived from the
  test's node id, stable across runs and machines); multi-seed tests then run ``N`` alone;
- ``--cluster-trace=DIR``: write one JSON-lines trace file per test that built a cluster.

Fixtures: ``cluster`` (a fresh, seeded, active cluster per test, sharing the test's ``clock``
so freezegun is entered once), ``cluster_seed``, ``cluster_seeds`` (``cluster_seeds(10)``: the
seed list for a multi-seed test) and ``run_cluster_seeds`` (``run_cluster_seeds(scenario,
n=10)``). A failing test that built a cluster gets a ``cluster`` report section: its seed, its
last trace events and the command that replays it (an invariant registered with
``cluster.add_invariant`` says all that in its own failure message). The fixtures give each
cluster its replay command (``cluster.replay``).
"""

from __future__ import annotations

import re
import warnings
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from sysdesign.clock import VirtualClock
from sysdesign.cluster.tracking import stop_tracking, track_clusters

if TYPE_CHECKING:
    from sysdesign.cluster.cluster import Cluster

TAIL = 30
#: The HTML report (``--sysdesign-report DIR``) and the ``record_figure`` fixture.
pytest_plugins = ("sysdesign.htmlreport.collect",)
_TRACKED = pytest.StashKey[list]()
_EXTENSIONS = pytest.StashKey[dict]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("sysdesign-cluster", "sysdesign-kit simulated cluster")
    group.addoption("--cluster-seed", type=int, default=None, metavar="N",
                    help="seed for every simulated cluster (replays a failure); default: derived from each test's id")
    group.addoption("--cluster-trace", default=None, metavar="DIR",
                    help="write each test's cluster trace to DIR/<test>.jsonl")


def pytest_report_header(config: pytest.Config) -> str | None:
    seed = config.getoption("cluster_seed")
    return f"cluster seed: {seed} (--cluster-seed)" if seed is not None else None


# -- seeds -------------------------------------------------------------------------------------
def seed_for(nodeid: str) -> int:
    """The default seed of a test: a CRC-32 of its node id (stable across runs and machines)."""
    return zlib.crc32(nodeid.encode("utf-8")) & 0x7FFFFFFF


def replay_command(nodeid: str, seed: int, config: pytest.Config | None = None) -> str:
    """The command that re-runs one test with one seed, with the same ``--solutions`` or
    ``--impl DIR`` when ``config`` has one (a named implementation set, such as the isolated
    grader's, is left out: the learner replays with their own code)."""
    choice = ""
    if config is not None:
        impl = config.getoption("impl", None)
        if config.getoption("solutions", False):
            choice = " --solutions"
        elif impl and Path(impl).is_dir():
            choice = f' --impl "{impl}"'
    return f'pytest "{nodeid}" --cluster-seed={seed}{choice}'


def seeds_for(config: pytest.Config, nodeid: str, n: int = 10) -> list[int]:
    """Seeds for a multi-seed test: ``--cluster-seed`` alone when given, else ``n`` seeds
    derived from the test's id."""
    forced = config.getoption("cluster_seed")
    if forced is not None:
        return [forced]
    base = seed_for(nodeid)
    return [(base + i) & 0x7FFFFFFF for i in range(n)]


@pytest.fixture
def cluster_seed(request: pytest.FixtureRequest) -> int:
    """This test's cluster seed (``--cluster-seed``, or derived from the test's id)."""
    forced = request.config.getoption("cluster_seed")
    return forced if forced is not None else seed_for(request.node.nodeid)


@pytest.fixture
def cluster_seeds(request: pytest.FixtureRequest) -> Callable[[int], list[int]]:
    """``cluster_seeds(n)``: the seeds a multi-seed test should run (respects ``--cluster-seed``)."""
    return lambda n=10: seeds_for(request.config, request.node.nodeid, n)


# -- clusters ----------------------------------------------------------------------------------
def _test_clock(request: pytest.FixtureRequest) -> VirtualClock:
    """The test's ``clock`` fixture when the kit's main plugin provides it, else a fresh one:
    either way freezegun is entered once per test."""
    try:
        return request.getfixturevalue("clock")
    except pytest.FixtureLookupError:
        clock = VirtualClock().start()
        request.addfinalizer(clock.stop)
        return clock


def _extensions(config: pytest.Config) -> dict[str, Any]:
    """Faults and services that packs add through ``sysdesign_cluster_extensions``, merged
    once per run; a clash or a broken pack costs one warning line."""
    cached = config.stash.get(_EXTENSIONS, None)
    if cached is not None:
        return cached
    merged: dict[str, Any] = {"faults": {}, "services": {}}
    try:
        from sysdesign.plugins.pytest_plugin import STATE

        state = config.stash.get(STATE, None)
    except ImportError:  # the kit's main plugin is not there: no extensions
        state = None
    if state is not None:
        from sysdesign.packs import cluster_extensions

        found = cluster_extensions(state.kit)
        for problem in found.pop("problems", []):
            warnings.warn(pytest.PytestWarning(f"sysdesign: {problem}"), stacklevel=2)
        merged.update(found)
    config.stash[_EXTENSIONS] = merged
    return merged


def _test_folder(request: pytest.FixtureRequest) -> Callable[[], Path]:
    """The test's ``tmp_path``, made when first asked for: most clusters never touch a node's
    disk, and each folder pytest makes and later removes costs milliseconds on a disk that
    discards freed blocks. A test that uses ``tmp_path`` (or a fixture that does) shares it;
    otherwise the folder is made the way pytest makes ``tmp_path`` (named after the test)."""
    if "tmp_path" in request.fixturenames:
        tmp_path = request.getfixturevalue("tmp_path")
        return lambda: tmp_path
    factory = request.getfixturevalue("tmp_path_factory")
    name = request.node.name
    made: list[Path] = []

    def folder() -> Path:
        if not made:
            made.append(factory.mktemp(re.sub(r"[\W]", "_", name)[:30], numbered=True))
        return made[0]

    return folder


@pytest.fixture
def cluster(request: pytest.FixtureRequest, cluster_seed: int) -> Iterator[Cluster]:
    """A fresh simulated cluster for this test: seeded, active (virtual clock, fake HTTP), with
    node disks under the test's ``tmp_path`` (made when a node first uses its disk)."""
    clock = _test_clock(request)
    from sysdesign.cluster.cluster import Cluster

    folder = _test_folder(request)
    built = Cluster(cluster_seed, clock=clock, base_path=lambda: folder() / "cluster",
                    extensions=_extensions(request.config))
    built.replay = replay_command(request.node.nodeid, cluster_seed, request.config)
    with built:
        yield built


@pytest.fixture
def run_cluster_seeds(request: pytest.FixtureRequest) -> Callable[..., list[Any]]:
    """``run_cluster_seeds(scenario, n=10, **cluster_options)``: run ``scenario(cluster)`` on a
    fresh cluster per seed; the first failing seed is reported with its replay command."""
    clock = _test_clock(request)
    nodeid = request.node.nodeid
    extensions = _extensions(request.config)
    folder = _test_folder(request)

    def run(scenario: Callable[[Cluster], Any], n: int = 10, **options: Any) -> list[Any]:
        from sysdesign.cluster.scenario import run_seeds

        options.setdefault("extensions", extensions)
        return run_seeds(scenario, seeds_for(request.config, nodeid, n), clock=clock,
                         base_path=lambda: folder() / "seeds", replay=lambda seed: replay_command(nodeid, seed, request.config), **options)

    return run


# -- reporting ---------------------------------------------------------------------------------
@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    item.stash[_TRACKED] = track_clusters()
    try:
        return (yield)
    finally:
        stop_tracking()


def _report_text(nodeid: str, clusters: list[Cluster], config: pytest.Config) -> str:
    chosen = next((c for c in clusters if c.failed), clusters[-1])
    lines = [f"seed: {chosen.seed}",
             f"replay: {replay_command(nodeid, chosen.seed, config)}",
             f"state: {chosen.describe()}"]
    if len(clusters) > 1:
        lines.append(f"({len(clusters)} clusters in this test; showing the "
                     f"{'failing' if chosen.failed else 'last'} one)")
    lines.append(f"last {TAIL} trace events (virtual seconds):")
    lines.append(chosen.trace.tail(TAIL))
    return "\n".join(lines)


def _dump(directory: str, nodeid: str, clusters: list[Cluster], config: pytest.Config) -> None:
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", nodeid).strip("_") or "test"
    with open(folder / f"{name}.jsonl", "w", encoding="utf-8") as handle:
        for index, built in enumerate(clusters):
            built.trace.dump_jsonl(handle, header={"test": nodeid, "cluster": index, "seed": built.seed,
                                                   "replay": replay_command(nodeid, built.seed, config)})


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    rep: pytest.TestReport = yield
    clusters = item.stash.get(_TRACKED, None)
    if not clusters:
        return rep
    not_started = call.excinfo is not None and call.excinfo.errisinstance(NotImplementedError)
    # A broken invariant's message already holds the seed, the replay command and the trace.
    told = call.excinfo is not None and type(call.excinfo.value).__name__ == "InvariantBroken"
    if rep.failed and not not_started and not told:
        rep.sections.append(("cluster", _report_text(item.nodeid, clusters, item.config)))
    if call.when == "teardown":
        directory = item.config.getoption("cluster_trace")
        if directory:
            _dump(directory, item.nodeid, clusters, item.config)
    return rep
