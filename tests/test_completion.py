"""Tab completion in real bash, zsh and fish, and the CLI's help conventions."""

from __future__ import annotations

import os
import pty
import re
import select
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cli_process import ROOT, run_cli

HANG_GUARD = 30.0


@pytest.fixture
def bin_dir(tmp_path: Path) -> Path:
    """A folder with a `bishan-tui` that runs this checkout, first on PATH."""
    folder = tmp_path / "bin"
    folder.mkdir()
    launcher = folder / "bishan-tui"
    launcher.write_text(
        f'#!/bin/sh\ncd {ROOT} && exec {sys.executable} -m bishan_tui "$@"\n', encoding="utf-8"
    )
    launcher.chmod(0o755)
    return folder


def shell_env(bin_dir: Path) -> dict[str, str]:
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "TERM": "dumb"}


def script(shell: str) -> str:
    result = run_cli("completion", shell)
    assert result.returncode == 0, result.stderr
    return result.stdout


def bash_complete(line: str, bin_dir: Path) -> list[str]:
    """What bash's completion function offers for ``line`` (cursor at the end)."""
    words = line.split(" ")
    program = f"""
{script("bash")}
COMP_LINE={line!r}; COMP_POINT=${{#COMP_LINE}}; COMP_WORDS=({" ".join(repr(w) for w in words)})
COMP_CWORD={len(words) - 1}
_python_argcomplete bishan-tui {words[-1]!r} {words[-2]!r}
printf '%s\\n' "${{COMPREPLY[@]}}"
"""
    result = subprocess.run(
        ["bash", "--norc", "-c", program],
        capture_output=True,
        text=True,
        env=shell_env(bin_dir),
        timeout=HANG_GUARD,
    )
    assert result.returncode == 0, result.stderr
    return [word.strip() for word in result.stdout.splitlines() if word.strip()]


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completes_commands_options_kinds_and_record_ids(bin_dir: Path) -> None:
    assert bash_complete("bishan-tui se", bin_dir) == ["search", "serve"]
    assert "--format" in bash_complete("bishan-tui search --f", bin_dir)
    assert bash_complete("bishan-tui search --kind fig", bin_dir) == ["figure", "figures"]
    assert bash_complete("bishan-tui export --format j", bin_dir) == ["json"]
    assert bash_complete("bishan-tui completion f", bin_dir) == ["fish"]
    assert bash_complete("bishan-tui show kangjia-o", bin_dir) == [
        "kangjia-optoelectronics-institute"
    ]


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed")
def test_fish_completes_commands_and_record_ids(bin_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "bishan-tui.fish"
    source.write_text(script("fish"), encoding="utf-8")

    def fish(line: str) -> list[str]:
        result = subprocess.run(
            ["fish", "--no-config", "-c", f"source {source}; complete -C {line!r}"],
            capture_output=True,
            text=True,
            env=shell_env(bin_dir),
            timeout=HANG_GUARD,
        )
        assert result.returncode == 0, result.stderr
        return [row.split("\t")[0] for row in result.stdout.splitlines()]

    assert fish("bishan-tui se") == ["search", "serve"]
    assert fish("bishan-tui show kangjia-o") == ["kangjia-optoelectronics-institute"]


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed")
def test_zsh_completes_a_record_id_when_tab_is_pressed(bin_dir: Path, tmp_path: Path) -> None:
    # zsh completes only in its line editor: an interactive zsh on a pty, and a Tab
    (tmp_path / ".zshrc").write_text(
        f"autoload -U compinit; compinit -u -d {tmp_path}/.zcompdump\n{script('zsh')}\nPS1='> '\n",
        encoding="utf-8",
    )
    env = {**shell_env(bin_dir), "ZDOTDIR": str(tmp_path)}
    pid, fd = pty.fork()
    if pid == 0:  # the child: become zsh
        os.execvpe("zsh", ["zsh", "-i"], env)
    try:
        seen = read_until(fd, "> ")
        os.write(fd, b"bishan-tui show kangjia-o\t")
        seen = read_until(fd, "kangjia-optoelectronics-institute")
        assert "bishan-tui show kangjia-optoelectronics-institute" in seen
    finally:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        os.close(fd)


def read_until(fd: int, wanted: str) -> str:
    seen = b""
    end = time.monotonic() + HANG_GUARD
    while wanted not in seen.decode(errors="replace"):
        if time.monotonic() > end:
            pytest.fail(f"never saw {wanted!r}: {seen!r}")
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                seen += os.read(fd, 4096)
            except OSError:
                break
    return seen.decode(errors="replace")


def test_completion_refuses_an_unknown_shell() -> None:
    result = run_cli("completion", "powershell")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr and "Traceback" not in result.stderr


def test_help_has_examples_exit_codes_and_environment() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    text = result.stdout
    for heading in ("examples:", "exit codes:", "environment:"):
        assert heading in text
    for name in ("NO_COLOR", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "BISHAN_DATA"):
        assert name in text
    # every example is a command line the parser takes
    from bishan_tui.cli import build_parser

    parser = build_parser()
    examples = text.split("examples:")[1].split("exit codes:")[0].strip().splitlines()
    assert len(examples) >= 5
    for line in examples:
        command = re.split(r" {2,}", line.strip())[0]  # without the comment
        words = shlex.split(command.split(">")[0])
        assert words[0] == "bishan-tui"
        parser.parse_args(words[1:])  # exits (fails the test) if it does not parse


def test_query_has_help_text() -> None:
    result = run_cli("search", "--help")
    assert "QUERY" in result.stdout and "pinyin" in result.stdout and "kjgd" in result.stdout


def test_bishan_data_names_the_dataset(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.toml"
    result = run_cli("search", "kangjia", env={"BISHAN_DATA": str(missing)})
    assert result.returncode == 2 and "nowhere.toml" in result.stderr
    bundled = str(ROOT / "data" / "bishan.toml")
    chosen = run_cli("--data", bundled, "search", "kangjia", env={"BISHAN_DATA": str(missing)})
    assert chosen.returncode == 0  # --data wins over the environment
