"""The shape of the package (issue 15): no module over about 400 lines.

A module that does one job fits in a screenful of screenfuls; past that it is doing
several (search.py did five). The import rules between modules are checked by
``lint-imports`` (pyproject.toml), not here.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "bishan_tui"
MAX_LINES = 420  # "about 400"

def _sizes() -> dict[str, int]:
    return {
        path.relative_to(PACKAGE).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in sorted(PACKAGE.rglob("*.py"))
    }


def test_no_module_is_over_about_400_lines() -> None:
    sizes = _sizes()
    too_long = {
        name: lines
        for name, lines in sizes.items()
        if lines > MAX_LINES
    }
    assert not too_long, f"split these modules (at most {MAX_LINES} lines each): {too_long}"

