"""Similarity hints: which students' answer cells share their own code or prose.

Why this shape:

- Only the student's own text is compared. Lines of the released cell (the starter code: the
  ``def`` line, ``q01_answer = None``, ``# YOUR CODE HERE``, ``raise NotImplementedError()``)
  and docstrings are blanked out before fingerprinting, so shared starter code never counts.
  Blanking (spaces, same length) keeps character offsets, so matches highlight the real cell.
- Code is fingerprinted with ``copydetect`` (MIT, on PyPI; pure Python on top of pygments and
  numpy): its filter turns every identifier into ``V``/``F``/``O``, drops comments and layout,
  and winnows character k-grams of the result. Renaming, reformatting and comments therefore do
  not hide a copy, and because fingerprints are compared as sets, reordered functions do not
  either. We use its filter, winnowing and offset map (with a hash that is stable across
  processes, so reruns agree) rather than its whole-directory detector, because cells must be
  compared item by item and weighed against the class (below).
- Free-text answers (markdown answer cells, e.g. ``q07_free``) are compared as shingles of two
  content words (function words such as "the", "is", "so" dropped, a plural "s" trimmed), so
  that swapping small words or clause order does not hide copied prose.
- A fingerprint that many students share is how the class writes that answer, not a copy: every
  fingerprint is weighed by its rarity in the class for that cell (like inverse document
  frequency), and an answer too short to hold a fingerprint contributes nothing. A pair is
  flagged when the weighted share of one side's own code that the other side also has passes
  the threshold and enough of it matched.

Similarity is a hint for an instructor to look, never proof and never part of a score.
"""

from __future__ import annotations

import ast
import csv
import hashlib
import html
import json
import re
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from autograder import notebook as nbk
from autograder.grading.collect import safe_id

CODE_K = 20            # filtered characters per fingerprint (copydetect's noise threshold)
CODE_WINDOW = 2        # winnowing window (guarantee threshold = K + window - 1)
TEXT_K = 2             # words per shingle
THRESHOLD = 0.6        # weighted share of one side's own code that the other side has
MIN_MATCHED = {"code": 40.0, "text": 8.0}   # weighted units (filtered chars / words)
_STUB_LINES = {"# YOUR CODE HERE", "raise NotImplementedError()", "raise NotImplementedError",
               "YOUR ANSWER HERE"}
SECTION_START, SECTION_END = "<!-- similarity -->", "<!-- /similarity -->"
DISCLAIMER = ("Similarity is a hint to look, not proof: students who write the same short idea "
              "the same way, who worked from the same book passage or who were allowed to work "
              "together can look alike. Read both answers before drawing any conclusion; "
              "nothing here changes a score.")


class SimilarityError(ValueError):
    """The grading output cannot be compared (one-line message)."""


@dataclass(frozen=True)
class Answer:
    """One answer cell of one student: the whole text and the text with starter code blanked."""

    student: str
    notebook: str
    cell: str              # the answer cell's grade id, e.g. ex_mse_answer or q07_free
    kind: str              # "code" or "text"
    text: str
    own: str

    @property
    def item(self) -> str:
        return self.cell[: -len("_answer")] if self.cell.endswith("_answer") else self.cell


@dataclass
class Doc:
    """An answer's fingerprints: hash -> positions (in units: filtered chars or words)."""

    answer: Answer
    grams: dict[int, list[int]]
    k: int
    starts: np.ndarray            # raw character where each unit position starts
    ends: np.ndarray              # raw character where each unit position ends (exclusive)


@dataclass(frozen=True)
class CellMatch:
    """What two students share in one answer cell."""

    cell: str
    item: str
    matched_a: float
    matched_b: float
    spans_a: list[tuple[int, int]]
    spans_b: list[tuple[int, int]]


@dataclass(frozen=True)
class Pair:
    """Two students whose answers in one notebook look alike."""

    notebook: str
    kind: str
    a: str
    b: str
    share: float           # the larger of share_a and share_b
    share_a: float         # weighted share of a's own code that b also has
    share_b: float
    matched: float         # weighted units matched (the larger side)
    items: list[str]

    @property
    def page(self) -> str:
        """The side-by-side page, relative to the grading output folder."""
        return f"similarity/{safe_id(self.notebook)}/{self.kind}-{safe_id(self.a)}--" \
               f"{safe_id(self.b)}.html"

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Pair:
        return cls(**{k: data[k] for k in ("notebook", "kind", "a", "b", "share", "share_a",
                                           "share_b", "matched", "items")})


