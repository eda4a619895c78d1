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
STATUS_COLOURS = {"passing": "green", "not started": "yellow", "not run yet": "dim", "done": "green"}
CLEAR_SCREEN = "\033[H\033[2J\033[3J"


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
