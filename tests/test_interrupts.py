"""The termination signals: each raises Terminated under `terminating()`, held under `deferred()`."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
from pathlib import Path

import pytest

from shiftguard.interrupts import (
    SIGNALS,
    Terminated,
    deferred,
    describe,
    stop_group,
    terminating,
)
from tests.conftest import ended


@pytest.mark.parametrize("sig", SIGNALS, ids=lambda s: signal.Signals(s).name)
def test_each_signal_raises_terminated_in_the_main_thread(sig: int) -> None:
    before = signal.getsignal(sig)
    with terminating(), pytest.raises(Terminated) as info:
        os.kill(os.getpid(), sig)  # delivered before kill() returns; the handler runs next
    assert info.value.signum == sig and describe(info.value) == f"interrupted by {signal.Signals(sig).name}"
    assert isinstance(info.value, KeyboardInterrupt)
    assert signal.getsignal(sig) is before
    assert describe(KeyboardInterrupt()) == "interrupted"


def test_handlers_are_left_alone_off_the_main_thread() -> None:
    seen: list[object] = []

    def body() -> None:
        with terminating():
            seen.append(signal.getsignal(signal.SIGTERM))

    thread = threading.Thread(target=body)
    thread.start()
    thread.join()
    assert seen == [signal.getsignal(signal.SIGTERM)]


def test_deferred_holds_signals_and_raises_the_first_afterwards() -> None:
    done: list[str] = []
    with terminating(), pytest.raises(Terminated) as info, deferred():
        os.kill(os.getpid(), signal.SIGHUP)
        os.kill(os.getpid(), signal.SIGTERM)
        done.append("cleanup finished")
    assert done == ["cleanup finished"] and info.value.signum == signal.SIGHUP


def test_deferred_drops_signals_when_asked_and_never_hides_an_error() -> None:
    with terminating():
        with deferred(reraise=False):
            os.kill(os.getpid(), signal.SIGQUIT)
        with pytest.raises(ValueError), deferred():
            os.kill(os.getpid(), signal.SIGINT)
            raise ValueError("the error on its way out wins")


def test_stop_group_ends_the_whole_group_even_when_the_leader_ignores_sigterm(tmp_path: Path) -> None:
    ready = tmp_path / "ready"
    proc = subprocess.Popen(
        ["/bin/sh", "-c", f"trap '' TERM; sleep 300 & echo $! > '{ready}.tmp'; mv '{ready}.tmp' '{ready}'; wait"],
        start_new_session=True,
    )
    while not ready.exists():
        os.sched_yield()
    stop_group(proc, grace=0.2)
    assert proc.returncode == -signal.SIGKILL
    assert ended(int(ready.read_text()), 30)  # SIGKILL was sent; the kernel finishes it on its own time
