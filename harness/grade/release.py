"""``sysdesign release OUTDIR``: the learner's distribution of the kit.

It holds the pristine stubs (as ``exercises/<slug>.py`` and ``plugins/pristine/<slug>.py``), the
visible grading suites (without their known-wrong variants, which build on the references),
the harness, the plugins, ``pyproject.toml``, ``README.md`` and ``docs/``. Never the kit's own
tests, never hidden tests, never a reference as importable or plain source: ``solutions/<slug>.py``
is a placeholder that refuses to load (so ``--solutions`` says the reference is not shipped),
and unless ``--no-solutions`` the references travel as zlib-compressed base64 blobs in
``.references/`` (not a package), for a ``sysdesign solution`` command to reveal later.
"""

from __future__ import annotations

import base64
import shutil
import zlib
from pathlib import Path

from harness import KIT_ROOT
from harness.plugin_manager import Kit, shared_kit

BLOB_DIR = ".references"
_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", ".pytest_cache", ".sysdesign")

PLACEHOLDER = '''"""The reference for exercise '{slug}' is not part of this release of the kit."""

raise ImportError("the reference solution of '{slug}' is not shipped with the learner's kit")
'''


class ReleaseError(Exception):
    """The release cannot be written (one line)."""


def encode_reference(source: str) -> str:
    return base64.b64encode(zlib.compress(source.encode("utf-8"), 9)).decode("ascii")


def read_reference(root: Path, slug: str) -> str | None:
    """The reference of ``slug`` stored in a release at ``root`` (None when not shipped)."""
    blob = Path(root) / BLOB_DIR / f"{slug}.zlib.b64"
    if not blob.is_file():
        return None
    return zlib.decompress(base64.b64decode(blob.read_text(encoding="ascii"))).decode("utf-8")


def build_release(outdir: Path, *, solutions: bool = True, kit: Kit | None = None, kit_root: Path = KIT_ROOT) -> list[str]:
    """Write the learner distribution into ``outdir`` (new or empty); returns the files written,
    relative to it."""
    kit = kit or shared_kit()
    out = Path(outdir)
    if out.exists() and any(out.iterdir()):
        raise ReleaseError(f"{out}: exists and is not empty")
    out.mkdir(parents=True, exist_ok=True)
    for name in ("pyproject.toml", "README.md", "LICENSE", ".gitignore"):
        if (kit_root / name).is_file():
            shutil.copy2(kit_root / name, out / name)
    for folder in ("harness", "docs"):
        if (kit_root / folder).is_dir():
            shutil.copytree(kit_root / folder, out / folder, ignore=_IGNORE)
    shutil.copytree(kit_root / "plugins", out / "plugins", ignore=_IGNORE)
    (out / "exercises").mkdir()
    init = kit_root / "exercises" / "__init__.py"
    (out / "exercises" / "__init__.py").write_text(init.read_text(encoding="utf-8") if init.is_file() else "", encoding="utf-8")
    (out / "solutions").mkdir()
    (out / "solutions" / "__init__.py").write_text(
        '"""References are not shipped as source in the learner\'s kit."""\n', encoding="utf-8")
    (out / "tests").mkdir()
    for item in (kit_root / "tests").iterdir():
        if item.is_file() and item.suffix == ".py":
            shutil.copy2(item, out / "tests" / item.name)
    if solutions:
        (out / BLOB_DIR).mkdir()
        (out / BLOB_DIR / "README.md").write_text(
            "Reference solutions, compressed and base64-encoded so they are not read by accident.\n"
            "They are for after you have solved an exercise.\n", encoding="utf-8")
    for exercise in kit.exercises:
        if exercise.pack != "core":
            continue
        slug = exercise.slug
        (out / "exercises" / f"{slug}.py").write_text(exercise.stub.read_text(encoding="utf-8"), encoding="utf-8")
        shutil.copytree(exercise.suite, out / "tests" / slug,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "variants", "hidden"))
        (out / "solutions" / f"{slug}.py").write_text(PLACEHOLDER.format(slug=slug), encoding="utf-8")
        if solutions and exercise.reference.is_file():
            (out / BLOB_DIR / f"{slug}.zlib.b64").write_text(
                encode_reference(exercise.reference.read_text(encoding="utf-8")), encoding="ascii")
    return sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
