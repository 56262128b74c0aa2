"""Copying is safe: a copied hostile citation, pasted into a real shell, runs nothing.

The citation is copied by the app's own copy action (Pilot), then pasted into
``bash --norc -i`` running in a pty with bracketed paste on, exactly as a terminal
pastes: ``ESC[200~`` + the clipboard + ``ESC[201~``.  The record
(tests/fixtures/paste_attack.toml) hides ``ESC[201~`` + newline + ``touch pwned-N`` in
its fields.  A control run pastes the record's raw text the same way and shows that
the attack does work on this shell, so the test can fail.
"""

from __future__ import annotations

import base64
import os
import re
import select
import shutil
from pathlib import Path

import pytest
from pty_harness import open_pty, spawn
from textual.widgets import Input

from bishan_tui.app import create_app
from bishan_tui.loader import load_dataset
from bishan_tui.screens.main import MainScreen

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "paste_attack.toml"
GUARD = 20.0  # seconds before a shell that never answers counts as hung
PROMPT = "READY> "

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")


class Shell:
    """``bash --norc -i`` in a pty, with bracketed paste on."""

    def __init__(self, cwd: Path) -> None:
        self.master, slave = open_pty(80, 24)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(cwd),
            "TERM": "xterm-256color",
            "INPUTRC": "/dev/null",
            "PS1": PROMPT,
            "LANG": "C.UTF-8",
        }
        argv = ["bash", "--norc", "--noprofile", "-i"]
        self.process = spawn(argv, slave, env, cwd=cwd, controlling=False)
        os.close(slave)
        self.output = b""
        self.type("bind 'set enable-bracketed-paste on'\n")
        self.run("echo ON-$((20+22))", "ON-42")

    def type(self, text: str) -> None:
        os.write(self.master, text.encode("utf-8"))

    def paste(self, text: str) -> None:
        """What a terminal sends when the user pastes ``text`` (bracketed paste on)."""
        self.type("\x1b[200~" + text + "\x1b[201~")

    def read_until(self, marker: str) -> None:
        wanted = marker.encode()
        while wanted not in re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]|\r|\n", b"", self.output):
            ready, _, _ = select.select([self.master], [], [], GUARD)
            assert ready, f"the shell did not answer; output: {self.output[-400:]!r}"
            self.output += os.read(self.master, 65536)

    def run(self, command: str, answer: str) -> None:
        """Run ``command``, wait for ``answer`` and for readline to be back: it turns
        bracketed paste on (ESC[?2004h) once the terminal is in its mode, then prompts."""
        self.output = b""
        self.type(command + "\n")
        self.read_until(answer)
        while not re.search(rb"\x1b\[\?2004h" + re.escape(PROMPT.encode()) + rb"$", self.output):
            ready, _, _ = select.select([self.master], [], [], GUARD)
            assert ready, f"no prompt; output: {self.output[-400:]!r}"
            self.output += os.read(self.master, 65536)

    def close(self) -> None:
        self.process.kill()
        self.process.wait(GUARD)
        os.close(self.master)


def paste_into_bash(text: str, cwd: Path) -> list[str]:
    """Paste ``text`` at a fresh prompt, discard the line (Ctrl+C), and list the files
    that the paste made the shell create."""
    shell = Shell(cwd)
    try:
        shell.paste(text)
        # Ctrl+E Ctrl+U empty whatever the paste left on the line (keys that readline
        # reads in turn, after anything the paste ran); then a command that answers
        # proves that every command the paste may have started has run.
        shell.type("\x05\x15")
        shell.run("echo DONE-$((40+2))", "DONE-42")
    finally:
        shell.close()
    return sorted(p.name for p in cwd.iterdir() if p.name.startswith("pwned"))


def bare_osc52(text: str) -> str:
    """The OSC 52 sequence a terminal reads as "put ``text`` on the clipboard"."""
    return "\x1b]52;c;" + base64.b64encode(text.encode("utf-8")).decode("ascii") + "\a"


async def copied_citation(lang: str) -> str:
    dataset = load_dataset(FIXTURE)
    app = create_app(dataset=dataset)
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(200):
            if isinstance(app.screen, MainScreen) and app.screen.index is not None:
                break
            await pilot.pause(0.02)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        screen.query_one("#search", Input).cursor_blink = False
        screen.set_lang(lang)  # type: ignore[arg-type]
        screen.current_table.focus()
        await pilot.pause()
        screen.action_copy()
        await pilot.pause()
        return app.clipboard


@pytest.mark.parametrize("lang", ["both", "zh", "en"])
async def test_a_copied_hostile_citation_runs_nothing_when_pasted_into_bash(
    lang: str, tmp_path: Path
) -> None:
    text = await copied_citation(lang)
    assert "康佳研究院" in text or "Konka institute" in text  # the record was copied
    # What the terminal puts on the system clipboard is exactly this text.
    payload = re.search(r"52;c;([A-Za-z0-9+/=]*)\a", bare_osc52(text))
    assert payload and base64.b64decode(payload.group(1)).decode("utf-8") == text
    # No control character but the newlines between the citation's lines; bidi and tag
    # characters shown the way the screen shows them.
    assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", text)
    assert not re.search("[\U000e0000-\U000e007f]", text)
    assert "␛[201~" in text
    assert paste_into_bash(text, tmp_path) == []


def test_the_attack_works_on_this_shell_without_the_sanitising(tmp_path: Path) -> None:
    """The control: the record's raw fields, pasted the same way, do run commands."""
    record = load_dataset(FIXTURE).records[0]
    raw = "\n".join([record.title, record.summary, *record.quotes])
    created = paste_into_bash(raw, tmp_path)
    assert "pwned-1" in created and "pwned-5" in created, created


async def test_copy_uses_textuals_clipboard_and_adds_only_the_tmux_wrapping(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The app's copy goes through ``App.copy_to_clipboard`` (``app.clipboard`` and the
    bare OSC 52); inside tmux it adds the passthrough-wrapped copy, nothing else."""
    from textual.app import App

    seen: list[str] = []
    real = App.copy_to_clipboard

    def spy(self: App[None], text: str) -> None:
        seen.append(text)
        real(self, text)

    monkeypatch.setattr(App, "copy_to_clipboard", spy)
    monkeypatch.setenv("TMUX", "/tmp/tmux-0/default,1,0")
    app = create_app(dataset=load_dataset(FIXTURE))
    async with app.run_test(size=(100, 30)) as pilot:
        assert app._driver is not None
        writes: list[str] = []
        monkeypatch.setattr(app._driver, "write", writes.append)
        app.copy_to_clipboard("a\x1b[201~b\u202ec")
        await pilot.pause()
    safe = "a␛[201~b<U+202E>c"
    assert seen == [safe] and app.clipboard == safe
    bare = bare_osc52(safe)
    wrapped = "\x1bPtmux;" + bare.replace("\x1b", "\x1b\x1b") + "\x1b\\"
    assert writes == [bare, wrapped]
