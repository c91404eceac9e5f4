"""The grading secret: the key behind every hidden probe input, held by the instructor.

Hidden inputs are drawn from a random generator seeded with this key (``Item.hidden_probes``).
It is random (256 bits), created on first use with owner-only permissions, and never derived
from anything a student can read: not the source notebooks (``solutions/`` ships with the
course's repository), not the item specs. By default it lives in the output folder of the run
(``OUT/grading-key``: one key per course and term, kept on a resume); ``--key-file`` or
``CH4_GRADING_KEY_FILE`` names another file, e.g. one key for every week of a term.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from pathlib import Path

from autograder.grading import layout
from autograder.grading.layout import OutputLayout

KEY_FILE = layout.GRADING_KEY
KEY_ENV = "CH4_GRADING_KEY_FILE"
_KEY = re.compile(r"[0-9a-f]{64}")


class GradingKeyError(RuntimeError):
    """The key file exists but does not hold a key (it is never silently replaced)."""


def key_path(out: Path, key_file: Path | None = None) -> Path:
    """Where the key of a run lives: ``key_file``, else ``$CH4_GRADING_KEY_FILE``, else
    ``OUT/grading-key``."""
    if key_file is not None:
        return Path(key_file)
    if os.environ.get(KEY_ENV):
        return Path(os.environ[KEY_ENV])
    return OutputLayout(out).grading_key


def grading_key(out: Path, key_file: Path | None = None) -> str:
    """The run's key, read from its file or created there (mode 0600) on first use."""
    path = key_path(out, key_file)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        text = path.read_text(encoding="ascii", errors="replace").strip()
        if not _KEY.fullmatch(text):
            raise GradingKeyError(f"{path} does not hold a grading key (64 hex digits); restore it "
                            "from a backup, or remove it to start a new key (hidden inputs and "
                            "references change)") from None
        return text
    key = secrets.token_hex(32)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    return key


def key_id(key: str) -> str:
    """A short public name of a key (inputs digests and caches name it, never the key)."""
    return hashlib.sha256(f"ch4-key-id|{key}".encode()).hexdigest()[:16]
