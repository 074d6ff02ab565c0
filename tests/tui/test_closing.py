"""Quitting while workers still report: what they send once the reader has begun closing
is dropped, never a traceback on the way out."""

from __future__ import annotations

import threading
import time

from summarise.article import Group
from tests.tui.conftest import AppFactory, settle
from tui.app import NewsReaderApp
from tui.messages import AnalysisProgress, GroupsReady, ReadingsReady, UpdateProgress


def keep_reporting(app: NewsReaderApp, stop: threading.Event) -> None:
    """What busy workers do: post reports from their own thread until told to stop."""
    assert app.corpus is not None
    everything = Group("all", tuple(article.key for article in app.corpus.articles))
    done = 0
    while not stop.is_set():
        done += 1
        app.post_message(AnalysisProgress([], done, 10_000))
        app.post_message(GroupsReady([everything]))
        app.post_message(ReadingsReady([]))
        app.post_message(UpdateProgress(done, 10_000, "http://127.0.0.1/feed"))
        time.sleep(0.0005)


async def test_reports_arriving_while_the_reader_closes_are_dropped(
    make_app: AppFactory,
) -> None:
    for _ in range(5):
        app = make_app()
        stop = threading.Event()
        async with app.run_test() as pilot:
            await settle(pilot)
            reporter = threading.Thread(target=keep_reporting, args=(app, stop))
            reporter.start()
            await pilot.pause(0.05)
        stop.set()
        reporter.join()
        assert app.return_code in (None, 0)


async def test_a_report_before_closing_still_reaches_the_status_line(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        app.post_message(AnalysisProgress([], 1, 7))
        await pilot.pause()
        assert "analysing 1/7" in str(app.query_one("#status").render())
