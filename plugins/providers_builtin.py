"""The built-in implementation sets: ``learner`` (default), ``reference`` (``--solutions``) and
``pristine`` (the stubs as shipped, for the kit's own tests).

The learner's modules are read from ``$SYSDESIGN_WORKSPACE`` when it is set (a folder holding
``<slug>.py``), else from ``exercises/`` in the kit."""

from __future__ import annotations

from sysdesign.hookspecs import hookimpl
from sysdesign.providers import ImplementationProvider, LearnerProvider, PristineStubProvider, ReferenceProvider
from sysdesign.places import workspace_dir

_NAMED = {
    "learner": lambda: LearnerProvider(workspace=workspace_dir()),
    "reference": ReferenceProvider,
    "solutions": ReferenceProvider,
    "pristine": PristineStubProvider,
}


@hookimpl
def sysdesign_resolve_impl(name: str) -> ImplementationProvider | None:
    factory = _NAMED.get(name)
    return factory() if factory else None
