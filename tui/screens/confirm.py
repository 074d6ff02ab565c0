"""A yes-or-no question as a dialog; the answer comes back through ``dismiss``."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from summarise.text import one_line


class ConfirmDialog(ModalScreen[bool]):
    """Asks ``question``; y or the yes button answers True, n, escape or the no button False.

    The no button has the focus, so a stray enter never confirms.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("escape,n", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, title: str, question: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.title_text = title
        self.question = question
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-question", classes="dialog"):
            yield Label(Text(one_line(self.title_text)), classes="dialog-title")
            yield Static(Text(one_line(self.question)))
            with Horizontal(classes="dialog-buttons"):
                yield Button(Text(f"{one_line(self.yes)} (y)"), id="confirm-yes", variant="warning")
                yield Button(Text(f"{one_line(self.no)} (n)"), id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
