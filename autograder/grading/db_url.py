"""The gradebook's URL: normalised for SQLAlchemy, masked for every message, and recorded in
the output folder so that later commands on that folder find the same gradebook.

``OUT/gradebook-url`` holds the URL of the gradebook the folder was first graded into, WITHOUT
its password (the file is as readable as the rest of OUT). A later command on OUT (a resume of
``ch4 grade``, ``ch4 feedback``) uses it when ``--db`` is left out, and refuses a ``--db`` that
names another database, naming both (masked). The password comes from what libpq reads itself
(``PGPASSWORD``, ``~/.pgpass``), or from a ``--db`` that names the same database with it.

Masking never relies on the URL parsing as intended: everything between ``://`` and the LAST
``@`` is treated as credentials, so a password with an unencoded ``@`` (which SQLAlchemy would
split into the host) shows no part of itself either; such a URL is refused with a hint on
URL encoding.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from autograder.grading import layout
from autograder.grading.layout import OutputLayout, write_text_atomic

URL_FILE = layout.GRADEBOOK_URL
ENCODING_HINT = ("write special characters of a password URL-encoded: @ as %40, : as %3A, "
                 "/ as %2F, % as %25 (python3 -c \"import urllib.parse,getpass; "
                 "print(urllib.parse.quote(getpass.getpass(), safe=''))\")")
PASSWORD_HINT = ("the password is never stored in the output folder: export PGPASSWORD, put "
                 "it in ~/.pgpass, or pass --db with it")
_CONFIG_LINE = re.compile(r"^c\.CourseDirectory\.db_url\s*=\s*(.+)$", re.M)


class UrlError(ValueError):
    """A gradebook URL cannot be used (one line; never any part of a password)."""


def default_url(out: Path) -> str:
    """The SQLite gradebook inside the output folder."""
    return f"sqlite:///{OutputLayout(Path(out).resolve()).gradebook_db}"


def normalize_url(url: str) -> str:
    """``postgresql://`` and ``postgres://`` mean psycopg 3 (the ``postgres`` extra); SQLAlchemy
    would otherwise look for psycopg2, which this project does not install."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


@dataclass(frozen=True)
class Credentials:
    """Where the credentials of a URL are, as written (before any decoding)."""

    scheme: str        # "postgresql", "sqlite", ...
    user: str          # as written ("" when none)
    password: str | None  # as written (None when the URL has no ":password")
    rest: str          # what follows the credentials (host, database, query)


def split(url: str) -> Credentials:
    """The credentials of ``url``: everything between ``://`` and the last ``@``."""
    scheme, sep, tail = url.partition("://")
    if not sep or "@" not in tail:
        return Credentials(scheme, "", None, tail if sep else url)
    creds, _, rest = tail.rpartition("@")
    user, colon, password = creds.partition(":")
    return Credentials(scheme, user, password if colon else None, rest)


def secrets_of(url: str) -> list[str]:
    """The password of ``url`` as written and decoded (what a message must never hold)."""
    password = split(url).password
    if not password:
        return []
    return sorted({password, unquote(password)}, key=len, reverse=True)


def mask_url(url: str) -> str:
    """``url`` with its password replaced by ``***`` (for every message and log line)."""
    c = split(url)
    if c.password is None:
        return url
    return f"{c.scheme}://{c.user}:***@{c.rest}"


def scrub(text: str, url: str) -> str:
    """``text`` with every occurrence of ``url``'s password replaced by ``***``."""
    for secret in secrets_of(url):
        text = text.replace(secret, "***")
    return text


def without_password(url: str) -> str:
    """``url`` with no password at all (what may be written to a file)."""
    c = split(url)
    if c.password is None:
        return url
    return f"{c.scheme}://{c.user}@{c.rest}"


def check(url: str) -> str:
    """``url`` if it can be read as written; UrlError for a password with an unencoded ``@``
    (SQLAlchemy would take its tail for the host)."""
    password = split(url).password
    if password and "@" in password:
        raise UrlError(f"the gradebook URL {mask_url(url)} has an '@' in its password: "
                       f"{ENCODING_HINT}")
    return url


def _identity(url: str) -> tuple:
    """What names a database: driver, user, host, port, database, query (no password)."""
    from sqlalchemy.engine import make_url

    try:
        parsed = make_url(normalize_url(without_password(url)))
    except Exception:  # noqa: BLE001 - compared as written
        return (without_password(url),)
    database = parsed.database
    if parsed.drivername.startswith("sqlite") and database and database != ":memory:":
        database = str(Path(database).resolve())
    return (parsed.drivername, parsed.username or "", parsed.host or "", parsed.port,
            database, tuple(sorted((k, str(v)) for k, v in parsed.query.items())))


def same_database(a: str, b: str) -> bool:
    """Whether two URLs name the same database (passwords aside)."""
    return _identity(a) == _identity(b)


def from_course_config(out: Path) -> str | None:
    """The URL an older OUT/course/nbgrader_config.py names (folders graded before
    OUT/gradebook-url existed)."""
    try:
        text = (Path(out) / "course" / "nbgrader_config.py").read_text(encoding="utf-8")
        found = _CONFIG_LINE.search(text)
        value = ast.literal_eval(found.group(1).strip()) if found else None
    except (OSError, ValueError, SyntaxError):
        return None
    return value if isinstance(value, str) and value else None


def recorded(out: Path) -> str | None:
    """The gradebook URL recorded for ``out`` (no password), or None for a new folder."""
    path = Path(out) / URL_FILE
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        lines = []
    for line in lines:
        if line.strip() and not line.startswith("#"):
            return _inside(out, line.strip())
    if OutputLayout(out).gradebook_db.exists():
        return default_url(out)
    return from_course_config(out)


def resolve(out: Path, given: str | None) -> str:
    """The URL a command on ``out`` uses: ``given`` (``--db``) when it names the recorded
    database or nothing is recorded, the recorded one when ``given`` is None, else UrlError
    naming both."""
    known = recorded(out)
    if given is None:
        return check(known or default_url(out))
    check(given)
    if known is not None and not same_database(given, known):
        raise UrlError(f"{out} was graded into the gradebook {mask_url(known)}, not "
                       f"{mask_url(given)}: leave --db out to use the recorded one (or pass "
                       f"the same URL), or grade into another --out")
    return given


_SQLITE = "sqlite:///"


def _inside(out: Path, url: str) -> str:
    """A recorded SQLite path is relative to ``out`` (a copied or moved folder keeps its own
    gradebook)."""
    if url.startswith(_SQLITE) and not url[len(_SQLITE):].startswith("/"):
        return f"{_SQLITE}{(Path(out).resolve() / url[len(_SQLITE):])}"
    return url


def _relative(out: Path, url: str) -> str:
    """``url`` as recorded: a SQLite file inside ``out`` by its path relative to ``out``."""
    if url.startswith(_SQLITE):
        path = Path(url[len(_SQLITE):]).resolve()
        if path.is_relative_to(Path(out).resolve()):
            return f"{_SQLITE}{path.relative_to(Path(out).resolve())}"
    return without_password(url)


def remember(out: Path, url: str) -> None:
    """Record ``url`` (without its password) as the gradebook of ``out``."""
    path = OutputLayout(out).gradebook_url
    text = ("# the gradebook of this folder (ch4 grade --db); the password is never stored "
            "here;\n# a SQLite path is relative to this folder\n"
            f"{_relative(out, url)}\n")
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return
    write_text_atomic(path, text)
