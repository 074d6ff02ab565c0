"""The entity panel: the article's entities by kind with counts, and the colour legend."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from summarise.article import EntityCount
from summarise.text import one_line
from tui.widgets.rendering import displayed_kinds, kind_of, kind_style, legend


class EntityList(OptionList):
    """Entities grouped by kind; enter jumps to the next mention, f filters the list."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="entities.down"),
        Binding("k", "cursor_up", "Up", show=False, id="entities.up"),
    ]

    class Chosen(Message):
        """The user chose an entity (enter or click): jump to its next mention."""

        def __init__(self, entity: EntityCount) -> None:
            self.entity = entity
            super().__init__()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._entities: dict[str, EntityCount] = {}
        self._legend = ""

    def show_entities(self, counts: Sequence[EntityCount]) -> None:
        self._entities = {}
        self.clear_options()
        by_kind: dict[str, list[EntityCount]] = {}
        for count in counts:
            kind = kind_of(count.label)
            if kind is not None:
                by_kind.setdefault(kind, []).append(count)
        options: list[Option | None] = []
        for kind in displayed_kinds():
            members = by_kind.get(kind)
            if not members:
                continue
            if options:
                options.append(None)
            heading = Text(f"{kind} ({len(members)})", style=kind_style(kind))
            options.append(Option(heading, disabled=True))
            for index, count in enumerate(members):
                option_id = f"{kind}:{index}"
                self._entities[option_id] = count
                prompt = Text(no_wrap=True, overflow="ellipsis")
                prompt.append("  ")
                prompt.append(one_line(count.text), style=kind_style(kind))
                prompt.append(f" ×{count.count}")
                options.append(Option(prompt, id=option_id))
        if not options:
            options.append(Option(Text("No named entities."), disabled=True))
        if self.parent is not None:
            shown = [kind for kind in displayed_kinds() if kind in by_kind]
            self._show_legend(self.parent.query_one("#legend", Static), legend(shown or None))
        self.add_options(options)
        # Nothing highlighted until the list has focus, so the list starts at its top.
        self.highlighted = None
        self.scroll_home(animate=False)

    def _show_legend(self, shown: Static, text: Text) -> None:
        """Draw the legend, laying the screen out again only when it needs another number
        of lines: moving to the next story must not cost a whole layout."""
        if text.plain == self._legend:
            return
        self._legend = text.plain
        width = shown.content_region.width
        lines = len(text.wrap(self.app.console, width)) if width > 0 else -1
        shown.update(text, layout=lines != shown.content_region.height)

    def on_focus(self) -> None:
        if self.highlighted is None:
            self.highlighted = self._first_enabled()

    def _first_enabled(self) -> int | None:
        for index, option in enumerate(self.options):
            if not option.disabled:
                return index
        return None

    @property
    def current(self) -> EntityCount | None:
        if self.highlighted is None:
            return None
        option = self.get_option_at_index(self.highlighted)
        return self._entities.get(option.id or "")

    @property
    def first(self) -> EntityCount | None:
        return next(iter(self._entities.values()), None)

    @property
    def entities(self) -> list[EntityCount]:
        return list(self._entities.values())

    def select_entity(self, entity: EntityCount) -> None:
        for option_id, count in self._entities.items():
            if count == entity:
                self.highlighted = self.get_option_index(option_id)
                return

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        entity = self._entities.get(event.option.id or "")
        if entity is not None:
            self.post_message(self.Chosen(entity))


class EntityPanel(Vertical):
    """Legend on top, the list of entities below."""

    def compose(self):  # type: ignore[override]
        yield Static(legend(), id="legend")
        yield EntityList(id="entity-list")
