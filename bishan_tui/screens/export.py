"""The export dialog: which records (this tab or every tab), which format (CSV, JSON,
Markdown), where (a file, or the clipboard).

Everything it writes comes from :func:`bishan_tui.export.render`, the CLI's own
formats.  A file name is offered in the current folder, never one that exists; a
name the user types that exists is overwritten only after a yes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from ..export import (
    EXPORT_FORMATS,
    FORMAT_NAMES,
    default_name,
    describe_error,
    free_path,
    pick_records,
    render,
    resolve,
    with_format,
    write_export,
)
from ..textsafe import one_line
from .confirm import ConfirmScreen

# OSC 52 carries the text base64-encoded in one escape sequence: terminals cap what
# they take, and megabytes of it stall a slow link (SSH) for seconds.
CLIPBOARD_LIMIT = 1_000_000

if TYPE_CHECKING:
    from ..model import Kind, Record
    from ..search import SearchResult
    from ..ui.words import Lang


@dataclass(frozen=True)
class ExportSource:
    """What can be exported from the main screen at the moment the dialog opens."""

    kind: Kind
    kind_label: str  # the tab's name as shown
    query: str  # the search on ("" for none)
    this_tab: Sequence[Record]
    every_tab: Sequence[Record]


def export_source(
    records: Sequence[Record],
    kind: Kind,
    kind_label: str,
    query: str,
    result: SearchResult | None,
) -> ExportSource:
    """The two record lists the dialog offers, as the CLI would give them: with a
    search on, its matches in rank order; else every record in the file's order."""
    ranked = result.record_ids() if result is not None else None
    every = pick_records(records, None, ranked)
    return ExportSource(
        kind=kind,
        kind_label=kind_label,
        query=query if result is not None else "",
        this_tab=pick_records(every, kind, None),
        every_tab=every,
    )


