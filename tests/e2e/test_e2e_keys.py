"""End to end: the installed app in a pseudo-terminal, keys written as a remote link
delivers them, the screen read back as a user sees it."""

from __future__ import annotations

import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from pty_harness import PtyApp, installed_app, pty_available, running

from bishan_tui.loader import load_dataset
from bishan_tui.search import SearchIndex, build_index

why_not = pty_available()
pytestmark = pytest.mark.skipif(bool(why_not), reason=why_not)

FIRST_FRAME = "璧山"


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return build_index(load_dataset(), persist=False)


def argv() -> list[str]:
    script = installed_app()
    return [str(script)] if script.exists() else [sys.executable, "-m", "bishan_tui"]


def best_id(index: SearchIndex, query: str) -> str:
    best = index.search(query, limit=1)
    assert best, query
    return best[0].record.id


def opened(record_id: str, query: str) -> Callable[[str], bool]:
    """The screen shows the record's detail (its id) and the query in the box."""

    def check(screen: str) -> bool:
        lines = screen.splitlines()
        box = next((line for line in lines[:4] if line.lstrip().startswith("/")), "")
        return record_id in screen and query in box

    return check


@pytest.mark.parametrize("query", ["kangjia", "kjgd", "2.85", "lihe", "qingchuang"])
def test_slash_query_and_enter_in_one_write(
    tmp_path: Path, index: SearchIndex, query: str
) -> None:
    with running(home=tmp_path, argv=argv()) as app:
        app.wait_for(FIRST_FRAME)
        app.write("\x1b")  # Esc: from the (empty) box to the table, where q quits
        time.sleep(0.3)
        app.write(f"/{query}\r")
        app.wait_for(opened(best_id(index, query), query))
        assert app.process is not None and app.process.poll() is None


def test_keys_written_before_the_first_frame(tmp_path: Path, index: SearchIndex) -> None:
    """``ssh -t host bishan-tui``, then typing at once: nothing lost, no "/" in the box."""
    with running(home=tmp_path, argv=argv(), before_first_frame=b"/kangjia\r") as app:
        screen = app.wait_for(opened(best_id(index, "kangjia"), "kangjia"))
        assert "/kangjia" not in screen


def test_a_paste_of_chinese_text(tmp_path: Path, index: SearchIndex) -> None:
    with running(home=tmp_path, argv=argv(), size=(120, 36)) as app:
        app.wait_for(FIRST_FRAME)
        app.write("\x1b")
        time.sleep(0.3)
        app.write("\x1b[200~康佳\x1b[201~\r")
        app.wait_for(opened(best_id(index, "康佳"), "康佳"))


def _quit_by_key(app: PtyApp, keys: str) -> None:
    app.write("\x1b")  # to the table
    time.sleep(0.3)
    for key in keys:
        app.write(key)
        time.sleep(0.1)


EXITS: dict[str, Callable[[PtyApp], None]] = {
    "q": lambda app: _quit_by_key(app, "q"),
    "ctrl+q": lambda app: app.write("\x11"),
    "ctrl+c twice": lambda app: _quit_by_key(app, "\x03\x03"),
    "SIGTERM": lambda app: app.signal(signal.SIGTERM),
    "SIGHUP": lambda app: app.signal(signal.SIGHUP),
    "SIGINT": lambda app: app.signal(signal.SIGINT),
}


@pytest.mark.parametrize("how", list(EXITS))
def test_every_exit_gives_the_terminal_back(tmp_path: Path, how: str) -> None:
    with running(home=tmp_path, argv=argv()) as app:
        app.wait_for(FIRST_FRAME)
        app.wait_quiet()
        EXITS[how](app)
        status = app.wait_exit(10)
        assert status is not None, f"still running after {how}"
        time.sleep(0.2)  # the reader takes the last bytes
        assert app.terminal_problems() == []


def test_ctrl_c_once_does_not_quit(tmp_path: Path) -> None:
    with running(home=tmp_path, argv=argv()) as app:
        app.wait_for(FIRST_FRAME)
        app.write("kang\x03")
        app.wait_for("Ctrl+Q")
        assert app.wait_exit(0.5) is None
        app.write("jia")
        app.wait_for(lambda screen: "kangjia" in screen)


def _state(pid: int) -> str:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return stat.rsplit(")", 1)[1].split()[0]


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="no /proc to read")
def test_ctrl_z_suspends_and_resumes_redrawn(tmp_path: Path) -> None:
    with running(home=tmp_path, argv=argv()) as app:
        app.wait_for(FIRST_FRAME)
        app.wait_quiet()
        assert app.process is not None
        app.write("\x1a")  # Ctrl+Z, typed in the search box
        deadline = time.monotonic() + 10
        while _state(app.process.pid) != "T":
            assert time.monotonic() < deadline, "not stopped"
            time.sleep(0.05)
        time.sleep(0.2)
        assert app.terminal_problems() == []  # the shell gets a sane terminal meanwhile
        app.screen.reset()
        app.signal(signal.SIGCONT)
        screen = app.wait_for(FIRST_FRAME)  # the whole screen drawn again
        assert app.process.poll() is None
        assert "Esc" in screen or "esc" in screen
