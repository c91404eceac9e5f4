"""PostgreSQL as the gradebook: a real server started by the test (Debian's ``postgresql``
package, a temporary folder, a Unix socket only), graded, resumed, hand-marked and rerun with the
same rows as SQLite; a missing driver and a wrong server give one line without the password."""

from __future__ import annotations

import csv
import glob
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from harness import sandbox_ok

from autograder.grading import db_url
from autograder.grading import gradebook as gbmod
from autograder.grading.cli import execute
from autograder.grading.gradebook import GradebookError, mask_url, open_gradebook
from autograder.grading.run import Settings, grade_class
from autograder.grading.sandbox import Limits

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "grading" / "solutions"
LIMITS = Limits(memory_mb=3072, processes=128, file_size_mb=16, cell_timeout=20,
                notebook_timeout=60, grace_s=3)
PASSWORD = "s3cret-" + secrets.token_hex(4)


def test_a_missing_driver_is_one_line_naming_the_extra(monkeypatch):
    for name in [m for m in sys.modules if m == "psycopg" or m.startswith("psycopg.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "psycopg", None)      # as if it were not installed
    with pytest.raises(GradebookError) as err:
        open_gradebook(f"postgresql://grader:{PASSWORD}@127.0.0.1/ch4")
    message = str(err.value)
    assert "\n" not in message
    assert "ch4-companion[postgres]" in message and "psycopg" in message
    assert PASSWORD not in message and "***" in message
    assert err.value.__cause__ is None and err.value.__suppress_context__


def test_an_unreachable_server_is_one_line_without_the_password():
    pytest.importorskip("psycopg")
    with socket.socket() as sock:          # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(GradebookError) as err:
        open_gradebook(f"postgresql://grader:{PASSWORD}@127.0.0.1:{port}/ch4")
    assert "\n" not in str(err.value) and PASSWORD not in str(err.value)
    assert "cannot open the gradebook" in str(err.value)


def test_urls_are_masked_and_postgresql_means_psycopg3():
    url = f"postgresql://grader:{PASSWORD}@db.example:5432/ch4"
    assert PASSWORD not in mask_url(url) and "grader:***@db.example" in mask_url(url)
    assert mask_url("sqlite:////tmp/gradebook.db") == "sqlite:////tmp/gradebook.db"
    assert gbmod.normalize_url(url).startswith("postgresql+psycopg://")
    assert PASSWORD not in mask_url(f"weird://grader:{PASSWORD}@host")


# ------------------------------------------------------------------ a real server


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class Server:
    """A throwaway PostgreSQL cluster on a Unix socket in a temporary folder."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="ch4-pg-"))
        self.data = self.root / "data"
        self.port = 40000 + secrets.randbelow(20000)
        self.as_user: list[str] = []
        if os.geteuid() == 0:      # postgres refuses to run as root: use its system user
            user = "postgres" if _user_exists("postgres") else "nobody"
            self.as_user = [shutil.which("runuser") or "/usr/sbin/runuser", "-u", user, "--"]
            shutil.chown(self.root, user)
        os.chmod(self.root, 0o700)

    def run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([*self.as_user, *args], capture_output=True, text=True,
                              timeout=120, cwd=self.root)

    def start(self) -> None:
        pwfile = self.root / "pw"
        pwfile.write_text(PASSWORD + "\n")
        if self.as_user:
            shutil.chown(pwfile, self.as_user[2])
        done = self.run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", "grader",
                        f"--pwfile={pwfile}", "--auth=scram-sha-256", "-E", "UTF8",
                        "--no-instructions")
        assert done.returncode == 0, done.stderr
        options = (f"-c listen_addresses='' -c unix_socket_directories='{self.root}' "
                   f"-p {self.port} -c fsync=off")
        done = self.run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", options,
                        "-l", str(self.root / "log"), "-w", "-t", "60", "start")
        assert done.returncode == 0, done.stderr + (self.root / "log").read_text()

    def url(self, database: str) -> str:
        return (f"postgresql://grader:{PASSWORD}@/{database}"
                f"?host={self.root}&port={self.port}")

    def create_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(host=str(self.root), port=self.port, user="grader",
                             password=PASSWORD, dbname="postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                     "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


def _user_exists(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


@pytest.fixture(scope="module")
def postgres():
    pytest.importorskip("psycopg")
    bindir = _pg_bin()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql; ./run.sh does)")
    server = Server(bindir)
    try:
        server.start()
        yield server
    finally:
        server.stop()


def _class(root: Path) -> Path:
    """Two students of the tiny fixture: the solution and a file that is not valid JSON (graded
    as invalid without a kernel: the test stays quick)."""
    import importlib.util

    from autograder import notebook as nbk

    spec = importlib.util.spec_from_file_location("make_submissions",
                                                  REPO / "examples" / "make_submissions.py")
    make = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make)
    source = nbk.read(FIXTURE / "01_tiny.ipynb")
    path = root / "submitted" / "solution" / "ch4" / "01_tiny.ipynb"
    path.parent.mkdir(parents=True)
    nbk.write(make.fill(source, make.answer_cells(source)), path)
    broken = root / "submitted" / "broken" / "ch4" / "01_tiny.ipynb"
    broken.parent.mkdir(parents=True)
    broken.write_text('{"cells": [')
    return root


def _settings(subs: Path, out: Path, db: str | None) -> Settings:
    return Settings(subs, FIXTURE, out, "ch4", 2, LIMITS, db, (), True, quiet=True)


def _rows(url: str) -> list[tuple]:
    """Every grade of the gradebook, comparable across databases."""
    rows = []
    with open_gradebook(url) as gb:
        for student in gb.students:
            for nb in gb.find_submission("ch4", student.id).notebooks:
                rows += [(student.id, nb.name, g.name, g.auto_score, g.manual_score,
                          g.needs_manual_grade, g.max_score) for g in nb.grades]
    return sorted(rows, key=repr)


def _hand_mark(url: str, student: str, score: float) -> str:
    """Give the first hand-marked answer a score through nbgrader's API; its name."""
    with open_gradebook(url) as gb:
        nb = gb.find_submission_notebook("01_tiny", "ch4", student)
        grade = next(g for g in nb.grades if g.cell.cell_type == "markdown" or
                     g.auto_score is None)
        grade.manual_score = score
        gb.db.commit()
        return grade.name


@pytest.mark.skipif(not sandbox_ok(), reason="bubblewrap cannot run here")
def test_postgres_gradebook_matches_sqlite_through_grade_resume_hand_mark_and_rerun(
        postgres, tmp_path, capsys):
    subs = _class(tmp_path / "class")
    lite_out = tmp_path / "sqlite"
    lite = gbmod.default_url(lite_out)
    grade_class(_settings(subs, lite_out, None))
    postgres.create_database("ch4grades")
    url = postgres.url("ch4grades")
    pg_out = tmp_path / "pg"
    shutil.copytree(lite_out / "reference", pg_out / "reference")   # the same reference run
    assert execute(_settings(subs, pg_out, url)) == 0
    printed = capsys.readouterr()
    assert PASSWORD not in printed.out + printed.err
    shown = [ln for ln in printed.out.splitlines() if ln.startswith("gradebook: ")]
    assert len(shown) == 1 and shown[0].startswith("gradebook: postgresql") and "***" in shown[0]
    assert _rows(url) == _rows(lite)

    # a hand mark given in both gradebooks survives the rerun (a resume that replays every
    # stored result into the gradebook)
    names = {_hand_mark(u, "solution", 1.0) for u in (url, lite)}
    assert len(names) == 1
    for out, db in ((pg_out, url), (lite_out, None)):
        again = grade_class(_settings(subs, out, db))
        assert (again.graded, again.reused) == (0, 2)
    rows = _rows(url)
    assert rows == _rows(lite)
    assert any(r[0] == "solution" and r[2] in names and r[4] == 1.0 for r in rows)
    for name in ("nbgrader_export.csv", "canvas_grades.csv", "grades.csv"):
        assert _table(pg_out / name) == _table(lite_out / name), name


def _table(path: Path) -> list[dict]:
    """A CSV's rows, sorted, without nbgrader's submission timestamps (they differ by design;
    nbgrader's export lists students in database order)."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = [{k: v for k, v in row.items() if k != "timestamp"}
                for row in csv.DictReader(handle)]
    return sorted(rows, key=lambda row: sorted(row.items()))


# ------------------------------------------------------------------ the URL of the folder


def test_a_password_with_at_colon_slash_percent_works_encoded_and_never_shows(postgres):
    from urllib.parse import quote

    import psycopg
    from psycopg import sql

    pieces = [secrets.token_hex(4) for _ in range(5)]
    awkward = f"{pieces[0]}@{pieces[1]}:{pieces[2]}/{pieces[3]}%{pieces[4]}"
    with psycopg.connect(host=str(postgres.root), port=postgres.port, user="grader",
                         password=PASSWORD, dbname="postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE ROLE awk LOGIN PASSWORD {}").format(sql.Literal(awkward)))
        conn.execute("CREATE DATABASE awkdb OWNER awk")
    where = f"/awkdb?host={postgres.root}&port={postgres.port}"
    with open_gradebook(f"postgresql://awk:{quote(awkward, safe='')}@{where}") as gb:
        assert gb.students == []
    for wrong in (awkward, quote(awkward, safe="") + "x"):   # unencoded '@', a wrong one
        with pytest.raises(GradebookError) as err:
            open_gradebook(f"postgresql://awk:{wrong}@{where}")
        message = str(err.value)
        assert "\n" not in message and not [p for p in pieces if p in message], message
        assert "%40" in message


@pytest.mark.skipif(not sandbox_ok(), reason="bubblewrap cannot run here")
def test_later_commands_without_db_use_the_folders_postgresql_gradebook(
        postgres, tmp_path, capsys, monkeypatch):
    from autograder.cli import main as ch4

    subs = _class(tmp_path / "class")
    postgres.create_database("ch4term")
    url = postgres.url("ch4term")
    out = tmp_path / "pg"
    assert execute(_settings(subs, out, url)) == 0
    capsys.readouterr()
    config = (out / "course" / "nbgrader_config.py").read_text(encoding="utf-8")
    assert PASSWORD not in (out / "gradebook-url").read_text() + config
    monkeypatch.delenv("PGPASSWORD", raising=False)
    assert ch4(["feedback", str(out), "--lms-partial"]) == 2      # no password anywhere
    err = capsys.readouterr().err
    assert "PGPASSWORD" in err and "~/.pgpass" in err and PASSWORD not in err
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    assert ch4(["feedback", str(out), "--lms-partial"]) == 0
    assert not (out / "gradebook.db").exists()            # never a new SQLite gradebook
    canvas = _table(out / "canvas_grades.csv")
    assert any(row["ch4"] not in ("", None) for row in canvas[1:])
    name = _hand_mark(url, "solution", 1.0)
    again = grade_class(_settings(subs, out, None))       # a resume without --db
    graded = {row["student"]: row for row in _table(out / "grades.csv")}
    assert graded["solution"][f"01_tiny:{name}"] == "1"     # the hand mark, not 'to mark'
    assert (again.graded, again.reused) == (0, 2)
    assert not (out / "gradebook.db").exists()
    assert db_url.same_database(db_url.from_course_config(out), url)   # not repointed
    assert any(r[0] == "solution" and r[4] == 1.0 for r in _rows(url))
    assert ch4(["feedback", str(out), "--db", f"sqlite:///{tmp_path / 'x.db'}"]) == 2
    err = capsys.readouterr().err
    assert "was graded into the gradebook postgresql" in err and "x.db" in err
    assert PASSWORD not in err
