# ruff: noqa: E501
"""Robustness, end to end: bad datasets, hostile text, any query, signals, caches.

Each bad dataset is tried through ``validate``, a subcommand and the app entry (no
command: it loads before it takes the screen, so it must refuse with exit 2 and a
one-line message).  docs/robustness.md lists what a user sees for each.
"""

from __future__ import annotations

import json
import os
import re
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from cli_process import ROOT, run_cli
from dataset_files import LEAD_HEAD, kangjia, write_dataset
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bishan_tui import loader
from bishan_tui.cli import main
from bishan_tui.formats import record_to_dict
from bishan_tui.loader import DatasetError, load_dataset
from bishan_tui.textsafe import one_line

HOSTILE = ROOT / "tests" / "fixtures" / "hostile.toml"
BUNDLED = ROOT / "data" / "bishan.toml"
# What must never reach a terminal raw: C0 (but TAB, LF), DEL, C1, bidi, zero-width.
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")

VALID_HEAD = LEAD_HEAD
VALID_RECORD = kangjia()


def run(
    *args: str, env: dict[str, str] | None = None, stdin: int | None = subprocess.DEVNULL
) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, env=env, stdin=stdin, columns=100)


# --------------------------------------------------------------------------- bad datasets


def _write(text: str | bytes) -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        return write_dataset(tmp, text)

    return make


def _folder(tmp: Path) -> Path:
    (tmp / "folder").mkdir()
    return tmp / "folder"


def _loop(tmp: Path) -> Path:
    (tmp / "a").symlink_to(tmp / "b")
    (tmp / "b").symlink_to(tmp / "a")
    return tmp / "a"


def _too_big(tmp: Path) -> Path:
    path = tmp / "big.toml"
    with path.open("wb") as handle:  # sparse: costs no disk
        handle.truncate(loader.MAX_FILE_BYTES + 1)
    return path


def _memory_bomb(tmp: Path) -> Path:
    path = tmp / "bomb.toml"
    path.write_text("x = [" + "{}," * (loader.MAX_TOML_TABLES + 10) + "]\n", encoding="utf-8")
    return path


def _deep(tmp: Path) -> Path:
    path = tmp / "deep.toml"
    path.write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    return path


def _device(_tmp: Path) -> Path:
    return Path("/dev/zero")


def _urandom(_tmp: Path) -> Path:
    return Path("/dev/urandom")


SCHEMA_ERRORS = (
    VALID_HEAD.replace("schema_version = 1", "schema_version = 2")
    + VALID_RECORD.replace('title = "重庆', 'titel = "重庆').replace(
        '"lead"\nquote', '"nope"\nquote'
    )
    + '[[figures]]\nid = "Bad Id"\nvalue = "300"\n'
)

