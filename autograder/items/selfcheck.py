"""The locked check cell and ``ch4 check``: public probes judged in the student's notebook.

The expected values of public probes were recorded from the reference solution
(``ch4 expected``) and ship with the package in ``expected/``: values on public inputs, never
a reference implementation (answers a student could read off are stored as digests). The
verdict comes from ``compare.judge``, the same function ``ch4 grade`` uses.

What the student sees: a pass is one line; a failure is the verdict, the one thing to look at
and where to get a hint, never a traceback through this module (``CheckFailed`` renders itself
in IPython). When the student's own function raised, its own frames are shown. A name that an
unfinished earlier exercise should have defined is reported as "do that exercise first", both
here and (through IPython's custom exception hook) in the provided cells that use it.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import os
import sys
import traceback
import warnings
from pathlib import Path

from autograder.items import wire
from autograder.items.compare import (
    NOT_ATTEMPTED,
    Outcome,
    Verdict,
    judge_probe,
    knock_on,
    reported,
    unanswered,
)
from autograder.items.runner import redefine, run_probe
from autograder.items.spec import (
    Item,
    NotebookSpec,
    Probe,
    construct_failure,
    defining_source,
    definitions,
)

EXPECTED_DIR = Path(__file__).parent / "expected"
RECORD_ENV = "CH4_RECORD_EXPECTED"
AUTOGRADER_DIR = str(Path(__file__).resolve().parent.parent)
# failures per (notebook, item) in this kernel: only chooses which hint level the line names
_FAILURES: dict[tuple[str, str], int] = {}


class CheckFailed(AssertionError):
    """A public check did not pass; the message says what to look at, in plain words.

    ``str(exc)`` is the one-line verdict (``ch4 check`` and the scores read it); ``lines`` is
    what IPython shows instead of a traceback (``_render_traceback_``)."""

    def __init__(self, message: str, lines: list[str] | None = None) -> None:
        super().__init__(message)
        self.lines = lines or [f"\u2717 {message}"]

    def _render_traceback_(self) -> list[str]:
        return list(self.lines)


def outcome_of(record: object) -> Outcome:
    """A probe record (from the kernel, as JSON) as an Outcome; malformed ones fail."""
    if not isinstance(record, dict):
        return Outcome(missing="returned no usable result")
    if "raised" in record:
        return Outcome(raised=str(record["raised"]))
    if "value" in record:
        try:
            return Outcome(value=wire.from_plain(record["value"]))
        except (wire.WireError, RecursionError):
            return Outcome(missing="returned data the grader cannot read")
    return Outcome(missing="returned no usable result")


def _namespace(namespace: dict | None) -> dict:
    if namespace is not None:
        return namespace
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:  # pragma: no cover - IPython comes with Jupyter
        shell = None
    if shell is not None:
        return shell.user_ns
    return sys._getframe(3).f_globals


def expected_path(notebook: str) -> Path:
    return EXPECTED_DIR / f"{notebook}.json"


def load_expected(notebook: str) -> dict[str, list]:
    try:
        return json.loads(expected_path(notebook).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def missing_names(spec: NotebookSpec, item: Item, namespace: dict) -> str | None:
    """Plain words naming the exercise to do first, when a name the item uses is missing."""
    for name in item.names:
        if name not in namespace:
            return (f"{name} is not defined yet: write it in the answer cell of "
                    f"{item.display} and run that cell first")
    for other in item.needs:
        needed = spec.item(other)
        absent = [name for name in needed.names if name not in namespace]
        if absent:
            return (f"this exercise uses {absent[0]} from {needed.display}, which is not "
                    f"defined yet: do {needed.display} first")
    return None


def needs_note(spec: NotebookSpec, item: Item, namespace: dict) -> str:
    """When a failing item uses an earlier exercise that is undefined or fails its public
    checks (run quietly here), say which, in the grader's words (``compare.knock_on``)."""
    for other in item.needs:
        needed = spec.item(other)
        if not passes_quietly(spec, needed, namespace):
            return knock_on(needed)
    return ""


