"""The feeds screen: every subscription with its counts, last update or error; add one by
its address, remove the highlighted one after asking. Library calls run in workers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from summarise.ingest.feeds import FeedInfo, Library, LibraryError
from summarise.text import one_line
from tui.messages import FeedAdded, FeedRemoved, FeedsListed, while_open
from tui.screens.confirm import ConfirmDialog


def when(iso: str) -> str:
    """An ISO timestamp as the local date and minute ("2024-06-04 10:00"), else as given."""
    try:
        moment = dt.datetime.fromisoformat(iso)
    except ValueError:
        return one_line(iso)
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M")


class FeedList(OptionList):
    """One option per feed: title and counts, its address, then its last update or error."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="feeds.down"),
        Binding("k", "cursor_up", "Up", show=False, id="feeds.up"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "feed-list--title",
        "feed-list--meta",
        "feed-list--error",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.feeds: dict[str, FeedInfo] = {}

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(name, partial=True, default=Style())

    def feed_prompt(self, feed: FeedInfo) -> Text:
        title, meta, error = (
            self._style("feed-list--title"),
            self._style("feed-list--meta"),
            self._style("feed-list--error"),
        )
        text = Text(end="")
        text.append(one_line(feed.title) or "(untitled feed)", style=title)
        stories = "story" if feed.articles == 1 else "stories"
        text.append(f"  {feed.articles} {stories} · {feed.unread} unread", style=meta)
        text.append("\n  ")
        text.append(one_line(feed.url), style=meta)
        text.append("\n  ")
        if feed.error:
            text.append("⚠ " + one_line(feed.error), style=error)
        elif feed.updated:
            text.append("updated " + when(feed.updated), style=meta)
        else:
            text.append("not fetched yet", style=meta)
        return text

    def show_feeds(self, feeds: Sequence[FeedInfo]) -> None:
        """Replace the options, keeping the highlighted feed when it is still there."""
        keep = self.highlighted_feed
        self.feeds = {feed.url: feed for feed in feeds}
        self.clear_options()
        if not feeds:
            self.add_option(Option(Text("No subscriptions yet."), disabled=True))
            return
        self.add_options([Option(self.feed_prompt(feed), id=feed.url) for feed in feeds])
        urls = [feed.url for feed in feeds]
        self.highlighted = urls.index(keep.url) if keep is not None and keep.url in urls else 0

    @property
    def highlighted_feed(self) -> FeedInfo | None:
        if self.highlighted is None or not self.feeds:
            return None
        option = self.get_option_at_index(self.highlighted)
        return self.feeds.get(option.id or "")


class FeedsScreen(ModalScreen[None]):
    """Subscriptions: add (an address typed in the box), remove (d, after asking), see
    why a feed failed. R updates every feed from here too."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="feeds.close"),
        Binding("a", "add", "Add", id="feeds.add"),
        Binding("d", "remove", "Remove", id="feeds.remove"),
        Binding("R", "app.update", "Update all", id="library.update"),
    ]

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self._listed = False  # the feeds were listed once since the screen opened

    def compose(self) -> ComposeResult:
        with Vertical(id="feeds-dialog", classes="dialog"):
            yield Label(Text("Feeds"), classes="dialog-title")
            yield Input(
                placeholder="add: a feed's address, or a site page that links its feed",
                id="feeds-address",
            )
            yield Static(id="feeds-problem")
            yield FeedList(id="feeds-list")
        yield Footer()

    @property
    def feed_list(self) -> FeedList:
        return self.query_one("#feeds-list", FeedList)

    def on_mount(self) -> None:
        self.feed_list.show_feeds([])
        self.query_one("#feeds-address", Input).focus()
        self.refresh_feeds()

    # Listing -----------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="feeds-list")
    def refresh_feeds(self) -> None:
        """Read the subscriptions again (after an add, a removal or an update)."""
        try:
            feeds = self.library.feeds()
        except Exception as problem:  # a broken library is a line here, not a crash
            self.app.call_from_thread(self._problem, f"Cannot read the feeds: {problem}")
            return
        self.post_message(FeedsListed(feeds))

    @while_open
    def on_feeds_listed(self, message: FeedsListed) -> None:
        message.stop()
        had_focus = self.focused is self.feed_list
        self.feed_list.show_feeds(message.feeds)
        failing = sum(1 for feed in message.feeds if feed.error)
        title = f"Feeds {len(message.feeds)}"
        if failing:
            title += f" · {failing} failing"
        self.feed_list.border_title = Text(title)
        # Only on opening: later listings follow the user's own adds and removals, and
        # moving them out of the address box would turn the letters of the next address
        # into this screen's keys (d removes a feed).
        first = not self._listed
        self._listed = True
        address = self.query_one("#feeds-address", Input)
        if first and message.feeds and not had_focus and not address.value:
            self.feed_list.focus()

    # Adding ------------------------------------------------------------------------

    def _problem(self, text: str, *, warning: bool = True) -> None:
        line = self.query_one("#feeds-problem", Static)
        line.set_class(warning, "-warning")
        line.update(Text(one_line(text)))

    def action_add(self) -> None:
        self.query_one("#feeds-address", Input).focus()

    @on(Input.Submitted, "#feeds-address")
    def _address_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        address = event.value.strip()
        if not address:
            self._problem("Type a feed's address, then enter.")
            return
        self._problem(f"Checking {address}…", warning=False)
        self.add_feed(address)

    @work(thread=True, exclusive=True, group="feeds-add")
    def add_feed(self, address: str) -> None:
        try:
            url = self.library.add_feed(address)
        except LibraryError as problem:
            self.post_message(FeedAdded(address, str(problem)))
            return
        except Exception as problem:  # e.g. the library's file cannot be written
            self.post_message(FeedAdded(address, f"{type(problem).__name__}: {problem}"))
            return
        self.post_message(FeedAdded(url))

    @while_open
    def on_feed_added(self, message: FeedAdded) -> None:
        # Not stopped: the app hears of it too, and fetches the new feed's stories.
        if message.problem:
            self._problem(message.problem)
            self.query_one("#feeds-address", Input).focus()
            return
        box = self.query_one("#feeds-address", Input)
        box.value = ""
        if message.url in self.feed_list.feeds:
            self._problem(f"Already subscribed to {message.url}", warning=False)
        else:
            self._problem(f"Subscribed to {message.url}", warning=False)
        self.refresh_feeds()

    # Removing ----------------------------------------------------------------------

    def action_remove(self) -> None:
        feed = self.feed_list.highlighted_feed
        if feed is None:
            self._problem("Choose a feed in the list first.")
            return

        def answered(remove: bool | None) -> None:
            if remove:
                self.remove_feed(feed.url)

        name = feed.title or feed.url
        self.app.push_screen(
            ConfirmDialog(
                "Remove feed",
                f"Unsubscribe from {name}? Its {feed.articles} stories leave the library.",
                yes="Remove",
                no="Keep",
            ),
            answered,
        )

    @work(thread=True, exclusive=True, group="feeds-remove")
    def remove_feed(self, url: str) -> None:
        try:
            self.library.remove_feed(url)
        except LibraryError as problem:
            self.post_message(FeedRemoved(url, str(problem)))
            return
        except Exception as problem:
            self.post_message(FeedRemoved(url, f"{type(problem).__name__}: {problem}"))
            return
        self.post_message(FeedRemoved(url))

    @while_open
    def on_feed_removed(self, message: FeedRemoved) -> None:
        if message.problem:
            self._problem(message.problem)
        else:
            self._problem(f"Removed {message.url}", warning=False)
        self.refresh_feeds()

    def action_close(self) -> None:
        self.dismiss(None)
