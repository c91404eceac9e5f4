"""Questionnaire helpers used by notebook 08 and its item spec: the per-student shuffle of the
multiple-choice and ordering options (``choice``) and the notebook's view of the options the
spec declares (``questionnaire``). Verdicts live in ``autograder.items``."""
