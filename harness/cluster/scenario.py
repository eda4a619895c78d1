"""Run one scenario under several seeds, and report the first seed that fails.

A learner bug that shows up once in ten runs is caught by running the scenario under ten
seeds; the failure names the seed so it can be replayed alone::

    def test_no_two_leaders(run_cluster_seeds):          # pytest fixture: seeds respect --cluster-seed
        run_cluster_seeds(scenario, n=10)

    run_seeds(scenario, seeds=range(10), clock=clock, base_path=tmp_path)   # plain function
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from sysdesign.clock import VirtualClock
from sysdesign.cluster.cluster import Cluster
from sysdesign.cluster.errors import InvariantBroken


def run_seeds(scenario: Callable[[Cluster], Any], seeds: Iterable[int] = range(10), *,
              clock: VirtualClock | None = None, base_path: str | Path | Callable[[], str | Path] | None = None,
              replay: Callable[[int], str] | None = None, tail: int = 30, **cluster_kwargs: Any) -> list[Any]:
    """Run ``scenario(cluster)`` on a fresh cluster per seed, in order; return the results.

    The first failing seed stops the run: its exception is re-raised unchanged (so a
    ``NotImplementedError`` still reads as "not started" and an assertion keeps its message)
    with a note naming the seed, how to replay it, and the last ``tail`` trace events; the
    exception also gets a ``cluster_seed`` attribute. Clusters share ``clock`` when given
    (freezegun is entered once), and get ``base_path/seed-N`` as their disk folder (``base_path``
    may be a function returning the folder: it is called when a node first uses its disk).
    """
    seeds = list(seeds)
    results: list[Any] = []
    for index, seed in enumerate(seeds):
        if callable(base_path):  # a folder made on first use (see Cluster)
            folder: Any = (lambda seed=seed: Path(base_path()) / f"seed-{seed}")
        else:
            folder = Path(base_path) / f"seed-{seed}" if base_path is not None else None
        cluster = Cluster(seed, clock=clock, base_path=folder, **cluster_kwargs)
        if replay is not None:
            cluster.replay = replay(seed)
        with cluster:
            try:
                results.append(scenario(cluster))
            except BaseException as exc:
                if not isinstance(exc, Exception):
                    raise
                cluster.failed = True
                how = replay(seed) if replay is not None else f"run_seeds(scenario, seeds=[{seed}])"
                exc.cluster_seed = seed  # type: ignore[attr-defined]
                if isinstance(exc, InvariantBroken):  # its message already names seed, replay, trace
                    exc.add_note(f"cluster scenario failed with seed {seed} (seed {index + 1} of {len(seeds)}; "
                                 f"{index} passed before it)")
                    raise
                note = (f"cluster scenario failed with seed {seed} (seed {index + 1} of {len(seeds)}; "
                        f"{index} passed before it)\nreplay: {how}\n"
                        f"state: {cluster.describe()}\nlast trace events:\n{cluster.trace.tail(tail)}")
                exc.add_note(note)
                raise
    return results


__all__ = ["run_seeds"]
