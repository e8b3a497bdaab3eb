"""`shiftguard shift start N TYPE` and `shift end N [--score S]` (the seed's scripts).

Neither command pulls, pushes, stages or commits: start reports where the
branch stands, end prints the exact `git add` and `git commit` to run.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from shiftguard.config import Config


def shift_start(number: int, agent_type: str | None, *, config_path: str | None, offline: bool = False,
                take_over: bool = False) -> int:
    from shiftguard import config as config_mod
    from shiftguard.lifecycle import start

    cfg = config_mod.load(explicit=config_path)
    return start.run(cfg, number, agent_type, offline=offline, take_over=take_over)


def shift_end(number: int, *, score: int | None, config_path: str | None, offline: bool = False) -> int:
    from shiftguard import config as config_mod
    from shiftguard.lifecycle import end

    cfg: Config = config_mod.load(explicit=config_path)
    return end.run(cfg, number, score, offline=offline)