def passes_quietly(spec: NotebookSpec, item: Item, namespace: dict) -> bool:
    """Whether ``item``'s public probes pass in this kernel; nothing they print is shown."""
    if any(name not in namespace for name in item.names):
        return False
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()), \
            warnings.catch_warnings():
        warnings.simplefilter("ignore")
        records = public_records(item, namespace)
    early, verdicts = public_verdicts(spec, item, records)
    return early is None and all(verdict.passed for verdict in verdicts)


def public_records(item: Item, namespace: dict) -> list[dict]:
    """Run ``item``'s public probes here; each record exactly as the grader would get it."""
    prelude = answer_prelude(item, namespace) if item.redefine else ""
    return [json.loads(json.dumps(run_probe(namespace, probe.setup, probe.code,
                                            wire.encode(probe.inputs), prelude, item.names)))
            for probe in item.public]


def public_verdicts(spec: NotebookSpec, item: Item,
                    records: list[dict]) -> tuple[Verdict | None, list[Verdict]]:
    """The item-level verdict when nothing was answered (``compare.unanswered``), else None,
    and the verdict of every public probe against the recorded expected values."""
    outcomes = [outcome_of(r) for r in records]
    early = unanswered(item.names, outcomes)
    expected = load_expected(spec.notebook).get(item.grade_id, [])
    verdicts = [judge_probe(probe, outcome,
                            outcome_of(expected[index]) if index < len(expected) else None)
                for index, (probe, outcome) in enumerate(zip(item.public, outcomes,
                                                             strict=True))]
    return early, verdicts


def sealed_record(record: dict) -> dict:
    """What ``ch4 expected`` stores for a sealed public value: its form, never the value."""
    from autograder.items.compare import sealed

    return {"value": sealed(outcome_of(record)).value}


def _student_error(namespace: dict, probe: Probe, prelude: str = "",
                   names: tuple[str, ...] = ()) -> BaseException | None:
    """Run a probe that raised once more, keeping the exception (and its traceback) so the
    student sees the frames of their own code; the namespace is put back as ``run_probe``
    leaves it."""
    before = dict(namespace)
    try:
        from autograder.items.runner import to_live

        namespace.update(to_live(wire.decode(wire.encode(probe.inputs))))
        redefine(namespace, prelude, names)
        if probe.setup:
            exec(compile(probe.setup, "<probe setup>", "exec"), namespace)  # noqa: S102
        eval(compile(probe.code, "<probe>", "eval"), namespace)  # noqa: S307
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - shown, never judged
        return exc
    finally:
        for name in [n for n in namespace if n not in before]:
            namespace.pop(name, None)
        namespace.update(before)
    return None


def _own_frame(filename: str) -> bool:
    return not (filename.startswith("<probe") or filename.startswith(AUTOGRADER_DIR)
                or filename.startswith(sys.base_prefix) or filename.startswith(sys.prefix))


