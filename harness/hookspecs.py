"""Every hook of sysdesign-kit, in one place.

Built-in exercises, the learner and reference implementation providers, the report writers and
third-party packs all plug in through these hooks. Call hooks with keyword arguments only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from sysdesign.exercise import Exercise
    from sysdesign.results import GradeReport
    from sysdesign.providers import ImplementationProvider

PROJECT = "sysdesign"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def sysdesign_exercises() -> list[Exercise]:
    """Return the exercises this plugin contributes (metadata: slug, title, order, tasks with
    hints, components, and where the stub, reference, suite and known-wrong variants live).

    Every registered plugin is asked; the results are merged and a slug may appear only once.
    """


@hookspec
def sysdesign_resolve_impl(name: str) -> ImplementationProvider | None:
    """Return an implementation provider for the implementation set called ``name`` (as given to
    ``--impl NAME``), or None when this plugin does not know that name.

    All plugins are asked; at most one may answer. Two answers are an error, never a silent
    choice, so an unfinished provider can never fall through to the reference. When none
    answers, ``name`` is read as a directory of ``<slug>.py`` modules (an error if it is none).
    """


@hookspec
def sysdesign_cluster_extensions() -> dict[str, Any]:
    """Return extensions for the simulated cluster: ``{"faults": {name: callable},
    "services": {name: factory}}``. Fault callables take ``(cluster, **params)``; service
    factories take ``(cluster, name, **params)`` and return the service node.
    """


@hookspec(firstresult=True)
def sysdesign_write_report(report: GradeReport, fmt: str, path: str) -> bool | None:
    """Write ``report`` in format ``fmt`` (for example ``"json"``) to ``path``.

    Return True when this plugin handled the format, None otherwise.
    """