@dataclass
class Findings:
    """All flagged pairs of a class, what was left out and why, and how long it took."""

    pairs: list[Pair] = field(default_factory=list)
    matches: dict[tuple[str, str, str, str], list[CellMatch]] = field(default_factory=dict)
    answers: dict[tuple[str, str, str], Answer] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    students: dict[str, int] = field(default_factory=dict)   # notebook -> students compared
    threshold: float = THRESHOLD
    seconds: float = 0.0


# ---------------------------------------------------------------- own text


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + "".join(c if c == "\n" else " " for c in text[start:end]) + text[end:]


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    return starts


def without_docstrings(code: str) -> str:
    """``code`` with its docstrings blanked (unchanged when it does not parse)."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return code
    starts = _line_starts(code)
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        body = node.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                and isinstance(body[0].value.value, str) and body[0].end_lineno is not None:
            doc = body[0]
            # ast columns are UTF-8 byte offsets; answers here are nearly always ASCII
            start = starts[doc.lineno - 1] + doc.col_offset
            end = starts[doc.end_lineno - 1] + (doc.end_col_offset or 0)
            if 0 <= start < end <= len(code):
                code = _blank(code, start, end)
    return code


def own_text(text: str, starter: str) -> str:
    """``text`` with the released starter lines (each as often as the release has it), the
    stub lines and, for code, docstrings blanked; offsets are kept."""
    left = Counter(line.strip() for line in starter.splitlines() if line.strip())
    out, pos = [], 0
    for line in text.splitlines(keepends=True):
        key = line.strip()
        if key and (left[key] > 0 or key in _STUB_LINES):
            left[key] -= 1
            line = "".join(c if c in "\r\n" else " " for c in line)
        out.append(line)
        pos += len(line)
    return "".join(out)


# ---------------------------------------------------------------- fingerprints


def stable_hash(text: str) -> int:
    """A 48-bit hash that is the same in every process (Python's ``hash`` of a str is salted
    per process, which would make winnowing pick different fingerprints from run to run)."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=6).digest(), "big")


def _code_doc(answer: Answer) -> Doc | None:
    from copydetect.utils import filter_code, winnow

    filtered, offsets = filter_code(answer.own, "answer.py", "python")
    if len(filtered) < CODE_K:
        return None
    hashes = np.array([stable_hash(filtered[i:i + CODE_K])
                       for i in range(len(filtered) - CODE_K + 1)], dtype=np.int64)
    selected, where = winnow(hashes, CODE_WINDOW, remove_duplicates=False)
    grams: dict[int, list[int]] = {}
    for h, i in zip(selected.tolist(), where.tolist(), strict=True):
        if i not in grams.setdefault(h, []):
            grams[h].append(i)
    positions = np.arange(len(filtered) + 1)
    if len(offsets):
        shift = offsets[:, 1][np.clip(np.searchsorted(offsets[:, 0], positions), 0,
                                      offsets.shape[0] - 1)]
    else:
        shift = np.zeros_like(positions)
    raw = positions + shift
    return Doc(answer, grams, CODE_K, raw[:-1], raw[1:])


_WORD = re.compile(r"[A-Za-z0-9_]+(?:'[A-Za-z]+)?")
# function words: swapping or dropping them is the cheapest way to disguise copied prose
STOP_WORDS = frozenset("""a an the and or but so as of to in on at by for with from into onto
is are was were be been being it its this that these those there here then than thus we i you
he she they them our my your their me us one each every some any all plus also just very too
has have had do does did can could will would should may might must not no yes if when while
which who whom what where how why""".split())


def _text_doc(answer: Answer) -> Doc | None:
    words = [(m.group(0).lower(), m.start(), m.end()) for m in _WORD.finditer(answer.own)]
    words = [(w[:-1] if len(w) > 3 and w.endswith("s") else w, s, e) for w, s, e in words
             if w not in STOP_WORDS]
    if len(words) < TEXT_K:
        return None
    grams: dict[int, list[int]] = {}
    for i in range(len(words) - TEXT_K + 1):
        key = stable_hash(" ".join(w for w, _, _ in words[i:i + TEXT_K]))
        grams.setdefault(key, []).append(i)
    return Doc(answer, grams, TEXT_K, np.array([s for _, s, _ in words]),
               np.array([e for _, _, e in words]))


