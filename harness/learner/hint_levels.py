"""Hint levels: ``hints.json`` in the state folder (:func:`sysdesign.places.hints_file`) holds
the hint level reached per exercise and task (``sysdesign hint --more``). A damaged file is
handled as :mod:`sysdesign.files` says.
"""

from __future__ import annotations

import sys

from sysdesign import files, places


def hint_level(slug: str, task: int | str) -> int:
    """The hint level reached for ``task`` of ``slug`` (1 when none was asked for yet); a test
    with hints of its own is keyed ``test:<name>``."""
    level = files.load_json_objects(places.hints_file(), "hint levels").get(slug, {}).get(str(task), 1)
    return level if isinstance(level, int) and level >= 1 else 1


def set_hint_level(slug: str, task: int | str, level: int) -> None:
    path = places.hints_file()
    try:
        data = files.load_json_objects(path, "hint levels")
        data.setdefault(slug, {})[str(task)] = int(level)
        files.store_json_objects(path, data)
    except OSError as exc:
        print(f"sysdesign: could not remember the hint level in {path}: {exc}", file=sys.stderr)
