"""Terminal output and keys.

Colour only when the stream is a terminal, never with ``NO_COLOR`` set (any value) nor with
``TERM=dumb``. Single keys (``sysdesign watch``) come from the terminal in cbreak mode: no echo,
no line buffering, Ctrl-C still interrupts; the previous mode is restored on exit, however the
program ends.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator

_CODES = {"green": "32", "red": "31", "yellow": "33", "bold": "1", "dim": "2", "cyan": "36"}
#: One vocabulary everywhere (check, list, watch, the points table, reports): ``passing``,
#: ``in progress`` (some tests pass, none fails), ``not started``, ``failing``, ``error``,
#: ``not run`` / ``not run yet``; only a failure or an error is red.
STATUS_COLOURS = {"passing": "green", "in progress": "cyan", "not started": "yellow", "not run yet": "dim",
                  "not run": "dim", "done": "green"}
CLEAR_SCREEN = "\033[H\033[2J\033[3J"


#: Tables are laid out for this many columns (a classic terminal; wider ones just have room).
TABLE_WIDTH = 80


def fit(text: str, width: int, short: bool = True) -> str:
    """``text`` in at most ``width`` characters: whole, else (with ``short``) its part before a
    colon (a title's short name), else cut with ``...``."""
    if len(text) <= width:
        return text
    head = text.split(":", 1)[0]
    if short and ":" in text and len(head) <= width:
        return head
    return text[: max(0, width - 3)] + "..." if width > 3 else text[:width]


def is_terminal(stream) -> bool:
    try:
        return bool(stream is not None and hasattr(stream, "isatty") and stream.isatty())
    except (ValueError, OSError):  # closed stream
        return False


def use_colour(stream=None) -> bool:
    stream = stream if stream is not None else sys.stdout
    return "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb" and is_terminal(stream)


def style(text: str, colour: str | None, stream=None) -> str:
    if not colour or not use_colour(stream):
        return text
    return f"\033[{_CODES[colour]}m{text}\033[0m"


def status_colour(status: str) -> str:
    return STATUS_COLOURS.get(status, "red")


def progress_bar(done: int, total: int, width: int = 24, stream=None) -> str:
    filled = min(width, round(width * done / total)) if total else 0
    return "[" + style("#" * filled, "green", stream) + "-" * (width - filled) + f"] {done}/{total}"


@contextlib.contextmanager
def cbreak(stream) -> Iterator[bool]:
    """Put the terminal behind ``stream`` in cbreak mode for the block; yields whether it did.

    The saved attributes are restored on any exit (an exception, Ctrl-C, SIGTERM turned into
    SystemExit by the caller)."""
    try:
        import termios
        import tty
    except ImportError:  # pragma: no cover - not on POSIX
        yield False
        return
    if not is_terminal(stream):
        yield False
        return
    fd = stream.fileno()
    try:
        saved = termios.tcgetattr(fd)
    except termios.error:
        yield False
        return
    try:
        tty.setcbreak(fd)
        yield True
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
