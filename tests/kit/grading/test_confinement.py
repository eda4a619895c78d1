"""What learner code can reach while it is graded: only itself.

Each attack is the pristine ``hashing`` stub plus code that tries to reach something it must not
(the reference, a classmate's finished module, hidden tests, the grading spec, the machine's
files and the grader's processes) and, if it got it, to score with it. Every attempt must fail
inside learner code, so each attack scores exactly what the honest stub scores: nothing, every
test "not started". They are graded together in one ``grade_batch`` run.
"""

from __future__ import annotations

import os
import stat
import textwrap
from pathlib import Path

import pytest

from sysdesign import KIT_ROOT
from sysdesign.grade import confinement
from sysdesign.grade.batch import grade_batch
from sysdesign.grade.grader import GradeError, GradeOptions, grade

from .conftest import STUB, write_submission

HIDDEN_MARKER = "hidden-test-marker-7b1e"
REFERENCE = KIT_ROOT / "solutions" / "hashing.py"

#: Tries ``load`` (a function returning module source or raising); on success the stub's names
#: are replaced by the loaded ones, so a working attack would score.
TAKE_OVER = textwrap.dedent('''
    def _take_over(load):
        import sys, types
        try:
            source = load()
        except Exception as exc:  # the honest outcome: the attempt is refused
            sys.stderr.write(f"attempt refused: {type(exc).__name__}: {exc}\\n")
            return
        taken = types.ModuleType("taken")
        sys.modules["taken"] = taken
        exec(compile(source, "taken", "exec"), taken.__dict__)
        globals().update({k: v for k, v in vars(taken).items() if not k.startswith("__")})
''')


def _attack(body: str) -> str:
    return STUB + TAKE_OVER + textwrap.dedent(body)


def attacks(tmp: Path, classmate: Path, hidden_file: Path, canary: Path) -> dict[str, dict[str, str]]:
    reads = {
        "reference_by_import": "_take_over(lambda: open(__import__('importlib').import_module("
                               "'solutions.hashing').__file__).read())\n",
        "reference_by_path": f"_take_over(lambda: open({str(REFERENCE)!r}).read())\n",
        "reference_by_path_search": textwrap.dedent('''
            def _search():
                import sysdesign, pathlib
                kit = pathlib.Path(sysdesign.__file__).resolve().parent.parent
                return (kit / "solutions" / "hashing.py").read_text()
            _take_over(_search)
        '''),
        "reference_through_the_kit_api": textwrap.dedent('''
            def _api():
                from sysdesign.plugin_manager import shared_kit
                return shared_kit().exercise("hashing").reference.read_text()
            _take_over(_api)
        '''),
        "reference_release_blob": textwrap.dedent('''
            def _blob():
                from sysdesign.grade.release import read_reference
                return read_reference("hashing")
            _take_over(_blob)
        '''),
        "classmate_module": f"_take_over(lambda: open({str(classmate / 'hashing.py')!r}).read())\n",
        "classmate_by_relative_path": "_take_over(lambda: open(__import__('os').path.join("
                                      "__import__('os').path.dirname(__file__), '..', 'a_finished_classmate', "
                                      "'hashing.py')).read())\n",
        "hidden_tests_and_spec": textwrap.dedent(f'''
            import glob, os
            def _leak():
                found = []
                spec = os.environ.get("SYSDESIGN_GRADE_SPEC")
                for path in [spec or "", {str(hidden_file)!r}, *glob.glob("/tmp/sysdesign-grade-*/**/*", recursive=True)]:
                    try:
                        with open(path) as fh:
                            found.append(fh.read(2000))
                    except OSError:
                        pass
                return "\\n".join(found)
            _LEAKED = _leak()
            def stable_hash(key):
                raise NotImplementedError("task 1: " + _LEAKED[:3000])
        '''),
    }
    subs: dict[str, dict[str, str]] = {name: {"hashing.py": _attack(body)} for name, body in reads.items()}
    subs["reference_by_symlink"] = {"hashing.py": STUB, "taken.py": None}  # a link, made below
    subs["permission_change_through_a_descriptor"] = {"hashing.py": STUB + textwrap.dedent(f'''
        import os
        for _path in ({str(canary)!r}, {str(canary.parent)!r}, "/tmp"):
            try:
                _fd = os.open(_path, os.O_RDONLY)
            except OSError:
                continue
            for _change in (lambda: os.fchmod(_fd, 0o777), lambda: os.fchown(_fd, 12345, 12345),
                            lambda: os.chmod(_path, 0o777), lambda: os.setxattr(_fd, "user.x", b"1")):
                try:
                    _change()
                except OSError:
                    pass
            os.close(_fd)
    ''')}
    subs["signals_from_a_fresh_interpreter"] = {"hashing.py": STUB + textwrap.dedent('''
        import os, signal, sys
        if sys.argv[:1] == ["-c"]:  # the suite's fresh interpreters
            for _kill in (lambda: os.kill(0, signal.SIGKILL), lambda: os.kill(os.getppid(), signal.SIGKILL),
                          lambda: os.killpg(os.getpgid(os.getppid()), signal.SIGKILL)):
                try:
                    _kill()
                except OSError:
                    pass
    ''')}
    subs["who_am_i"] = {"hashing.py": STUB + textwrap.dedent('''
        import os
        def stable_hash(key):
            raise NotImplementedError(f"task 1: uid={os.getuid()} euid={os.geteuid()} pid={os.getpid()}")
    ''')}
    return subs


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("confinement")
    root = tmp / "submissions"
    root.mkdir()
    classmate = write_submission(root, "a_finished_classmate", {"hashing.py": REFERENCE.read_text()})
    hidden = tmp / "hidden" / "hashing"
    hidden.mkdir(parents=True)
    hidden_file = hidden / "test_hidden.py"
    hidden_file.write_text(f'"""{HIDDEN_MARKER}"""\n\ndef test_hidden(impl):\n    impl("hashing").stable_hash("x")\n',
                           encoding="utf-8")
    canary = tmp / "outside" / "canary.txt"
    canary.parent.mkdir()
    canary.write_text("keep me", encoding="utf-8")
    os.chmod(canary, 0o644)
    before = {p: os.stat(p) for p in (canary, canary.parent)}
    write_submission(root, "honest_stub", {"hashing.py": STUB})
    for name, files in attacks(tmp, classmate, hidden_file, canary).items():
        folder = write_submission(root, name, {k: v for k, v in files.items() if v is not None})
        if "taken.py" in files:
            (folder / "hashing.py").unlink()
            (folder / "hashing.py").symlink_to(REFERENCE)
    out = tmp / "gradebook.csv"
    options = GradeOptions(exercises=["hashing"], timeout=60, memory_mb=256, jobs=2, hidden=tmp / "hidden")
    rows = grade_batch(root, options, out)
    return {"rows": {row.name: row for row in rows}, "before": before, "canary": canary}


