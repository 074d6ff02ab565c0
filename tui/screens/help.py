"""The help screen: every key in force (after remapping), what it does, and where."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, NamedTuple

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static


class KeyRow(NamedTuple):
    keys: str
    description: str
    where: str
    binding_id: str


class HelpScreen(ModalScreen[None]):
    """Lists the bindings handed to it; any of escape, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close help", id="help.close"),
        Binding("j,down", "scroll_down", "Down", show=False, id="help.down"),
        Binding("k,up", "scroll_up", "Up", show=False, id="help.up"),
    ]

    def __init__(self, rows: Sequence[KeyRow], intro: str) -> None:
        super().__init__()
        self.rows = list(rows)
        self.intro = intro

    def compose(self) -> ComposeResult:
        table = Table(box=None, expand=True, show_edge=False, pad_edge=False)
        table.add_column(Text("Key"), no_wrap=True)
        table.add_column(Text("Action"), min_width=18, ratio=2)
        table.add_column(Text("Where"), no_wrap=True)
        # Ids are copied into config.toml: never broken across lines; the actions wrap.
        table.add_column(Text("Id (for [keymap])"), no_wrap=True)
        for row in self.rows:
            table.add_row(
                Text(row.keys), Text(row.description), Text(row.where), Text(row.binding_id)
            )
        with Vertical(id="help-dialog", classes="dialog"):
            yield Label(Text("Keys"), classes="dialog-title")
            yield Static(Text(self.intro), id="help-intro")
            with VerticalScroll(id="help-scroll"):
                yield Static(table, id="help-table")

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll_down(self) -> None:
        self.query_one("#help-scroll", VerticalScroll).scroll_down()

    def action_scroll_up(self) -> None:
        self.query_one("#help-scroll", VerticalScroll).scroll_up()