def fingerprint(answer: Answer) -> Doc | None:
    """The answer's fingerprints, or None when its own part is too short to hold one."""
    return _code_doc(answer) if answer.kind == "code" else _text_doc(answer)


def rarity(df: int, students: int) -> float:
    """Weight of a fingerprint held by ``df`` students: 1 when at most a pair has it, 1/(df-1)
    beyond (a style ten students share weighs a ninth); nothing when the whole class has it."""
    if df <= 2:
        return 1.0
    return 0.0 if df >= students else 1.0 / (df - 1)


# ---------------------------------------------------------------- comparing


def _spans(positions: list[int], k: int, doc: Doc) -> list[tuple[int, int]]:
    """Merged raw character spans covered by fingerprints at ``positions``."""
    spans: list[tuple[int, int]] = []
    for p in sorted(positions):
        start, end = p, min(p + k, len(doc.starts)) - 1
        raw = (int(doc.starts[start]), int(doc.ends[end]))
        if spans and raw[0] <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], raw[1]))
        else:
            spans.append(raw)
    return spans


def _weighted(doc: Doc, shared: dict[int, float]) -> float:
    """Units of ``doc`` covered by the ``shared`` fingerprints, each at its weight (a unit
    covered by several counts once, at the largest)."""
    cover = np.zeros(len(doc.starts))
    for h, w in shared.items():
        for p in doc.grams[h]:
            np.maximum(cover[p:p + doc.k], w, out=cover[p:p + doc.k])
    return float(cover.sum())


def _compare_cell(a: Doc, b: Doc, weights: dict[int, float]) -> CellMatch | None:
    shared = {h: weights[h] for h in a.grams.keys() & b.grams.keys() if weights[h] > 0}
    if not shared:
        return None
    return CellMatch(a.answer.cell, a.answer.item, _weighted(a, shared), _weighted(b, shared),
                     _spans([p for h in shared for p in a.grams[h]], a.k, a),
                     _spans([p for h in shared for p in b.grams[h]], b.k, b))


def compare(answers: list[Answer], threshold: float = THRESHOLD,
            findings: Findings | None = None) -> Findings:
    """Flag the pairs of students whose answers look alike, notebook by notebook."""
    started = time.monotonic()
    found = findings or Findings(threshold=threshold)
    found.threshold = threshold
    groups: dict[tuple[str, str], dict[str, list[Doc]]] = {}
    totals: dict[tuple[str, str, str], float] = {}
    for answer in answers:
        found.answers[(answer.notebook, answer.student, answer.cell)] = answer
        key = (answer.notebook, answer.kind)
        found.students[answer.notebook] = 0
        doc = fingerprint(answer)
        groups.setdefault(key, {}).setdefault(answer.cell, [])
        if doc is not None:
            groups[key][answer.cell].append(doc)
    for notebook in found.students:
        found.students[notebook] = len({a.student for a in answers if a.notebook == notebook})
    for (notebook, kind), cells in sorted(groups.items()):
        per_pair: dict[tuple[str, str], list[CellMatch]] = {}
        for docs in cells.values():
            df = Counter(h for d in docs for h in d.grams)
            weights = {h: rarity(n, len(docs)) for h, n in df.items()}
            for d in docs:
                key = (notebook, kind, d.answer.student)
                own = {h: weights[h] for h in d.grams}
                totals[key] = totals.get(key, 0.0) + _weighted(d, own)
            holders: dict[int, list[int]] = {}
            for i, d in enumerate(docs):
                for h in d.grams:
                    if weights[h] > 0:
                        holders.setdefault(h, []).append(i)
            candidates = {(i, j) for idx in holders.values() for x, i in enumerate(idx)
                          for j in idx[x + 1:]}
            for i, j in sorted(candidates):
                a, b = docs[i], docs[j]
                if a.answer.student > b.answer.student:
                    a, b = b, a
                match = _compare_cell(a, b, weights)
                if match is not None:
                    per_pair.setdefault((a.answer.student, b.answer.student), []).append(match)
        for (sa, sb), matches in sorted(per_pair.items()):
            matched_a = sum(m.matched_a for m in matches)
            matched_b = sum(m.matched_b for m in matches)
            share_a = matched_a / max(1, totals.get((notebook, kind, sa), 0))
            share_b = matched_b / max(1, totals.get((notebook, kind, sb), 0))
            matched = max(matched_a, matched_b)
            if max(share_a, share_b) < threshold or matched < MIN_MATCHED[kind]:
                continue
            items = [m.item for m in matches
                     if max(m.matched_a, m.matched_b) >= MIN_MATCHED[kind] / 2]
            pair = Pair(notebook, kind, sa, sb, round(max(share_a, share_b), 3),
                        round(share_a, 3), round(share_b, 3), round(matched, 1),
                        items or [m.item for m in matches])
            found.pairs.append(pair)
            found.matches[(notebook, kind, sa, sb)] = matches
    found.pairs.sort(key=lambda p: (p.notebook, p.kind, -p.share, p.a, p.b))
    found.seconds += time.monotonic() - started
    return found


