"""Test helpers for rule authors: the pytest plugin collecting rule cases (an edge module)."""
