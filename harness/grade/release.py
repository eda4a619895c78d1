"""``sysdesign release OUTDIR``: the learner's distribution of the kit.

It holds the stubs (once, in ``plugins/pristine/<slug>.py``: ``exercises/`` holds only its
``__init__.py``, and the learner's first command copies each stub there, as in the kit), the
visible grading suites (without their known-wrong variants, which build on the references),
the harness, the plugins, ``pyproject.toml``, ``README.md`` and ``docs/``. Never the kit's own
tests, never hidden tests, never a reference as importable or plain source: ``solutions/<slug>.py``
is a placeholder that refuses to load (so ``--solutions`` says the reference is not shipped),
and unless ``--no-solutions`` the references travel as zlib-compressed base64 blobs in
``.references/`` (not a package), for a ``sysdesign solution`` command to reveal later.

Exercises of installed packs travel too: each pack becomes a wheel in ``packs/`` (its package
as installed, with every exercise's ``reference.py`` replaced by the same refusing placeholder
and without ``variants/`` or ``hidden/``; its stubs travel inside it and become working copies
like the core's once the wheel is installed), and its references go to ``.references/`` like the core's. A pack whose files cannot be found is
refused with one line naming it, never silently dropped.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import importlib.metadata
import importlib.util
import io
import re
import shutil
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from sysdesign import KIT_ROOT
from sysdesign.exercise import Exercise
from sysdesign.plugin_manager import PACK_GROUP, Kit, shared_kit

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


# -- packs ---------------------------------------------------------------------------------------------
@dataclass
class PackSource:
    """An installed pack that some selected exercises come from."""

    name: str                     # the pack's name (as its exercises give it)
    entry_point: str              # "name = module" of its ``sysdesign.packs`` entry point
    package: str                  # its top-level import package
    package_dir: Path             # where that package's files are
    dist: importlib.metadata.Distribution | None
    exercises: list[Exercise] = field(default_factory=list)

    @property
    def dist_name(self) -> str:
        return self.dist.metadata["Name"] if self.dist is not None else f"sysdesign-pack-{self.name}"

    @property
    def version(self) -> str:
        return self.dist.version if self.dist is not None else "0"


def _inside(path: Path, folder: Path) -> bool:
    try:
        Path(path).resolve().relative_to(Path(folder).resolve())
    except ValueError:
        return False
    return True


def pack_sources(kit: Kit, exercises: list[Exercise] | None = None) -> list[PackSource]:
    """The installed packs the given exercises (default: all of the kit's) come from. Raises
    :class:`ReleaseError` (one line naming the pack) when a pack's package cannot be found."""
    chosen = [e for e in (kit.exercises if exercises is None else exercises) if e.pack != "core"]
    if not chosen:
        return []
    candidates = []
    for ep in importlib.metadata.entry_points(group=PACK_GROUP):
        top = ep.value.split(":", 1)[0].split(".", 1)[0]
        try:
            spec = importlib.util.find_spec(top)
        except (ImportError, ValueError):
            continue
        for folder in (spec.submodule_search_locations or []) if spec is not None else []:
            candidates.append((ep, top, Path(folder)))
    packs: dict[str, PackSource] = {}
    for exercise in chosen:
        found = next(((ep, top, folder) for ep, top, folder in candidates if _inside(exercise.suite, folder)), None)
        if found is None:
            raise ReleaseError(f"pack '{exercise.pack}': cannot find the installed package of exercise "
                               f"'{exercise.slug}' ({exercise.suite}); install the pack as a package, or leave it out "
                               "with --exercise")
        ep, top, folder = found
        key = f"{ep.name}:{folder}"
        if key not in packs:
            packs[key] = PackSource(name=exercise.pack, entry_point=f"{ep.name} = {ep.value}", package=top,
                                    package_dir=folder, dist=getattr(ep, "dist", None))
        packs[key].exercises.append(exercise)
    return list(packs.values())


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def write_wheel(out_dir: Path, name: str, version: str, files: dict[str, bytes], *, metadata: str,
                entry_points: str = "") -> Path:
    """A pure-Python wheel (``py3-none-any``) holding ``files`` (archive name -> bytes), written
    deterministically (fixed dates, sorted names); returns its path."""
    dist = f"{_normalise(name)}-{version}"
    info = f"{dist}.dist-info"
    members = dict(sorted(files.items()))
    members[f"{info}/METADATA"] = metadata.encode("utf-8")
    members[f"{info}/WHEEL"] = b"Wheel-Version: 1.0\nGenerator: sysdesign-kit\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    if entry_points:
        members[f"{info}/entry_points.txt"] = entry_points.encode("utf-8")
    record = io.StringIO()
    writer = csv.writer(record, lineterminator="\n")
    for arcname, data in members.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
        writer.writerow([arcname, f"sha256={digest}", len(data)])
    writer.writerow([f"{info}/RECORD", "", ""])
    members[f"{info}/RECORD"] = record.getvalue().encode("utf-8")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / wheel_name(name, version)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as wheel:
        for arcname, data in members.items():
            entry = zipfile.ZipInfo(arcname, date_time=(1980, 1, 1, 0, 0, 0))
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            wheel.writestr(entry, data)
    return target


def _pack_metadata(pack: PackSource) -> tuple[str, str]:
    """(METADATA, entry_points.txt) of a pack's wheel."""
    if pack.dist is not None and pack.dist.read_text("METADATA"):
        metadata = pack.dist.read_text("METADATA") or ""
    else:
        metadata = f"Metadata-Version: 2.1\nName: {pack.dist_name}\nVersion: {pack.version}\nRequires-Dist: sysdesign-kit\n"
    entry_points = (pack.dist.read_text("entry_points.txt") if pack.dist is not None else None) or ""
    if PACK_GROUP not in entry_points:
        entry_points += f"\n[{PACK_GROUP}]\n{pack.entry_point}\n"
    return metadata, entry_points


def wheel_name(name: str, version: str) -> str:
    """The file name :func:`write_wheel` gives a distribution's wheel."""
    return f"{_normalise(name)}-{version}-py3-none-any.whl"


def pack_wheel(pack: PackSource, out_dir: Path) -> Path:
    """Write the learner's wheel of ``pack`` into ``out_dir``: its package as installed, each
    exercise's reference replaced by a refusing placeholder, without ``variants/``, ``hidden/``
    or compiled files. Returns the wheel's path."""
    exercise_dirs = {e.suite.resolve(): e for e in pack.exercises}
    all_dirs = {toml.parent.resolve() for toml in pack.package_dir.rglob("exercise.toml")}
    files: dict[str, bytes] = {}
    for path in sorted(pack.package_dir.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts or path.suffix in (".pyc", ".pyo"):
            continue
        rel = path.relative_to(pack.package_dir)
        if any(part in ("variants", "hidden") for part in rel.parts[:-1]):
            if any(_inside(path, d) for d in all_dirs):
                continue
        arcname = f"{pack.package}/{rel.as_posix()}"
        folder = path.parent.resolve()
        if path.name == "reference.py" and folder in all_dirs:
            slug = exercise_dirs[folder].slug if folder in exercise_dirs else folder.name
            files[arcname] = PLACEHOLDER.format(slug=slug).encode("utf-8")
            continue
        files[arcname] = path.read_bytes()
    metadata, entry_points = _pack_metadata(pack)
    return write_wheel(out_dir, pack.dist_name, pack.version, files, metadata=metadata, entry_points=entry_points)


PACKS_README = """\
Exercise packs of this course, as wheels. Install them beside the kit:

    python -m pip install -e . packs/*.whl

Their reference solutions are not inside: like the core's, they are in .references/ (when shipped).
"""


def build_release(outdir: Path, *, solutions: bool = True, kit: Kit | None = None, kit_root: Path = KIT_ROOT,
                  exercises: list[Exercise] | None = None) -> list[str]:
    """Write the learner distribution into ``outdir`` (new or empty); returns the files written,
    relative to it. ``exercises``: the exercises to ship (default every exercise of the kit,
    installed packs' included)."""
    kit = kit or shared_kit()
    selected = list(kit.exercises if exercises is None else exercises)
    packs = pack_sources(kit, selected)
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
    for pack in packs:
        pack_wheel(pack, out / "packs")
        for exercise in pack.exercises:
            if solutions and exercise.reference.is_file():
                (out / BLOB_DIR / f"{exercise.slug}.zlib.b64").write_text(
                    encode_reference(exercise.reference.read_text(encoding="utf-8")), encoding="ascii")
    if packs:
        (out / "packs" / "README.md").write_text(PACKS_README, encoding="utf-8")
    for exercise in selected:
        if exercise.pack != "core":
            continue
        slug = exercise.slug
        shutil.copytree(exercise.suite, out / "tests" / slug,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "variants", "hidden"))
        (out / "solutions" / f"{slug}.py").write_text(PLACEHOLDER.format(slug=slug), encoding="utf-8")
        if solutions and exercise.reference.is_file():
            (out / BLOB_DIR / f"{slug}.zlib.b64").write_text(
                encode_reference(exercise.reference.read_text(encoding="utf-8")), encoding="ascii")
    return sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
