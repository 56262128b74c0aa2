"""Invisible characters (#16) are shown on screen as ``<U+XXXX>``, never drawn raw.

Unicode tag characters U+E0000–E007F, U+206A–206F, U+FFF9–FFFB, U+180E and the Hangul
fillers U+115F/U+3164 draw nothing yet survive as text; before #16 they reached the
table, the detail and the terminal raw.
"""

from __future__ import annotations

import re
from pathlib import Path

from app_helpers import ready
from dataset_files import LEAD_HEAD, kangjia

from bishan_tui.app import BishanApp, create_app
from bishan_tui.loader import load_dataset

INVISIBLE = "\U000e0041\u206a\ufff9\u180e\u115f\u3164"
RAW = re.compile("[\u206a-\u206f\ufff9-\ufffb\u180e\u115f\u1160\u3164\uffa0\U000e0000-\U000e007f]")
DATASET = LEAD_HEAD + kangjia(
    "康佳{hidden}研究院", "Konka{hidden} institute", "建成{hidden}投入使用"
)


def screen_text(app: BishanApp) -> str:
    app.screen._compositor._dirty_regions.clear()  # render everything
    lines = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in lines)


async def test_invisible_characters_are_shown_not_drawn(tmp_path: Path) -> None:
    path = tmp_path / "data.toml"
    path.write_text(DATASET.replace("{hidden}", INVISIBLE), encoding="utf-8")
    app = create_app(dataset=load_dataset(path))
    async with app.run_test(size=(200, 30)) as pilot:
        screen = await ready(pilot)
        screen.current_table.focus()
        await pilot.pause()
        shown = screen_text(app)
        assert not RAW.search(shown)
        assert "康佳<U+E0041><U+206A><U+FFF9><U+180E><U+115F><U+3164>研究院" in shown