class ChoiceSet(RadioSet):
    """A row of options where an arrow key picks the next one at once, and Enter
    runs the dialog's main action instead of toggling."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "screen.submit", "Export", show=False, id="export-submit-choice"),
    ]

    def action_next_button(self) -> None:
        super().action_next_button()
        if self.is_mounted and self.has_focus:  # (RadioSet calls this on mount too)
            self.action_toggle_button()

    def action_previous_button(self) -> None:
        super().action_previous_button()
        if self.has_focus:
            self.action_toggle_button()


class ExportScreen(ModalScreen[str | None]):
    """Dismissed with a one-line report of what was done, or None if cancelled."""

    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    ExportScreen > Vertical {
        width: 78; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; background: $surface; padding: 0 1; overflow-y: auto;
    }
    ExportScreen.-narrow ChoiceSet { layout: vertical; height: auto; }
    ExportScreen .row { height: auto; width: 100%; }
    ExportScreen .row Label { width: 9; padding: 0 0; }
    ExportScreen ChoiceSet { layout: horizontal; height: 1; width: 1fr; }
    ExportScreen ChoiceSet > RadioButton { width: auto; margin-right: 2; }
    ExportScreen ChoiceSet:focus { background: $boost; }
    ExportScreen #file-name { width: 1fr; }
    ExportScreen #file-row.-hidden { display: none; }
    ExportScreen #keys { color: $text-muted; }
    ExportScreen #problem { color: $error; height: auto; }
    ExportScreen #buttons { height: auto; width: 100%; align-horizontal: right; }
    ExportScreen Button { min-width: 10; margin-left: 2; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="export-cancel"),
        Binding("ctrl+s", "submit", "Export", id="export-submit"),
    ]

    def __init__(self, source: ExportSource, lang: Lang = "both", folder: Path | None = None):
        super().__init__()
        self.source = source
        self.lang = lang
        self.folder = folder if folder is not None else Path.cwd()
        self._offered = ""  # the file name the dialog last offered
        self._busy = False  # an export is being written

    # -- layout -----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        source = self.source
        with Vertical():
            title = Text("Export · 导出  ", style="bold")
            title.append(one_line(source.kind_label), style="not bold")
            if source.query:
                title.append(f" · {one_line(source.query)}", style="not bold")
            yield Static(title, id="title")
            with Horizontal(classes="row"):
                yield Label("Records")
                with ChoiceSet(id="scope", compact=True):
                    tab = f"This tab ({len(source.this_tab)})"
                    yield RadioButton(Text(tab), value=True, id="scope-tab")
                    every = f"Every tab ({len(source.every_tab)})"
                    yield RadioButton(Text(every), id="scope-all")
            with Horizontal(classes="row"):
                yield Label("Format")
                with ChoiceSet(id="format", compact=True):
                    for index, fmt in enumerate(EXPORT_FORMATS):
                        yield RadioButton(FORMAT_NAMES[fmt], value=index == 0, id=f"fmt-{fmt}")
            with Horizontal(classes="row"):
                yield Label("To")
                with ChoiceSet(id="target", compact=True):
                    if self.app.is_web:  # served: a file on the server is of no use
                        yield RadioButton("Download", value=True, id="to-download")
                    yield RadioButton("File", value=not self.app.is_web, id="to-file")
                    yield RadioButton("Clipboard", id="to-clipboard")
            with Horizontal(classes="row", id="file-row"):
                yield Label("File")
                yield Input(
                    self._default_name(), id="file-name", select_on_focus=False, compact=True
                )
            yield Static("", id="problem")
            yield Static(Text("←→ choose · Tab next · Enter export · Esc cancel"), id="keys")
            with Horizontal(id="buttons"):
                yield Button("Export", variant="primary", id="export", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#scope", ChoiceSet).focus()

    def on_resize(self) -> None:
        self.set_class(self.size.width < 64, "-narrow")  # options one under another

    # -- state ------------------------------------------------------------------

    @property
    def every_tab(self) -> bool:
        return self.query_one("#scope-all", RadioButton).value

    @property
    def fmt(self) -> str:
        for fmt in EXPORT_FORMATS:
            if self.query_one(f"#fmt-{fmt}", RadioButton).value:
                return fmt
        return "csv"

    @property
    def to_clipboard(self) -> bool:
        return self.query_one("#to-clipboard", RadioButton).value

    @property
    def to_download(self) -> bool:
        """To the browser, as a download (only when the app is served)."""
        found = self.query("#to-download")
        return bool(found) and found.first(RadioButton).value

    @property
    def records(self) -> Sequence[Record]:
        return self.source.every_tab if self.every_tab else self.source.this_tab

    def _default_name(self) -> str:
        fmt = self.fmt if self.is_mounted else "csv"
        kind = None if self.is_mounted and self.every_tab else self.source.kind
        name = default_name(kind, self.source.query, fmt)
        self._offered = free_path(self.folder, name).name
        return self._offered

    @on(RadioSet.Changed)
    def _choice_changed(self, event: RadioSet.Changed) -> None:
        box = self.query_one("#file-name", Input)
        if event.radio_set.id == "target":
            self.query_one("#file-row").set_class(self.to_clipboard, "-hidden")
        elif box.value == self._offered:  # not edited: offer the name for the new choice
            box.value = self._default_name()
        elif event.radio_set.id == "format":  # edited: keep it, with the format's suffix
            box.value = with_format(box.value, self.fmt)
        self._say("")

    @on(Input.Changed, "#file-name")
    def _name_changed(self) -> None:
        self._say("")

    def _say(self, problem: str) -> None:
        self.query_one("#problem", Static).update(Text(one_line(problem)))

    # -- doing it ---------------------------------------------------------------

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#export")
    @on(Input.Submitted, "#file-name")
    def action_submit(self) -> None:
        if self._busy:
            return
        records = self.records
        if not records:
            self._say("Nothing to export: no records here. 没有可导出的记录。")
            return
        fmt = self.fmt
        if self.to_clipboard:
            self._run(records, fmt, "clipboard", "")
            return
        name = self.query_one("#file-name", Input).value.strip()
        if not name:
            self._say("Type a file name. 请输入文件名。")
            return
        if self.to_download:
            self._run(records, fmt, "download", Path(name).name)
            return
        path = resolve(name, self.folder)
        if path.exists() and not path.is_dir():
            question = f"{path} exists. Overwrite it? 文件已存在，覆盖吗？"

            def answered(yes: bool | None) -> None:
                if yes:
                    self._run(records, fmt, "overwrite", str(path))
                else:
                    self.query_one("#file-name", Input).focus()

            self.app.push_screen(ConfirmScreen(question, yes="Overwrite"), answered)
            return
        self._run(records, fmt, "file", str(path))

    def _run(self, records: Sequence[Record], fmt: str, target: str, where: str) -> None:
        """Render (and write) off the event loop: 13,000 records took 0.4-0.7 s."""
        self._busy = True
        self._say(f"Exporting {len(records)} records… 导出中…")
        self._export(records, fmt, target, where)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _export(self, records: Sequence[Record], fmt: str, target: str, where: str) -> None:
        what = f"{len(records)} records as {FORMAT_NAMES[fmt]}"
        try:
            text = render(records, fmt)
            if target in ("file", "overwrite"):
                write_export(Path(where), text, overwrite=target == "overwrite")
        except FileExistsError:  # it appeared after the check: ask again
            self.app.call_from_thread(self._failed, f"{where} appeared meanwhile; Enter to decide.")
            return
        except OSError as error:
            self.app.call_from_thread(self._failed, describe_error(error, Path(where)))
            return
        except Exception as error:  # never a traceback: say it in the dialog
            self.app.call_from_thread(self._failed, f"export failed: {error}")
            return
        self.app.call_from_thread(self._done, text, what, target, where)

    def _failed(self, problem: str) -> None:
        self._busy = False
        self._say(problem)

    def _done(self, text: str, what: str, target: str, where: str) -> None:
        self._busy = False
        if target == "clipboard":
            size = len(text.encode("utf-8"))
            if size > CLIPBOARD_LIMIT:
                self._say(
                    f"{size:,} bytes is too much for a terminal's clipboard "
                    f"(at most {CLIPBOARD_LIMIT:,}): save to a file."
                )
                return
            self.app.copy_to_clipboard(text)
            self.dismiss(f"Copied {what} ({size:,} bytes)")
        elif target == "download":
            self.app.deliver_text(io.StringIO(text), save_filename=where)
            self.dismiss(f"Sent {what} to the browser as {where}")
        else:
            self.dismiss(f"Wrote {what} to {where}")
