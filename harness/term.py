"""Terminal output: colour only on a terminal, never with ``NO_COLOR`` set."""

from __future__ import annotations

import os
import sys

_CODES = {"green": "32", "red": "31", "yellow": "33", "bold": "1", "dim": "2", "cyan": "36"}
STATUS_COLOURS = {"passing": "green", "not started": "yellow", "not run yet": "dim"}


def use_colour(stream=None) -> bool:
    stream = stream or sys.stdout
    return "NO_COLOR" not in os.environ and hasattr(stream, "isatty") and stream.isatty()


def style(text: str, colour: str | None) -> str:
    if not colour or not use_colour():
        return text
    return f"\033[{_CODES[colour]}m{text}\033[0m"


def status_colour(status: str) -> str:
    return STATUS_COLOURS.get(status, "red")


def progress_bar(done: int, total: int, width: int = 24) -> str:
    filled = round(width * done / total) if total else 0
    return "[" + "#" * filled + "-" * (width - filled) + f"] {done}/{total}"
