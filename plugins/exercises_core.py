"""The built-in exercise pack: every ``tests/<slug>/exercise.toml`` of the kit.

Each stub is stored once, in ``plugins/pristine/<slug>.py`` (the learner's working copy,
``exercises/<slug>.py``, is copied from it on first use: :mod:`sysdesign.learner.workspace`);
references are in ``solutions/<slug>.py``.
"""

from __future__ import annotations

from sysdesign import KIT_ROOT
from sysdesign.exercise import Exercise, load_exercise_toml
from sysdesign.hookspecs import hookimpl

PRISTINE = KIT_ROOT / "plugins" / "pristine"
SOLUTIONS = KIT_ROOT / "solutions"
SUITES = KIT_ROOT / "tests"


@hookimpl
def sysdesign_exercises() -> list[Exercise]:
    return [
        load_exercise_toml(
            toml,
            stub=PRISTINE / f"{toml.parent.name}.py",
            reference=SOLUTIONS / f"{toml.parent.name}.py",
            pack="core",
        )
        for toml in sorted(SUITES.glob("*/exercise.toml"))
    ]
