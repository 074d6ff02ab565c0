"""Pictures of the key screens, compared with the stored SVGs (update: --snapshot-update)."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input

from tests.tui.conftest import AppFactory, select, settle


async def _ready(pilot: Pilot) -> None:
    for box in pilot.app.query(Input):
        box.cursor_blink = False
    await settle(pilot)


async def _on_article(pilot: Pilot) -> None:
    await _ready(pilot)
    await select(pilot, "Larkfield swing")


def test_main_screen_80x24(snap_compare, make_app: AppFactory) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=_on_article)


def test_main_screen_160x50(snap_compare, make_app: AppFactory) -> None:
    assert snap_compare(make_app(), terminal_size=(160, 50), run_before=_on_article)


def test_group_view_160x50(snap_compare, make_app: AppFactory) -> None:
    assert snap_compare(make_app(), terminal_size=(160, 50), run_before=_ready)


def test_help_screen(snap_compare, make_app: AppFactory) -> None:
    assert snap_compare(
        make_app(), terminal_size=(100, 30), press=["question_mark"], run_before=_ready
    )
