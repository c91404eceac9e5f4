"""Adversarial submissions: wrong answers plus a cheat (see attacks.py)."""
