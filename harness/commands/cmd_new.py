"""``sysdesign new SLUG [--pack DIR]``: scaffold a new exercise.

With ``--pack DIR`` the exercise goes into an exercise pack: a new installable pack when ``DIR``
does not exist (or is empty), or one more exercise in the pack already there. Without it, the
exercise is added to the kit itself (its stub in ``plugins/pristine``, its reference in
``solutions``, its suite in ``tests/<slug>``; the learner's ``exercises/<slug>.py`` is copied from
the stub on first use, like a pack's).

Either way the scaffold is complete and consistent: a stub with numbered tasks whose every body
raises ``NotImplementedError`` ("not started"), a reference that passes the suite, a suite with
task and points markers, hints for every task, and one known-wrong variant with ``EXPECT_FAIL``.
A new pack installs with ``pip install -e DIR`` and passes ``sysdesign dev check --pack NAME``
straight away; then make it teach something.
"""

from __future__ import annotations

import argparse
import keyword
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from string import Template

from sysdesign import KIT_ROOT
from sysdesign.commands.common import CliError
from sysdesign.exercise import FORMAT_VERSION

PACK_PREFIX = "sysdesign-pack-"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("new", help="scaffold a new exercise, in a pack (--pack DIR) or in the kit")
    p.add_argument("slug", help="the exercise's name: a lowercase Python identifier, e.g. token_bucket")
    p.add_argument("--pack", metavar="DIR", help="the pack's folder: created when missing, extended when it is a pack")
    p.add_argument("--name", help="the pack's name (default: DIR's name without 'sysdesign-pack-')")
    p.add_argument("--title", help="the exercise's title")
    p.add_argument("--order", type=int, help="position in the curriculum (default: after every exercise)")
    p.set_defaults(func=run)


# -- names ---------------------------------------------------------------------------------------
def check_slug(slug: str) -> None:
    if not re.fullmatch(r"[a-z][a-z0-9_]*", slug) or keyword.iskeyword(slug):
        raise CliError(f"bad slug {slug!r}: use a lowercase Python identifier such as token_bucket")


def class_name(slug: str) -> str:
    return "".join(part.capitalize() for part in slug.split("_") if part) or "Component"


def pack_name_for(folder: Path, name: str | None) -> str:
    raw = name or folder.resolve().name
    raw = raw.lower().replace("_", "-")
    if raw.startswith(PACK_PREFIX):
        raw = raw[len(PACK_PREFIX):]
    if not re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", raw):
        raise CliError(f"bad pack name {raw!r}: use lowercase letters, digits and dashes (give --name)")
    return raw


def module_for(pack: str) -> str:
    return "sysdesign_pack_" + pack.replace("-", "_")


# -- the exercise's files ------------------------------------------------------------------------
STUB = Template('''\
"""$title.

Say here, in your own words, what problem this component solves in a real system, the idea
that solves it, its trade-offs, and when you would choose something else. This scaffold's
placeholder component is a store whose entries expire: replace it with yours, keeping the
shape (a docstring on everything public, numbered tasks, every body raising
NotImplementedError until the learner writes it).

Time: read ``time.monotonic()`` (or ``time.time()``) when you need "now", never as a default
argument; the suite runs this module on a virtual clock.

Tasks
-----
1. ``$cls.put`` and ``$cls.get``: remember a value under a key.
2. ``$cls.get``: an entry expires ``ttl`` seconds after it was put.

Run ``sysdesign check $slug``.
"""

from __future__ import annotations

import time  # noqa: F401  (time.monotonic() tells the time)
from typing import Any


class $cls:
    """A store whose entries expire ``ttl`` seconds after they were put.

    ``ttl``: seconds an entry lives (> 0, else ``ValueError``).
    """

    def __init__(self, ttl: float = 60.0) -> None:
        """Task 1. An empty store."""
        raise NotImplementedError("task 1: implement $cls.__init__")

    def put(self, key: str, value: Any) -> None:
        """Task 1. Store ``value`` under ``key`` (replacing any previous value); its life starts now."""
        raise NotImplementedError("task 1: implement $cls.put")

    def get(self, key: str) -> Any:
        """Tasks 1-2. The value stored under ``key``.

        Raises ``KeyError`` when there is none, or when it has expired: expired when
        ``now >= time it was put + ttl`` (task 2).
        """
        raise NotImplementedError("task 1: implement $cls.get")
''')

