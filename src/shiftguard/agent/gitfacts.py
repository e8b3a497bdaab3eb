"""The repository's answers to the classifier's questions, each asked of git only when needed."""

from __future__ import annotations

from shiftguard.agent.facts import Facts

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shiftguard.config import Config


class GitFacts(Facts):
    """Facts of the repository in the cwd; git runs at most once per question."""

    def __init__(self, config: Config | None, cwd: str | None = None) -> None:
        self._config = config
        self._cwd = cwd
        self._memo: dict[str, object] = {}

    def at(self, directory: str) -> Facts:
        import os

        return GitFacts(self._config, os.path.join(self._cwd or os.getcwd(), directory))

    def _ask(self, key: str, *args: str) -> str | None:
        if key not in self._memo:
            from shiftguard import git

            from shiftguard.errors import ShiftguardError

            try:
                self._memo[key] = git.try_out(*args, cwd=self._cwd)
            except (OSError, ShiftguardError):  # no such -C directory, no git: unknown
                self._memo[key] = None
        value = self._memo[key]
        return value if isinstance(value, str) else None

    def protected(self) -> tuple[str, ...]:
        if self._config is None:
            return super().protected()
        return tuple(str(b) for b in self._config.data.get("protected_branches") or ())  # type: ignore[union-attr]

    def branch(self) -> str | None:
        return self._ask("branch", "symbolic-ref", "--quiet", "--short", "HEAD")

    def dirty(self) -> bool:
        status = self._ask("status", "status", "--porcelain", "--untracked-files=normal")
        return status is None or status != ""  # unknown: assume there is work to lose

    def pushed(self) -> bool:
        return self._ask("upstream", "rev-parse", "--verify", "--quiet", "@{upstream}") is not None

    def alias(self, name: str) -> str | None:
        return self._ask("alias." + name, "config", "--get", "alias." + name)
