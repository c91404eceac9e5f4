"""Item specs: every autograded item described once, as probes of the student's code.

``spec.py`` declares items and probes, ``wire.py`` carries values across the process boundary
as plain data, ``runner.py`` runs probes inside the kernel, ``compare.py`` judges, and
``selfcheck.py`` is the locked check cell (``ch4 check``). One module per notebook
(``nb01.py`` ...) holds that notebook's ``SPEC``.
"""
