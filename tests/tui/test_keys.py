"""Every key of the reader, driven through the pilot, checked on what the widgets show."""

from __future__ import annotations

import json
import webbrowser
from pathlib import Path

import pytest

from summarise.config import load_settings
from summarise.store import ReadState
from summarise.summarisers import SUMMARISERS
from tests.tui.conftest import AppFactory, key_for, select, settle
from tui.app import NewsReaderApp
from tui.screens.export import ExportDialog
from tui.screens.help import HelpScreen
from tui.widgets.article_list import READ_MARK, UNREAD_MARK, ArticleRow, GroupRow
from tui.widgets.entity_panel import EntityList
from tui.widgets.group_view import GroupView
from tui.widgets.reading import ArticleBody, SummaryView


def row_labels(app: NewsReaderApp) -> list[str]:
    labels = []
    for node in app.tree.root.children:
        labels.append(str(node.label))
        labels.extend(str(child.label) for child in node.children)
    return labels


async def test_list_groups_same_event_with_size_and_sources(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        groups = [node for node in app.tree.root.children if isinstance(node.data, GroupRow)]
        assert len(groups) == 1
        label = str(groups[0].label)
        assert "[2]" in label
        assert "Amble Gazette" in label and "Coast Courier" in label
        assert len(app.tree.root.children) == 3  # the group and two single stories


async def test_vim_keys_and_arrows_move_the_cursor(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        start = app.tree.cursor_line
        await pilot.press("j")
        assert app.tree.cursor_line == start + 1
        await pilot.press("down")
        assert app.tree.cursor_line == start + 2
        await pilot.press("k", "up")
        assert app.tree.cursor_line == start
        group = next(n for n in app.tree.root.children if isinstance(n.data, GroupRow))
        group.collapse()
        app.tree.move_cursor(group)
        await pilot.pause()
        await pilot.press("l")
        assert group.is_expanded
        await pilot.press("l")
        assert app.tree.cursor_node is group.children[0]
        await pilot.press("h")
        assert app.tree.cursor_node is group
        await pilot.press("h")
        assert not group.is_expanded


async def test_moving_shows_the_article_under_the_cursor(make_app: AppFactory) -> None:
    app = make_app(grouping=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j")
        await pilot.pause(0.15)
        node = app.tree.cursor_node
        assert node is not None and isinstance(node.data, ArticleRow)
        assert app.current is not None and app.current.key == node.data.article.key
        assert node.data.article.title.split()[0] in str(app.header.content)


async def test_enter_opens_article_and_marks_it_read(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await select(pilot, "School orchard")
        orchard = app.tree.node_for(key_for(app, "School orchard"))
        assert orchard is not None and str(orchard.label).startswith(UNREAD_MARK)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.focused, ArticleBody)
        assert str(orchard.label).startswith(READ_MARK)
        assert "apple harvest" in app.body.shown_text
        article_id = app.current.id if app.current else ""
    assert ReadState().is_read(article_id)


async def test_tab_moves_between_panes(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await select(pilot, "School orchard")
        assert app.focused is app.tree
        seen = []
        for _ in range(4):
            await pilot.press("tab")
            seen.append(type(app.focused).__name__)
        assert {"SummaryView", "ArticleBody", "EntityList"} <= set(seen)
        await pilot.press("shift+tab")
        assert type(app.focused).__name__ == seen[-2]


async def test_space_pages_the_text(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await select(pilot, "Larkfield swing")
        assert app.body.scroll_y == 0
        assert app.body.max_scroll_y > 0
        await pilot.press("space")
        await pilot.pause()
        assert app.body.scroll_y > 0
        assert app.focused is app.tree  # paging the text leaves the list focused


async def test_brackets_make_the_summary_shorter_and_longer(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await select(pilot, "Larkfield swing")
        summary = app.query_one(SummaryView)
        assert "3 of" in str(summary.border_title)
        await pilot.press("right_square_bracket")
        assert "4 of" in str(summary.border_title)
        assert "4." in summary.shown_text
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert "2 of" in str(summary.border_title)
        assert "3." not in summary.shown_text
        assert "[2]" in app.body.shown_text and "[3]" not in app.body.shown_text


async def test_a_switches_to_the_next_summariser(make_app: AppFactory) -> None:
    app = make_app()
    names = list(SUMMARISERS)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await select(pilot, "Larkfield swing")
        assert app.algorithm == names[0]
        await pilot.press("a")
        assert app.algorithm == names[1]
        assert names[1] in str(app.query_one(SummaryView).border_title)
        assert names[1] in str(app.query_one("#status").content)


async def test_m_toggles_read(make_app: AppFactory) -> None:
    app = make_app(grouping=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await select(pilot, "School orchard")
        node = app.tree.node_for(key_for(app, "School orchard"))
        assert node is not None
        await pilot.press("m")
        assert str(node.label).startswith(READ_MARK)
        await pilot.press("m")
        assert str(node.label).startswith(UNREAD_MARK)
        assert not ReadState().is_read(app.current.id if app.current else "")


async def test_o_opens_the_url_only_when_there_is_one(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await select(pilot, "Larkfield swing")
        await pilot.press("o")
        await app.workers.wait_for_complete()
        assert opened == ["https://gazette.example/bridge"]
        await select(pilot, "School orchard")
        await pilot.press("o")
        await app.workers.wait_for_complete()
        assert opened == ["https://gazette.example/bridge"]


async def test_g_toggles_grouping(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert len(app.tree.root.children) == 3
        await pilot.press("g")
        assert len(app.tree.root.children) == 4
        assert all(isinstance(n.data, ArticleRow) for n in app.tree.root.children)
        await pilot.press("g")
        assert len(app.tree.root.children) == 3


async def test_s_cycles_the_sort_order(make_app: AppFactory) -> None:
    app = make_app(grouping=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        dates = [n.data.article.published for n in app.tree.root.children]
        assert dates == sorted(dates, reverse=True)
        await pilot.press("s")
        assert app.sort == "title"
        titles = [n.data.article.title for n in app.tree.root.children]
        assert titles == sorted(titles, key=str.casefold)
        assert "title" in str(app.tree.border_subtitle)


async def test_slash_filters_by_words_and_escape_clears(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert app.focused is app.query_one("#filter")
        await pilot.press(*"apples", "enter")
        await pilot.pause()
        assert [str(n.label) for n in app.tree.root.children] == [
            row for row in row_labels(app) if "orchard" in row
        ]
        assert len(app.tree.root.children) == 1
        assert app.focused is app.tree
        await pilot.press("escape")
        assert len(app.tree.root.children) == 3


async def test_filter_matches_entity_names(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"helen marsh", "enter")
        await pilot.pause()
        keys = {a.key for entry in app.entries for a in entry.members}
        assert keys == {key_for(app, "Larkfield swing"), key_for(app, "Larkfield bridge")}


async def test_entity_panel_jumps_between_mentions_and_filters(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await select(pilot, "Larkfield swing")
        entities = app.query_one(EntityList)
        several = next(e for e in entities.entities if e.count >= 2)
        entities.focus()
        entities.select_entity(several)
        await pilot.press("enter")
        status = str(app.query_one("#status").content)
        assert f"mention 1 of {several.count}" in status
        await pilot.press("n")
        assert f"mention 2 of {several.count}" in str(app.query_one("#status").content)
        await pilot.press("N")
        assert f"mention 1 of {several.count}" in str(app.query_one("#status").content)
        await pilot.press("f")
        shown = {a.key for entry in app.entries for a in entry.members}
        assert key_for(app, "School orchard") not in shown
        assert key_for(app, "Larkfield swing") in shown
        assert "naming" in str(app.tree.border_title)
        await pilot.press("escape")
        assert len({a.key for entry in app.entries for a in entry.members}) == 4


async def test_group_row_shows_members_side_by_side(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        group = next(n for n in app.tree.root.children if isinstance(n.data, GroupRow))
        app.tree.move_cursor(group)
        await pilot.pause(0.15)
        view = app.query_one(GroupView)
        assert view.display and view.region.width > 0
        text = view.shown_text
        assert "Amble Gazette" in text and "Coast Courier" in text
        assert "Why grouped" in text and "similarity" in text
        cards = view.query(".member-card")
        assert len(cards) == 2
        assert cards[0].region.y == cards[1].region.y  # side by side


async def test_the_names_panel_never_shows_an_article_left_behind(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await select(pilot, "Library")
        assert app.entity_list.entities  # the library story's names: Dunmore, Grace Tully
        group = next(n for n in app.tree.root.children if isinstance(n.data, GroupRow))
        app.tree.move_cursor(group)
        await pilot.pause(0.15)
        assert not app.entity_list.entities


async def test_c_shows_hidden_blocks_dimmed(make_app: AppFactory, tmp_path) -> None:
    story = tmp_path / "story.md"
    story.write_text(
        "# Ferry timetable changes in winter\n\n"
        "The Northgate ferry will run every two hours from November, the operator said on "
        "Monday, because fewer passengers travel in the cold months.\n\n"
        "Photo: The Northgate ferry at its berth. (Jo Bell/Northgate Press)\n\n"
        "Summer sailings every hour will return in April, the operator added.\n",
        encoding="utf-8",
    )
    app = make_app([story])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.current is not None
        hidden = [
            b.text for b in app.current.blocks if b.kind in ("caption", "boilerplate", "dateline")
        ]
        assert hidden  # the photo caption is recognised as one
        assert app.current.body_blocks[-1].text in app.body.shown_text
        for text in hidden:
            assert text not in app.body.shown_text
        await pilot.press("c")
        for text in hidden:
            assert text in app.body.shown_text
        await pilot.press("c")
        for text in hidden:
            assert text not in app.body.shown_text


async def test_help_screen_lists_every_key_and_closes(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        ids = {row.binding_id for row in app.screen.rows}
        for binding_id in ("quit", "summary.next_algorithm", "export.article", "list.down"):
            assert binding_id in ids
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_keymap_from_settings_remaps_by_id(make_app: AppFactory) -> None:
    app = make_app(keymap={"summary.next_algorithm": "x"})
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        first = app.algorithm
        await pilot.press("a")
        assert app.algorithm == first
        await pilot.press("x")
        assert app.algorithm != first
        row = next(r for r in app.key_rows() if r.binding_id == "summary.next_algorithm")
        assert row.keys == "x"


async def test_command_palette_offers_the_actions(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        for description in ("Summariser", "Export", "Groups", "Filter", "Read", "Sort"):
            assert description in titles
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Sort")
        before = app.sort
        await command.callback()
        assert app.sort != before


async def test_q_quits_and_the_next_run_remembers(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await select(pilot, "School orchard")
        await pilot.press("right_square_bracket", "a")
        chosen = app.algorithm
        app.theme = "textual-light"
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0
    saved = load_settings()
    assert saved.algorithm == chosen and saved.sentences == 4
    assert saved.theme == "textual-light"

    again = NewsReaderApp(app.paths, settings=saved)
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert again.algorithm == chosen and again.sentences == 4
        assert again.theme == "textual-light"
        assert again.current is not None and again.current.title.startswith("School orchard")


async def test_analysis_in_a_child_process_matches_the_thread(
    make_app: AppFactory, corpus_file
) -> None:
    threaded = make_app()
    async with threaded.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await select(pilot, "Larkfield swing")
        expected = threaded.summary_view.shown_text
        groups = sorted(g.members for g in threaded.groups or [])
    app = NewsReaderApp([corpus_file], use_processes=True)
    app.settings.export_dir = threaded.settings.export_dir
    monkey_threshold = pytest.MonkeyPatch()
    monkey_threshold.setattr("tui.background.PROCESS_MIN_ARTICLES", 1)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            while app.groups is None:
                await pilot.pause(0.2)
            await select(pilot, "Larkfield swing")
            assert app.summary_view.shown_text == expected
            assert sorted(g.members for g in app.groups) == groups
    finally:
        monkey_threshold.undo()


async def test_home_and_end_jump_to_the_ends_of_the_list(make_app: AppFactory) -> None:
    app = make_app(grouping=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("end")
        assert app.tree.cursor_line == app.tree.last_line == 3
        await pilot.press("home")
        assert app.tree.cursor_line == 0


async def test_clicking_a_row_opens_the_article(make_app: AppFactory) -> None:
    app = make_app(grouping=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        orchard = app.tree.node_for(key_for(app, "School orchard"))
        assert orchard is not None
        await pilot.click("#articles", offset=(6, orchard.line + 1))
        await pilot.pause(0.15)
        assert app.current is not None and app.current.title.startswith("School orchard")
        assert "apple harvest" in app.body.shown_text


async def test_a_config_file_with_problems_is_never_rewritten(
    make_app: AppFactory, data_dirs
) -> None:
    config = data_dirs["config"] / "config.toml"
    original = '# my notes\nsentences = "lots"\ncolour_scheme = "mine"\n'
    config.write_text(original, encoding="utf-8")
    settings = load_settings()
    assert settings.warnings
    app = NewsReaderApp(make_app().paths, settings=settings, use_processes=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a", "right_square_bracket", "q")
        await pilot.pause()
    assert config.read_text(encoding="utf-8") == original


async def test_source_line_stays_one_line_cut_to_the_pane_as_the_terminal_resizes(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await select(pilot, "Larkfield bridge reopens")
        source_line = str(app.header.content).split("\n")[-1]
        assert source_line.endswith("o: courier.example")
        await pilot.resize_terminal(64, 24)
        await pilot.pause()
        narrow = str(app.header.content).split("\n")
        assert narrow[-1].startswith("Coast Courier") and narrow[-1].endswith("…")
        assert len(narrow[-1]) <= app.header.content_region.width
        await pilot.resize_terminal(160, 40)
        await pilot.pause()
        assert str(app.header.content).split("\n")[-1] == source_line


async def test_o_sends_only_web_addresses_to_the_browser(
    make_app: AppFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    saved = tmp_path / "saved.json"
    records = [
        {"id": "script", "title": "Ferry timetable changes", "url": "javascript:alert(1)"},
        {"id": "local", "title": "Harbour fees rise", "url": "file:///etc/passwd"},
    ]
    text = "The ferry to Kelmoor will sail twice a day from Monday, Tidewater Lines said."
    saved.write_text(json.dumps([{**record, "text": text} for record in records]), "utf-8")
    app = make_app([saved])
    shown: list[str] = []
    notify = app.notify
    monkeypatch.setattr(
        app, "notify", lambda message, **k: shown.append(message) or notify(message, **k)
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for title in ("Ferry timetable", "Harbour fees"):
            await select(pilot, title)
            await pilot.press("o")
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert opened == []
        refusals = [message for message in shown if "is not an http or https address" in message]
        assert len(refusals) == 2


async def test_a_filter_that_matches_nothing_leaves_no_article_to_act_on(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        shown_before = str(app.header.content)
        await pilot.press("slash", *"zzzqqq", "enter")
        await pilot.pause()
        assert "No article matches the filter" in str(app.header.content)
        assert "Larkfield" not in app.body.shown_text
        await pilot.press("e")
        await pilot.pause()
        assert not isinstance(app.screen, ExportDialog)
        await pilot.press("m")
        await pilot.pause()
        assert not app.reads.ids
        await pilot.press("escape")
        await pilot.pause()
        shown_after = str(app.header.content)
        assert "No article matches" not in shown_after
        assert shown_after.splitlines()[0] == shown_before.splitlines()[0]
