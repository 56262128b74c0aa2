"""``bishan-tui serve``: the app in a browser, without a browser.

The test starts the real server on a free loopback port and speaks to its
websocket as textual-serve's page does: a JSON ``["stdin", key]`` message per key,
terminal output back as binary frames.  A terminal emulator (pyte) turns the
output into the screen a browser would draw.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from cli_process import ROOT, run_cli

from bishan_tui.loader import load_dataset
from bishan_tui.model import KINDS
from bishan_tui.search import build_index
from bishan_tui.serve import app_command, exposure_warning, is_loopback

if TYPE_CHECKING:
    from aiohttp import ClientWebSocketResponse

aiohttp = pytest.importorskip("aiohttp")
pyte = pytest.importorskip("pyte")
pytest.importorskip("textual_serve")

WIDTH, HEIGHT = 80, 24  # the narrow layout: the detail opens on Enter
HANG_GUARD = 60.0  # seconds before a wait gives up: a hang guard, not a speed test


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server() -> Iterator[int]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "bishan_tui", "serve", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its app processes are ended with it
    )
    try:
        deadline = time.monotonic() + HANG_GUARD
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    assert process.stderr is not None
                    pytest.fail(f"server did not start: {process.stderr.read().decode()}")
                time.sleep(0.1)
        yield port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


class Browser:
    """What textual-serve's page does with the websocket, minus the drawing."""

    def __init__(self, ws: ClientWebSocketResponse) -> None:
        self.ws = ws
        self.screen = pyte.Screen(WIDTH, HEIGHT)
        self.stream = pyte.ByteStream(self.screen)
        self.messages: list[list[object]] = []  # JSON text frames: downloads and such

    @property
    def lines(self) -> list[str]:
        return list(self.screen.display)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    async def wait_for(self, ready: Callable[[], bool], what: str) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + HANG_GUARD
        while not ready():
            left = deadline - loop.time()
            if left <= 0:
                pytest.fail(f"never saw {what}; the screen was:\n{self.text}")
            try:
                message = await asyncio.wait_for(self.ws.receive(), left)
            except asyncio.TimeoutError:
                continue
            if message.type == aiohttp.WSMsgType.BINARY:
                self.stream.feed(message.data)
            elif message.type == aiohttp.WSMsgType.TEXT:
                self.messages.append(json.loads(message.data))
            elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                pytest.fail(f"the server closed the websocket; the screen was:\n{self.text}")

    async def key(self, data: str) -> None:
        await self.ws.send_json(["stdin", data])


def row_of(lines: list[str], needle: str) -> int:
    return next((i for i, line in enumerate(lines) if needle in line), -1)


def table_headings(lines: list[str]) -> str:
    """The column headings: the line under the tabs' underline."""
    underline = next((i for i, line in enumerate(lines) if line.startswith(("━", "╸"))), -1)
    return lines[underline + 1] if 0 <= underline < len(lines) - 1 else ""


def filled_rows(lines: list[str]) -> int:
    """Table rows with text, between the column headings and the footer."""
    header = row_of(lines, "Name")
    return 0 if header < 0 else sum(1 for line in lines[header + 1 : -1] if line.strip())


