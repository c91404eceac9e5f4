"""report.html's Item analysis section and the ``ch4 insight --html`` page, in a real browser.

A class of results with diagnoses is written to an output folder (no kernel: the clusters
read results only); Debian's chromium, driven by pytest-playwright, opens the report and the
insight page, and their screenshots must show the plot, the item table and the clusters
(visible, not blank), with no student named on the insight page.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

pytest.importorskip("playwright")

from harness import needs_chromium  # noqa: E402

from autograder.cli import main as ch4  # noqa: E402
from autograder.grading.report import write_html  # noqa: E402
from autograder.results import Diagnosis, GradeResult, ItemResult  # noqa: E402

pytestmark = needs_chromium


def _student(n: int) -> GradeResult:
    """Students 0-5 forget /255, 6-8 swap the crop's axes, the rest pass everything."""
    unscaled, swapped = n < 6, 6 <= n < 9
    items = [
        ItemResult("ex_stack_digits", 0.0 if unscaled else 1.0, 1.0, not unscaled, False,
                   diagnosis=Diagnosis(("stack_digits of 3 images",), ("scaled x255",),
                                       "no /255", (), "Exercise 4 (stack_digits)", "pixels "
                                       "left as 0-255 values", "Think about the brightest "
                                       "pixel.") if unscaled else None),
        ItemResult("ex_crop", 0.0 if swapped else 1.0, 1.0, not swapped, False,
                   diagnosis=Diagnosis(("crop on a hidden 13x9 tensor",), ("transposed",))
                   if swapped else None),
        ItemResult("ex_mean_digit", float(n % 2), 1.0, bool(n % 2), False),
    ]
    return GradeResult(f"student{n:02d}", "ch4", "01_pixels_and_similarity", "x", "f", 1,
                       items=items, answers={"ex_stack_digits_answer": f"# answer {n}"})


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("insight")
    results = [_student(n) for n in range(12)]
    for r in results:
        path = folder / "results" / r.student / f"{r.notebook}.json"
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(r.to_json()))
    write_html(results, folder / "report.html")
    assert ch4(["insight", str(folder), "--html", str(folder / "insight.html")]) == 0
    return folder


def _not_blank(png: bytes) -> bool:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("L")
    low, high = image.getextrema()
    return high - low > 100


def test_the_report_shows_the_item_plot_table_and_clusters(out, page) -> None:
    page.goto((out / "report.html").as_uri())
    section = page.locator("#item-analysis")
    section.scroll_into_view_if_needed()
    assert section.is_visible()
    plot = page.locator("#item-plot")
    assert plot.is_visible() and page.locator("#item-plot .item-dot").count() == 3
    assert _not_blank(plot.screenshot())
    assert page.locator("#item-table tr").count() == 4
    clusters = page.locator("#clusters tr.cluster")
    assert clusters.count() == 2 and "no /255" in clusters.first.inner_text()
    assert "student00" in clusters.first.inner_text()
    assert _not_blank(page.screenshot(full_page=True, path=str(out / "report.png")))


def test_the_insight_page_shows_the_top_misconceptions_without_names(out, page) -> None:
    page.goto((out / "insight.html").as_uri())
    rows = page.locator("#clusters tr.cluster")
    assert rows.count() == 2 and rows.first.is_visible()
    text = page.locator("body").inner_text()
    assert "no /255" in text and "6 students" in text and "Hint for them" in text
    assert "student0" not in text and "# answer" not in text
    assert _not_blank(page.screenshot(full_page=True, path=str(out / "insight.png")))
