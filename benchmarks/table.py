"""Print a list of rows as an aligned text table and save it as JSON."""

from __future__ import annotations

import json
import platform
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def render(rows: list[dict], columns: list[str]) -> str:
    """An aligned plain-text table of ``rows`` restricted to ``columns``."""
    cells = [[str(row.get(c, "")) for c in columns] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    line = "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))
    rule = "  ".join("-" * w for w in widths)
    body = ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in cells]
    return "\n".join([line, rule, *body])


def save(name: str, payload: dict, out: Path | None = None) -> Path:
    """Write ``payload`` (plus machine facts) to results/<name>.json or ``out``."""
    path = out or RESULTS / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {"machine": {"python": platform.python_version(), "cpu": platform.processor()
                           or platform.machine(), "system": platform.system()}, **payload}
    path.write_text(json.dumps(payload, indent=1) + "\n")
    return path