async def test_a_browser_can_search_and_open_a_record(server: int) -> None:
    url = f"http://127.0.0.1:{server}"
    async with aiohttp.ClientSession() as session:
        async with session.get(url) as page:  # the page the browser loads first
            html = await page.text()
            assert page.status == 200
            assert f"ws://127.0.0.1:{server}/ws" in html
        async with session.ws_connect(f"{url}/ws?width={WIDTH}&height={HEIGHT}") as ws:
            browser = Browser(ws)
            await browser.wait_for(lambda: "璧山" in browser.text, "the first screen")
            # the tables are drawn and say nothing of a search yet
            await browser.wait_for(lambda: filled_rows(browser.lines) > 5, "the table")
            assert "matches" not in browser.text
            every_record = filled_rows(browser.lines)

            # typed as the page sends what an input method gives it: one message; the
            # app puts typed text in the search box whichever widget has the focus
            await browser.key("康佳")

            def first_row_is_kangjia() -> bool:
                lines = browser.lines
                header = row_of(lines, "Name")
                return (
                    "康佳" in lines[1]
                    and "matches" in lines[1]
                    and header > 0
                    and "康佳" in lines[header + 1]
                    and filled_rows(lines) < every_record  # matches, not the whole list
                )

            await browser.wait_for(first_row_is_kangjia, "康佳's one match")
            assert "no matches" not in browser.lines[1]
            best = build_index(load_dataset()).search_result("康佳").matches(None, 0, 1)[0]

            # Enter opens the best match: its tab, its row, its detail
            headings = table_headings(browser.lines)
            await browser.key("\r")
            if best.record.kind != KINDS[0]:  # (the tab shown till now)
                await browser.wait_for(
                    lambda: table_headings(browser.lines) != headings, "the match's tab"
                )
            await browser.wait_for(lambda: best.record.id in browser.text, "the record")

            # e: the export dialog offers a download to the browser, and Enter sends it
            await browser.key("e")
            await browser.wait_for(lambda: "Download" in browser.text, "the export dialog")
            await browser.key("\r")

            def delivered() -> str:
                keys = [m[1] for m in browser.messages if m[0] == "deliver_file_start"]
                return str(keys[0]) if keys else ""

            await browser.wait_for(lambda: bool(delivered()), "a download")
            async with session.get(f"{url}/download/{delivered()}") as download:
                assert download.status == 200
                assert "attachment" in download.headers["Content-Disposition"]
                assert f"bishan-{best.record.kind}" in download.headers["Content-Disposition"]
                body = await download.text(encoding="utf-8")
    cli = run_cli("search", "康佳", "--kind", best.record.kind, "--limit", "0", "--format", "csv")
    assert body == cli.stdout  # the CLI's own CSV of the tab's matches


def test_serve_binds_to_loopback_unless_told_and_warns_when_told() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("::") and not is_loopback("example.org")
    assert exposure_warning("127.0.0.1", 8000) == ""
    warning = exposure_warning("0.0.0.0", 8000)
    assert "no authentication" in warning and "0.0.0.0:8000" in warning


def test_the_app_command_survives_the_shell(tmp_path: Path) -> None:
    # textual-serve runs the command through a shell: a path with spaces and quotes
    # must reach the app as one argument, absolute
    data = tmp_path / "my data's file.toml"
    command = app_command(str(data))
    out = subprocess.run(
        ["sh", "-c", f"set -- {command}; printf '%s\\n' \"$@\""],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert out == [sys.executable, "-m", "bishan_tui", "--data", str(data.resolve())]


def test_serve_refuses_a_bad_port_and_a_bad_dataset_before_listening(tmp_path: Path) -> None:
    bad_port = run_cli("serve", "--port", "70000")
    assert bad_port.returncode == 2 and "port 70000" in bad_port.stderr
    broken = tmp_path / "broken.toml"
    broken.write_text("[source\n", encoding="utf-8")
    bad_data = run_cli("serve", "--data", str(broken), "--port", str(free_port()))
    assert bad_data.returncode == 2 and "broken.toml" in bad_data.stderr
    assert "Traceback" not in bad_data.stderr


def test_serve_says_when_the_port_is_taken() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--port", str(port))
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_without_the_web_extra_says_how_to_get_it(tmp_path: Path) -> None:
    # a textual_serve that cannot be imported, ahead of the real one on the path
    shadow = tmp_path / "textual_serve"
    shadow.mkdir()
    (shadow / "__init__.py").write_text("raise ImportError('not installed')\n", encoding="utf-8")
    (shadow / "server.py").write_text("", encoding="utf-8")
    result = run_cli("serve", "--port", str(free_port()), env={"PYTHONPATH": str(tmp_path)})
    assert result.returncode == 2
    assert "pip install 'bishan-tui[web]'" in result.stderr
    assert "Traceback" not in result.stderr
