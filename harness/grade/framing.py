"""Frames between the deciding process and the worker: length-prefixed JSON messages on a pair of
pipes (:class:`Pipe`), and the errors that end or refuse them."""

from __future__ import annotations

import errno
import json
import os

from sysdesign.grade.codec import EncodeError

HEADER = 4
MAX_FRAME = 32 * 1024 * 1024


class ProtocolError(Exception):
    """The other side sent something that is not a message of this protocol."""


class PipeClosed(Exception):
    """The other side closed its end (it exited or was killed)."""


class MessageTooLarge(EncodeError):
    """A message over the size limit (:data:`MAX_FRAME`): it is refused before a byte is sent,
    so a too-large answer becomes this error on the asking side and both sides go on."""


class Pipe:
    """Length-prefixed JSON frames over a read fd and a write fd, with blocking I/O. The
    deciding side bounds waiting by killing the worker when its time is up (a watchdog in
    :mod:`sysdesign.grade.worker_provider`): a blocked read then ends with :class:`PipeClosed`."""

    def __init__(self, rfd: int, wfd: int, *, max_frame: int = MAX_FRAME) -> None:
        self.rfd, self.wfd, self.max_frame = rfd, wfd, max_frame
        self._buf = bytearray()

    def send(self, msg: dict) -> None:
        self.send_text(_dumps(msg))

    def send_text(self, text: str) -> None:
        """Send a message already written as JSON text (ASCII)."""
        data = text.encode("ascii")
        if len(data) > self.max_frame:
            raise MessageTooLarge(f"a message of {len(data)} bytes, over the {self.max_frame}-byte limit of a message "
                                  "between the grader and learner code")
        view = memoryview(len(data).to_bytes(HEADER, "big") + data)
        while view:
            try:
                n = os.write(self.wfd, view)
            except OSError as exc:
                if isinstance(exc, BrokenPipeError) or exc.errno in (errno.EPIPE, errno.EBADF):
                    raise PipeClosed() from None
                raise
            view = view[n:]

    def _fill(self, need: int) -> None:
        buf = self._buf
        while len(buf) < need:
            try:
                chunk = os.read(self.rfd, max(65536, need - len(buf)))
            except OSError as exc:
                if exc.errno == errno.EBADF:
                    raise PipeClosed() from None
                raise
            if not chunk:
                raise PipeClosed()
            buf += chunk

    def recv(self) -> dict:
        buf = self._buf
        if len(buf) < HEADER:
            self._fill(HEADER)
        size = int.from_bytes(buf[:HEADER], "big")
        if size > self.max_frame:
            raise ProtocolError(f"a message of {size} bytes (limit {self.max_frame})")
        end = HEADER + size
        if len(buf) < end:
            self._fill(end)
        body = buf[HEADER:end]  # one copy (a bytearray decodes as bytes do)
        del buf[:end]
        try:
            text = body.decode("ascii")
            msg, stop = _raw_loads(text)  # frames carry no white space: nothing to skip around it
        except (ValueError, RecursionError) as exc:
            raise ProtocolError(f"not JSON: {exc}") from None
        if stop != len(text):
            raise ProtocolError("not JSON: extra data after the message")
        if type(msg) is not dict:
            raise ProtocolError("a message must be a JSON object")
        return msg


_dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=True, allow_nan=True).encode
_raw_loads = json.JSONDecoder().raw_decode