def student_frames(exc: BaseException) -> list[str]:
    """The traceback of ``exc`` cut to the frames of the student's own code, then the error."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if _own_frame(f.filename)]
    lines = ["Traceback (your code):\n"] + traceback.format_list(frames) if frames else []
    return [line.rstrip("\n") for line in lines
            + traceback.format_exception_only(type(exc), exc)]


def _stub_of(spec: NotebookSpec, item: Item, exc: BaseException) -> Item | None:
    """The earlier item whose unfinished stub (or missing name) ``exc`` came from, if any."""
    names = {name: spec.item(other) for other in item.needs for name in spec.item(other).names}
    if isinstance(exc, NameError) and getattr(exc, "name", None) in names:
        return names[exc.name]
    if isinstance(exc, NotImplementedError):
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.name in names:
                return names[frame.name]
            if frame.name in item.names:
                return None
    return None


Failure = tuple[str, str, list[str]]   # (message, the one thing to look at, own frames)


def _failure_lines(spec: NotebookSpec, item: Item, message: str, look_at: str,
                   own: list[str], more: tuple[Failure, ...] = ()) -> list[str]:
    """What the check cell shows: each failure (several for an item of several functions),
    then one line naming the hint to ask for."""
    from autograder.hints import hint_line

    key = (spec.notebook, item.grade_id)
    _FAILURES[key] = _FAILURES.get(key, 0) + 1
    lines = []
    for text, look, frames in ((message, look_at, own), *more):
        lines.append(f"\u2717 {item.display}: {text}")
        if look:
            lines.append(f"  look at: {look}")
        if frames:
            lines += ["", *frames, ""]
    lines.append("  " + hint_line(spec, item, _FAILURES[key]))
    return lines


def answer_prelude(item: Item, namespace: dict) -> str:
    """The definitions of ``item.names`` from the latest cell run in this kernel that made
    them (IPython's input history), as the grader takes them from the answer cell."""
    history = namespace.get("In")
    if not isinstance(history, list):
        return ""
    for source in reversed(history[:-1]):          # the last one is this check cell
        prelude = definitions(source, item.names) if isinstance(source, str) else ""
        if prelude:
            return prelude
    return ""


def id_warning(spec: NotebookSpec, namespace: dict) -> str | None:
    """The unset-``STUDENT_ID`` warning, for a notebook whose probes read the id (the
    questionnaire's choices are shuffled by it); None otherwise."""
    from autograder.checks.choice import ID_NAME, UNSET_ID, id_is_unset

    reads = any(ID_NAME in probe.setup for item in spec.items for probe in item.public)
    return UNSET_ID if reads and id_is_unset(namespace.get(ID_NAME)) else None


def construct_note(item: Item, namespace: dict) -> str | None:
    """What the grader will say about the construct the question asks for
    (``spec.construct_failure``), read from the latest cell run here that defines the item's
    names; None when it is there, or when this kernel's input history holds no cell defining
    them (a runner that executes without history, e.g. nbval: the grader still decides)."""
    history = namespace.get("In")
    if item.source_rule is None or not isinstance(history, list):
        return None
    source = defining_source(history[:-1], item.names)
    return construct_failure(item, source) if source else None


def check_item(spec: NotebookSpec, item: Item, namespace: dict | None = None) -> None:
    """Run ``item``'s public probes here; raise CheckFailed naming each failure the grader
    would report (``compare.reported``), and the earlier exercise it uses when that fails."""
    namespace = _namespace(namespace)
    watch_names(spec)
    warning = id_warning(spec, namespace)
    if warning:
        print(f"\u26a0 warning: {warning}")
    missing = missing_names(spec, item, namespace)
    if missing:
        raise CheckFailed(missing, _failure_lines(spec, item, missing, "", []))
    records = public_records(item, namespace)
    if os.environ.get(RECORD_ENV):
        _record(spec, item, records)
        return
    prelude = answer_prelude(item, namespace) if item.redefine else ""
    early, verdicts = public_verdicts(spec, item, records)
    if early is not None:
        first = (_student_error(namespace, item.public[0], prelude, item.names)
                 if item.public else None)
        earlier = _stub_of(spec, item, first) if first is not None else None
        if earlier is not None:
            message = (f"{item.display} calls {', '.join(earlier.names)}, which is not "
                       f"finished yet: do {earlier.display} first")
            raise CheckFailed(message, _failure_lines(spec, item, message, "", []))
        if early.message == NOT_ATTEMPTED:
            raise CheckFailed(early.message,
                              [f"\u2717 {item.display}: {early.message}",
                               "  write your answer in the cell above, run it, then this one"])
        message = early.message + needs_note(spec, item, namespace)
        raise CheckFailed(message, _failure_lines(spec, item, message, "", []))
    construct = construct_note(item, namespace)
    if construct is not None:
        raise CheckFailed(construct, _failure_lines(spec, item, construct, "", []))
    shown = reported(item, item.public, verdicts)
    if shown:
        note = needs_note(spec, item, namespace)
        failures = [(verdicts[i].reason + (note if n == 0 else ""), verdicts[i].look_at,
                     _own_lines(namespace, item.public[i], records[i], prelude, item.names))
                    for n, i in enumerate(shown)]
        raise CheckFailed("; ".join(verdicts[i].message for i in shown) + note,
                          _failure_lines(spec, item, *failures[0], more=tuple(failures[1:])))
    _FAILURES.pop((spec.notebook, item.grade_id), None)
    print(f"\u2713 {item.display}: passed the public checks (hidden tests run at grading)")


def _own_lines(namespace: dict, probe: Probe, record: dict, prelude: str,
               names: tuple[str, ...]) -> list[str]:
    """For a probe where the student's code raised: their own frames and the usual cause."""
    if outcome_of(record).raised is None:
        return []
    exc = _student_error(namespace, probe, prelude, names)
    own = student_frames(exc) if exc is not None else []
    cause = _usual_cause(exc)
    if cause:
        own.append(f"  usual cause: {cause}")
    return own


def _usual_cause(exc: BaseException | None) -> str | None:
    from autograder.hints import usual_cause

    return usual_cause(str(exc)) if exc is not None else None


# ---------------------------------------------------------------- names from earlier cells

_WATCHED: list[NotebookSpec] = []


def origin_of(spec: NotebookSpec, name: str, cells: list[str]) -> str | None:
    """Plain words for a NameError on ``name``: which exercise defines it, or which exercise
    the cell that sets it depends on (``cells``: the notebook's code cells, in order)."""
    owners = {n: item for item in spec.items for n in item.names}
    if name in owners:
        item = owners[name]
        return (f"{name} is not defined yet: it is your answer to {item.display}; write it "
                "there and run that cell first")
    for source in cells:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        assigned = {t.id for node in tree.body if isinstance(node, ast.Assign | ast.AnnAssign)
                    for target in (node.targets if isinstance(node, ast.Assign)
                                   else [node.target])
                    for t in ast.walk(target) if isinstance(t, ast.Name)}
        if name not in assigned:
            continue
        used = [owners[n.id] for n in ast.walk(tree)
                if isinstance(n, ast.Name) and n.id in owners]
        if used:
            return (f"{name} is not defined yet: it is set by a cell that uses your answer to "
                    f"{used[0].display}; finish that exercise first, then run the cells below "
                    "it in order")
        return (f"{name} is not defined yet: it is set by an earlier cell that has not run; "
                "run the cells above in order (Run > Run All Above Selected Cell)")
    return None


def _notebook_cells(spec: NotebookSpec) -> list[str]:
    path = Path.cwd() / f"{spec.notebook}.ipynb"
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
        return ["".join(c.get("source", "")) if isinstance(c.get("source"), list)
                else str(c.get("source", "")) for c in nb.get("cells", [])
                if c.get("cell_type") == "code"]
    except (OSError, ValueError, AttributeError):
        return []


def _name_error_handler(shell, etype, value, tb, tb_offset=None):  # noqa: ANN001
    """IPython's custom exception hook for NameError: name the exercise to do first."""
    name = getattr(value, "name", None)
    text = None
    for spec in _WATCHED:
        if isinstance(name, str):
            text = origin_of(spec, name, _notebook_cells(spec))
        if text:
            break
    stb = ([f"NameError: {text}"] if text else
           shell.InteractiveTB.structured_traceback(etype, value, tb, tb_offset=tb_offset))
    shell._showtraceback(etype, value, stb)
    return stb


def watch_names(spec: NotebookSpec) -> None:
    """In IPython, explain NameErrors for names an unfinished exercise should have defined."""
    if spec not in _WATCHED:
        _WATCHED.insert(0, spec)
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with Jupyter
        return
    shell = get_ipython()
    if shell is None or NameError in getattr(shell, "custom_exceptions", ()):
        return
    shell.set_custom_exc((NameError,), _name_error_handler)


def _record(spec: NotebookSpec, item: Item, records: list[dict]) -> None:
    """Store the reference's public values (``ch4 expected`` runs the solutions this way)."""
    stored = [sealed_record(r) if p.compare.sealed and "value" in r else r
              for p, r in zip(item.public, records, strict=True)]
    path = expected_path(spec.notebook)
    data = load_expected(spec.notebook)
    data[item.grade_id] = stored
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"recorded {len(stored)} public value(s) for {item.grade_id}")