REFERENCE = Template('''\
"""Reference solution of the $slug exercise (same API as the stub)."""

from __future__ import annotations

import time
from typing import Any


class $cls:
    """A store whose entries expire ``ttl`` seconds after they were put."""

    def __init__(self, ttl: float = 60.0) -> None:
        if not ttl > 0:
            raise ValueError(f"ttl must be > 0, got {ttl!r}")
        self.ttl = ttl
        self._entries: dict[str, tuple[Any, float]] = {}

    def put(self, key: str, value: Any) -> None:
        self._entries[key] = (value, time.monotonic() + self.ttl)

    def get(self, key: str) -> Any:
        value, expires = self._entries[key]
        if time.monotonic() >= expires:
            del self._entries[key]
            raise KeyError(key)
        return value
''')

EXERCISE_TOML = Template('''\
format = $format
slug = "$slug"
title = "$title"
order = $order
summary = "One sentence: what the learner builds and why it matters."
components = ["$cls"]

[[tasks]]
number = 1
title = "$cls: remember a value under a key"
hints = [
  "A dict from key to what you need to know about the entry.",
  "get() of a key that was never put raises KeyError: a dict lookup already does.",
]

[[tasks]]
number = 2
title = "$cls: entries expire ttl seconds after they were put"
hints = [
  "Remember when each entry expires, not just its value.",
  "Expired means now >= put time + ttl: at exactly ttl seconds the entry is gone.",
]
''')

CONFTEST = Template('''\
"""Fixtures for the $slug suite."""

import pytest


@pytest.fixture
def $slug(impl):
    """The active implementation of exercises/$slug.py (the learner's, the reference, a variant)."""
    return impl("$slug")
''')

SUITE = Template('''\
"""The $slug suite: every test names its task, and what it is worth when more than 1 point."""

import pytest

from sysdesign.api import expect_equal


@pytest.mark.task(1)
def test_get_returns_what_was_put($slug, clock):
    store = $slug.$cls(ttl=10.0)
    store.put("a", 1)
    store.put("b", 2)
    store.put("a", 3)
    expect_equal("get('a') after put('a', 1), put('b', 2), put('a', 3)", store.get("a"), 3,
                 why="the last put under a key wins")
    expect_equal("get('b')", store.get("b"), 2)


@pytest.mark.task(1)
def test_a_missing_key_raises_key_error($slug, clock):
    store = $slug.$cls(ttl=10.0)
    with pytest.raises(KeyError):
        store.get("never-put")


@pytest.mark.task(1)
@pytest.mark.parametrize("ttl", [0, -1.0])
def test_a_bad_ttl_is_rejected($slug, clock, ttl):
    with pytest.raises(ValueError):
        $slug.$cls(ttl=ttl)


@pytest.mark.task(2)
@pytest.mark.points(2)
def test_entries_expire_after_ttl($slug, clock):
    store = $slug.$cls(ttl=10.0)
    store.put("a", 1)
    clock.tick(9.5)
    expect_equal("get('a') 9.5 s after put (ttl 10)", store.get("a"), 1, why="not expired yet")
    clock.tick(0.5)
    with pytest.raises(KeyError):
        store.get("a")  # exactly ttl seconds after put: expired


@pytest.mark.task(2)
def test_a_new_put_starts_a_new_life($slug, clock):
    store = $slug.$cls(ttl=10.0)
    store.put("a", 1)
    clock.tick(8.0)
    store.put("a", 2)
    clock.tick(8.0)
    expect_equal("get('a') 8 s after the second put (ttl 10)", store.get("a"), 2,
                 why="each put starts the entry's ttl again")
''')

