"""The reader on a library of feeds served from a loopback web server: R updates and new
stories arrive marked new, n goes to the next unread story, A marks what is shown read, the
feeds screen lists errors and adds feeds, and reading one story of a group reads the group.

Nothing leaves 127.0.0.1; the outlets, places and people are invented (the stories are the
ones of conftest.py)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from pytest_httpserver import HTTPServer
from textual.pilot import Pilot
from textual.widgets import Input

from summarise.config import Settings
from summarise.ingest.feeds import Library
from summarise.sources import seeds_path
from tests.loopback import opml_of, refused_address
from tests.tui.conftest import BRIDGE_A, BRIDGE_B, ORCHARD, settle
from tui.app import NewsReaderApp
from tui.screens.confirm import ConfirmDialog
from tui.screens.feeds import FeedList, FeedsScreen
from tui.widgets.article_list import NEW_MARK, READ_MARK, UNREAD_MARK, ArticleRow, GroupRow

RSS = "application/rss+xml"
SIZE = (120, 40)


def rss(title: str, items: list[tuple[str, str, int, str]]) -> str:
    """An RSS 2.0 feed; items are (guid, title, hours ago, text with blank-line paragraphs).
    No item links a page, so the item's own text is the story."""
    now = dt.datetime.now(dt.UTC)
    parts = []
    for guid, item_title, hours, text in items:
        html = "".join(f"<p>{paragraph}</p>" for paragraph in text.split("\n\n"))
        parts.append(
            f"<item><title>{escape(item_title)}</title><guid>{guid}</guid>"
            f"<pubDate>{format_datetime(now - dt.timedelta(hours=hours))}</pubDate>"
            f"<description>{escape(html)}</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><description>invented</description>"
        + "".join(parts)
        + "</channel></rss>"
    )


GAZETTE = rss(
    "Amble Gazette",
    [
        ("gazette-bridge", "Larkfield swing bridge reopens after repairs", 2, BRIDGE_A),
        ("gazette-orchard", "School orchard gives first apple harvest", 30, ORCHARD),
    ],
)
COURIER = rss(
    "Coast Courier",
    [("courier-bridge", "Larkfield bridge reopens three months after barge crash", 1, BRIDGE_B)],
)
HOSTILE_TITLE = "[bold]Dunmore[/bold] \x1b[31mPost"


def subscribe_gazette_and_courier(server: HTTPServer, library: Library) -> None:
    """Two outlets whose bridge stories make one group, and an orchard story alone."""
    library.add_feed(serve(server, "/gazette.rss", GAZETTE))
    library.add_feed(serve(server, "/courier.rss", COURIER))


def serve(server: HTTPServer, path: str, body: str) -> str:
    server.expect_request(path).respond_with_data(body, content_type=RSS)
    return server.url_for(path)


@pytest.fixture
def library_path(data_dirs: dict[str, Path]) -> Path:
    return data_dirs["data"] / "library.sqlite3"


@pytest.fixture
def library(library_path: Path) -> Iterator[Library]:
    opened = Library(library_path)
    yield opened
    opened.close()  # the app closes it too; closing twice is harmless


def library_app(library: Library, data_dirs: dict[str, Path], **values: object) -> NewsReaderApp:
    settings = Settings(export_dir=str(data_dirs["exports"]))
    for name, value in values.items():
        setattr(settings, name, value)
    return NewsReaderApp([], settings=settings, use_processes=False, library=library)


def labels(app: NewsReaderApp) -> dict[str, str]:
    """Title -> the row's text, for every article row in the list."""
    found = {}
    for entry in app.entries:
        for member in entry.members:
            node = app.tree.node_for(member.key)
            if node is not None:
                found[member.title] = str(node.label)
    return found


async def update(pilot: Pilot) -> None:
    await pilot.press("R")
    await settle(pilot)


