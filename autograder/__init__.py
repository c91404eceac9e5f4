"""Course companion for chapter 4 of *Deep Learning for Coders*: data, release, checks, grading."""

__version__ = "0.1.0"