VARIANT = Template('''\
"""Known-wrong: entries never expire."""

from $reference_module import *  # noqa: F401,F403

EXPECT_FAIL = ["test_$slug.py::test_entries_expire_after_ttl"]


class $cls:
    def __init__(self, ttl: float = 60.0) -> None:
        if not ttl > 0:
            raise ValueError(ttl)
        self._values = {}

    def put(self, key, value):
        self._values[key] = value

    def get(self, key):
        return self._values[key]  # the mistake: no expiry
''')

# -- the pack's own files ------------------------------------------------------------------------
PYPROJECT = Template('''\
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "$dist"
version = "0.1.0"
description = "A sysdesign-kit exercise pack."
readme = "README.md"
requires-python = ">=3.11"
dependencies = ["sysdesign-kit"]

# How the kit finds the pack: name = "the plugin module".
[project.entry-points."sysdesign.packs"]
$pack = "$module.plugin"

[tool.setuptools.packages.find]
where = ["src"]

[tool.setuptools.package-data]
"*" = ["*.toml"]
''')

PLUGIN = Template('''\
"""The $pack pack's plugin (the ``sysdesign.packs`` entry point): every <slug>/ folder beside it."""
from sysdesign.api import exercises_hook
sysdesign_exercises = exercises_hook(__file__, pack="$pack")
''')

README = Template('''\
# $dist

A [sysdesign-kit](https://pypi.org/project/sysdesign-kit/) exercise pack.

```sh
python -m pip install -e .               # beside the kit, in the same environment
sysdesign list                           # the pack's exercises show [$pack]
sysdesign dev check --pack $pack         # references pass, stubs are not started, variants fail
pytest --solutions                       # from the kit's folder: every suite, this pack's too
```

Each exercise is a folder of `src/$module/`: `exercise.toml`, `stub.py`, `reference.py`, the
suite (`conftest.py`, `test_*.py`) and `variants/`. Add one with
`sysdesign new SLUG --pack .`.
''')


@dataclass
class Scaffold:
    """What ``new`` wrote."""

    pack: str | None
    files: list[Path]


