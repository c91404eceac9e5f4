"""The student's own part of an answer cell: released starter lines, stubs and docstrings are
blanked (spaces, same length), so that shared starter code never counts and character offsets
still point into the real cell when matches are highlighted."""

from __future__ import annotations

import ast
from collections import Counter

_STUB_LINES = {"# YOUR CODE HERE", "raise NotImplementedError()", "raise NotImplementedError",
               "YOUR ANSWER HERE"}


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


