"""Check a written LMS file against its format fixture (tests/fixtures/lms/*.toml, each built from
the LMS's documentation and importer, which it names). ``problems`` returns what an importer
would refuse or misread, one line each; an empty list means the file imports as it is."""

from __future__ import annotations

import csv
import re
import tomllib
import zipfile
from collections.abc import Mapping
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "lms"


def fixture(name: str) -> dict:
    return tomllib.loads((FIXTURES / f"{name}.toml").read_text(encoding="utf-8"))


def read_csv(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _unique(rows: list[dict[str, str]], column: str) -> list[str]:
    seen: set[str] = set()
    out = []
    for i, row in enumerate(rows, 1):
        value = row.get(column, "")
        if value and value in seen:
            out.append(f"row {i}: {column} {value!r} appears twice")
        seen.add(value)
    return out


def canvas_gradebook(path: Path) -> list[str]:
    spec = fixture("canvas_gradebook_import")
    table = read_csv(path)
    lead = spec["header"]["leading"]
    if not table or table[0][:len(lead)] != lead:
        return [f"header must start with {lead}"]
    header, out = table[0], []
    columns = header[len(lead):]
    out += [f"assignment column {c!r} is not a Canvas header" for c in columns
            if not re.match(spec["header"]["assignment"], c)]
    pp = spec["points_possible"]
    if len(table) < 2 or table[1][0] != pp["first_cell"] or any(table[1][1:len(lead)]):
        return out + ["second line must be 'Points Possible' with blank ID..Section"]
    points = table[1][len(lead):]
    out += [f"points possible {p!r} is not a number" for p in points
            if not re.match(pp["value"], p)]
    rows = [dict(zip(header, r, strict=False)) for r in table[2:]]
    out += [f"row {i}: {len(r)} cells, header has {len(header)}"
            for i, r in enumerate(table[2:], 1) if len(r) != len(header)]
    for column in spec["rows"]["unique"]:
        out += _unique(rows, column)
    for i, row in enumerate(rows, 1):
        if not any(row.get(c) for c in spec["rows"]["identified_by_any"]):
            out.append(f"row {i}: no ID, SIS User ID or SIS Login ID")
        if not re.match(spec["rows"]["id"], row.get("ID", "")):
            out.append(f"row {i}: ID {row.get('ID')!r} is not a Canvas user id")
        for column, most in zip(columns, points, strict=True):
            value = row.get(column, "")
            if not re.match(spec["rows"]["grade"], value):
                out.append(f"row {i}: grade {value!r} in {column!r} is not a number")
            elif value and _number(most) is not None and float(value) > float(most):
                out.append(f"row {i}: grade {value} in {column!r} is above {most}")
    return out


def moodle_worksheet(path: Path) -> list[str]:
    spec = fixture("moodle_offline_worksheet")
    table = read_csv(path)
    if not table or table[0] != spec["header"]["exact"]:
        return [f"header must be {spec['header']['exact']}"]
    rules, out = spec["rows"], []
    rows = [dict(zip(table[0], r, strict=False)) for r in table[1:]]
    out += _unique(rows, "Identifier")
    checks = {"Identifier": rules["identifier"], "Grade": rules["grade"],
              "Maximum Grade": rules["maximum"],
              "Grade can be changed": rules["grade_can_be_changed"],
              "Last modified (grade)": rules["last_modified_grade"]}
    for i, row in enumerate(rows, 1):
        out += [f"row {i}: {column} {row.get(column)!r} does not match {rule}"
                for column, rule in checks.items() if not re.match(rule, row.get(column, ""))]
        grade, most = _number(row.get("Grade", "")), _number(row.get("Maximum Grade", ""))
        if grade is not None and most is not None and grade > most:
            out.append(f"row {i}: grade {grade} is above the maximum {most}")
    return out


def moodle_gradebook(path: Path) -> list[str]:
    spec = fixture("moodle_gradebook_import")
    table = read_csv(path)
    if not table:
        return ["empty file"]
    header, out = table[0], []
    ids = [c for c in header if c in spec["header"]["identifiers_any"]]
    if not ids or header[:len(ids)] != ids or header[len(ids):len(ids) + 1] != \
            spec["header"]["then"]:
        return [f"header must start with {spec['header']['identifiers_any']} (one or both), "
                f"then {spec['header']['then']}"]
    rules = spec["rows"]
    pattern = {"Email address": rules["email"], "ID number": rules["id_number"]}
    rows = [dict(zip(header, r, strict=False)) for r in table[1:]]
    for column in ids:
        out += _unique(rows, column)
    for i, row in enumerate(rows, 1):
        if not any(row.get(c) for c in ids):
            out.append(f"row {i}: no identifier (Moodle would stop the whole import)")
        out += [f"row {i}: {c} {row[c]!r} is not valid" for c in ids
                if row.get(c) and not re.match(pattern[c], row[c])]
        out += [f"row {i}: grade {row.get(c)!r} in {c!r} is not a number"
                for c in header[len(ids) + 1:] if not re.match(rules["grade"], row.get(c, ""))]
    return out


def canvas_feedback_zip(path: Path, submitted: Mapping[str, set[str]]) -> list[str]:
    """``submitted``: Canvas user id -> the attachment ids of that user's submission."""
    spec = fixture("canvas_feedback_zip")["members"]
    out = []
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
    for name in names:
        if spec["flat"] and "/" in name:
            out.append(f"{name}: in a folder")
        if not re.match(spec["name"], name):
            out.append(f"{name}: not a Canvas download name")
            continue
        user, attachment = [p for p in name.split("_") if p.isdigit()][:2]
        if attachment not in submitted.get(user, set()):
            out.append(f"{name}: attachment {attachment} is not one of user {user}'s files")
    return out
