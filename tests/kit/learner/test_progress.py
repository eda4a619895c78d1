"""PROGRESS.md: human-readable, rewritten atomically, learner's notes kept, garbage reported in
one line and never lost."""

from __future__ import annotations

import datetime as dt

from sysdesign import places, progress

DAY = dt.date(2026, 2, 3)
LATER = dt.date(2026, 2, 9)


def test_first_record_writes_a_readable_file_at_the_project_root(fake_kit, learner_env):
    assert progress.update(fake_kit.exercises, done=["beta"], day=DAY) == ["beta done"]
    path = learner_env / "PROGRESS.md"
    assert progress.progress_file() == path
    text = path.read_text()
    assert "never used for\ngrading" in text
    assert "Done: 1 of 3 exercises [########----------------]" in text
    assert "| alpha |  |  | The alpha exercise |" in text
    assert "| beta | 2026-02-03 |  | The beta exercise |" in text
    assert list(learner_env.glob(".*tmp")) == []


def test_round_trip_and_only_the_first_date_counts(fake_kit):
    progress.update(fake_kit.exercises, done=["alpha"], day=DAY)
    assert progress.update(fake_kit.exercises, done=["alpha"], day=LATER) == []
    entries = progress.read().entries
    assert entries["alpha"].done == DAY and entries["beta"].done is None


def test_forced_solution_views_are_recorded_until_the_exercise_is_done(fake_kit):
    assert progress.update(fake_kit.exercises, solution_shown=["alpha"], day=DAY) == ["alpha solution shown"]
    assert progress.update(fake_kit.exercises, solution_shown=["alpha"], day=LATER) == []
    progress.update(fake_kit.exercises, done=["beta"], day=DAY)
    assert progress.update(fake_kit.exercises, solution_shown=["beta"], day=LATER) == []
    assert "| alpha |  | 2026-02-03 |" in progress.progress_file().read_text()


def test_notes_outside_the_table_are_kept(fake_kit):
    progress.update(fake_kit.exercises, done=["alpha"], day=DAY)
    path = progress.progress_file()
    path.write_text("My study log.\n\n" + path.read_text() + "\nAsk about vnodes on Monday.\n")
    progress.update(fake_kit.exercises, done=["beta"], day=LATER)
    text = path.read_text()
    assert text.startswith("My study log.\n") and text.endswith("Ask about vnodes on Monday.\n")
    assert "Done: 2 of 3 exercises" in text and "| beta | 2026-02-09 |" in text
    assert not places.backups_dir().exists()


def test_rows_of_exercises_the_kit_no_longer_has_are_kept(fake_kit):
    progress.update(fake_kit.exercises, done=["alpha"], day=DAY)
    path = progress.progress_file()
    path.write_text(path.read_text() + "| retired | 2025-12-01 |  | An old pack's exercise |\n")
    progress.update(fake_kit.exercises, done=["beta"], day=LATER)
    assert "| retired | 2025-12-01 |  | An old pack's exercise |" in path.read_text()


def test_a_garbage_row_is_one_line_salvaged_and_backed_up_before_the_rewrite(fake_kit, capsys):
    progress.update(fake_kit.exercises, done=["alpha"], day=DAY)
    path = progress.progress_file()
    damaged = path.read_text().replace("| beta |  |", "| beta | last tuesday |") + "my notes\n"
    path.write_text(damaged)
    read = progress.load()
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "line" in err[0] and "'last tuesday' is not a date" in err[0]
    assert "backups" in err[0]
    assert read.done() == {"alpha"}  # the rows that make sense still count
    progress.update(fake_kit.exercises, done=["gamma"], day=LATER)
    copies = list(places.backups_dir().glob("PROGRESS-*.md"))
    assert len(copies) == 1 and copies[0].read_text() == damaged  # nothing lost
    text = path.read_text()
    assert "last tuesday" not in text and "my notes" in text
    assert progress.read().done() == {"alpha", "gamma"} and not progress.read().damaged


def test_a_file_with_no_table_is_kept_and_replaced(fake_kit, capsys):
    path = progress.progress_file()
    path.write_text("whatever I typed here\n")
    assert progress.load().damaged
    progress.update(fake_kit.exercises, done=["alpha"], day=DAY)
    assert [p.read_text() for p in places.backups_dir().glob("PROGRESS-*.md")] == ["whatever I typed here\n"]
    assert "| alpha | 2026-02-03 |" in path.read_text()


def test_bytes_that_are_not_utf8_are_reported_and_kept(fake_kit, capsys):
    path = progress.progress_file()
    path.write_bytes(b"\xff\xfe garbage")
    assert "not UTF-8" in progress.load().problems[0]
    progress.update(fake_kit.exercises, done=["alpha"], day=DAY)
    assert [p.read_bytes() for p in places.backups_dir().glob("PROGRESS-*.md")] == [b"\xff\xfe garbage"]


def test_duplicate_rows_and_bad_names_are_problems():
    text = ("| exercise | done on | solution shown before done | title |\n|---|---|---|---|\n"
            "| alpha | 2026-01-01 |  | x |\n| alpha |  |  | x |\n| not a slug! |  |  | x |\n| short |\n")
    parsed = progress.parse(text)
    assert parsed.done() == {"alpha"}
    assert len(parsed.problems) == 3 and parsed.problems[0].startswith("line 4")


def test_titles_with_pipes_survive(fake_kit):
    import dataclasses

    odd = [dataclasses.replace(fake_kit.exercises[0], title="A | B")]
    progress.update(odd, done=["alpha"], day=DAY)
    assert "| alpha | 2026-02-03 |  | A \\| B |" in progress.progress_file().read_text()
    assert not progress.read().damaged


def test_an_unwritable_progress_file_costs_one_line(fake_kit, capsys):
    progress.progress_file().mkdir()
    assert progress.update(fake_kit.exercises, done=["alpha"], day=DAY) == []
    assert "could not update" in capsys.readouterr().err
