"""``ch4 grade`` as five stages over typed values, in the order they run (``run.grade_class``):

1. ``intake``   — the term, the source notebooks (frozen into OUT, read and parsed once), the
                  grading key and the submissions collected: an ``Intake``;
2. ``plan``     — references known, how notebooks run, one ``Job`` per submission with its
                  inputs digest, the stored results a rerun reuses: a ``Plan``;
3. ``dispatch`` — the references and submissions still to do, run in a process pool or on a
                  cluster, each result written once as it lands: a ``Ran``;
4. ``record``   — the gradebook, the course folder, the other weeks' results and the
                  markers' scores: a ``Recorded``;
5. ``outputs``  — the grades, the feedback pages, the similarity hints and the class report,
                  built from the results in memory.

Every path under OUT comes from ``grading.layout``.
"""
