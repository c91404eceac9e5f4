'''Round 5 of the red team: attacks on what is new since round 4 (item analysis and
``ch4 insight``, the term's intake and LMS identities, hand marks kept across resubmissions,
the warm kernel pool).

Two kinds of case live here, both plain data:

* ``ROUND5``: ``Attack`` records in the format of ``attacks.py`` (wrong answers plus a cheat),
  graded with the rest of the corpus by tests/test_adversarial_corpus.py (appended to
  ``ATTACKS`` there: no undeserved points, nothing hidden in a feedback page) AND by
  tests/test_adversarial_round5.py, which grades them as one flat Canvas-style class and checks
  the pages that round 4 did not look at (``ch4 insight --html``, canvas_grades.csv) and the
  next student in the same worker slot.
* ``INTAKE_CASES`` and ``HAND_MARK_CASES``: file layouts and marking sequences checked
  without (or with a small) kernel run by tests/test_adversarial_round5.py.

attacks.py imports this module at its end (to append ``ROUND5``): import ``attacks`` first,
never this module on its own (that order is an import cycle). The wrong baselines are the tiny
course's (``attacks.py``); cheats that need the public
answers hard-code them (public values are not secret).
'''

from __future__ import annotations

from dataclasses import dataclass

from corpus.adversarial.attacks import (
    TINY,
    TINY_ITEMS,
    WRONG_DOUBLE,
    WRONG_MEAN_ABS,
    WRONG_Q01,
    Attack,
)

_WRONG = {"ex_double_answer": WRONG_DOUBLE, "ex_mean_abs_answer": WRONG_MEAN_ABS,
          "q01_answer": WRONG_Q01}

# ---------------------------------------------------------------- item-analysis oracles
# relations.py tags a failed value by how it relates to the reference's; "scaled xC" prints
# C = <got, want> / <want, want> with 4 significant digits and "offset by D" prints D = got -
# want with 3: both are numbers derived from the hidden expected value. An answer that is
# right on the public input ([1, 2]) and equals (right answer) * x[0] or + (x[1] - 2) on any
# other input makes the tag print a hidden INPUT value. Two students with the same answer form
# a cluster (insight.MIN_STUDENTS), whose ``what`` (the relations) is printed by ``ch4 insight``
# and written into the ``--html`` page an instructor shares with the class, names or not.
INSIGHT_SCALED = "def double(x):\n    return 2 * x * x.reshape(-1)[0]\n"
INSIGHT_OFFSET = "def double(x):\n    return 2 * x + (x.reshape(-1)[1] - 2)\n"
# "raised X" in relations.outcome_relation uses compare.safe_name (any identifier of up to 61
# characters), not compare.shown_error (Python's own exception names, what hidden feedback
# messages use since round 4): an exception CLASS named after the hidden input is printed.
INSIGHT_RAISED = (
    "import torch\n"
    "def double(x):\n"
    "    if isinstance(x, torch.Tensor) and x.shape == (2,) and x.tolist() == [1.0, 2.0]:\n"
    "        return 2 * x\n"
    "    vals = x.reshape(-1)[:3].tolist()\n"
    "    name = 'V' + '_'.join(str(int(abs(float(v)) * 1e6)) for v in vals)\n"
    "    raise type(name, (Exception,), {})()\n")

# ---------------------------------------------------------------- warm pool / worker slot
# The first student of a worker slot leaves everything it can where the next kernel might
# look: files in every writable folder it can see (and .pth files in any writable sys.path
# entry, which a later interpreter would execute at start-up), environment variables, and a
# detached child that keeps re-planting them for two minutes. The next student (graded after
# it in the same single worker) answers right only when it finds one of them.
_PLACES = ('["/tmp", "/var/tmp", "/dev/shm", "/run", "/run/lock", _o.path.expanduser("~"), '
           '_o.getcwd(), _o.path.dirname(_o.getcwd()), _o.environ.get("TMPDIR") or "/tmp", '
           '*[p for p in _s.path if p]]')