def statuses(row) -> dict[str, str]:
    return {t.nodeid: t.status for e in row.report.exercises for t in e.tests}


def messages(row) -> str:
    return "\n".join([e.error for e in row.report.exercises] + [t.message for e in row.report.exercises
                                                              for t in e.tests])


def test_a_finished_classmate_scores_full_marks(batch):
    row = batch["rows"]["a_finished_classmate"]
    assert row.points == row.max_points > 0, row.problem


@pytest.mark.parametrize("name", ["reference_by_import", "reference_by_path", "reference_by_path_search",
                                  "reference_through_the_kit_api", "reference_release_blob",
                                  "classmate_module", "classmate_by_relative_path"])
def test_reading_the_reference_or_a_classmate_earns_nothing(batch, name):
    row = batch["rows"][name]
    honest = statuses(batch["rows"]["honest_stub"])
    got = statuses(row)
    assert row.points == 0, (name, row.points, messages(row)[:2000])
    assert {k: v for k, v in got.items() if not k.startswith("hidden/")} == \
        {k: v for k, v in honest.items() if not k.startswith("hidden/")}


def test_a_symlink_to_the_reference_is_not_followed(batch):
    row = batch["rows"]["reference_by_symlink"]
    assert row.points == 0
    assert set(statuses(row).values()) <= {"error", "not_started"}


def test_hidden_tests_and_the_grading_spec_stay_unread(batch):
    row = batch["rows"]["hidden_tests_and_spec"]
    assert row.points == 0
    text = messages(row)
    assert HIDDEN_MARKER not in text
    assert '"submission"' not in text and "events" not in text


def test_no_file_outside_the_scratch_folder_changes_owner_or_mode(batch):
    for path, before in batch["before"].items():
        now = os.stat(path)
        assert (now.st_mode, now.st_uid, now.st_gid) == (before.st_mode, before.st_uid, before.st_gid), path
    tmp = os.stat("/tmp")
    assert stat.S_IMODE(tmp.st_mode) == 0o1777 and tmp.st_uid == 0
    assert batch["rows"]["permission_change_through_a_descriptor"].points == 0


def test_a_fresh_interpreter_cannot_signal_the_grader(batch):
    row = batch["rows"]["signals_from_a_fresh_interpreter"]
    got = statuses(row)
    assert "crashed" not in got.values() and "missing" not in got.values(), messages(row)[:2000]
    assert row.points == 0


def test_learner_code_never_runs_as_root_and_sees_no_other_process(batch):
    text = messages(batch["rows"]["who_am_i"])
    assert "uid=" in text
    if os.geteuid() != 0:
        assert f"uid={os.geteuid()}" in text  # the grader's own, unprivileged, user
        return
    if confinement.private_runtime_problem() is not None:
        pytest.skip(f"this Python is private to root, so grading here runs learner code as root: "
                    f"{confinement.private_runtime_problem()}")
    assert "uid=0" not in text and "euid=0" not in text
    uid = int(text.split("uid=")[1].split()[0])
    assert uid in confinement.SANDBOX_UIDS
    assert "pid=1" in text.split(), "learner code runs as process 1 of a PID namespace of its own"


def test_grading_refuses_where_learner_code_cannot_be_confined(monkeypatch, tmp_path):
    monkeypatch.setattr(confinement, "unavailable", lambda: "no Landlock here")
    write_submission(tmp_path, "sub", {"hashing.py": STUB})
    with pytest.raises(GradeError, match="no Landlock here.*--allow-weak-sandbox"):
        grade(GradeOptions(impl=tmp_path / "sub", exercises=["hashing"]))


def test_the_rules_keep_a_secret_unreadable_and_its_neighbours_readable(tmp_path):
    """A secret inside a granted folder: the folder's names and the secret's siblings stay
    readable, the secret and its contents do not; a sibling whose name merely starts like the
    secret's (``solutions2`` beside ``solutions``) is not a secret."""
    root = tmp_path / "kit"
    for name in ("solutions/hashing.py", "solutions2/notes.py", "harness/api.py"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("", encoding="utf-8")
    rules = confinement.Rules()
    confinement._grant_tree(rules, root.resolve(), [(root / "solutions").resolve()], confinement.READ)
    granted = {Path(p).name for p in rules.grants}
    assert granted == {"kit", "solutions2", "harness"}, rules.grants
    assert rules.grants[str(root.resolve())] == confinement.READ_DIR
    assert confinement._within(root / "solutions" / "hashing.py", root / "solutions")
    assert confinement._within(root, root)
    assert not confinement._within(root / "solutions2", root / "solutions")
    assert confinement._within(Path("/etc"), Path("/"))
