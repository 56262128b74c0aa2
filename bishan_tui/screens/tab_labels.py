"""The seven tabs' labels, as roomy as the screen's width allows."""

from __future__ import annotations

from collections.abc import Mapping

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Tab, Tabs

from ..model import KINDS, Kind
from ..ui.words import TAB_LEVELS, TAB_TIGHT, Lang, article_label, tab_label


def article_tab_label(lang: Lang, level: int, searching: bool, hits: int) -> Text:
    """The 7th tab's label at the compactness of the others (tab_label's levels):
    ``7 原文 Article 12`` down to ``7原文``; the count is of hits in the text."""
    text = Text(no_wrap=True, style="dim" if searching and not hits else "")
    text.append("7", style="bold")
    if lang == "both":
        name = "原文 Article" if level == 0 else "原文"
    elif lang == "en":
        name = "Article" if level < 6 else "Art"
    else:
        name = article_label("zh")
    text.append(("" if level >= 5 else " ") + name)
    if level < 3:  # the count's room kept out of a search: no layout of the tabs
        count = f" {hits:>2}" if searching else "   "  # when the first key is typed
        text.append(count, style="bold" if hits else "dim")
    return text


def update_tab_labels(
    tabs: Tabs,
    lang: Lang,
    width: int,
    counts: Mapping[Kind, int],
    sizes: Mapping[Kind, int],
    hits: int,
    searching: bool,
    last: dict[str, Text],
) -> bool:
    """Numbered labels in the language(s) shown, as roomy as ``width`` allows:
    ``1 平台 Platforms 18``, ``1 平台 Platf.`` at 100, ``1平台Platf.`` at 80, down
    to ``1平台Pla`` (both languages still) at 60.  ``last``: each tab's label as last
    set, kept by the caller.
    ``counts``: matches per kind while ``searching``, else ignored for ``sizes``
    (records per kind); ``hits``: in the article.  True when the labels are tight."""
    shown = counts if searching else sizes
    labels: dict[Kind, Text] = {}
    article = Text()
    tight = False
    for level in range(TAB_LEVELS):
        labels = {
            kind: tab_label(kind, i, lang, level, shown[kind], searching, len(str(sizes[kind])))
            for i, kind in enumerate(KINDS, 1)
        }
        article = article_tab_label(lang, level, searching, hits)
        tight = level in TAB_TIGHT
        padding = 1 if tight else 2
        if sum(cell_len(t.plain) + padding for t in (*labels.values(), article)) <= width:
            break
    # A Tab keeps its label as Content, never equal to a Text: compared with the Text
    # last set (each label set again was a frame of every tab per search)
    for tab_id, label in (*((f"tab-{k}", labels[k]) for k in KINDS), ("tab-article", article)):
        if last.get(tab_id) != label:
            last[tab_id] = label
            tabs.query_one(f"#{tab_id}", Tab).label = label
    return tight
