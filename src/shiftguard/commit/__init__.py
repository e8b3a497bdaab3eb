"""Commit messages: git-faithful cleanup, the Shift convention rules, history checks."""