# ---------------------------------------------------------------- inputs


def starter_cells(source: Path) -> dict[str, str]:
    """The released text of every answer cell (what every student was given)."""
    from autograder.release import student_version

    release = student_version(nbk.read(source))
    return {nbk.grade_id(c): c.source for c in release.cells
            if nbk.grade_id(c) and nbk.is_solution(c)}


def cell_kinds(source: Path) -> dict[str, str]:
    """"code" or "text" for every answer cell of a source notebook."""
    nb = nbk.read(source)
    return {nbk.grade_id(c): ("code" if c.cell_type == "code" else "text") for c in nb.cells
            if nbk.grade_id(c) and nbk.is_solution(c)}


def answers_of(student: str, notebook: str, cells: dict[str, str], starters: dict[str, str],
               kinds: dict[str, str]) -> list[Answer]:
    """The comparable answer cells of one submission (the student id cell is personal)."""
    out = []
    for cell, text in sorted(cells.items()):
        if cell == "student_id" or not isinstance(text, str):
            continue
        kind = kinds.get(cell) or ("text" if cell.endswith("_free") else "code")
        own = own_text(text, starters.get(cell, ""))
        if kind == "code":
            own = without_docstrings(own)
        out.append(Answer(student, notebook, cell, kind, text, own))
    return out


def from_results(results, sources: dict[str, Path]) -> tuple[list[Answer], list[str]]:
    """Answers of graded results (``GradeResult``: student, notebook, answers, invalid)."""
    skipped: list[str] = []
    release: dict[str, tuple[dict[str, str], dict[str, str]]] = {}
    answers: list[Answer] = []
    for r in results:
        if r.notebook not in release:
            source = sources.get(r.notebook)
            try:
                release[r.notebook] = ((starter_cells(source), cell_kinds(source))
                                       if source else ({}, {}))
            except nbk.NotebookError as exc:
                skipped.append(f"{r.notebook}: source unreadable, starter code not subtracted "
                               f"({exc})")
                release[r.notebook] = ({}, {})
        if r.invalid:
            skipped.append(f"{r.student}/{r.notebook}: not compared, the notebook could not be "
                           f"graded ({r.invalid})")
            continue
        if not r.answers:
            skipped.append(f"{r.student}/{r.notebook}: not compared, no answer cells recorded")
            continue
        answers += answers_of(r.student, r.notebook, r.answers, *release[r.notebook])
    return answers, skipped


