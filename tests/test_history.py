"""Search history: kept across runs, capped, no duplicates, atomic, broken file ignored."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from bishan_tui.history import MAX_ENTRIES, SearchHistory, default_state_dir


def test_the_file_lives_in_xdg_state_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    assert default_state_dir() == tmp_path / "bishan-tui"
    monkeypatch.setenv("XDG_STATE_HOME", "relative")  # not absolute: the spec says ignore it
    assert default_state_dir() == Path.home() / ".local" / "state" / "bishan-tui"
    history = SearchHistory.load()
    assert history.add("康佳")
    assert json.loads(history.path.read_text(encoding="utf-8")) == ["康佳"]


def test_kept_across_runs_newest_last_without_duplicates(tmp_path: Path) -> None:
    path = tmp_path / "h.json"
    first = SearchHistory.load(path)
    for query in ("康佳", "kangjia", "  康佳 ", "blade battery"):
        first.add(query)
    again = SearchHistory.load(path)
    assert again.entries == ["kangjia", "康佳", "blade battery"]
    assert again.warning == ""


def test_capped_at_the_newest_entries(tmp_path: Path) -> None:
    path = tmp_path / "h.json"
    history = SearchHistory.load(path)
    for number in range(MAX_ENTRIES + 25):
        history.add(f"q{number}")
    kept = SearchHistory.load(path).entries
    assert len(kept) == MAX_ENTRIES
    assert kept[0] == "q25" and kept[-1] == f"q{MAX_ENTRIES + 24}"


def test_written_atomically_through_a_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "h.json"
    SearchHistory.load(path).add("old")
    replaced: list[tuple[str, str]] = []
    real_replace = os.replace

    def spy(src: str, dst: str) -> None:
        assert json.loads(Path(dst).read_text(encoding="utf-8")) == ["old"]  # untouched so far
        replaced.append((str(src), str(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    SearchHistory.load(path).add("new")
    assert len(replaced) == 1 and replaced[0][1] == str(path)
    assert replaced[0][0] != str(path) and Path(replaced[0][0]).parent == tmp_path
    assert json.loads(path.read_text(encoding="utf-8")) == ["old", "new"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["h.json"]  # no temporary left


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'["ok", ', "not JSON"),
        (b'{"a": 1}', "not a list"),
        (b"[1, 2]", "not a list"),
        (b"\xff\xfe\x00", "UnicodeDecodeError"),
    ],
)
def test_a_broken_file_is_ignored_with_one_line(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    path = tmp_path / "h.json"
    path.write_bytes(content)
    history = SearchHistory.load(path)
    assert history.entries == []
    assert reason in history.warning and str(path) in history.warning
    assert "\n" not in history.warning
    assert history.add("康佳")  # and it is replaced by a good one on the next query
    assert SearchHistory.load(path).entries == ["康佳"]


def test_a_history_that_cannot_be_written_never_raises(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    history = SearchHistory.load(blocker / "sub" / "h.json")  # a folder under a file
    assert history.add("康佳") is False
    assert history.entries == ["康佳"]  # still recalled in this run


def test_queries_are_kept_on_one_line_without_control_characters(tmp_path: Path) -> None:
    history = SearchHistory.load(tmp_path / "h.json")
    history.add("kang\x1b[2Jjia\n\tbattery")
    assert history.entries == ["kang [2Jjia battery"]
    history.add("   ")
    assert history.entries == ["kang [2Jjia battery"]


def test_another_window_s_queries_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "h.json"
    one, two = SearchHistory.load(path), SearchHistory.load(path)
    one.add("康佳")
    two.add("kangjia")
    assert SearchHistory.load(path).entries == ["康佳", "kangjia"]


def test_recalling_goes_back_and_forward_to_the_draft() -> None:
    history = SearchHistory(Path("unused"), ["a", "b", "c"])
    assert history.forward("draft") is None  # not recalling
    assert history.back("dra") == "c"
    assert history.back("c") == "b"
    assert history.back("b") == "a"
    assert history.back("a") is None  # the oldest: stays
    assert history.forward("a") == "b"
    assert history.forward("b") == "c"
    assert history.forward("c") == "dra"  # past the newest: what was being typed
    assert not history.recalling


def test_recalling_skips_the_query_already_in_the_box() -> None:
    history = SearchHistory(Path("unused"), ["a", "b"])
    assert history.back("b") == "a"  # "b" is shown already: one key must change the box
    history.reset()
    assert history.back("x") == "b"
    assert SearchHistory(Path("unused"), []).back("x") is None


def test_queries_not_written_earlier_are_written_with_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bishan_tui.history

    path = tmp_path / "h.json"
    history = SearchHistory.load(path)
    with monkeypatch.context() as patch:
        patch.setattr(bishan_tui.history, "write_atomically", lambda target, write: False)
        assert history.add("康佳") is False
    assert history.add("blade") is True
    assert json.loads(path.read_text(encoding="utf-8")) == ["康佳", "blade"]
