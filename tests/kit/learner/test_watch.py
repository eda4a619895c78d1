"""``sysdesign watch`` driven by scripted keys, a fake clock and a fake suite runner: each
step is one cycle of the loop; nothing here waits in real time."""

from __future__ import annotations

import json
import os

from sysdesign import places, progress
from sysdesign.learner import hint_levels, last_results

IDLE = [None] * 8  # enough cycles for the 0.5 s poll and the debounce to pass on the fake clock


def runs(text: str) -> int:
    return text.count("== sysdesign watch:")


def test_first_run_then_a_save_reruns_and_an_unchanged_save_does_not(watching):
    steps = [watching.save("alpha", "FAIL"), *IDLE, watching.save("alpha", "FAIL"), *IDLE, "q"]
    assert watching(steps) == 0
    assert watching.runner.calls == ["alpha", "alpha"]  # start, then the change; same content again: no run
    text = watching.text
    assert runs(text) == 2 and "not started" in text
    # the failure in full, indented: what was called, what came back, what was expected
    assert "    AssertionError: called ring.node_for('k')\n      got:      'a'\n      expected: 'b'" in text
    assert "Hint (task 2, level 1 of 2): nudge two" in text
    assert "Stopped watching." in text


def test_touching_the_file_without_changing_it_does_not_rerun(watching):
    import os

    path = watching.path("alpha")
    steps = [lambda: os.utime(path, ns=(10**18, 10**18)), *IDLE, "q"]
    watching(steps)
    assert watching.runner.calls == ["alpha"]


def test_enter_reruns_now(watching):
    watching(["\n", "q"])
    assert watching.runner.calls == ["alpha", "alpha"]


def test_passing_offers_the_next_exercise_records_progress_and_n_moves_on(watching):
    steps = [watching.save("alpha", "PASS"), *IDLE, "n", watching.save("beta", "FAIL"), *IDLE, "q"]
    watching(steps)
    text = watching.text
    assert "alpha passes every test. Press n for the next exercise: beta" in text
    assert "Recorded in PROGRESS.md: alpha done." in text
    assert watching.runner.calls == ["alpha", "alpha", "beta", "beta"]  # the change source followed beta
    assert "== sysdesign watch: beta (exercise 2 of 3)" in text
    assert progress.read().done() == {"alpha"}
    assert "Done [" in text and "1/3" in text


def test_every_exercise_done_says_so(watching, fake_kit):
    for slug in ("beta", "gamma"):
        watching.path(slug).write_text("PASS", encoding="utf-8")
    progress.update(fake_kit.exercises, done=["beta", "gamma"])
    watching([watching.save("alpha", "PASS"), *IDLE, "n", "q"])
    assert "Every exercise is done." in watching.text
    assert watching.runner.calls == ["alpha", "alpha"]


def test_h_gives_the_next_hint_level_and_remembers_it(watching):
    watching.path("alpha").write_text("FAIL", encoding="utf-8")
    watching(["h", "h", "h", "q"])
    text = watching.text
    assert "level 2 of 2:\n  closer two" in text
    assert "That is the last hint for task 2." in text
    assert hint_levels.hint_level("alpha", 2) == 2


def test_h_on_a_passing_exercise_needs_no_hint(watching):
    watching.path("alpha").write_text("PASS", encoding="utf-8")
    watching(["h", "q"])
    assert "no hint needed" in watching.text


def test_l_lists_the_curriculum_with_a_progress_bar(watching):
    watching(["l", "q"])
    text = watching.text
    assert ">  1  alpha" in text and "   2  beta" in text
    assert "Progress [------------------------] 0/3 exercises done" in text


def test_a_checks_every_exercise(watching):
    watching.path("gamma").write_text("PASS", encoding="utf-8")
    watching(["a", "q"])
    assert watching.runner.calls == ["alpha", "alpha", "beta", "gamma"]
    assert "gamma  passing" in watching.text


def test_r_asks_then_resets_keeping_a_backup(watching, fake_kit):
    path = watching.path("alpha")
    path.write_text("FAIL  # my work", encoding="utf-8")
    watching(["r", "x", "r", "y", "q"])
    text = watching.text
    assert "Press y to confirm" in text and "Reset cancelled; nothing changed." in text
    assert path.read_text() == fake_kit.exercise("alpha").stub.read_text()
    backups = list(places.backups_dir().glob("alpha-*.py"))
    assert len(backups) == 1 and backups[0].read_text() == "FAIL  # my work"
    assert f"your version is kept at {backups[0]}" in text
    assert watching.runner.calls == ["alpha", "alpha"]  # re-run after the reset