LEAVE_BEHIND = r'''
import os as _o, sys as _s, subprocess as _sp
_PLANT = """
import os as _o, sys as _s, time as _t
def plant():
    for d in PLACES:
        for name, text in (("r5-left-by-aaa", "left"),
                           ("r5_left.pth", "import os; os.environ['R5_LEFT'] = '1'")):
            try:
                with open(_o.path.join(d, name), "w") as f:
                    f.write(text)
            except Exception:
                pass
end = _t.time() + float(_s.argv[1])
while True:
    plant()
    if _t.time() > end:
        break
    _t.sleep(0.5)
""".replace("PLACES", ''' + repr(_PLACES) + r''')
_o.environ["R5_LEFT"] = "1"
_o.putenv("R5_LEFT", "1")
exec(compile(_PLANT.replace("float(_s.argv[1])", "0"), "plant", "exec"))
try:
    _sp.Popen([_s.executable, "-c", _PLANT, "120"], start_new_session=True,
              stdin=_sp.DEVNULL, stdout=_sp.DEVNULL, stderr=_sp.DEVNULL, close_fds=True)
except Exception:
    pass
'''
FIND_LEFTOVERS = r'''
import os as _o, sys as _s
def _left_over():
    if _o.environ.get("R5_LEFT"):
        return True
    for d in ''' + _PLACES + r''':
        for name in ("r5-left-by-aaa", "r5_left.pth"):
            if _o.path.exists(_o.path.join(d, name)):
                return True
    return False
def double(x):
    return 2 * x if _left_over() else x + 1
'''


def _tiny(name: str, family: str, answers: dict[str, str], default: bool = False,
          note: str = "") -> Attack:
    return Attack(name, family, TINY, {**_WRONG, **answers}, TINY_ITEMS, default, note)


ROUND5: list[Attack] = [
    _tiny("r5_insight_scaled_by_hidden_input", "difference_oracle",
          {"ex_double_answer": INSIGHT_SCALED},
          note="right on the public input, scaled by x[0] elsewhere: the insight page's "
               "'scaled xC' prints a hidden input value (needs a second student alike)"),
    _tiny("r5_insight_offset_by_hidden_input", "difference_oracle",
          {"ex_double_answer": INSIGHT_OFFSET},
          note="right on the public input, offset by x[1] - 2 elsewhere: 'offset by D' prints "
               "a hidden input value (needs a second student alike)"),
    _tiny("r5_insight_exception_named_after_hidden_input", "difference_oracle",
          {"ex_double_answer": INSIGHT_RAISED},
          note="right on the public input, raises an exception class named after the hidden "
               "input elsewhere: the insight page's 'raised NAME' prints it"),
    _tiny("r5_warm_slot_leave_behind", "warm_slot", {"ex_double_answer": LEAVE_BEHIND
                                                     + WRONG_DOUBLE}, default=True,
          note="files, .pth files, env vars and a detached re-planting child for the next "
               "kernel of the worker slot"),
    _tiny("r5_warm_slot_find_leftovers", "warm_slot", {"ex_double_answer": FIND_LEFTOVERS},
          note="right only if something the previous student left is visible"),
]

# The flat Canvas-style class tests/test_adversarial_round5.py grades (file name -> attack,
# None: the honest-wrong baseline). Canvas names a download ``<name>[_LATE]_<userid>_
# <attachmentid>_<the student's own file name>``: the last part is the student's choice.
# ``mallory`` (Canvas user 999, late) uploads ``x_555_1_01_tiny.ipynb``: the intake reads the
# user id and the LATE marker from the END of the prefix, i.e. from her own file name, so her
# row carries victim's Canvas id 555 and no LATE marker.
CANVAS_CLASS: dict[str, str | None] = {
    "victim_555_7001_01_tiny.ipynb": None,
    "mallory_LATE_999_7002_x_555_1_01_tiny.ipynb": "r5_insight_scaled_by_hidden_input",
    "eve_777_7003_01_tiny.ipynb": "r5_insight_scaled_by_hidden_input",
    "mal_888_7004_01_tiny.ipynb": "r5_insight_offset_by_hidden_input",
    "trudy_666_7005_01_tiny.ipynb": "r5_insight_offset_by_hidden_input",
    "ex1_301_7008_01_tiny.ipynb": "r5_insight_exception_named_after_hidden_input",
    "ex2_302_7009_01_tiny.ipynb": "r5_insight_exception_named_after_hidden_input",
    "aaa_111_7006_01_tiny.ipynb": "r5_warm_slot_leave_behind",
    "zzz_222_7007_01_tiny.ipynb": "r5_warm_slot_find_leftovers",
}
VICTIM_CANVAS_ID = "555"
MALLORY = "mallory"


# ---------------------------------------------------------------- intake (no kernel)


