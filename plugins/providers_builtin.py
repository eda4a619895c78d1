"""The built-in implementation sets: ``learner`` (default), ``reference`` (``--solutions``) and
``pristine`` (the stubs as shipped, for the kit's own tests)."""

from __future__ import annotations

from harness.hookspecs import hookimpl
from harness.providers import ImplementationProvider, LearnerProvider, PristineStubProvider, ReferenceProvider

_NAMED = {
    "learner": LearnerProvider,
    "reference": ReferenceProvider,
    "solutions": ReferenceProvider,
    "pristine": PristineStubProvider,
}


@hookimpl
def sysdesign_resolve_impl(name: str) -> ImplementationProvider | None:
    factory = _NAMED.get(name)
    return factory() if factory else None