def test_a_deleted_file_is_explained_and_r_restores_it(watching, fake_kit):
    path = watching.path("alpha")
    steps = [path.unlink, *IDLE, "r", "y", "q"]
    assert watching(steps) == 0
    text = watching.text
    assert "alpha.py is missing" in text and "sysdesign reset alpha" in text
    assert path.read_text() == fake_kit.exercise("alpha").stub.read_text()
    assert watching.runner.calls == ["alpha", "alpha"]  # not run while missing


def test_a_file_that_comes_back_is_run_again(watching):
    path = watching.path("alpha")
    steps = [path.unlink, *IDLE, watching.save("alpha", "PASS"), *IDLE, "q"]
    watching(steps)
    assert watching.runner.calls == ["alpha", "alpha"]
    assert "alpha passes every test" in watching.text


def test_an_interrupted_run_is_not_recorded(watching, fake_runner):
    watching.path("alpha").write_text("PASS", encoding="utf-8")
    fake_runner.exit_code = 2
    watching(["q"])
    assert "interrupted" in watching.text
    assert "alpha" not in last_results.load_last_results()
    assert progress.read().done() == set()


def test_after_ctrl_c_an_event_for_the_same_content_does_not_start_the_hanging_run_again(watching, fake_runner):
    path = watching.path("alpha")
    path.write_text("HANG", encoding="utf-8")
    fake_runner.exit_code = 2  # the run was stopped with Ctrl-C

    def rewrite_same():  # an editor's late write of the content already run
        path.write_text("HANG", encoding="utf-8")
        os.utime(path, ns=(1, 1))

    watching([rewrite_same, *IDLE, "q"])
    assert fake_runner.calls == ["alpha"]
    assert "Interrupted (Ctrl-C); nothing was recorded." in watching.text and "Save a change, or press Enter" in watching.text
    fake_runner.calls.clear()
    watching([watching.save("alpha", "HANG fixed"), *IDLE, "\n", "q"])
    assert fake_runner.calls == ["alpha", "alpha", "alpha"]  # start, the changed save, Enter


def test_a_runner_that_crashes_does_not_end_the_watch(watching, fake_runner):
    fake_runner.error = RuntimeError("suite exploded")
    assert watching(["\n", "q"]) == 0
    assert watching.text.count("could not run: RuntimeError: suite exploded") == 2


def test_an_import_error_is_shown_and_h_says_to_fix_it(watching):
    watching.path("alpha").write_text("IMPORTERROR", encoding="utf-8")
    watching(["h", "q"])
    assert "SyntaxError" in watching.text and "does not import yet" in watching.text


def test_unknown_keys_show_help_and_q_quits_before_max_cycles(watching):
    watching(["z", "q", "\n", "\n"])
    assert "Unknown key 'z'" in watching.text
    assert watching.runner.calls == ["alpha"]


def test_max_cycles_bounds_the_loop_without_keys(watching):
    assert watching([], max_cycles=5) == 0
    assert watching.runner.calls == ["alpha"]


def test_without_a_slug_the_first_unfinished_exercise_is_watched(watching, fake_kit):
    watching.path("alpha").write_text("PASS", encoding="utf-8")
    progress.update(fake_kit.exercises, done=["alpha"])
    watching(["q"], slug=None)
    assert watching.runner.calls == ["beta"]


def test_screen_mode_clears_before_each_run_and_plain_mode_never_does(watching):
    from sysdesign.term import CLEAR_SCREEN

    watching(["\n", "q"], screen=True)
    assert watching.text.count(CLEAR_SCREEN) == 2
    watching.out.truncate(0)
    watching(["q"])
    assert CLEAR_SCREEN not in watching.text and "\033[" not in watching.text


def test_results_record_the_digest_of_the_graded_module(watching):
    watching.path("alpha").write_text("FAIL", encoding="utf-8")
    watching(["q"])
    entry = json.loads(places.results_file().read_text())["alpha"]
    assert entry["status"] == "failing" and entry["first_task"] == 2
    assert last_results.is_fresh(entry, "alpha")
