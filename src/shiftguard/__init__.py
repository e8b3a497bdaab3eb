"""shiftguard: git hooks and repository policy for shift-based teams."""

__version__ = "0.2.0"