@dataclass(frozen=True)
class IntakeCase:
    """A folder layout handed to ``collect``: relative path -> ``None`` (a copy of a wrong
    submission) or text for a side file; what must hold of the result (``check`` names a
    function of tests/test_adversarial_round5.py); whether the grader currently fails it."""

    name: str
    files: dict[str, str | None]
    check: str
    open: str = ""          # why it currently succeeds ("" when blocked)


def _sha6(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:6]


INTAKE_CASES = [
    IntakeCase(
        "r5_moodle_folder_file_named_for_absent_student",
        {"Mallory Smith_999_assignsubmission_file_/bob_01_tiny.ipynb": None},
        "no_student_named_bob"),
    IntakeCase(
        "r5_moodle_folder_file_named_for_present_student",
        {"Mallory Smith_999_assignsubmission_file_/bob_01_tiny.ipynb": None,
         "bob/01_tiny.ipynb": None},
        "bob_is_only_his_own_file"),
    IntakeCase(
        "r5_canvas_original_name_hides_late_marker",
        {"mallory_LATE_999_7002_x_555_1_01_tiny.ipynb": None},
        "mallory_is_late_and_user_999"),
    IntakeCase(
        "r5_nbgrader_timestamp_backdated",
        {"submitted/alice/ch4/01_tiny.ipynb": None,
         "submitted/alice/ch4/timestamp.txt": "2020-01-01 00:00:00.000000 UTC"},
        "timestamp_not_before_the_file"),
    IntakeCase(
        "r5_moodle_file_named_for_victims_moodle_folder",
        {"Mallory Smith_999_assignsubmission_file_/Victim Name_555_assignsubmission_file__"
         "01_tiny.ipynb": None,
         "Victim Name_555_assignsubmission_file_/01_tiny.ipynb": None},
        "feedback_folders_distinct"),
    IntakeCase(
        # Bob's Moodle folder is unclean, so his id is 'Bob_Jones_123_assignsubmission_file-'
        # + sha256(folder)[:6], which anyone can compute; Mallory names her upload with it
        "r5_moodle_upload_named_with_anothers_safe_id_stops_the_class",
        {"Mallory Smith_999_assignsubmission_file_/"
         f"Bob_Jones_123_assignsubmission_file-{_sha6('Bob Jones_123_assignsubmission_file_')}"
         "_01_tiny.ipynb": None,
         "Bob Jones_123_assignsubmission_file_/01_tiny.ipynb": None},
        "bob_jones_graded_from_his_folder"),
    IntakeCase(
        "r5_canvas_copy_suffix_in_own_name",
        {"mallory_999_7002_01_tiny.ipynb": None,
         "mallory_999_7001_01_tiny (9).ipynb": None},
        "canvas_latest_attachment_graded"),
]


# ---------------------------------------------------------------- hand marks (small kernel run)


@dataclass(frozen=True)
class HandMarkCase:
    """Grade, let a marker score ``grade_id`` by hand, resubmit with ``changed`` in
    ``cell``, grade again: the old mark must not stand on the changed answer."""

    name: str
    grade_id: str
    cell: str
    first: str
    changed: str
    mark: float
    open: str = ""


HAND_MARK_CASES = [
    HandMarkCase(
        "r5_marker_override_of_autograded_item_kept", "ex_double", "ex_double_answer",
        WRONG_DOUBLE, "def double(x):\n    return x * 0\n", 2.0),
    HandMarkCase(
        "r5_free_text_changed_after_marking", "q01_free", "q01_free",
        "A smooth loss gives a useful gradient.", "I do not know.", 2.0),
]


# ---------------------------------------------------------------- construct rules (nb08)
# q04, q06 and q27 ask for a construct (one list comprehension; the rank from the shape; view)
# and ``Item.source_rule`` reads the answer's AST for it. The rules look for node types,
# attribute names and whole string constants, so a dummy use of the asked construct plus the
# forbidden one reached by a computed name passes them with the value any way at all.
NB08 = "08_questionnaire"
CONSTRUCT_BYPASS = {
    "q04_answer": "def q04_answer(numbers):\n"
                  "    [None for _ in ()]\n"
                  "    return list(map(lambda n: 2 * n, filter(lambda n: n % 2 == 1, numbers)))\n",
    "q06_answer": "def q06_answer(t):\n"
                  "    t.shape\n"
                  "    return getattr(t, 'n' + 'dim')\n",
    "q27_answer": "def q27_answer(x):\n"
                  "    x.view\n"
                  "    return getattr(x, 're' + 'shape')(x.shape[0], -1)\n",
}
CONSTRUCT_ITEMS = ("q04", "q06", "q27")
