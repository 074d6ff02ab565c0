"""The export dialog: a path (prefilled), overwrite only after asking, result via dismiss."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from summarise.text import one_line


@dataclass(frozen=True)
class ExportRequest:
    """Where to write, what to write (``article``, ``group`` or ``list``), and may it replace."""

    path: Path
    scope: str
    overwrite: bool = False


class ConfirmOverwrite(ModalScreen[bool]):
    """Asks before an existing file is replaced."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n", "keep", "Keep file", id="confirm.keep"),
        Binding("y", "overwrite", "Overwrite", id="confirm.overwrite"),
    ]

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog", classes="dialog"):
            yield Label(Text("File exists"), classes="dialog-title")
            yield Static(Text(f"{one_line(str(self.path))} already exists. Replace it?"))
            with Horizontal(classes="dialog-buttons"):
                yield Button("Replace (y)", id="confirm-overwrite", variant="warning")
                yield Button("Keep (n)", id="confirm-keep")

    def on_mount(self) -> None:
        self.query_one("#confirm-keep", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-overwrite")

    def action_keep(self) -> None:
        self.dismiss(False)

    def action_overwrite(self) -> None:
        self.dismiss(True)


class ExportDialog(ModalScreen[ExportRequest | None]):
    """Choose where a Markdown export goes; escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="export.cancel"),
    ]

    def __init__(self, scope: str, description: str, default_path: Path) -> None:
        super().__init__()
        self.scope = scope
        self.description = description
        self.default_path = default_path

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog", classes="dialog"):
            yield Label(Text("Export as Markdown"), classes="dialog-title")
            yield Static(Text(one_line(self.description)), id="export-what")
            yield Input(value=str(self.default_path), id="export-path")
            yield Static(id="export-problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Export", id="export-ok", variant="primary")
                yield Button("Cancel", id="export-cancel")

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    def _problem(self, message: str) -> None:
        self.query_one("#export-problem", Static).update(Text(message))

    def _chosen_path(self) -> Path | None:
        value = self.query_one("#export-path", Input).value.strip()
        if not value:
            self._problem("Type a file name.")
            return None
        path = Path(value).expanduser()
        if path.is_dir():
            path = path / self.default_path.name
        return path

    def _submit(self) -> None:
        path = self._chosen_path()
        if path is None:
            return
        if path.exists():

            def answered(replace: bool | None) -> None:
                if replace:
                    self.dismiss(ExportRequest(path, self.scope, overwrite=True))
                else:
                    self._problem("Not replaced: choose another name.")
                    self.query_one("#export-path", Input).focus()

            self.app.push_screen(ConfirmOverwrite(path), answered)
            return
        self.dismiss(ExportRequest(path, self.scope))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "export-ok":
            self._submit()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
