"""Item specs: every autograded item described once, as probes of the student's code.

``spec.py`` declares items and probes (data only), ``wire.py`` carries values across the
process boundary as plain data, ``runner.py`` runs probes inside the kernel, ``compare.py``
judges, ``probing.py`` plans the probes and turns their records into verdicts (shared by
``ch4 check`` and ``ch4 grade``), ``selfcheck.py`` is the locked check cell and ``cells.py``
the ``SPEC`` object a notebook's cells call (``SPEC.check``, ``SPEC.hint``). One module per
notebook (``nb01.py`` ...) holds that notebook's ``SPEC``.
"""