def _write(path: Path, text: str, files: list[Path]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as fh:
        fh.write(text)
    files.append(path)


def _exercise_files(folder: Path, *, slug: str, title: str, order: int, reference_module: str,
                    stub: Path, reference: Path, files: list[Path]) -> None:
    values = {"slug": slug, "cls": class_name(slug), "title": title.replace('"', "'"), "order": order,
              "format": FORMAT_VERSION, "reference_module": reference_module}
    _write(stub, STUB.substitute(values), files)
    _write(reference, REFERENCE.substitute(values), files)
    _write(folder / "exercise.toml", EXERCISE_TOML.substitute(values), files)
    _write(folder / "conftest.py", CONFTEST.substitute(values), files)
    _write(folder / f"test_{slug}.py", SUITE.substitute(values), files)
    _write(folder / "variants" / "never_expires.py", VARIANT.substitute(values), files)


def existing_pack(folder: Path) -> tuple[str, Path] | None:
    """``(pack name, package folder)`` when ``folder`` holds a pack (a pyproject with one
    ``sysdesign.packs`` entry point), else None."""
    pyproject = folder / "pyproject.toml"
    if not pyproject.is_file():
        return None
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CliError(f"{pyproject}: cannot read it ({exc})") from None
    entries = data.get("project", {}).get("entry-points", {}).get("sysdesign.packs", {})
    if len(entries) != 1:
        return None
    (pack, value), = entries.items()
    module = value.split(":", 1)[0].rsplit(".", 1)[0]
    for base in (folder / "src", folder):
        package = base.joinpath(*module.split("."))
        if package.is_dir():
            return pack, package
    raise CliError(f"{pyproject}: its plugin {value} is not under {folder / 'src'} or {folder}")


def scaffold_pack(slug: str, folder: Path, *, name: str | None = None, title: str | None = None,
                  order: int = 500, taken: set[str] = frozenset()) -> Scaffold:
    """Create the pack in ``folder`` (or add ``slug`` to the pack already there)."""
    check_slug(slug)
    if slug in taken:
        raise CliError(f"exercise '{slug}' exists already (in the kit or an installed pack); choose another slug")
    title = title or f"{slug.replace('_', ' ').capitalize()}: a title that says what the learner builds"
    files: list[Path] = []
    found = existing_pack(folder) if folder.exists() else None
    if found is not None:
        pack, package = found
        if name and name != pack:
            raise CliError(f"{folder} is the pack '{pack}', not '{name}'")
        if (package / slug).exists():
            raise CliError(f"{package / slug} exists already")
    else:
        if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
            raise CliError(f"{folder} exists and is not an exercise pack; give a new or empty folder")
        pack = pack_name_for(folder, name)
        module = module_for(pack)
        package = folder / "src" / module
        values = {"pack": pack, "dist": PACK_PREFIX + pack, "module": module}
        _write(folder / "pyproject.toml", PYPROJECT.substitute(values), files)
        _write(folder / "README.md", README.substitute(values), files)
        _write(package / "__init__.py", f'"""The {pack} exercise pack for sysdesign-kit."""\n', files)
        _write(package / "plugin.py", PLUGIN.substitute(values), files)
    exercise = package / slug
    src_root = folder / "src" if (folder / "src") in package.parents else folder
    reference_module = ".".join([*package.relative_to(src_root).parts, slug, "reference"])
    _write(exercise / "__init__.py", f'"""The {slug} exercise: metadata, stub, reference, suite, variants."""\n', files)
    _exercise_files(exercise, slug=slug, title=title, order=order, reference_module=reference_module,
                    stub=exercise / "stub.py", reference=exercise / "reference.py", files=files)
    return Scaffold(pack=pack, files=files)


def scaffold_core(slug: str, root: Path = KIT_ROOT, *, title: str | None = None, order: int = 500,
                  taken: set[str] = frozenset()) -> Scaffold:
    """Add ``slug`` to the kit itself, in the three places a core exercise lives."""
    check_slug(slug)
    if slug in taken:
        raise CliError(f"exercise '{slug}' exists already (in the kit or an installed pack); choose another slug")
    suite = root / "tests" / slug
    targets = [suite, root / "plugins" / "pristine" / f"{slug}.py", root / "solutions" / f"{slug}.py"]
    clash = next((t for t in targets if t.exists()), None)
    if clash is not None:
        raise CliError(f"{clash} exists already")
    title = title or f"{slug.replace('_', ' ').capitalize()}: a title that says what the learner builds"
    files: list[Path] = []
    _exercise_files(suite, slug=slug, title=title, order=order, reference_module=f"solutions.{slug}",
                    stub=targets[1], reference=targets[2], files=files)
    return Scaffold(pack=None, files=files)


def run(args: argparse.Namespace) -> int:
    from sysdesign.plugin_manager import shared_kit
    from sysdesign.providers import display_path

    kit = shared_kit()
    taken = set(kit.slugs)
    order = args.order if args.order is not None else max([e.order for e in kit.exercises] + [490]) + 10
    if args.pack:
        folder = Path(args.pack)
        made = scaffold_pack(args.slug, folder, name=args.name, title=args.title, order=order, taken=taken)
        print(f"Scaffolded exercise '{args.slug}' in pack '{made.pack}':")
    else:
        if args.name:
            raise CliError("--name names a pack: give --pack DIR too")
        made = scaffold_core(args.slug, title=args.title, order=order, taken=taken)
        print(f"Scaffolded exercise '{args.slug}' in the kit:")
    for path in made.files:
        print(f"  {display_path(path)}")
    print("\nNext:")
    if args.pack:
        if not any(e.pack == made.pack for e in kit.exercises):
            print(f"  python -m pip install -e {args.pack}")
        print(f"  sysdesign dev check --pack {made.pack}   # reference passes, stub not started, variant rejected")
    else:
        print(f"  sysdesign dev check --exercise {args.slug}")
        print("  add two more known-wrong variants: the kit's own tests ask for three per exercise")
    print("  then replace the placeholder component with yours: stub, reference, suite, hints, variants")
    return 0
