"""The small typed messages the app's workers post back to the UI thread.

Workers never touch widgets: they post one of these and the app (or a screen) reacts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from pathlib import Path
from typing import TypeVar

from textual.message import Message
from textual.message_pump import MessagePump

from summarise.article import Analysis, Article, Group, Summary
from summarise.engine import Corpus
from summarise.ingest.feeds import FeedInfo, UpdateReport

Pump = TypeVar("Pump", bound=MessagePump)
Report = TypeVar("Report", bound=Message)


def while_open(
    handler: Callable[[Pump, Report], None],
) -> Callable[[Pump, Report], None]:
    """Drop a worker's report that is handled after the reader began closing.

    A worker posts from its own thread at any moment, so a report can still be queued
    when the app shuts down; Textual then handles it after the screens' widgets are gone,
    and any widget it would update is missing.
    """

    @wraps(handler)
    def handle_if_open(pump: Pump, message: Report) -> None:
        if pump.app.is_running:
            handler(pump, message)

    return handle_if_open


# Loading and analysis ---------------------------------------------------------------


@dataclass
class CorpusLoaded(Message):
    corpus: Corpus
    read_ids: set[str]


@dataclass
class ArticlesAdded(Message):
    """A chunk of articles is ready while the rest still load (``total`` is None while
    the files are still being read)."""

    articles: list[Article]
    done: int
    total: int | None


@dataclass
class LoadFailed(Message):
    reason: str


@dataclass
class AnalysisProgress(Message):
    analyses: list[Analysis]
    done: int
    total: int
    note: str = ""


@dataclass(frozen=True)
class Reading:
    """An analysed article's summary at one algorithm and length (None with ``reason``
    when the summariser failed)."""

    article_id: str
    algorithm: str
    sentences: int
    summary: Summary | None
    reason: str


@dataclass
class ReadingsReady(Message):
    """Summaries made in the background: the article shown first, then its neighbours."""

    readings: list[Reading]


@dataclass
class GroupsReady(Message):
    groups: list[Group]


@dataclass
class ExportDone(Message):
    path: Path | None
    problem: str = ""


# The library: updates, arrivals, subscriptions ----------------------------------------


@dataclass
class UpdateProgress(Message):
    """One more feed of an update answered (or failed)."""

    done: int
    total: int
    url: str


@dataclass
class StoriesArrived(Message):
    """Stories a feed brought during an update, before the update ends."""

    articles: list[Article]


@dataclass
class UpdateFinished(Message):
    """The update ended: every story now in the library, in the library's order.

    ``report`` is None when the update could not run at all (``problem`` says why).
    """

    report: UpdateReport | None
    articles: list[Article] = field(default_factory=list)
    read_keys: set[str] = field(default_factory=set)
    problem: str = ""


@dataclass
class LibraryReloaded(Message):
    """The library's stories after a subscription was removed."""

    articles: list[Article]
    read_keys: set[str]


@dataclass
class LibraryChecked(Message):
    """The library, opened after the sample pages were shown because it looked empty:
    whether it holds stories after all, and what was repaired on opening it."""

    holds_stories: bool
    warnings: list[str]


@dataclass
class FeedsListed(Message):
    """The subscriptions, for the feeds screen."""

    feeds: list[FeedInfo]


@dataclass
class FeedAdded(Message):
    """A subscription was added from the feeds screen (``problem`` when it was not)."""

    url: str
    problem: str = ""


@dataclass
class FeedRemoved(Message):
    """A subscription was removed from the feeds screen (``problem`` when it was not)."""

    url: str
    problem: str = ""
