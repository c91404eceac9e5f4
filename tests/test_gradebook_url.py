"""The gradebook URL belongs to the output folder: later commands use it without --db, refuse a
different one naming both (masked), and no message ever holds any part of a password, whatever
characters it has."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from autograder.grading import db_url
from autograder.grading.gradebook import GradebookError, open_for, open_gradebook, url_for


def _parts() -> list[str]:
    return [secrets.token_hex(4) for _ in range(5)]


def awkward_password() -> tuple[str, list[str]]:
    """A password holding @ : / % and the random pieces between them (none may be shown)."""
    parts = _parts()
    return f"{parts[0]}@{parts[1]}:{parts[2]}/{parts[3]}%{parts[4]}", parts


def shows_any(text: str, parts: list[str]) -> list[str]:
    return [p for p in parts if p in text]


def test_a_password_with_at_colon_slash_percent_is_masked_whole():
    password, parts = awkward_password()
    url = f"postgresql://grader:{password}@db.example:5432/ch4"
    masked = db_url.mask_url(url)
    assert masked == "postgresql://grader:***@db.example:5432/ch4"
    assert not shows_any(masked, parts)
    assert db_url.without_password(url) == "postgresql://grader@db.example:5432/ch4"


def test_an_unencoded_at_in_a_password_is_refused_with_the_encoding_hint():
    password, parts = awkward_password()
    with pytest.raises(GradebookError) as err:
        open_gradebook(f"postgresql://grader:{password}@127.0.0.1/ch4")
    message = str(err.value)
    assert "\n" not in message and not shows_any(message, parts)
    assert "%40" in message and "URL-encoded" in message


def test_an_encoded_password_is_scrubbed_from_a_driver_message_in_both_forms():
    url = "postgresql://grader:pa%40ss-word-9@h/db"
    text = "FATAL: password pa@ss-word-9 rejected (pa%40ss-word-9)"
    assert db_url.scrub(text, url) == "FATAL: password *** rejected (***)"


def test_a_sqlite_gradebook_url_is_the_same_database_however_the_path_is_written(
        tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert db_url.same_database("sqlite:///out/gradebook.db",
                                f"sqlite:///{tmp_path}/out/gradebook.db")
    assert not db_url.same_database("sqlite:///a.db", "sqlite:///b.db")
    assert db_url.same_database("postgresql://u:one@h/db", "postgres://u@h/db")
    assert not db_url.same_database("postgresql://u@h/db", "postgresql://u@h/other")


def test_a_new_folder_records_its_gradebook_without_the_password(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    gb, url = open_for(out, None)
    gb.close()
    assert url == db_url.default_url(out)
    assert db_url.recorded(out) == url
    assert url_for(out, None) == url


def test_later_commands_refuse_another_gradebook_naming_both_masked(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    password, parts = awkward_password()
    db_url.remember(out, f"postgresql://grader:{password.replace('@', '%40')}@db/ch4")
    stored = (out / db_url.URL_FILE).read_text(encoding="utf-8")
    assert not shows_any(stored, parts) and "postgresql://grader@db/ch4" in stored
    # without --db: the recorded PostgreSQL URL, never a new SQLite gradebook
    assert url_for(out, None) == "postgresql://grader@db/ch4"
    # the same database with its password: used as given
    assert url_for(out, "postgresql://grader:x@db/ch4") == "postgresql://grader:x@db/ch4"
    other = f"postgresql://grader:{password.replace('@', '%40')}@db/other"
    with pytest.raises(GradebookError) as err:
        url_for(out, other)
    message = str(err.value)
    assert "postgresql://grader@db/ch4" in message and "grader:***@db/other" in message
    assert "leave --db out" in message and not shows_any(message, parts)


def test_a_folder_graded_into_sqlite_refuses_a_postgresql_url(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "gradebook.db").write_bytes(b"")        # an older folder: no gradebook-url yet
    with pytest.raises(GradebookError, match="was graded into the gradebook sqlite:///"):
        url_for(out, "postgresql://grader@db/ch4")


def test_an_older_folder_without_a_record_keeps_the_url_of_its_course_config(tmp_path):
    out = tmp_path / "out"
    (out / "course").mkdir(parents=True)
    (out / "course" / "nbgrader_config.py").write_text(
        "c = get_config()\nc.CourseDirectory.db_url = 'postgresql+psycopg://g@h/term'\n")
    assert url_for(out, None) == "postgresql+psycopg://g@h/term"
    assert url_for(out, "postgresql://g:pw@h/term") == "postgresql://g:pw@h/term"


def test_feedback_without_db_uses_the_recorded_gradebook_and_refuses_another(
        tmp_path_factory, capsys):
    from graded_class import graded_copy

    from autograder.cli import main as ch4

    _, out, _ = graded_copy(tmp_path_factory)
    assert db_url.recorded(out) == db_url.default_url(out)
    other = f"sqlite:///{out.parent / 'elsewhere.db'}"
    before = (out / "canvas_grades.csv").read_bytes()
    assert ch4(["feedback", str(out), "--db", other]) == 2
    err = capsys.readouterr().err
    assert err.startswith("ch4 feedback: ") and "elsewhere.db" in err and "gradebook.db" in err
    assert (out / "canvas_grades.csv").read_bytes() == before     # nothing rewritten
    assert not Path(out.parent / "elsewhere.db").exists()


def test_feedback_refuses_to_empty_the_lms_files_from_a_gradebook_without_grades(
        tmp_path_factory, capsys):
    from graded_class import graded_copy

    from autograder.cli import main as ch4

    _, out, _ = graded_copy(tmp_path_factory)
    before = (out / "moodle_grades.csv").read_bytes()
    (out / "gradebook.db").unlink()                 # e.g. lost, or the wrong database
    assert ch4(["feedback", str(out)]) == 2
    assert "holds no grades of 'ch4'" in capsys.readouterr().err
    assert (out / "moodle_grades.csv").read_bytes() == before


def test_the_course_config_tells_formgrader_where_the_password_comes_from_without_one():
    from autograder.grading import course_folder

    text = course_folder.config_text("ch4", "postgresql+psycopg://grader@db:5432/ch4")
    assert "grader@db:5432/ch4" in text and "PGPASSWORD" in text and "~/.pgpass" in text