BAD: dict[str, tuple[Callable[[Path], Path], str]] = {
    "empty": (_write(""), r"data\.toml: file is empty"),
    "white space only": (_write("  \n\t \n"), r"file is only white space"),
    "not UTF-8": (
        _write(b'title = "\xff\xfe"\n'),
        r"data\.toml:1: not UTF-8: byte 0xff at byte offset 9",
    ),
    "binary junk": (_write(bytes(range(256)) * 4), r"binary data \(a NUL byte at byte offset 0\)"),
    "a folder": (_folder, r"folder: is a folder, not a dataset file"),
    "missing": (lambda tmp: tmp / "missing.toml", r"missing\.toml: no such file"),
    "symlink loop": (_loop, r"a: cannot read: Too many levels of symbolic links"),
    "truncated string": (
        _write('schema_version = 1\ntitle = "abc\n'),
        r"data\.toml:2:13: not valid TOML",
    ),
    "duplicate key": (
        _write("a = 1\na = 2\n"),
        r"data\.toml:2:\d+: not valid TOML: Cannot overwrite a value",
    ),
    "bad table": (_write("[source\ntitle = 1\n"), r"data\.toml:1:\d+: not valid TOML"),
    "schema errors": (
        _write(SCHEMA_ERRORS),
        r"schema_version is 2(.|\n)*field 'titel' is not known \(did you mean 'title'\?\)"
        r"(.|\n)*\"nope\" names no section(.|\n)*figures\[0\](.|\n)*expected a number",
    ),
    "too long a title": (
        _write(
            VALID_HEAD
            + VALID_RECORD.replace('title_en = "Konka institute"', f'title_en = "{"x" * 501}"')
        ),
        r"data\.toml:\d+: platforms\[0\] \(id \"kangjia-institute\"\): field 'title_en': 501 characters; the limit is 500",
    ),
    "over the size limit": (
        _too_big,
        r"big\.toml: file is [\d,]+ bytes; the limit is 134,217,728 bytes",
    ),
    "huge inline array": (_memory_bomb, r"bomb\.toml: too many TOML values to be a dataset"),
    "deep nesting": (_deep, r"deep\.toml: (not valid TOML|too many TOML values)"),
    "/dev/zero": (_device, r"/dev/zero: is a device, not a dataset file"),
    "/dev/urandom": (_urandom, r"/dev/urandom: is a device, not a dataset file"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_dataset_in_process(case: str, tmp_path: Path) -> None:
    make, expected = BAD[case]
    with pytest.raises(DatasetError) as caught:
        load_dataset(make(tmp_path))
    problems = caught.value.problems
    assert problems and all("\n" not in p and not RAW.search(p) for p in problems)
    assert re.search(expected, "\n".join(problems)), problems


# The subprocess runs are the slow part: every case through validate, a few through
# every entry (search, show, export and the app entry with no command).
@pytest.mark.parametrize("case", list(BAD))
def test_bad_dataset_cli_validate(case: str, tmp_path: Path) -> None:
    make, expected = BAD[case]
    result = run("validate", str(make(tmp_path)))
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert re.search(expected, result.stderr), result.stderr
    assert not RAW.search(result.stderr)


@pytest.mark.parametrize(
    "command",
    [[], ["search", "康佳"], ["show", "kangjia-institute"], ["export", "--format", "json"]],
    ids=["app", "search", "show", "export"],
)
@pytest.mark.parametrize("case", ["empty", "not UTF-8", "schema errors", "/dev/zero"])
def test_bad_dataset_every_entry(case: str, command: list[str], tmp_path: Path) -> None:
    make, expected = BAD[case]
    result = run("--data", str(make(tmp_path)), *command)
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""  # the app did not take the screen
    assert "Traceback" not in result.stderr
    assert re.search(expected, result.stderr), result.stderr


def test_schema_errors_all_at_once_one_line_each(tmp_path: Path) -> None:
    result = run("validate", str(_write(SCHEMA_ERRORS)(tmp_path)))
    lines = result.stderr.splitlines()
    assert len(lines) >= 5
    assert all(line.startswith(str(tmp_path / "data.toml")) for line in lines)


def test_no_permission(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(VALID_HEAD + VALID_RECORD)(tmp_path)

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(DatasetError, match=r"data\.toml: permission denied \(cannot read it\)"):
        load_dataset(path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a mode-000 file")
def test_no_permission_cli(tmp_path: Path) -> None:
    path = _write(VALID_HEAD + VALID_RECORD)(tmp_path)
    path.chmod(0)
    result = run("validate", str(path))
    assert result.returncode == 2
    assert "permission denied" in result.stderr


def test_fifo_with_a_writer_is_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    writer = subprocess.Popen(["sh", "-c", f'cat "{BUNDLED}" > "{fifo}"'])
    try:
        result = run("validate", str(fifo))
    finally:
        writer.wait(timeout=30)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"OK {fifo}: ")


def test_fifo_without_a_writer_gives_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    monkeypatch.setattr(loader.reading, "PIPE_IDLE_SECONDS", 0.2)
    with pytest.raises(DatasetError, match=r"pipe: a pipe that sent nothing for 0\.2 s"):
        load_dataset(fifo)


def test_a_socket_is_refused(tmp_path: Path) -> None:
    import socket

    path = tmp_path / "sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    try:
        assert stat.S_ISSOCK(path.stat().st_mode)
        with pytest.raises(DatasetError, match="is a socket or other special file"):
            load_dataset(path)
    finally:
        server.close()


def test_dataset_is_only_opened_for_reading(tmp_path: Path) -> None:
    path = tmp_path / "data.toml"
    path.write_bytes(BUNDLED.read_bytes())
    path.chmod(0o444)
    before = path.stat()
    assert run("--data", str(path), "search", "康佳").returncode == 0
    after = path.stat()
    assert (after.st_mtime_ns, after.st_size, after.st_mode) == (
        before.st_mtime_ns,
        before.st_size,
        before.st_mode,
    )


# --------------------------------------------------------------------------- hostile text


@pytest.fixture(scope="module")
def hostile_outputs() -> dict[str, subprocess.CompletedProcess[str]]:
    outputs = {}
    for fmt in ("table", "plain", "json", "csv", "markdown"):
        outputs[f"export-{fmt}"] = run("--data", str(HOSTILE), "export", "--format", fmt)
        outputs[f"show-{fmt}"] = run(
            "--data", str(HOSTILE), "show", "platforms-markup", "--format", fmt
        )
    outputs["search"] = run("--data", str(HOSTILE), "search", "--format", "table", "红色")
    return outputs


@pytest.mark.parametrize(
    "name",
    [f"{c}-{f}" for c in ("export", "show") for f in ("table", "plain", "json", "csv", "markdown")]
    + ["search"],
)
def test_hostile_text_never_reaches_the_terminal_raw(
    name: str, hostile_outputs: dict[str, subprocess.CompletedProcess[str]]
) -> None:
    result = hostile_outputs[name]
    assert result.returncode == 0, result.stderr
    assert not RAW.search(result.stdout), sorted({hex(ord(c)) for c in RAW.findall(result.stdout)})
    assert not RAW.search(result.stderr)
    # Markup is shown as written, never obeyed.
    # Markdown escapes [ ] (no link can form) and renders them as written.
    shown = result.stdout.replace("\\[", "[").replace("\\]", "]")
    if "table" in name or name == "search":  # a table folds long cells over lines
        assert "[bold" in shown and "[/x]" in shown
    else:
        assert "[bold red]红色[/bold red]" in shown
    if not name.endswith("json"):
        assert "␛[2J" in shown  # ESC shown as a picture


def test_hostile_json_keeps_the_exact_data(
    hostile_outputs: dict[str, subprocess.CompletedProcess[str]],
) -> None:
    exported = json.loads(hostile_outputs["export-json"].stdout)
    dataset = load_dataset(HOSTILE)
    assert exported == [json.loads(json.dumps(record_to_dict(r))) for r in dataset.records]
    assert any("\x1b]52;c;" in r["title"] for r in exported)


def test_hostile_table_keeps_its_alignment(
    hostile_outputs: dict[str, subprocess.CompletedProcess[str]],
) -> None:
    from rich.cells import cell_len

    lines = hostile_outputs["export-table"].stdout.splitlines()
    assert lines and max(cell_len(line) for line in lines) <= 100


@pytest.mark.parametrize(
    ("args", "typed"),
    [
        (["show", "no\x1b[2Jx\x07"], "no\x1b[2Jx\x07"),
        (["search", "zz\x1b]52;c;eA==\x07\u202e"], "zz\x1b]52;c;eA==\x07\u202e"),
        (["--bo\x1b[2Jgus"], "--bo\x1b[2Jgus"),
        (["--data", "/tmp/no\x1b[2Jfile\u202e", "validate"], "/tmp/no\x1b[2Jfile\u202e"),
    ],
    ids=["unknown id", "no match", "usage error", "file name"],
)
def test_error_messages_quote_user_input_visibly(args: list[str], typed: str) -> None:
    result = run(*args)
    assert result.returncode in (1, 2)
    assert "Traceback" not in result.stderr
    assert not RAW.search(result.stderr), repr(result.stderr)
    # Quoted either as pictures (␛, <U+202E>) or as Python escapes (\x1b, \u202e).
    assert one_line(typed) in result.stderr or repr(typed)[1:-1] in result.stderr, result.stderr


# --------------------------------------------------------------------------- any query


@pytest.mark.parametrize(
    "query",
    [" ", "   ", "，。！？、", ".*+?()[]{}|\\^$", "璧a.*" * 2500, "a " * 5000, "\x1b[2J",
     "🇨🇳👩‍👩‍👧", "e\u0301\u0301", "\u202e\u200b", "[/x]"],
    ids=["space", "spaces", "punctuation", "regex", "10k", "10k-words", "esc", "emoji",
         "combining", "bidi", "markup"],
)  # fmt: skip
def test_extreme_queries_cli(query: str) -> None:
    result = run("search", "--format", "plain", "--", query)
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    assert not RAW.search(result.stdout + result.stderr)
    assert all(len(line) < 2_000 for line in result.stderr.splitlines())


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(query=st.text(min_size=1, max_size=200).filter(lambda q: not q.startswith("-")))
def test_random_queries_cli_main(query: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["search", "--format", "plain", "--limit", "3", query])
    out, err = capsys.readouterr()
    assert code in (0, 1)
    assert not RAW.search(out + err)


# --------------------------------------------------------------------------- signals


def test_sigpipe_is_quiet() -> None:
    result = subprocess.run(
        f'"{sys.executable}" -m bishan_tui export --format json | head -1',
        shell=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=30,
    )
    assert result.stdout == "[\n"
    assert result.stderr == ""


def test_ctrl_c_during_a_run_exits_130_quietly(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    hold = os.open(fifo, os.O_RDWR)  # a writer that never writes: the CLI waits on it
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "bishan_tui", "validate", str(fifo)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        # Wait until it has the FIFO open (past the imports), then press Ctrl+C.
        fd_dir = Path(f"/proc/{process.pid}/fd")
        end = time.monotonic() + 20
        while time.monotonic() < end:
            try:
                if any(os.readlink(fd) == str(fifo) for fd in fd_dir.iterdir()):
                    break
            except OSError:
                pass
            time.sleep(0.02)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        os.close(hold)
    assert process.returncode == 130
    assert "Traceback" not in err
    assert out == ""


# ------------------------------------------------- the saved index (it holds the pinyin)


def _pinyin_search(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run("search", "--format", "plain", "--limit", "0", "kangjia", env=env)


def test_pinyin_cache_corrupt_unwritable_or_a_file(tmp_path: Path) -> None:
    cache_home = tmp_path / "cache"
    env = {"XDG_CACHE_HOME": str(cache_home)}
    first = _pinyin_search(env)
    assert first.returncode == 0 and "kangjia-institute" in first.stdout
    written = list((cache_home / "bishan-tui").glob("index-*.bin"))
    assert written
    # Corrupt (garbage, truncated, wrong shape): ignored, rebuilt, same answer.
    for garbage in (b"\x00\xff garbage", b'{"format": 1, "key": "', b'{"format":1,"readings":[]}'):
        for entry in written:
            entry.write_bytes(garbage)
        again = _pinyin_search(env)
        assert (again.returncode, again.stdout) == (0, first.stdout)
    # A read-only cache folder.
    folder = cache_home / "bishan-tui"
    for entry in folder.iterdir():
        entry.unlink()
    folder.chmod(0o500)
    try:
        assert _pinyin_search(env).stdout == first.stdout
    finally:
        folder.chmod(0o700)
    # XDG_CACHE_HOME is a file, not a folder.
    a_file = tmp_path / "not-a-folder"
    a_file.write_text("x")
    result = _pinyin_search({"XDG_CACHE_HOME": str(a_file)})
    assert (result.returncode, result.stdout, result.stderr) == (0, first.stdout, "")
    assert a_file.read_text() == "x"
    # A cache home nobody can write, not even root (chmod does not stop root).
    result = _pinyin_search({"XDG_CACHE_HOME": "/proc/self"})
    assert (result.returncode, result.stdout, result.stderr) == (0, first.stdout, "")


# --------------------------------------------------------------------------- properties


def _toml_string(text: str) -> str:
    """A TOML basic string holding exactly ``text``."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


ANY_TEXT = st.text(
    alphabet=st.characters(exclude_categories=["Cs"]), min_size=1, max_size=120
).filter(lambda t: t.strip() != "")
BUNDLED_BYTES = BUNDLED.read_bytes()


@settings(max_examples=150, deadline=None)
@given(title=ANY_TEXT, summary_en=ANY_TEXT, quote=ANY_TEXT)
def test_any_text_is_kept_exactly_and_shown_safely(title: str, summary_en: str, quote: str) -> None:
    text = VALID_HEAD + VALID_RECORD.replace(
        'title = "重庆康佳光电技术研究院"', f"title = {_toml_string(title)}"
    ).replace('summary_en = "Completed"', f"summary_en = {_toml_string(summary_en)}").replace(
        'quote = "重庆康佳光电技术研究院建成投入使用"', f"quote = {_toml_string(quote)}"
    )
    record = loader.build_dataset(loader.parse_toml(text, "t.toml"), "t.toml", text).records[0]
    assert (record.title, record.summary_en, record.quotes) == (title, summary_en, (quote,))
    from bishan_tui.formats import record_lines, to_plain

    shown = to_plain([record]) + "".join(
        t for _, t in record_lines(record, loader.build_dataset(loader.parse_toml(text, "t"), "t"))
    )
    assert not RAW.search(shown)


@settings(max_examples=100, deadline=None)
@given(cut=st.integers(min_value=0, max_value=len(BUNDLED_BYTES)), flips=st.lists(
    st.tuples(st.integers(min_value=0, max_value=len(BUNDLED_BYTES) - 1), st.integers(0, 255)),
    max_size=3,
))  # fmt: skip
def test_damaged_real_dataset_gives_a_dataset_or_one_clear_error(
    cut: int, flips: list[tuple[int, int]]
) -> None:
    data = bytearray(BUNDLED_BYTES[:cut])
    for where, byte in flips:
        if where < len(data):
            data[where] = byte
    try:
        text = loader.decode_text(bytes(data), "d.toml")
        dataset = loader.build_dataset(loader.parse_toml(text, "d.toml"), "d.toml", text)
    except DatasetError as error:
        assert error.problems
        assert all(p.startswith("d.toml") and "\n" not in p for p in error.problems)
    else:
        assert dataset.records


@pytest.mark.parametrize(
    ("field", "limit"),
    [("title", "title"), ("summary", "summary"), ("quote", "quote"), ("id", "id")],
)
def test_every_length_limit_is_enforced(field: str, limit: str) -> None:
    size = loader.MAX_LENGTH[limit]
    value = "a" * (size + 1) if field == "id" else "璧" * (size + 1)
    body = re.sub(rf"(?m)^{field} = .*$", f"{field} = {_toml_string(value)}", VALID_RECORD, count=1)
    text = VALID_HEAD + body
    with pytest.raises(
        DatasetError,
        match=rf"field '{field}': (item 0: )?{size + 1:,} characters; the limit is {size:,}",
    ):
        loader.build_dataset(loader.parse_toml(text, "t"), "t", text)
    ok = re.sub(
        rf"(?m)^{field} = .*$", f"{field} = {_toml_string(value[:size])}", VALID_RECORD, count=1
    )
    loader.build_dataset(loader.parse_toml(VALID_HEAD + ok, "t"), "t", VALID_HEAD + ok)


def test_record_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader.checker, "MAX_RECORDS", 3)
    body = "".join(VALID_RECORD.replace("kangjia-institute", f"r{n}") for n in range(4))
    with pytest.raises(DatasetError, match="4 records; the limit is 3"):
        loader.build_dataset(loader.parse_toml(VALID_HEAD + body, "t"), "t", VALID_HEAD + body)


# =========================================================================== round two (#16)
# Each test below failed on main before #16 and passes since.

# The invisible characters #16 added to what must never reach a terminal raw.
INVISIBLE = "\U000e0041\U000e0042\u206a\u206f\ufff9\ufffb\u180e\u115f\u3164"
RAW2 = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff"
    "\ufff9-\ufffb\u180e\u115f\u1160\u3164\uffa0\U000e0000-\U000e007f]"
)


def _figure(value: str) -> str:
    return VALID_HEAD + _figure_record(value)


def _figure_record(value: str) -> str:
    return f"""[[figures]]
id = "fig"
title = "专家"
title_en = "Experts"
summary = "汇集专家"
summary_en = "Experts gathered"
section = "lead"
quote = "已汇集行业专家 300余人"
value = {value}
unit = "人"
unit_en = "people"
"""


def test_invisible_characters_are_shown_in_every_output(tmp_path: Path) -> None:
    hidden = f"康佳{INVISIBLE}研究院"
    text = VALID_HEAD + VALID_RECORD.replace(
        'title = "重庆康佳光电技术研究院"', f"title = {_toml_string(hidden)}"
    ).replace('summary_en = "Completed"', f"summary_en = {_toml_string('x' + INVISIBLE)}")
    data = write_dataset(tmp_path, text)
    assert one_line(hidden) == (
        "康佳<U+E0041><U+E0042><U+206A><U+206F><U+FFF9><U+FFFB><U+180E><U+115F><U+3164>研究院"
    )
    for fmt in ("table", "plain", "csv", "markdown"):
        for args in (["export", "--format", fmt], ["show", "kangjia-institute", "--format", fmt]):
            if args[0] == "export" and fmt == "table":
                continue
            result = run("--data", str(data), *args)
            assert result.returncode == 0, result.stderr
            shown = result.stdout.replace("&lt;", "<").replace("&gt;", ">")  # Markdown
            assert "<U+E0041>" in shown and "<U+3164>" in shown, (fmt, args)
            assert not RAW2.search(result.stdout), (fmt, args)
    missing = run("--data", str(data), "show", "no" + INVISIBLE)
    assert missing.returncode == 1 and not RAW2.search(missing.stderr)
    # JSON escapes them and keeps the exact text (a surrogate pair for U+E0041).
    exported = run("--data", str(data), "export", "--format", "json")
    assert not RAW2.search(exported.stdout) and "\\udb40\\udc41" in exported.stdout
    assert json.loads(exported.stdout)[0]["title"] == hidden


CSV_HOSTILE = {
    "title": '=HYPERLINK("http://evil.example","点我")',
    "title_en": "+cmd|' /C calc'!A0",
    "summary": "-2+3+cmd|' /C calc'!A0",
    "summary_en": "@SUM(1+1)*cmd|' /C calc'!A0",
    "quote": "\t=1+1",
}


def test_csv_cells_are_neutralised_and_json_stays_exact(tmp_path: Path) -> None:
    import csv as csv_module
    import io

    body = VALID_RECORD
    for name, value in CSV_HOSTILE.items():
        line = f"{name} = {_toml_string(value)}"

        def replacement(_match: re.Match[str], line: str = line) -> str:
            return line  # as it is: a replacement string would read its backslashes

        body = re.sub(rf"(?m)^{name} = .*$", replacement, body, count=1)
    data = write_dataset(tmp_path, VALID_HEAD + body + _figure_record("-12"))
    result = run("--data", str(data), "export", "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv_module.DictReader(io.StringIO(result.stdout)))
    platform = rows[0]
    assert platform["title"] == "'" + CSV_HOSTILE["title"]
    assert platform["title_en"] == "'" + CSV_HOSTILE["title_en"]
    assert platform["summary"] == "'" + CSV_HOSTILE["summary"]
    assert platform["summary_en"] == "'" + CSV_HOSTILE["summary_en"]
    assert platform["quote"] == "' =1+1"  # the tab is shown as a space, and neutralised
    figure = rows[1]
    assert figure["value"] == "-12"  # a plain number keeps its value
    exact = json.loads(run("--data", str(data), "export", "--format", "json").stdout)
    assert exact[0]["title"] == CSV_HOSTILE["title"] and exact[0]["quote"] == ["\t=1+1"]
    from bishan_tui.formats import csv_cell

    for start in "=+-@\t\r":
        assert csv_cell(start + "x").startswith("'")
    assert csv_cell("2.85") == "2.85" and csv_cell("-3") == "-3" and csv_cell("x=1") == "x=1"


def test_markdown_escapes_html_and_link_schemes(tmp_path: Path) -> None:
    body = VALID_RECORD.replace(
        'title = "重庆康佳光电技术研究院"', 'title = "<script>alert(1)</script>研究院"'
    ).replace(
        'title_en = "Konka institute"',
        'title_en = "<img src=x onerror=alert(1)> [x](javascript:alert(1)) <javascript:alert(2)>"',
    )
    data = write_dataset(tmp_path, VALID_HEAD + body)
    result = run("--data", str(data), "export", "--format", "markdown")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "<script" not in out and "<img" not in out and "](" not in out
    assert "&lt;script&gt;" in out and "&lt;img src=x onerror=alert\\(1\\)&gt;" in out
    assert "javascript:" not in out.lower() and "javascript&#58;" in out
    assert "研究院" in out


@pytest.mark.parametrize("date", ["２０２０-０６", "٢٠٢٠-06", "2020-٠٦", "२०२०"])
def test_dates_only_in_ascii_digits(date: str) -> None:
    text = VALID_HEAD + VALID_RECORD.replace("[[platforms]]", "[[timeline]]").replace(
        'section = "lead"', f'section = "lead"\ndate = "{date}"'
    )
    with pytest.raises(DatasetError, match="is not a date YYYY, YYYY-MM or YYYY-MM-DD"):
        loader.build_dataset(loader.parse_toml(text, "t"), "t", text)
    assert loader.valid_date("2020-06") and not loader.valid_date(date)


def test_a_decomposed_title_is_found_typed_either_way() -> None:
    import unicodedata

    from bishan_tui.search import build_index

    title = unicodedata.normalize("NFD", "Café Ångström")
    text = VALID_HEAD + VALID_RECORD.replace(
        'title_en = "Konka institute"', f"title_en = {_toml_string(title)}"
    )
    dataset = loader.build_dataset(loader.parse_toml(text, "t"), "t", text)
    index = build_index(dataset)
    for query in ("café", unicodedata.normalize("NFD", "café"), "ångström", "CAFÉ"):
        result = index.search_result(query)
        assert result.total == 1, query
        match = next(iter(result.matches(None, 0, None)))
        start, end = match.spans("title_en")[0]  # the whole word, accents included
        word = unicodedata.normalize("NFC", title[start:end]).casefold()
        assert word == unicodedata.normalize("NFC", query).casefold()


@pytest.mark.parametrize("columns", ["0", "1", "5"])
def test_a_tiny_columns_value_is_ignored(columns: str) -> None:
    result = run_cli("search", "--format", "table", "康佳", columns=80, env={"COLUMNS": columns})
    assert result.returncode == 0, result.stderr
    assert "康佳" in result.stdout and "kind" in result.stdout


@pytest.mark.parametrize("limit", ["-1", "-50", "x"])
def test_limit_must_be_zero_or_positive(limit: str) -> None:
    result = run("search", "--limit", limit, "康佳")
    assert result.returncode == 2 and result.stdout == ""
    assert "argument --limit: must be 0 (all) or a positive number of results" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0x" + "f" * 4000, "a number of about 4,817 digits is too large"),
        ("1" + "0" * 400, "a number of about 401 digits is too large"),
        ("1000000000000000000", "1000000000000000000 is too large"),
        ("-1e18", "-1e+18 is too large"),
        ("1e300", "1e+300 is too large"),
        ("1" * 5000, "not valid TOML here: a number of more than 4,300 digits"),
    ],
    ids=["hex-4000", "1e400-int", "1e18", "minus-1e18-float", "1e300", "5000-digits"],
)
def test_figure_values_are_bounded(value: str, message: str, tmp_path: Path) -> None:
    data = write_dataset(tmp_path, _figure(value))
    for args in (["validate", str(data)], ["--data", str(data), "search", "专家"]):
        result = run(*args)
        assert result.returncode == 2, result
        assert message in result.stderr and "Traceback" not in result.stderr
        assert result.stderr.count("\n") == 1 and len(result.stderr) < 300
    line = _figure(value).split("\n").index(f"value = {value}") + 1
    assert f"data.toml:{line}: " in result.stderr  # the message names the value's line


def test_the_largest_allowed_values_print_and_sort(tmp_path: Path) -> None:
    data = write_dataset(tmp_path, _figure("999999999999999999"))
    result = run("--data", str(data), "search", "--format", "plain", "专家")
    assert result.returncode == 0 and "999999999999999999" in result.stdout
    from bishan_tui.model import format_number

    assert format_number(16**4000) == "10^4816+"  # never the int-to-str limit


def test_a_huge_integer_elsewhere_is_reported_not_raised() -> None:
    text = VALID_HEAD.replace("schema_version = 1", "schema_version = 0x" + "f" * 4000)
    text += VALID_RECORD
    with pytest.raises(DatasetError, match="schema_version is a number of about 4,817 digits"):
        loader.build_dataset(loader.parse_toml(text, "t"), "t", text)


class _CountingPattern:
    """Counts how often the loader tests a line for a table header."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.calls = 0

    def match(self, text: str) -> re.Match[str] | None:
        self.calls += 1
        return self.pattern.match(text)


@pytest.mark.parametrize("where", ["top-level", "in a record"])
def test_unknown_key_reporting_is_linear(where: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """2,000 unknown keys: each line of the file is looked at a bounded number of times
    (before: once per key and line, 4 million times; 40,000 keys took 261 s)."""
    keys = "".join(f"junk{i} = 1\n" for i in range(2000))
    if where == "top-level":
        text = keys + VALID_HEAD.replace("schema_version = 1\n", "") + VALID_RECORD
        text = "schema_version = 1\n" + text
    else:
        text = VALID_HEAD + VALID_RECORD.replace('id = "kangjia-institute"\n', keys, 1)
        text = text.replace("[[platforms]]\n", '[[platforms]]\nid = "kangjia-institute"\n')
    counter = _CountingPattern(loader.lines._HEADER)
    monkeypatch.setattr(loader.lines, "_HEADER", counter)
    with pytest.raises(DatasetError) as caught:
        loader.build_dataset(loader.parse_toml(text, "t"), "t", text)
    assert len(caught.value.problems) >= 2000
    lines = text.count("\n") + 1
    assert counter.calls <= 3 * lines, counter.calls
    assert "t:2001: " in "\n".join(caught.value.problems) or where == "top-level"


def test_a_huge_field_name_is_cut_in_the_message(tmp_path: Path) -> None:
    name = "k" * 1_000_000
    text = VALID_HEAD + VALID_RECORD.replace('section = "lead"', f'section = "lead"\n{name} = 1')
    result = run("validate", str(write_dataset(tmp_path, text)))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "(1,000,000 characters)' is not known" in result.stderr
    assert max(len(line) for line in result.stderr.splitlines()) < 300


def test_did_you_mean_is_computed_a_bounded_number_of_times(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import difflib

    calls = []
    real = difflib.get_close_matches

    def counting(word: str, possibilities: Iterable[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
        calls.append(1)
        return real(word, possibilities, n=n, cutoff=cutoff)

    monkeypatch.setattr(difflib, "get_close_matches", counting)
    bad = ", ".join(f'"nobody-{i}"' for i in range(100))
    body = "".join(
        VALID_RECORD.replace("kangjia-institute", f"r{n}").replace(
            'section = "lead"', f'section = "lead"\nrelated = [{bad}]'
        )
        for n in range(5)
    )
    with pytest.raises(DatasetError) as caught:
        loader.build_dataset(loader.parse_toml(VALID_HEAD + body, "t"), "t", VALID_HEAD + body)
    assert len(caught.value.problems) == 500
    assert len(calls) <= loader.MAX_SUGGESTIONS


# --------------------------------------------------------------------------- broken outputs


def _shell(command: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``command`` in sh (for ``>&-`` and friends), with this Python's bishan-tui."""
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    environment.update({"COLUMNS": "100", "PYTHONIOENCODING": "utf-8", "BT": sys.executable})
    environment.update(env or {})
    return subprocess.run(
        ["sh", "-c", command.replace("bishan-tui", '"$BT" -m bishan_tui')],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=environment,
        cwd=ROOT,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize(
    ("command", "env", "message"),
    [
        ("bishan-tui search 康佳 >&-", {}, "bishan-tui: standard output is closed"),
        ("bishan-tui search --format table 康佳 >&-", {}, "bishan-tui: standard output is closed"),
        ("bishan-tui export --format json >/dev/full", {}, "No space left on device"),
        ("bishan-tui show kangjia-optoelectronics-institute >/dev/full", {}, "No space left"),
    ],
    ids=["closed", "closed-table", "full-json", "full-show"],
)
def test_a_broken_stdout_gives_exit_2_and_one_line(
    command: str, env: dict[str, str], message: str
) -> None:
    if "/dev/full" in command and not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    result = _shell(command, env)
    assert result.returncode == 2, result
    assert message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "Exception ignored" not in result.stderr


@pytest.mark.parametrize("fmt", ["plain", "table", "json"])
def test_an_ascii_stdout_gets_escapes_one_warning_and_the_usual_status(fmt: str) -> None:
    """An output that cannot encode Chinese still gets the answer (as \\uXXXX, which
    JSON reads back exactly), one line on stderr says why, and the status keeps its
    meaning (0: results), rather than a traceback or exit 2."""
    result = _shell(f"bishan-tui search --format {fmt} 康佳", {"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0, result
    assert result.stdout.isascii() and "\\u5eb7\\u4f73" in result.stdout  # 康佳
    if fmt == "json":  # JSON's own escapes: exact, and nothing to warn about
        assert result.stderr == ""
    else:
        assert result.stderr.count("\n") == 1 and "cannot show Chinese" in result.stderr


def test_a_closed_stderr_keeps_the_exit_status() -> None:
    assert _shell("bishan-tui --data /missing search x 2>&-").returncode == 2
    assert _shell("bishan-tui show no-such-id 2>&-").returncode == 1
    delivered = _shell("bishan-tui search --limit 1 --format plain 康佳 2>&-")
    assert delivered.returncode == 0 and "康佳" in delivered.stdout  # the answer was delivered


def test_an_ascii_stderr_still_gets_the_message() -> None:
    result = _shell("bishan-tui search zzzqqqxxx", {"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("no record matches 'zzzqqqxxx'.")


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["search", "--format", "plain", "康佳"], 0),
        (["show", "kangjia-optoelectronics-institute", "--format", "plain"], 0),
        (["validate"], 0),
        (["search", "zzzqqqxxx"], 1),
        (["show", "no-such-id"], 1),
        (["--data", "/missing", "search", "x"], 2),
        (["search", "--bogus", "x"], 2),
        (["search", "--limit", "-1", "x"], 2),
    ],
)
def test_each_exit_status_as_documented(args: list[str], code: int) -> None:
    """README "Exit status": 0 answered, 1 nothing matched, 2 usage/data/output error;
    128 + N after signal N (tests/e2e/test_shutdown.py), 130 for Ctrl+C (above)."""
    assert run(*args).returncode == code
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"| {code} |" in readme


@pytest.mark.parametrize("char", [*INVISIBLE, "\u1160", "\uffa0", "\u2028", "\u2029"])
def test_each_invisible_character_is_made_visible(char: str) -> None:
    from bishan_tui.textsafe import clipboard_safe, is_clean, visible

    # Alone with printable text too: the Hangul fillers are letters to isprintable().
    shown = visible(f"璧山{char}科创")
    assert shown == f"璧山<U+{ord(char):04X}>科创"
    assert not is_clean(char) and clipboard_safe(char) == f"<U+{ord(char):04X}>"


def test_clipboard_text_keeps_only_newlines() -> None:
    from bishan_tui.textsafe import clipboard_safe

    text = clipboard_safe("a\x1b[201~\r\nb\rc\x9b1m\x07\u202e\n")
    assert text == "a␛[201~\nb␍c<U+009B>1m␇<U+202E>\n"


def test_a_huge_id_typed_for_show_is_cut_in_the_message() -> None:
    result = run("show", "a" * 100_000)
    assert result.returncode == 1
    assert result.stderr.startswith("no record has the id 'aaaa") and "...'." in result.stderr
    assert len(result.stderr) < 300
