"""Questionnaire helpers used by notebook 08 and its item spec: the options of the
multiple-choice and ordering items and their per-student shuffle (``choice``), the
questionnaire's option texts and stand-ins (``questionnaire``). Verdicts live in
``autograder.items``."""
