"""Hand marking in a real browser: JupyterLab + nbgrader's formgrader on the course folder.

``ch4 grade`` grades a tiny class (tests/graded_class.py); JupyterLab is started in OUT/course
on 127.0.0.1 (random port, a token); Debian's chromium, driven by pytest-playwright, opens
formgrader, opens alice's submission, sees the mark scheme, enters a score and a comment for
her written answer; then nbgrader's Gradebook API and ``ch4 feedback``'s page must show both.
Playwright's own browser download is not used (run.sh installs the ``chromium`` package).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("playwright")

from graded_class import SOURCE, grade, graded_copy, make, write_submission  # noqa: E402
from harness import needs_chromium  # noqa: E402

from autograder import notebook as nbk  # noqa: E402
from autograder.cli import main as ch4  # noqa: E402

SCHEME_TEXT = "Two points: small weight change gives a small loss change"
JUPYTER_LAB = Path(sys.executable).parent / "jupyter-lab"

pytestmark = needs_chromium


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_ready(url: str, proc: subprocess.Popen, log: Path, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"jupyter lab exited ({proc.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"jupyter lab did not answer in {seconds:.0f}s:\n{log.read_text()[-3000:]}")


@contextlib.contextmanager
def _jupyter_lab(course: Path, home: Path):
    """JupyterLab with formgrader in ``course`` on 127.0.0.1: yields (base URL, token)."""
    config = home / "config"
    config.mkdir()
    # formgrader is enabled by nbgrader's install; say it here too, so the test stands alone
    (config / "jupyter_server_config.json").write_text(
        '{"ServerApp": {"jpserver_extensions": '
        '{"nbgrader.server_extensions.formgrader": true}}}')
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(config), JUPYTER_RUNTIME_DIR=str(home / "rt"))
    log = home / "lab.log"
    cmd = [str(JUPYTER_LAB), "--no-browser", "--ip=127.0.0.1", f"--port={port}",
           "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
           f"--ServerApp.root_dir={course}"] + (["--allow-root"] if os.geteuid() == 0 else [])
    with open(log, "w") as handle:
        proc = subprocess.Popen(cmd, cwd=course, env=env, stdout=handle,
                                stderr=subprocess.STDOUT, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_ready(f"{base}/api/status?token={token}", proc, log)
        yield base, token
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    _, out, _ = graded_copy(tmp_path_factory)
    with _jupyter_lab(out / "course", tmp_path_factory.mktemp("jupyter")) as (base, token):
        yield base, token, out


def _open_submission(page, base: str, token: str, student: str):
    """Formgrader's page of ``student``'s 01_tiny, loaded; returns the q01_free score box."""
    page.goto(f"{base}/lab?token={token}", wait_until="domcontentloaded")   # logs in
    page.goto(f"{base}/formgrader/gradebook/ch4/01_tiny")
    page.get_by_role("link", name="Submission #1").wait_for(timeout=30_000)
    page.get_by_text("Show All Names").click()
    with page.expect_response(lambda r: "/formgrader/submissions/" in r.url
                              and r.request.method == "GET") as opened:
        page.get_by_role("link", name=student, exact=True).click()
    assert opened.value.status in (200, 301), opened.value.status    # no HTTP 500
    score = page.locator("input.score#q01_free")
    score.wait_for(timeout=30_000)
    page.wait_for_load_state("networkidle")     # formgrader has loaded the grades and comments
    return score


def test_marker_scores_and_comments_in_formgrader_reach_gradebook_and_feedback(lab, page):
    from nbgrader.api import Gradebook

    base, token, out = lab
    page.goto(f"{base}/lab?token={token}", wait_until="domcontentloaded")   # logs in
    page.goto(f"{base}/formgrader/gradebook/ch4/01_tiny")
    page.get_by_role("link", name="Submission #3").wait_for(timeout=30_000)
    assert page.get_by_role("link", name="Submission #4").count() == 0
    page.get_by_text("Show All Names").click()
    with page.expect_response(lambda r: "/formgrader/submissions/" in r.url
                              and r.request.method == "GET") as opened:
        page.get_by_role("link", name="alice", exact=True).click()
    assert opened.value.status in (200, 301), opened.value.status    # no HTTP 500
    score = page.locator("input.score#q01_free")
    score.wait_for(timeout=30_000)
    page.wait_for_load_state("networkidle")     # formgrader has loaded the grades and comments
    assert page.get_by_text(SCHEME_TEXT).is_visible()
    assert page.get_by_text("Mark scheme for").is_visible()
    with page.expect_response(lambda r: "/formgrader/api/grade/" in r.url
                              and r.request.method == "PUT") as saved:
        score.fill("1.5")
        score.press("Tab")
    assert saved.value.ok
    comment = page.locator("textarea#q01_free-comment")
    with page.expect_response(lambda r: "/formgrader/api/comment/" in r.url
                              and r.request.method == "PUT") as saved:
        comment.fill("Names the gradient; say why a step function has none.")
        comment.press("Tab")
    assert saved.value.ok

    with Gradebook(f"sqlite:///{out / 'gradebook.db'}") as gb:
        grade = gb.find_grade("q01_free", "01_tiny", "ch4", "alice")
        assert (grade.manual_score, grade.needs_manual_grade) == (1.5, False)
        assert gb.find_comment("q01_free", "01_tiny", "ch4", "alice").manual_comment == \
            "Names the gradient; say why a step function has none."
    assert ch4(["feedback", str(out)]) == 0
    returned = (out / "returns" / "alice" / "01_tiny.html").read_text()
    assert "(1.5/2)" in returned
    assert "Names the gradient; say why a step function has none." in returned
    assert SCHEME_TEXT not in returned and "Mark scheme" not in returned


@pytest.fixture(scope="module")
def reopened_lab(tmp_path_factory):
    """alice's written answer marked 1.5 with a comment, then changed and graded again."""
    from nbgrader.api import Gradebook

    subs, out, _ = graded_copy(tmp_path_factory)
    with Gradebook(f"sqlite:///{out / 'gradebook.db'}") as gb:
        g = gb.find_grade("q01_free", "01_tiny", "ch4", "alice")
        g.manual_score, g.needs_manual_grade = 1.5, False
        gb.find_comment("q01_free", "01_tiny", "ch4", "alice").manual_comment = "Names it."
        gb.db.commit()
    write_submission(subs, "alice", make.answer_cells(nbk.read(SOURCE)), REWRITTEN)
    grade(subs, out)
    with _jupyter_lab(out / "course", tmp_path_factory.mktemp("jupyter")) as (base, token):
        yield base, token, out, subs


