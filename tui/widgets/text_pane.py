"""A focusable, scrolling pane of wrapped text that draws only the lines in view.

The summary and the article text change on every move through the list. As a scrolling
container holding a ``Static``, each new text changed the size of the child, and Textual
then laid the whole screen out twice (once for the child, once for the container's new
scroll size) before drawing. This pane's own size comes from the layout alone: a new text
is wrapped once to the pane's width, its line count becomes the scroll size, and only the
lines in view are drawn.
"""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.events import Resize
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip


class TextPane(ScrollView, can_focus=True):
    """Rich ``Text`` (never markup) wrapped to the pane's width; vim keys scroll it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "scroll_down", "Down", show=False, id="pane.down"),
        Binding("k", "scroll_up", "Up", show=False, id="pane.up"),
        Binding("space", "app.page_text", "Page text", show=False, id="page_text"),
    ]

    DEFAULT_CSS = """
    TextPane {
        overflow-x: hidden;
        overflow-y: auto;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text = Text()
        self._lines: list[Strip] = []
        self._wrapped_width = 0

    @property
    def text(self) -> Text:
        """The text shown, as given (before wrapping)."""
        return self._text

    def set_text(self, text: Text, *, keep_scroll: bool = False) -> None:
        """Show ``text``, from the top unless ``keep_scroll``."""
        self._text = text
        self._wrapped_width = 0
        self._wrap()
        if not keep_scroll:
            self.scroll_home(animate=False)
        self.refresh()

    def on_resize(self, event: Resize) -> None:
        self._wrap()

    def _wrap(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0 or width == self._wrapped_width:
            return  # not laid out yet (wrapped on the first resize), or already wrapped
        console = self.app.console
        options = console.options.update_width(width)
        lines = list(Segment.split_lines(console.render(self._text, options)))
        self._lines = Strip.from_lines(lines) if lines else []
        self._wrapped_width = width
        height = len(self._lines)
        if self.virtual_size != Size(width, height):
            self.virtual_size = Size(width, height)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        index = scroll_y + y
        style = self.rich_style
        if index >= len(self._lines):
            return Strip.blank(width, style)
        return self._lines[index].crop_extend(scroll_x, scroll_x + width, style).apply_style(style)

    def lines_before(self, plain_offset: int) -> int:
        """How many wrapped lines the text fills before the character at ``plain_offset``."""
        width = max(1, self.scrollable_content_region.width)
        console = self.app.console
        head = self._text.plain[:plain_offset]
        return sum(
            max(1, len(Text(paragraph).wrap(console, width))) for paragraph in head.split("\n")
        )
