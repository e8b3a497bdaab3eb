"""Any YAML as `.shiftguard.yaml`, anchors and aliases included: a config or exit 4, quickly.

Generated documents mix the real config keys with noise, every kind of YAML
scalar (huge ints, dates, nulls, tags) and anchors reused by aliases, nested
and inside themselves; a second strategy throws raw YAML punctuation at the
loader. Loading must end in a config or a one-line ConfigError, never another
exception, within hypothesis' deadline.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shiftguard import config as config_mod
from shiftguard.errors import ConfigError, ExitCode

KEYS = ["commit", "handoff", "tests", "suites", "status", "health_urls", "components", "rules", "exempt",
        "remote", "protected_branches", "name", "run", "url", "timeout", "pattern", "dir", "x"]  # fmt: skip
SCALARS = st.one_of(
    st.sampled_from(["null", "~", "true", "no", "1979-05-27", "2026-01-01 10:00:00", "'quoted'", '"a\\tb"',
                     "9" * 5000, "0x1F", ".inf", "-.nan", "!!binary aGk=", "!!str 5", "!custom x", "http://[x"]),
    st.integers(-(10**6), 10**6).map(str),
    st.text("abcSG1-_ ./%", min_size=1, max_size=12).map(lambda s: f"'{s}'"),
)  # fmt: skip


@st.composite
def documents(draw: st.DrawFn) -> str:
    """A YAML mapping; some values carry anchors that later values alias."""
    anchors: list[str] = []

    def node(depth: int, indent: str) -> str:
        kind = draw(st.sampled_from(["scalar", "alias", "map", "list", "flow"] if depth < 4 else ["scalar", "alias"]))
        if kind == "alias" and anchors:
            return " *" + draw(st.sampled_from(anchors))
        anchor = ""
        if draw(st.booleans()):
            anchors.append(f"a{len(anchors)}")
            anchor = f" &{anchors[-1]}"
        if kind in ("scalar", "alias"):
            return f"{anchor} {draw(SCALARS)}"
        if kind == "flow":
            items = [f"*{draw(st.sampled_from(anchors))}" if anchors and draw(st.booleans()) else draw(SCALARS)
                     for _ in range(draw(st.integers(0, 10)))]  # fmt: skip
            return f"{anchor} [{', '.join(items)}]"
        inner = indent + "  "
        if kind == "list":
            rows = [f"{inner}-{node(depth + 1, inner)}" for _ in range(draw(st.integers(1, 3)))]
        else:
            rows = [f"{inner}{draw(st.sampled_from(KEYS))}:{node(depth + 1, inner)}" for _ in range(draw(st.integers(1, 3)))]
        return anchor + "\n" + "\n".join(rows)

    rows = [f"{draw(st.sampled_from(KEYS))}:{node(1, '')}" for _ in range(draw(st.integers(1, 5)))]
    return "\n".join(rows) + "\n"


PUNCTUATION = st.text("&*[]{}:-,? \n#!|>'\"%@`a1\t", max_size=200)


def exit_code_of(root: Path, text: str) -> int:
    (root / ".shiftguard.yaml").write_text(text)
    try:
        config_mod.load(root)
    except ConfigError as exc:
        assert "\n" not in exc.message, exc.message
        return int(exc.exit_code)
    return 0


@settings(max_examples=150, deadline=timedelta(seconds=2), suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(documents(), PUNCTUATION))
def test_any_yaml_is_a_config_or_exit_4(tmp_path_factory, text: str) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("cfg")
    assert exit_code_of(root, text) in (0, ExitCode.CONFIG)


def test_the_strategy_reaches_both_verdicts(tmp_path: Path) -> None:
    assert exit_code_of(tmp_path, "remote: up\n") == 0
    assert exit_code_of(tmp_path, "remote: &a [*a]\n") == ExitCode.CONFIG
