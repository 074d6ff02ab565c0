"""The keys in force for every binding after the user's ``[keymap]``, as the help screen,
the command palette and the app's hints show them.

A binding's keys are its own unless ``[keymap]`` remaps its id; the app's own bindings
are handed in, the screens' and widgets' are read from their classes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import NamedTuple

from textual.binding import Binding, BindingType

from tui.screens.feeds import FeedList, FeedsScreen
from tui.screens.help import KeyRow
from tui.screens.main import MainScreen
from tui.widgets.article_list import ArticleTree
from tui.widgets.entity_panel import EntityList
from tui.widgets.text_pane import TextPane

# Longer words for the help screen than the footer has room for.
HELP_DESCRIPTIONS = {
    "library.update": "Update every feed (in the background)",
    "feeds.open": "Feeds: add, remove, see why one failed",
    "read.next_unread": "Next unread story (shown and marked read)",
    "entity.next_mention": "Next mention of the entity chosen in the entity panel",
    "read.mark_shown": "Mark every story shown read",
    "read.toggle": "Mark read / unread",
}

# Where the bindings of each screen and widget work, in the help screen's order (after
# the app's own, which work everywhere).
_ELSEWHERE: list[tuple[str, Sequence[BindingType]]] = [
    ("everywhere", MainScreen.BINDINGS),
    ("list", ArticleTree.BINDINGS),
    ("text panes", TextPane.BINDINGS),
    ("entities", EntityList.BINDINGS),
    ("feeds", FeedsScreen.BINDINGS),
    ("feeds", FeedList.BINDINGS),
]


class PaletteCommand(NamedTuple):
    title: str
    help_text: str
    action: str


def _with_ids(bindings: Iterable[BindingType]) -> list[tuple[str, Binding]]:
    """The bindings that have an id (only those can be remapped and listed), with it."""
    return [
        (binding.id, binding) for binding in bindings if isinstance(binding, Binding) and binding.id
    ]


class KeysInForce:
    """The keys bound to each binding id, shown the way the app shows keys."""

    def __init__(
        self,
        app_bindings: Sequence[BindingType],
        keymap: Mapping[str, str],
        display: Callable[[Binding], str],
    ) -> None:
        self._app_bindings = app_bindings
        self._keymap = keymap
        self._display = display

    def shown(self, binding: Binding, separator: str = ", ") -> str:
        """The binding's keys (remapped or its own), each as the app displays it."""
        keys = self._keymap.get(binding.id or "", binding.key)
        return separator.join(
            self._display(Binding(key.strip(), "", "")) for key in keys.split(",")
        )

    def for_id(self, binding_id: str) -> str:
        """The key(s) of a binding the app or its screens hold, as a hint names them
        ("R", "tab/ctrl+i"); the id itself when no binding has it."""
        everywhere = [*self._app_bindings, *MainScreen.BINDINGS, *FeedsScreen.BINDINGS]
        for found_id, binding in _with_ids(everywhere):
            if found_id == binding_id:
                return self.shown(binding, "/")
        return binding_id

    def help_rows(self) -> list[KeyRow]:
        """Every binding once per place it works (once in all when it works everywhere)."""
        rows: list[KeyRow] = []
        seen: set[tuple[str, str]] = set()
        for where, bindings in [("everywhere", self._app_bindings), *_ELSEWHERE]:
            for binding_id, binding in _with_ids(bindings):
                if (binding_id, where) in seen or (binding_id, "everywhere") in seen:
                    continue
                seen.add((binding_id, where))
                description = HELP_DESCRIPTIONS.get(binding_id, binding.description)
                rows.append(KeyRow(self.shown(binding), description, where, binding_id))
        rows.append(KeyRow("ctrl+p", "Command palette", "everywhere", "command_palette"))
        rows.append(KeyRow("enter / click", "Jump to the next mention", "entities", ""))
        return rows

    def palette_commands(self, available: Callable[[str], bool]) -> Iterator[PaletteCommand]:
        """The app's and main screen's actions for the command palette, those
        ``available`` now, quitting aside (Textual's own commands list it)."""
        for binding_id, binding in _with_ids([*self._app_bindings, *MainScreen.BINDINGS]):
            if binding.action in ("quit",) or not available(binding.action):
                continue
            longer = HELP_DESCRIPTIONS.get(binding_id)
            help_text = f"key: {self.shown(binding)}" + (f" · {longer}" if longer else "")
            yield PaletteCommand(binding.description, help_text, binding.action)
