"""Shared logic of the shift lifecycle commands (shift start/end, status, prepare-commit-msg)."""
