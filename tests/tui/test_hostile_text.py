"""A story that looks like markup or carries escape codes is shown as plain characters."""

from __future__ import annotations

from pathlib import Path

from summarise.article import Article, Block
from tests.tui.conftest import AppFactory, select, settle
from tui.widgets.rendering import BodyStyles, clean, render_body


async def test_markup_and_escape_codes_show_as_characters(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await select(pilot, "Library")
        shown = app.body.shown_text
        assert "[bold]council[/bold]" in shown
        assert "[link=https://evil.example]Dunmore[/link]" in shown
        assert "\x1b" not in shown
        assert "RED ALERT" in shown
        screen = app.export_screenshot()
        assert "[bold]council[/bold]" in screen.replace("&#160;", " ")
        node = app.tree.node_for(app.current.key)
        assert "[bold]hours[/bold]" in str(node.label)
        assert "[bold]hours[/bold] extended [/]" in str(app.header.content)


def test_render_body_removes_control_characters_and_keeps_styles_in_place() -> None:
    body = "Alarm \x1b[2Jcleared \x07by Ann Lee."
    article = Article(key="k", title="t", blocks=(Block("title", "t"), Block("body", body)))
    rendered = render_body(article, None, None, BodyStyles())
    # Whole escape sequences go, not just their first byte: "[2J" would be noise.
    assert rendered.text.plain == "Alarm cleared by Ann Lee."
    # An 8-bit CSI ("\x9b" + "d") is a sequence too; bidirectional overrides go.
    assert clean("a\x1b[31mb\u202ec\x9bd\te") == "abc    e"


async def test_an_empty_file_says_why_nothing_is_listed(
    make_app: AppFactory, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    app = make_app([empty])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "No articles found" in str(app.header.content)
        assert f"Skipped {empty}" in app.body.shown_text
