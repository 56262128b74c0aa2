"""The app on a terminal that cannot encode Chinese (PYTHONIOENCODING=latin-1, as an
ISO-8859-1 locale): it draws no escapes, says what it needs and how to get it, and
exits 2.  (The CLI on such a terminal: tests/test_cli_encoding.py.)"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from cli_process import ROOT
from pty_harness import open_pty, pty_available, spawn

why_not = pty_available()
pytestmark = pytest.mark.skipif(bool(why_not), reason=why_not)


def test_app_on_a_latin1_terminal_says_it_needs_utf8(tmp_path: Path) -> None:
    main, child = open_pty(80, 24)
    env = {
        **os.environ,
        "PYTHONIOENCODING": "latin-1",
        "XDG_CONFIG_HOME": str(tmp_path),
        "TERM": "xterm",
    }
    process = spawn([sys.executable, "-m", "bishan_tui"], child, env, cwd=ROOT)
    os.close(child)
    output = b""
    try:
        while True:
            try:
                chunk = os.read(main, 4096)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
    finally:
        os.close(main)
    assert process.wait(timeout=60) == 2
    text = output.decode("latin-1")
    assert "needs a UTF-8 terminal" in text and "LANG=C.UTF-8" in text
    assert "\\u" not in text and "Traceback" not in text