def notes_of(app: NewsReaderApp, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    notes: list[str] = []
    real = app.notify

    def notify(message: str, *args: object, **kwargs: object) -> None:
        notes.append(message)
        real(message, *args, **kwargs)

    monkeypatch.setattr(app, "notify", notify)
    return notes


async def test_r_fetches_and_new_stories_appear_marked_new(
    httpserver: HTTPServer,
    library: Library,
    data_dirs: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    library.add_feed(serve(httpserver, "/gazette.rss", GAZETTE))
    app = library_app(library, data_dirs, grouping=False)
    notes = notes_of(app, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.entries == []
        assert "no stories" in str(app.header.content)
        await update(pilot)
        rows = labels(app)
        assert set(rows) == {
            "Larkfield swing bridge reopens after repairs",
            "School orchard gives first apple harvest",
        }
        assert all(row.startswith(f"{UNREAD_MARK} {NEW_MARK} ") for row in rows.values())
        assert "2 new stories." in notes
        assert "2 unread" in str(app.tree.border_title)
        # A second update brings one more story; it joins the list, the cursor stays.
        cursor = app.current.key if app.current else ""
        httpserver.clear()
        both = GAZETTE.replace(
            "<item>",
            "<item><title>Amble ferry timetable changes</title><guid>gazette-ferry</guid>"
            "<description>&lt;p&gt;The Amble ferry will leave at seven from Monday, the "
            "operator Amble Sailings said.&lt;/p&gt;</description></item><item>",
            1,
        )
        serve(httpserver, "/gazette.rss", both)
        await update(pilot)
        assert "Amble ferry timetable changes" in labels(app)
        assert app.current is not None and app.current.key == cursor
        assert "1 new story." in notes
        assert "updating" not in str(app.query_one("#status").content)
        # Reading a story takes its new mark away.
        await pilot.press("enter")
        await pilot.pause()
        assert labels(app)[app.current.title].startswith(READ_MARK)
        assert NEW_MARK not in labels(app)[app.current.title]


async def test_r_pressed_while_the_list_loads_updates_once_it_has(
    httpserver: HTTPServer, library: Library, data_dirs: dict[str, Path]
) -> None:
    library.add_feed(serve(httpserver, "/gazette.rss", GAZETTE))
    app = library_app(library, data_dirs)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("R")
        await settle(pilot)
        assert len(labels(app)) == 2
        assert not app.updating


async def test_stories_are_kept_for_the_next_start_offline(
    httpserver: HTTPServer, library_path: Path, data_dirs: dict[str, Path]
) -> None:
    first = Library(library_path)
    first.add_feed(serve(httpserver, "/gazette.rss", GAZETTE))
    app = library_app(first, data_dirs)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await update(pilot)
        assert len(labels(app)) == 2
    httpserver.clear()  # the server answers nothing now
    again = library_app(Library(library_path), data_dirs)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rows = labels(again)
        assert len(rows) == 2
        # New marks last until the next start.
        assert not any(NEW_MARK in row for row in rows.values())


async def test_n_goes_to_the_next_unread_story(
    httpserver: HTTPServer, library: Library, data_dirs: dict[str, Path]
) -> None:
    subscribe_gazette_and_courier(httpserver, library)
    app = library_app(library, data_dirs, grouping=False, read_whole_group=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await update(pilot)
        order = [entry.members[0] for entry in app.entries]
        assert len(order) == 3
        assert app.tree.move_to_article(order[0].key)
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert app.current is not None and app.current.key == order[1].key
        node = app.tree.cursor_node
        assert node is not None and isinstance(node.data, ArticleRow)
        assert node.data.article.key == order[1].key
        assert labels(app)[order[1].title].startswith(READ_MARK)
        await pilot.press("n")
        assert app.current.key == order[2].key
        await pilot.press("n")  # round to the top: the first is still unread
        assert app.current.key == order[0].key
        assert all(row.startswith(READ_MARK) for row in labels(app).values())
        await pilot.press("n")
        assert app.current.key == order[0].key  # nothing unread is left
        await app.workers.wait_for_complete()
        assert library.unread_keys() == set()


async def test_n_walks_mentions_once_an_entity_is_chosen(
    httpserver: HTTPServer, library: Library, data_dirs: dict[str, Path]
) -> None:
    library.add_feed(serve(httpserver, "/gazette.rss", GAZETTE))
    app = library_app(library, data_dirs, grouping=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await update(pilot)
        start = app.current
        assert start is not None
        entities = app.entity_list
        several = next(e for e in entities.entities if e.count >= 2)
        entities.focus()
        entities.select_entity(several)
        await pilot.press("enter")
        await pilot.press("n")
        assert "mention 2 of" in str(app.query_one("#status").content)
        assert app.current is start
        # Once the reader moves on, n is "next unread" again.
        app.tree.focus()
        await pilot.press("j")
        await pilot.pause(0.15)
        await pilot.press("n")
        assert app.current is not None and app.current.key == start.key


async def test_a_marks_what_is_shown_read(
    httpserver: HTTPServer, library: Library, data_dirs: dict[str, Path]
) -> None:
    subscribe_gazette_and_courier(httpserver, library)
    app = library_app(library, data_dirs, grouping=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await update(pilot)
        assert len(library.unread_keys()) == 3
        # Only what the filter shows.
        await pilot.press("slash", *"orchard", "enter")
        await settle(pilot)
        assert list(labels(app)) == ["School orchard gives first apple harvest"]
        await pilot.press("A")
        await app.workers.wait_for_complete()
        assert labels(app)["School orchard gives first apple harvest"].startswith(READ_MARK)
        assert len(library.unread_keys()) == 2
        await pilot.press("escape")
        await settle(pilot)
        rows = labels(app)
        assert sum(row.startswith(UNREAD_MARK) for row in rows.values()) == 2
        assert "2 unread" in str(app.tree.border_title)
        await pilot.press("A")
        await app.workers.wait_for_complete()
        assert all(row.startswith(READ_MARK) for row in labels(app).values())
        assert library.unread_keys() == set()
        assert "unread" not in str(app.tree.border_title)


async def test_reading_one_story_of_a_group_reads_the_group(
    httpserver: HTTPServer, library: Library, data_dirs: dict[str, Path]
) -> None:
    subscribe_gazette_and_courier(httpserver, library)
    app = library_app(library, data_dirs)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await update(pilot)
        group = next(e for e in app.entries if e.is_group)
        assert {m.title.split()[0] for m in group.members} == {"Larkfield"}
        assert group.group is not None
        group_node = app.tree.group_node(group.group.id)
        assert group_node is not None and isinstance(group_node.data, GroupRow)
        assert "2 unread" in str(group_node.label)
        assert app.tree.move_to_article(group.members[0].key)
        await pilot.pause(0.15)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        for member in group.members:
            assert labels(app)[member.title].startswith(READ_MARK)
        assert str(group_node.label).startswith(READ_MARK)
        assert "unread" not in str(group_node.label)
        [left] = library.unread_keys()
        assert "orchard" in left


async def test_reading_one_story_of_a_group_can_leave_the_others_unread(
    httpserver: HTTPServer, library: Library, data_dirs: dict[str, Path]
) -> None:
    subscribe_gazette_and_courier(httpserver, library)
    app = library_app(library, data_dirs, read_whole_group=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await update(pilot)
        group = next(e for e in app.entries if e.is_group)
        first, second = group.members
        assert app.tree.move_to_article(first.key)
        await pilot.pause(0.15)
        await pilot.press("enter")
        await pilot.pause()
        assert labels(app)[first.title].startswith(READ_MARK)
        assert labels(app)[second.title].startswith(UNREAD_MARK)
        assert group.group is not None
        node = app.tree.group_node(group.group.id)
        assert node is not None and "1 unread" in str(node.label)


async def test_feeds_screen_lists_a_broken_feed_and_its_error(
    httpserver: HTTPServer,
    library: Library,
    data_dirs: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    library.add_feed(serve(httpserver, "/gazette.rss", GAZETTE))
    httpserver.expect_request("/gone.rss").respond_with_data("gone", status=404)
    refused = refused_address()
    library.import_opml(opml_of(httpserver.url_for("/gone.rss"), refused))
    app = library_app(library, data_dirs)
    notes = notes_of(app, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await update(pilot)
        assert "2 new stories, 2 feeds failed (see F)." in notes
        assert len(labels(app)) == 2
        await pilot.press("F")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, FeedsScreen)
        feed_list = screen.query_one(FeedList)
        shown = {
            option.id: str(option.prompt)
            for option in (feed_list.get_option_at_index(i) for i in range(feed_list.option_count))
        }
        gone = shown[httpserver.url_for("/gone.rss")]
        assert "⚠" in gone and "404" in gone
        assert "⚠" in shown[refused]
        gazette = shown[httpserver.url_for("/gazette.rss")]
        assert "Amble Gazette" in gazette and "2 stories · 2 unread" in gazette
        assert "⚠" not in gazette and "updated" in gazette
        assert "2 failing" in str(feed_list.border_title)
        await pilot.press("escape")
        assert not isinstance(app.screen, FeedsScreen)


async def test_feeds_screen_adds_and_removes_a_feed(
    httpserver: HTTPServer, library: Library, data_dirs: dict[str, Path]
) -> None:
    library.add_feed(serve(httpserver, "/gazette.rss", GAZETTE))
    courier = serve(httpserver, "/courier.rss", COURIER)
    app = library_app(library, data_dirs, grouping=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await update(pilot)
        await pilot.press("F")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, FeedsScreen)
        box = screen.query_one("#feeds-address", Input)
        box.focus()
        box.value = "not an address"
        await pilot.press("enter")
        await settle(pilot)
        assert "not a web address" in str(screen.query_one("#feeds-problem").content)
        assert len(library.feeds()) == 1
        box.value = courier
        await pilot.press("enter")
        await settle(pilot)
        assert {feed.url for feed in library.feeds()} == {
            httpserver.url_for("/gazette.rss"),
            courier,
        }
        # The new feed's stories are fetched at once.
        assert "Larkfield bridge reopens three months after barge crash" in labels(app)
        feed_list = screen.query_one(FeedList)
        assert feed_list.option_count == 2
        # d asks first; n keeps the feed.
        feed_list.focus()
        feed_list.highlighted = [
            feed_list.get_option_at_index(i).id for i in range(feed_list.option_count)
        ].index(courier)
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert len(library.feeds()) == 2
        await pilot.press("d")
        await pilot.press("y")
        await settle(pilot)
        assert [feed.url for feed in library.feeds()] == [httpserver.url_for("/gazette.rss")]
        assert feed_list.option_count == 1
        assert "Larkfield bridge reopens three months after barge crash" not in labels(app)
        assert len(labels(app)) == 2


async def test_adding_a_feed_on_the_sample_pages_opens_the_library(
    httpserver: HTTPServer,
    pipeline: object,
    data_dirs: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gazette = serve(httpserver, "/gazette.rss", GAZETTE)
    app = NewsReaderApp(
        [str(seeds_path())],
        settings=Settings(export_dir=str(data_dirs["exports"])),
        use_processes=False,
    )
    notes = notes_of(app, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        seeds = len(labels(app))
        assert seeds > 0 and not app.use_library
        await pilot.press("R")
        assert any(note.startswith("No subscriptions: add a feed with F") for note in notes)
        await pilot.press("F")
        await settle(pilot)
        box = app.screen.query_one("#feeds-address", Input)
        box.value = gazette
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.use_library
        assert set(labels(app)) == {
            "Larkfield swing bridge reopens after repairs",
            "School orchard gives first apple harvest",
        }


def reader_on_the_sample_pages(data_dirs: dict[str, Path]) -> NewsReaderApp:
    """The reader as the command line opens it when the subscriptions backup lists
    nothing: on the sample pages, checking the library once it is on screen."""
    return NewsReaderApp(
        [str(seeds_path())],
        settings=Settings(export_dir=str(data_dirs["exports"])),
        use_processes=False,
        check_library=True,
    )


async def test_a_library_whose_backup_was_lost_replaces_the_sample_pages(
    httpserver: HTTPServer, library_path: Path, data_dirs: dict[str, Path]
) -> None:
    # The command line opens the sample pages without opening the library when the backup
    # of the subscriptions lists nothing; the reader then makes sure.
    first = Library(library_path)
    first.add_feed(serve(httpserver, "/gazette.rss", GAZETTE))
    first.update()
    first.close()
    first.backup_path.unlink()
    app = reader_on_the_sample_pages(data_dirs)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await settle(pilot)
        assert app.use_library
        assert set(labels(app)) == {
            "Larkfield swing bridge reopens after repairs",
            "School orchard gives first apple harvest",
        }


async def test_an_empty_library_leaves_the_sample_pages_on_screen(
    pipeline: object, data_dirs: dict[str, Path]
) -> None:
    app = reader_on_the_sample_pages(data_dirs)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await settle(pilot)
        assert not app.use_library and app.on_seeds
        assert len(labels(app)) == 3


async def test_r_on_files_says_where_feeds_are(
    make_app: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()  # type: ignore[operator]
    notes = notes_of(app, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("R")
        assert notes == ["No subscriptions: add a feed with F or `newsreader feeds add URL`."]
        assert not app.updating


async def test_feed_titles_and_errors_are_shown_as_plain_text(
    httpserver: HTTPServer, library: Library, data_dirs: dict[str, Path]
) -> None:
    # A JSON feed, since XML cannot carry an escape character.
    body = json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": HOSTILE_TITLE})
    httpserver.expect_request("/hostile.json").respond_with_data(
        body, content_type="application/feed+json"
    )
    library.add_feed(httpserver.url_for("/hostile.json"))
    app = library_app(library, data_dirs)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await update(pilot)
        await pilot.press("F")
        await settle(pilot)
        feed_list = app.screen.query_one(FeedList)
        prompt = str(feed_list.get_option_at_index(0).prompt)
        assert "[bold]Dunmore[/bold] Post" in prompt
        assert "\x1b" not in prompt


async def test_new_keys_are_in_help_and_palette(make_app: object) -> None:
    app = make_app()  # type: ignore[operator]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rows = {row.binding_id: row for row in app.key_rows()}
        for binding_id, key in [
            ("library.update", "R"),
            ("read.next_unread", "n"),
            ("read.mark_shown", "A"),
            ("feeds.open", "F"),
            ("entity.next_mention", "n"),
            ("feeds.remove", "d"),
        ]:
            assert rows[binding_id].keys == key, binding_id
        commands = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Update", "Next unread", "Feeds", "Mark shown read"} <= commands
        assert "Next mention" not in commands  # no entity is chosen


async def test_keys_can_be_remapped(make_app: object) -> None:
    app = make_app(keymap={"read.next_unread": "u", "library.update": "U"})  # type: ignore[operator]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rows = {row.binding_id: row for row in app.key_rows()}
        assert rows["read.next_unread"].keys == "u"
        assert rows["library.update"].keys == "U"
        first = app.current
        await pilot.press("u")
        assert app.current is not None and app.current is not first


async def test_typing_the_next_address_after_an_add_stays_in_the_address_box(
    httpserver: HTTPServer, library: Library, data_dirs: dict[str, Path]
) -> None:
    library.add_feed(serve(httpserver, "/gazette.rss", GAZETTE))
    courier = serve(httpserver, "/courier.rss", COURIER)
    app = library_app(library, data_dirs, grouping=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("F")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, FeedsScreen)
        box = screen.query_one("#feeds-address", Input)
        box.focus()
        await pilot.press(*courier, "enter")
        await settle(pilot)
        assert len(library.feeds()) == 2
        # The letters of the next address are the screen's keys too (d removes, y
        # confirms): they must go into the box, and no feed may leave.
        await pilot.press(*"daily.example/feed", "a", "R")
        await settle(pilot)
        assert app.screen is screen
        assert box.value == "daily.example/feedaR"
        assert len(library.feeds()) == 2
        box.value = courier
        await pilot.press("enter")
        await settle(pilot)
        assert str(screen.query_one("#feeds-problem").content) == f"Already subscribed to {courier}"
