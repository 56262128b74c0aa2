"""The test run never writes into the user's own folders."""

from __future__ import annotations

import os
from pathlib import Path

from cli_process import run_cli


def test_user_folders_point_into_a_temporary_home(isolated_user_folders: Path) -> None:
    for name in ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "HOME"):
        assert Path(os.environ[name]).is_relative_to(isolated_user_folders), name


def test_a_cli_process_writes_its_cache_into_the_test_home(isolated_user_folders: Path) -> None:
    cache = Path(os.environ["XDG_CACHE_HOME"]) / "bishan-tui"
    assert not cache.exists()
    result = run_cli("search", "kangjia")  # pinyin: the index's pinyin cache is written
    assert result.returncode == 0, result.stderr
    assert any(cache.iterdir()), "the child process did not write where the test said"