REWRITTEN = "Rewritten after marking: the step function has no gradient to follow."


def test_formgrader_shows_a_reopened_answer_with_its_previous_mark(reopened_lab, page):
    from nbgrader.api import Gradebook

    base, token, out, subs = reopened_lab
    score = _open_submission(page, base, token, "alice")
    assert page.get_by_text(REWRITTEN).first.is_visible()
    note = page.locator("blockquote", has_text="Answer changed after it was marked").first
    assert note.is_visible()
    assert "Previous mark: 1.5/2" in note.inner_text() and "Names it." in note.inner_text()
    assert score.input_value() == ""                        # the old score is not kept
    assert "needs_manual_grade" in (score.get_attribute("class") or "")
    placeholder = page.locator("textarea#q01_free-comment").get_attribute("placeholder")
    assert "previous mark 1.5/2" in placeholder and "Names it." in placeholder
    with page.expect_response(lambda r: "/formgrader/api/grade/" in r.url
                              and r.request.method == "PUT") as saved:
        score.fill("2")                                     # the marker confirms
        score.press("Tab")
    assert saved.value.ok
    with Gradebook(f"sqlite:///{out / 'gradebook.db'}") as gb:
        assert gb.find_grade("q01_free", "01_tiny", "ch4", "alice").manual_score == 2
    grade(subs, out)
    marker_copy = (out / "course" / "autograded" / "alice" / "ch4" / "01_tiny.ipynb").read_text()
    assert "Previous mark" not in marker_copy
