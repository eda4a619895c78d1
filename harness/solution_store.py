"""Where ``sysdesign solution`` reads a reference from.

A checkout of the kit has the references as modules (``exercise.reference``, usually
``solutions/<slug>.py``). A release may ship them instead as blobs,
``release-data/solutions/<slug>.py.zb64``: the module's UTF-8 source, zlib-compressed, then
base64-encoded (one line), so that a casual ``grep`` through the kit does not show them.
:func:`write_blob` is what ``sysdesign release`` uses to write one.
"""

from __future__ import annotations

import base64
import binascii
import zlib
from dataclasses import dataclass
from pathlib import Path

from sysdesign import KIT_ROOT
from sysdesign.exercise import Exercise

RELEASE_SOLUTIONS = KIT_ROOT / "release-data" / "solutions"
BLOB_SUFFIX = ".py.zb64"


class SolutionUnavailable(LookupError):
    """No reference can be read for an exercise (one line, names what was tried)."""


@dataclass(frozen=True)
class Reference:
    source: str
    #: Where it came from: the module path or the blob path.
    origin: Path


def blob_path(slug: str, release_dir: Path | None = None) -> Path:
    return Path(release_dir or RELEASE_SOLUTIONS) / f"{slug}{BLOB_SUFFIX}"


def encode(source: str) -> bytes:
    """The blob for ``source``: zlib, then base64, then a newline."""
    return base64.b64encode(zlib.compress(source.encode("utf-8"), 9)) + b"\n"


def decode(blob: bytes) -> str:
    """The source in a blob (raises ValueError when it is not one)."""
    try:
        return zlib.decompress(base64.b64decode(blob.strip(), validate=True)).decode("utf-8")
    except (binascii.Error, zlib.error, UnicodeDecodeError) as exc:
        raise ValueError(f"not a solution blob ({exc})") from None


def write_blob(slug: str, source: str, release_dir: Path | None = None) -> Path:
    """Write ``source`` as the release blob of ``slug``; returns its path."""
    path = blob_path(slug, release_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(encode(source))
    return path


def read_reference(exercise: Exercise, release_dir: Path | None = None) -> Reference:
    """The reference of ``exercise``: its module when present, else its release blob."""
    module = Path(exercise.reference) if exercise.reference else None
    if module is not None and module.is_file():
        try:
            return Reference(module.read_text(encoding="utf-8"), module)
        except (OSError, UnicodeDecodeError) as exc:
            raise SolutionUnavailable(f"{module}: cannot read the reference ({exc})") from None
    blob = blob_path(exercise.slug, release_dir)
    try:
        return Reference(decode(blob.read_bytes()), blob)
    except FileNotFoundError:
        tried = f"neither {module} nor {blob} exists" if module is not None else f"{blob} does not exist"
        raise SolutionUnavailable(f"no reference for '{exercise.slug}' in this kit ({tried})") from None
    except (OSError, ValueError) as exc:
        raise SolutionUnavailable(f"{blob}: {exc}") from None
