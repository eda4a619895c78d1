"""Change and key sources of ``sysdesign watch``: polling on a fake clock, mount detection,
file events (when watchdog is installed), keys from a pseudo-terminal and from a pipe."""

from __future__ import annotations

import io
import os
import pty
import termios

import pytest

from sysdesign.learner.sources import LineKeys, PollingSource, TerminalKeys, is_remote, mount_type, open_source
from sysdesign.term import cbreak


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_polling_checks_at_most_every_interval(tmp_path):
    path = tmp_path / "m.py"
    path.write_text("a")
    clock = Clock()
    source = PollingSource(path, clock)
    path.write_text("b")
    clock.now = 0.4
    assert not source.changed()  # not yet time to look
    clock.now = 0.5
    assert source.changed()
    clock.now = 1.0
    assert not source.changed()


def test_polling_sees_a_content_change_that_keeps_mtime_and_size(tmp_path):
    path = tmp_path / "m.py"
    path.write_text("aaaa")
    stamp = os.stat(path).st_mtime_ns
    clock = Clock()
    source = PollingSource(path, clock)
    path.write_text("bbbb")
    os.utime(path, ns=(stamp, stamp))  # coarse mtimes on a network drive look like this
    clock.now = 1.0
    assert source.changed()


def test_polling_sees_deletion_and_return_and_follows_a_new_file(tmp_path):
    first, second = tmp_path / "a.py", tmp_path / "b.py"
    first.write_text("a")
    second.write_text("b")
    clock = Clock()
    source = PollingSource(first, clock)
    first.unlink()
    clock.now = 1.0
    assert source.changed()
    first.write_text("a")
    clock.now = 2.0
    assert source.changed()
    source.watch(second)
    first.write_text("changed, but no longer watched")
    clock.now = 3.0
    assert not source.changed()


MOUNTS = """\
/dev/sda1 / ext4 rw 0 0
server:/home /home nfs4 rw 0 0
C:\\134 /mnt/c 9p rw 0 0
/dev/sdb1 /home/me/local ext4 rw 0 0
"""


def test_the_mount_holding_a_path_decides_polling():
    assert mount_type("/home/me/exercises", MOUNTS) == "nfs4"
    assert mount_type("/home/me/local/exercises", MOUNTS) == "ext4"
    assert mount_type("/mnt/c/Users/me", MOUNTS) == "9p"
    assert mount_type("/srv", MOUNTS) == "ext4"
    assert is_remote("nfs4") and is_remote("fuse.sshfs") and is_remote("9p")
    assert not is_remote("ext4") and not is_remote(None)


def test_poll_option_forces_polling(tmp_path):
    path = tmp_path / "m.py"
    path.write_text("a")
    source = open_source(path, poll=True)
    assert isinstance(source, PollingSource) and "--poll" in source.description


def test_file_events_arrive_for_the_watched_file_only(tmp_path):
    pytest.importorskip("watchdog")
    from sysdesign.learner.sources import EventSource

    path, other = tmp_path / "m.py", tmp_path / "other.py"
    path.write_text("a")
    source = EventSource(path, Clock())
    try:
        other.write_text("x")
        path.write_text("b")
        assert source._flag.wait(10), "no file event for the watched file"
        assert source.changed()
        assert not source.changed()  # consumed
    finally:
        source.close()


def test_line_keys_from_a_pipe_then_silence_at_end_of_input():
    keys = LineKeys(io.StringIO("n\n\nquit\n"))
    assert [keys.read(5), keys.read(5), keys.read(5)] == ["n", "\n", "q"]
    assert keys.read(0.01) is None


def test_terminal_keys_are_single_keys_and_the_terminal_mode_is_restored():
    master, slave = pty.openpty()
    try:
        stream = os.fdopen(slave, "r", closefd=False)
        before = termios.tcgetattr(slave)
        with pytest.raises(RuntimeError):
            with cbreak(stream) as single:
                assert single
                assert not termios.tcgetattr(slave)[3] & termios.ICANON
                keys = TerminalKeys(stream)
                os.write(master, b"h")
                assert keys.read(5) == "h"
                os.write(master, b"\x1b[A")  # an arrow key: ignored
                assert keys.read(5) is None
                os.write(master, b"\r")
                assert keys.read(5) == "\n"
                assert keys.read(0) is None
                raise RuntimeError("the watch crashed")
        assert termios.tcgetattr(slave) == before
    finally:
        os.close(master)
        os.close(slave)


def test_cbreak_without_a_terminal_does_nothing():
    with cbreak(io.StringIO()) as single:
        assert not single