def load_results(out: Path) -> tuple[list, dict[str, Path], list[str]]:
    """The graded results and frozen sources stored in a ``ch4 grade`` output folder."""
    from autograder.results import GradeResult

    out = Path(out)
    if not out.is_dir():
        raise SimilarityError(f"{out}: no such grading output folder")
    folder = out / "results"
    if not folder.is_dir():
        raise SimilarityError(f"{out}: not a grading output folder (no results/ inside); "
                              "run ch4 grade first")
    results, skipped = [], []
    for path in sorted(folder.glob("*/*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            result = GradeResult.from_json(data)
            if not isinstance(result.answers, dict):
                raise TypeError("answers is not a mapping")
        except (OSError, ValueError, TypeError, KeyError) as exc:
            skipped.append(f"{path.relative_to(out)}: unreadable result file, skipped "
                           f"({exc})"[:300])
            continue
        results.append(result)
    if not results and not skipped:
        raise SimilarityError(f"{out}: results/ holds no graded submissions")
    sources = {p.stem: p for p in sorted((out / "sources").glob("*.ipynb"))}
    return results, sources, skipped


# ---------------------------------------------------------------- outputs


def write_csv(found: Findings, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["notebook", "kind", "student_a", "student_b", "share_matched",
                         "share_a", "share_b", "items", "page"])
        for p in found.pairs:
            writer.writerow([p.notebook, p.kind, p.a, p.b, f"{p.share:.3f}", f"{p.share_a:.3f}",
                             f"{p.share_b:.3f}", " ".join(p.items), p.page])
    tmp.replace(path)


def _marked(text: str, spans: list[tuple[int, int]]) -> str:
    parts, pos = [], 0
    for start, end in spans:
        parts.append(html.escape(text[pos:start]))
        parts.append(f"<mark>{html.escape(text[start:end])}</mark>")
        pos = end
    parts.append(html.escape(text[pos:]))
    return "".join(parts)


_STYLE = ("body{font-family:system-ui,sans-serif;max-width:90rem;margin:2rem auto}"
          ".cols{display:grid;grid-template-columns:1fr 1fr;gap:1rem}"
          "pre{background:#f7f7f7;padding:.5rem;white-space:pre-wrap;overflow-x:auto}"
          "mark{background:#ffd54f}.note{background:#eef;padding:.5rem}")


def pair_page(found: Findings, pair: Pair) -> str:
    """A side-by-side page of one pair, the matching regions highlighted (all text escaped)."""
    esc = html.escape
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>{esc(pair.a)} and "
             f"{esc(pair.b)}: {esc(pair.notebook)}</title><style>{_STYLE}</style></head><body>",
             f"<h1>{esc(pair.notebook)} ({esc(pair.kind)}): {esc(pair.a)} and {esc(pair.b)}</h1>",
             f"<p class='note'>{esc(DISCLAIMER)}</p>",
             f"<p>Weighted share of own {'code' if pair.kind == 'code' else 'text'} matched: "
             f"{esc(pair.a)} {100 * pair.share_a:.0f}%, {esc(pair.b)} "
             f"{100 * pair.share_b:.0f}%. Starter code is not counted; highlighted regions "
             "are shared fingerprints that are rare in the class.</p>"]
    for m in found.matches.get((pair.notebook, pair.kind, pair.a, pair.b), []):
        left = found.answers[(pair.notebook, pair.a, m.cell)].text
        right = found.answers[(pair.notebook, pair.b, m.cell)].text
        parts.append(f"<h2>{esc(m.cell)}</h2><div class='cols'><div><h3>{esc(pair.a)}</h3>"
                     f"<pre>{_marked(left, m.spans_a)}</pre></div><div><h3>{esc(pair.b)}</h3>"
                     f"<pre>{_marked(right, m.spans_b)}</pre></div></div>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_outputs(found: Findings, out: Path) -> None:
    """similarity.csv, similarity/pairs.json (read by the report) and one page per pair."""
    folder = out / "similarity"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*/*.html"):
        old.unlink()
    for pair in found.pairs:
        page = out / pair.page
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(pair_page(found, pair), encoding="utf-8")
    write_csv(found, out / "similarity.csv")
    data = {"threshold": found.threshold, "students": found.students,
            "skipped": found.skipped, "seconds": round(found.seconds, 3),
            "pairs": [p.to_json() for p in found.pairs]}
    tmp = folder / ".pairs.json.tmp"
    tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
    tmp.replace(folder / "pairs.json")


def html_section(out: Path) -> str:
    """The report's "Similarity" section from OUT/similarity/pairs.json ('' when absent)."""
    esc = html.escape
    try:
        data = json.loads((Path(out) / "similarity" / "pairs.json").read_text(encoding="utf-8"))
        pairs = [Pair.from_json(p) for p in data["pairs"]]
    except (OSError, ValueError, KeyError, TypeError):
        return ""
    parts = [SECTION_START, "<h2>Similarity</h2>", f"<p><strong>{esc(DISCLAIMER)}</strong></p>",
             f"<p>Pairs whose weighted share of matched own code (or free text) is at least "
             f"{100 * float(data.get('threshold', THRESHOLD)):.0f}%; starter code is not "
             "counted and code most of the class writes the same way weighs little. "
             "Also in similarity.csv.</p>"]
    if not pairs:
        parts.append("<p>No pair above the threshold.</p>")
    by_nb: dict[tuple[str, str], list[Pair]] = {}
    for p in pairs:
        by_nb.setdefault((p.notebook, p.kind), []).append(p)
    for (notebook, kind), group in sorted(by_nb.items()):
        parts.append(f"<h3>{esc(notebook)} ({'code' if kind == 'code' else 'free text'})</h3>"
                     "<table><tr><th>students</th><th>share matched</th><th>items</th></tr>")
        for p in sorted(group, key=lambda p: -p.share):
            parts.append(f"<tr><td><a href='{esc(p.page, quote=True)}'>{esc(p.a)} and "
                         f"{esc(p.b)}</a></td><td>{100 * p.share:.0f}%</td>"
                         f"<td>{esc(', '.join(p.items))}</td></tr>")
        parts.append("</table>")
    skipped = data.get("skipped") or []
    if skipped:
        parts.append("<p>Not compared:</p><ul>" + "".join(
            f"<li>{esc(str(s))}</li>" for s in skipped) + "</ul>")
    parts.append(SECTION_END)
    return "\n".join(parts)


def refresh_report(out: Path) -> bool:
    """Put the current section into an existing report.html (replacing an older one) without
    rebuilding the rest of the report; False when there is no report to update."""
    path = Path(out) / "report.html"
    try:
        page = path.read_text(encoding="utf-8")
    except OSError:
        return False
    section = html_section(out)
    start, end = page.find(SECTION_START), page.find(SECTION_END)
    if start >= 0 and end > start:
        page = page[:start] + section + page[end + len(SECTION_END):]
    elif "<h2>Students</h2>" in page:
        page = page.replace("<h2>Students</h2>", section + "\n<h2>Students</h2>", 1)
    elif "</body>" in page:
        page = page.replace("</body>", section + "\n</body>", 1)
    else:
        page += section
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(path)
    return True


# ---------------------------------------------------------------- entry points


def analyse(results, sources: dict[str, Path], out: Path, threshold: float = THRESHOLD,
            skipped: list[str] | None = None) -> Findings:
    """Compare a graded class and write similarity.csv, the pages and the report data."""
    started = time.monotonic()
    answers, left_out = from_results(results, sources)
    found = compare(answers, threshold,
                    Findings(skipped=(skipped or []) + left_out, threshold=threshold))
    found.seconds = time.monotonic() - started
    write_outputs(found, Path(out))
    return found


def after_grading(results, sources: dict[str, Path], out: Path, stream=sys.stderr) -> None:
    """``ch4 grade``'s last step: a failure here is a warning, never a failed grading run."""
    try:
        analyse(results, sources, out)
    except Exception as exc:  # noqa: BLE001 - a hint must never stop grading
        (Path(out) / "similarity" / "pairs.json").unlink(missing_ok=True)
        stream.write(f"warning: similarity hints not computed: {exc!r}\n"[:500])


def main(out: Path, threshold: float | None = None) -> int:
    """``ch4 similarity OUT``: compare an existing grading output, update report.html."""
    threshold = THRESHOLD if threshold is None else threshold
    if not 0 < threshold <= 1:
        raise SimilarityError(f"--threshold must be a share between 0 and 1, not {threshold:g}")
    results, sources, skipped = load_results(Path(out))
    found = analyse(results, sources, Path(out), threshold, skipped)
    updated = refresh_report(Path(out))
    for note in found.skipped:
        print(f"skipped: {note}")
    for p in found.pairs:
        print(f"{p.notebook} ({p.kind}): {p.a} and {p.b}  {100 * p.share:.0f}%  "
              f"{', '.join(p.items)}")
    print(f"{len(found.pairs)} pair(s) at or above {100 * threshold:.0f}% "
          f"({found.seconds:.2f}s); similarity is a hint to look, not proof")
    print(f"pairs: {Path(out) / 'similarity.csv'}"
          + (f"  report: {Path(out) / 'report.html'}" if updated else
             "  (no report.html to update)"))
    return 0
