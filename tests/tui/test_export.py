"""The export dialog: prefilled path, writes Markdown, asks before replacing, escape cancels."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from tests.tui.conftest import AppFactory, select, settle
from tui.screens.export import ConfirmOverwrite, ExportDialog
from tui.widgets.article_list import GroupRow


def dialog_path(app) -> Input:
    assert isinstance(app.screen, ExportDialog)
    return app.screen.query_one("#export-path", Input)


async def test_e_exports_the_article_summary(make_app: AppFactory, data_dirs) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await select(pilot, "School orchard")
        await pilot.press("e")
        path = Path(dialog_path(app).value)
        assert path.parent == data_dirs["exports"]
        assert path.suffix == ".md"
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ExportDialog)
        text = path.read_text(encoding="utf-8")
        assert "School orchard gives first apple harvest" in text
        summary = app.current and app.summary_for(app.current)[1]
        assert summary is not None
        first = summary.sentences(app.current, app.corpus.cached_analysis(app.current))[0]
        assert first.split(",")[0] in text
        assert any(str(path) in str(n.message) for n in app._notifications)


async def test_export_path_defaults_to_current_folder(make_app: AppFactory, tmp_path) -> None:
    app = make_app(export_dir="")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        assert Path(dialog_path(app).value).parent == tmp_path


async def test_export_asks_before_overwriting(make_app: AppFactory, data_dirs) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await select(pilot, "School orchard")
        await pilot.press("e")
        path = Path(dialog_path(app).value)
        path.write_text("keep me", encoding="utf-8")
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmOverwrite)
        await pilot.press("n")
        assert isinstance(app.screen, ExportDialog)
        assert path.read_text(encoding="utf-8") == "keep me"
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmOverwrite)
        await pilot.press("y")
        await settle(pilot)
        assert "School orchard" in path.read_text(encoding="utf-8")


async def test_escape_cancels_the_export(make_app: AppFactory, data_dirs) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        assert isinstance(app.screen, ExportDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ExportDialog)
        assert list(data_dirs["exports"].iterdir()) == []


async def test_typed_path_is_used(make_app: AppFactory, tmp_path) -> None:
    app = make_app()
    target = tmp_path / "elsewhere" / "mine.md"
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        dialog_path(app).value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        assert target.exists()


async def test_shift_e_on_a_group_exports_the_group(make_app: AppFactory, data_dirs) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        group = next(n for n in app.tree.root.children if isinstance(n.data, GroupRow))
        app.tree.move_cursor(group)
        await pilot.pause(0.15)
        await pilot.press("E")
        path = Path(dialog_path(app).value)
        await pilot.press("enter")
        await settle(pilot)
        text = path.read_text(encoding="utf-8")
        assert "Amble Gazette" in text and "Coast Courier" in text
        assert "School orchard" not in text


async def test_shift_e_on_an_article_exports_the_whole_list(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await select(pilot, "School orchard")
        await pilot.press("E")
        path = Path(dialog_path(app).value)
        await pilot.press("enter")
        await settle(pilot)
        text = path.read_text(encoding="utf-8")
        for title in ("School orchard", "Larkfield swing", "Larkfield bridge", "Library"):
            assert title in text
