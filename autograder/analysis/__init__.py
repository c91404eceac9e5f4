"""Item analysis of a graded class, for the instructor: item statistics (``items``), how
failures relate to the reference (``relations``, ``diagnose``, run in the grader), the failing
submissions grouped by how they failed (``clusters``), the report's section (``section``) and
``ch4 insight`` (``insight``). Reads results only; never runs a kernel."""
