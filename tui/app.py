"""NewsReaderApp: the article list, the reading pane, the entity panel and their keys.

The app only reads engine objects (through ``summarise.engine.Corpus``); loading,
analysis, grouping and exports run in thread workers that report back with messages.
"""

from __future__ import annotations

import time
import webbrowser
from collections.abc import Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import ContentSwitcher, Footer, Input, ProgressBar, Static, Tree
from textual.worker import get_current_worker

from summarise.article import Analysis, Article, EntityCount, Group, Mention, Summary
from summarise.config import SORT_ORDERS, Settings, save_settings
from summarise.engine import Corpus
from summarise.entities import entity_counts, surface_key
from summarise.export import (
    article_markdown,
    group_file_stem,
    group_markdown,
    slugify,
    write_new_file,
)
from summarise.ingest.feeds import Library
from summarise.newsrank import prepare as prepare_news_summariser
from summarise.sources import LoadProblem, read_documents
from summarise.store import AnalysisCache, ReadState
from summarise.summarisers import DEFAULT_ALGORITHM, SUMMARISERS
from summarise.text import one_line
from tui.screens.export import ExportDialog, ExportRequest
from tui.screens.help import HelpScreen, KeyRow
from tui.widgets.article_list import ArticleRow, ArticleTree, GroupRow, RowData
from tui.widgets.background import Offload, analyse_articles, build_articles, group_corpus
from tui.widgets.entity_panel import EntityList, EntityPanel
from tui.widgets.group_view import GroupView
from tui.widgets.listing import SORT_LABELS, Entry, TextIndex, arrange, article_id, query_words
from tui.widgets.reading import ArticleBody, ArticleHeader, ScrollingPane, SummaryView

MIN_SENTENCES = 1
MAX_SENTENCES = 20
ANALYSIS_BATCH = 16
LOAD_CHUNK = 200
# Below this many articles a child process costs more to start than it saves.
PROCESS_MIN_ARTICLES = 60
SHOW_DELAY = 0.05  # seconds: moving fast through the list renders only where it stops
REFILTER_INTERVAL = 5.0  # seconds between refreshes of a filtered list during analysis
FILTER_DELAY = 0.3  # a rebuild of 5,000 rows takes a moment: wait for a pause in typing


# Messages from the workers -------------------------------------------------


class CorpusLoaded(Message):
    def __init__(self, corpus: Corpus, read_ids: set[str]) -> None:
        self.corpus = corpus
        self.read_ids = read_ids
        super().__init__()


class ArticlesAdded(Message):
    """A chunk of articles is ready while the rest still load."""

    def __init__(self, articles: list[Article], done: int, total: int) -> None:
        self.articles = articles
        self.done = done
        self.total = total
        super().__init__()


class LoadFailed(Message):
    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__()


class AnalysisProgress(Message):
    def __init__(self, analyses: list[Analysis], done: int, total: int, note: str = "") -> None:
        self.analyses = analyses
        self.done = done
        self.total = total
        self.note = note
        super().__init__()


class GroupsReady(Message):
    def __init__(self, groups: list[Group]) -> None:
        self.groups = groups
        super().__init__()


class ExportDone(Message):
    def __init__(self, path: Path | None, problem: str = "") -> None:
        self.path = path
        self.problem = problem
        super().__init__()


# The main screen -------------------------------------------------------------


class MainScreen(Screen[None]):
    """Holds the pane-switching keys so that they show in the footer and can be remapped."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "app.focus_next", "Next pane", show=False, id="pane.next"),
        Binding("shift+tab", "app.focus_previous", "Previous pane", show=False, id="pane.previous"),
    ]


def mentions_of(analysis: Analysis, entity: EntityCount) -> list[Mention]:
    """The mentions counted under ``entity`` (a bare surname counts for the full name)."""
    key = surface_key(entity.text)
    found = []
    for mention in analysis.mentions:
        mention_key = surface_key(mention.text)
        if mention_key == key or (
            mention.label in ("PERSON", "ORG") and key.endswith(" " + mention_key)
        ):
            found.append(mention)
    return sorted(found, key=lambda m: m.start)


class NewsReaderApp(App[int]):
    """A terminal news reader: list on the left, summary and highlighted text on the right."""

    CSS_PATH = "app.tcss"
    TITLE = "newsreader"
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (120, "-wide")]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", id="help"),
        Binding("q", "quit", "Quit", id="quit"),
        Binding("enter", "open", "Open", id="open"),
        Binding("space", "page_text", "Page", id="page_text"),
        Binding(
            "left_square_bracket",
            "shorter",
            "Shorter",
            id="summary.shorter",
            group=Binding.Group("Length", compact=True),
        ),
        Binding(
            "right_square_bracket",
            "longer",
            "Longer",
            id="summary.longer",
            group=Binding.Group("Length", compact=True),
        ),
        Binding("a", "next_algorithm", "Summariser", id="summary.next_algorithm"),
        Binding("e", "export_article", "Export", id="export.article"),
        Binding("E", "export_more", "Export all", id="export.group_or_list"),
        Binding("m", "toggle_read", "Read", id="read.toggle"),
        Binding("o", "open_url", "Browser", id="open_url"),
        Binding("g", "toggle_grouping", "Groups", id="grouping.toggle"),
        Binding("s", "cycle_sort", "Sort", id="sort.cycle"),
        Binding("slash", "filter", "Filter", id="filter.start"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="filter.clear"),
        Binding("f", "filter_entity", "Entity filter", show=False, id="entity.filter"),
        Binding("n", "next_mention", "Next mention", show=False, id="entity.next_mention"),
        Binding("N", "previous_mention", "Prev mention", show=False, id="entity.previous_mention"),
        Binding("c", "toggle_hidden", "Captions", show=False, id="captions.toggle"),
    ]

    def __init__(
        self,
        paths: Sequence[str | Path],
        *,
        settings: Settings | None = None,
        model: str | None = None,
        read_state: ReadState | None = None,
        cache: AnalysisCache | None = None,
        save: bool = True,
        use_processes: bool = True,
        use_library: bool = False,
        library: Library | None = None,
    ) -> None:
        super().__init__()
        self.paths = [str(path) for path in paths]
        # The user's library (feeds and saved pages) is read when no paths are given.
        self.use_library = use_library or library is not None
        self._library = library
        self.settings = settings if settings is not None else Settings()
        self.model = model or self.settings.model or None
        self._read_state = read_state
        self._cache = cache
        self._save_enabled = save
        self.use_processes = use_processes
        self._offload = Offload()
        self._loading: list[Article] = []
        self.corpus: Corpus | None = None
        self.read_ids: set[str] = set()
        self.groups: list[Group] | None = None
        self.entries: list[Entry] = []
        self.index = TextIndex()
        self.algorithm = (
            self.settings.algorithm if self.settings.algorithm in SUMMARISERS else DEFAULT_ALGORITHM
        )
        self.sentences = max(MIN_SENTENCES, min(MAX_SENTENCES, self.settings.sentences))
        self.sort = self.settings.sort if self.settings.sort in SORT_ORDERS else "date"
        self.grouping = self.settings.grouping
        self.show_hidden = False
        self.query_text = ""
        self.entity_filter: EntityCount | None = None
        self.current: Article | None = None
        self.current_group: GroupRow | None = None
        self.entity: EntityCount | None = None
        self.mention_index = -1
        self.analysed = 0
        self._wanted: Article | None = None
        self._pending: RowData | None = None
        self._show_timer: Timer | None = None
        self._filter_timer: Timer | None = None
        self._last_refilter = 0.0
        self._summaries: dict[tuple[str, str, int], Summary] = {}
        self._shown: tuple[object, ...] = ()
        self.set_keymap(self.settings.keymap)

    # Layout -----------------------------------------------------------------

    @property
    def library(self) -> Library:
        """The user's library, opened on first use (only in library mode)."""
        if self._library is None:
            self._library = Library()
        return self._library

    def get_default_screen(self) -> Screen[None]:
        return MainScreen(id="main")

    def compose(self) -> ComposeResult:
        with Horizontal(id="main-area"):
            with Vertical(id="left"):
                yield Input(placeholder="filter: words in title, text or names", id="filter")
                yield ArticleTree(id="articles")
                yield EntityPanel(id="entities")
            with Vertical(id="right"):
                yield ArticleHeader(id="article-head")
                with ContentSwitcher(initial="reading", id="right-switcher"):
                    with Horizontal(id="reading"):
                        yield SummaryView(id="summary")
                        yield ArticleBody(id="body")
                    yield GroupView(id="group-view")
        with Horizontal(id="status-bar"):
            yield Static(id="status")
            yield ProgressBar(id="progress", show_eta=False)
        yield Footer()

    @property
    def tree(self) -> ArticleTree:
        return self.query_one("#articles", ArticleTree)

    @property
    def body(self) -> ArticleBody:
        return self.query_one("#body", ArticleBody)

    @property
    def summary_view(self) -> SummaryView:
        return self.query_one("#summary", SummaryView)

    @property
    def entity_list(self) -> EntityList:
        return self.query_one("#entity-list", EntityList)

    @property
    def header(self) -> ArticleHeader:
        return self.query_one("#article-head", ArticleHeader)

    @property
    def group_view(self) -> GroupView:
        return self.query_one("#group-view", GroupView)

    def on_mount(self) -> None:
        if self.settings.theme and self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self.tree.border_title = Text("Articles")
        self.summary_view.border_title = Text("Summary")
        self.body.border_title = Text("Text")
        self.query_one("#entities", EntityPanel).border_title = Text("Entities")
        self.header.show_message("Loading articles…")
        self._status("Loading articles…")
        for warning in self.settings.warnings:
            self.notify(warning, severity="warning", markup=False)
        if self.settings.warnings:
            self.notify(
                "config.toml is left as it is (nothing is saved to it this session), "
                "so none of it is lost; fix it and restart to save settings again.",
                severity="warning",
                markup=False,
            )
        self.tree.focus()
        self.load_corpus()
        self.prepare_summariser()

    @work(thread=True, group="prepare")
    def prepare_summariser(self) -> None:
        # Done while the articles load, so the first summary shown does not wait for it.
        prepare_news_summariser()

    # Loading and analysis (workers) -----------------------------------------

    @work(thread=True, exclusive=True, group="load")
    def load_corpus(self) -> None:
        worker = get_current_worker()
        try:
            if self._read_state is None:
                self._read_state = ReadState()
            if self._cache is None:
                self._cache = AnalysisCache()
            problems: list[LoadProblem] = []
            if self.use_library:
                documents = self.library.documents()
            else:
                documents = read_documents(self.paths, problems)
            total = len(documents)
            use_process = self.use_processes and total >= PROCESS_MIN_ARTICLES
            articles: list[Article] = []
            seen: set[str] = set()
            for start in range(0, total, LOAD_CHUNK):
                if worker.is_cancelled:
                    return
                chunk = documents[start : start + LOAD_CHUNK]
                # The first rows are structured here, so they show while the child
                # process that structures the rest is still starting.
                built, trouble = self._offload.run(use_process and start > 0, build_articles, chunk)
                problems.extend(trouble)
                fresh = []
                for article in built:
                    if article_id(article) not in seen:
                        seen.add(article_id(article))
                        fresh.append(article)
                articles.extend(fresh)
                self.post_message(ArticlesAdded(fresh, min(start + LOAD_CHUNK, total), total))
            corpus = Corpus(articles, problems, model=self.model, cache=self._cache)
            read_ids = self._read_state.read_ids()
        except Exception as problem:  # a clear line on screen rather than a traceback
            self.post_message(LoadFailed(f"{type(problem).__name__}: {problem}"))
            return
        self.post_message(CorpusLoaded(corpus, read_ids))

    def on_articles_added(self, message: ArticlesAdded) -> None:
        """Show articles as they load, unsorted; the sorted list replaces them at the end."""
        self.query_one("#progress", ProgressBar).update(total=message.total, progress=message.done)
        if not message.articles:
            self._status(f"loading {message.done}/{message.total}")
            return
        if not self._loading and self._read_state is not None:
            self.read_ids = self._read_state.read_ids()
        self._loading.extend(message.articles)
        self.tree.append_articles(message.articles, self.read_ids)
        if self.current is None and self.tree.cursor_node is None:
            self.tree.move_to_first()
        self.tree.border_title = Text(f"Articles {len(self._loading)} (loading)")
        self._status(f"loading {message.done}/{message.total}")

    def on_load_failed(self, message: LoadFailed) -> None:
        self.header.show_message(f"Could not load the articles: {message.reason}")
        self._status("Nothing loaded.")

    def on_corpus_loaded(self, message: CorpusLoaded) -> None:
        self.corpus = message.corpus
        self._loading = []
        self.read_ids = message.read_ids
        corpus = self.corpus
        if corpus.problems:
            first = corpus.problems[0]
            more = f" (and {len(corpus.problems) - 1} more)" if len(corpus.problems) > 1 else ""
            self.notify(
                f"Skipped {first.path}: {first.message}{more}", severity="warning", markup=False
            )
        if not corpus.articles:
            where = ", ".join(self.paths) or "the sample folder"
            self.header.show_message(f"No articles found in {where}.")
            self.summary_view.show_message("Summary", "Nothing to summarise.")
            self.body.show_message("Open a file or folder of articles: newsreader PATH")
            self._status("0 articles.")
            return
        last = next(
            (a for a in corpus.articles if article_id(a) == self.settings.last_article), None
        )
        keep = last.key if last else None
        if keep is None and self.tree.cursor_line > 0 and self.current is not None:
            keep = self.current.key  # the reader moved while the list was loading
        self.rebuild_list(keep=keep, follow_cursor=False)
        self.query_one("#progress", ProgressBar).update(total=len(corpus.articles), progress=0)
        self.analyse_all()

    @work(thread=True, exclusive=True, group="analysis")
    def analyse_all(self) -> None:
        corpus = self.corpus
        if corpus is None:
            return
        worker = get_current_worker()
        articles = list(corpus.articles)
        total = len(articles)
        use_process = self.use_processes and total >= PROCESS_MIN_ARTICLES
        self.post_message(AnalysisProgress([], 0, total, "loading language model…"))
        pipeline = corpus.pipeline
        note = "" if pipeline.has_entities else "no entity model: names are not highlighted"
        done: set[str] = set()
        position = 0
        while not worker.is_cancelled:
            wanted = self._wanted
            if wanted is not None and article_id(wanted) not in done:
                batch = [wanted]
            else:
                batch = []
                while position < total and len(batch) < ANALYSIS_BATCH:
                    if article_id(articles[position]) not in done:
                        batch.append(articles[position])
                    position += 1
            if not batch:
                break
            if use_process:
                self._analyse_elsewhere(batch, pipeline.fingerprint)
            corpus.analyse(batch)
            analyses = [a for a in (corpus.cached_analysis(x) for x in batch) if a is not None]
            done.update(article_id(article) for article in batch)
            self.post_message(AnalysisProgress(analyses, len(done), total, note))
        if worker.is_cancelled:
            return
        self.post_message(AnalysisProgress([], total, total, "grouping…"))
        analyses_by_id = corpus.analyses_by_id()
        threshold = self.settings.threshold
        groups = self._offload.run(use_process, group_corpus, articles, analyses_by_id, threshold)
        self.post_message(GroupsReady(groups))

    def _analyse_elsewhere(self, batch: list[Article], fingerprint: str) -> None:
        """Analyse in the child process and leave the results in the cache for the corpus."""
        cache = self._cache
        if cache is None:
            return
        corpus = self.corpus
        todo = [
            article
            for article in batch
            if (corpus is None or corpus.cached_analysis(article) is None)
            and cache.get(article_id(article), fingerprint) is None
        ]
        if todo:
            for analysis in self._offload.run(True, analyse_articles, todo, self.model):
                cache.put(analysis)

    def on_analysis_progress(self, message: AnalysisProgress) -> None:
        self.analysed = message.done
        for analysis in message.analyses:
            self.index.add_analysis(analysis)
        progress = self.query_one("#progress", ProgressBar)
        progress.update(total=message.total, progress=message.done)
        state = f"analysing {message.done}/{message.total}"
        if message.note:
            state += f" · {message.note}"
        self._status(state)
        if self.current is not None and any(
            a.article_id == article_id(self.current) for a in message.analyses
        ):
            self.show_article(self.current)
        elif self.current_group is not None:
            self.show_group(self.current_group)
        # Entity names arrive with the analyses: a filter on them fills in as they do, but
        # not on every batch, since rebuilding thousands of rows takes a moment.
        filtering = self.query_text.strip() or self.entity_filter is not None
        if filtering and time.monotonic() - self._last_refilter > REFILTER_INTERVAL:
            self._last_refilter = time.monotonic()
            self._schedule_filter()

    def on_groups_ready(self, message: GroupsReady) -> None:
        self.groups = message.groups
        self.query_one("#progress", ProgressBar).add_class("done")
        if self.grouping or self.query_text.strip() or self.entity_filter is not None:
            self.rebuild_list()
        self._status()

    # The list ------------------------------------------------------------------

    def _keep(self, article: Article) -> bool:
        if self.entity_filter is not None and not self.index.mentions(
            article, self.entity_filter.text
        ):
            return False
        return self.index.matches(article, query_words(self.query_text))

    def rebuild_list(self, keep: str | None = None, *, follow_cursor: bool = True) -> None:
        """Fill the tree from the corpus with the current grouping, sort and filters.

        The cursor stays on ``keep`` (default: the article under the cursor) when it is
        still listed, else it goes to the first row.
        """
        if self.corpus is None:
            return
        tree = self.tree
        if keep is None and follow_cursor:
            keep = self._cursor_key()
        expanded = tree.expanded_groups()
        filtering = bool(self.query_text.strip() or self.entity_filter)
        groups = self.groups if self.grouping else None
        self.entries = arrange(
            self.corpus.articles, groups, self.sort, self._keep if filtering else None
        )
        if keep is not None and self.current is not None and keep == self.current.key:
            for entry in self.entries:
                if entry.is_group and entry.group and any(m.key == keep for m in entry.members):
                    expanded.add(entry.group.id)
        tree.show_entries(self.entries, self.read_ids, expanded)
        if not (keep and tree.move_to_article(keep)) and self.entries:
            tree.move_to_first()
        node = tree.cursor_node
        if node is not None:
            self._pending = node.data
            self._show_pending()
        if not self.entries:
            self.header.show_message("No article matches the filter. Press escape to clear it.")
        self._update_list_title()
        self._status()

    def _cursor_key(self) -> str | None:
        node = self.tree.cursor_node
        if node is not None and isinstance(node.data, ArticleRow):
            return node.data.article.key
        if self.current is not None:
            return self.current.key
        return None

    def _update_list_title(self) -> None:
        shown = sum(len(entry.members) for entry in self.entries)
        total = len(self.corpus.articles) if self.corpus else 0
        title = f"Articles {shown}" if shown == total else f"Articles {shown} of {total}"
        if self.entity_filter is not None:
            title += f" · naming {one_line(self.entity_filter.text)}"
        if self.query_text.strip():
            title += f" · “{one_line(self.query_text.strip())}”"
        self.tree.border_title = Text(title)
        self.tree.border_subtitle = Text(f"sort: {SORT_LABELS.get(self.sort, self.sort)}")

    def _status(self, state: str | None = None) -> None:
        parts = []
        if self.corpus is not None:
            parts.append(f"{len(self.corpus.articles)} articles")
            if self.groups is not None:
                parts.append(self._grouping_status(self.groups))
        if state:
            parts.append(state)
        parts.append(f"summary: {self.algorithm}, {self.sentences} sentences")
        self.query_one("#status", Static).update(Text(" · ".join(parts)))

    def _grouping_status(self, groups: list[Group]) -> str:
        if not self.grouping:
            return "grouping off"
        several = sum(1 for group in groups if len(group.members) > 1)
        if several == 0:
            return "each story on its own"
        return f"{several} group" if several == 1 else f"{several} groups"

    # Showing an article or a group ------------------------------------------

    @on(Tree.NodeHighlighted, "#articles")
    def _row_highlighted(self, event: Tree.NodeHighlighted[RowData]) -> None:
        self._pending = event.node.data
        if self._show_timer is None:
            self._show_timer = self.set_timer(SHOW_DELAY, self._show_pending)

    def _show_pending(self) -> None:
        self._show_timer = None
        data = self._pending
        if isinstance(data, ArticleRow):
            self.show_article(data.article)
        elif isinstance(data, GroupRow):
            self.show_group(data)

    @on(Tree.NodeSelected, "#articles")
    def _row_selected(self, event: Tree.NodeSelected[RowData]) -> None:
        data = event.node.data
        if isinstance(data, ArticleRow):
            self.show_article(data.article)
            self.open_article(data.article)

    def summary_for(self, article: Article) -> tuple[Analysis | None, Summary | None, str]:
        """The article's analysis and summary when known; else a reason for the wait."""
        if self.corpus is None:
            return None, None, "loading"
        analysis = self.corpus.cached_analysis(article)
        if analysis is None:
            return None, None, "analysing"
        key = (article_id(article), self.algorithm, self.sentences)
        summary = self._summaries.get(key)
        if summary is None:
            try:
                summary = self.corpus.summary(article, self.algorithm, self.sentences)
            except Exception as problem:  # one bad summariser must not take the app down
                return analysis, None, f"{self.algorithm} failed: {problem}"
            if len(self._summaries) > 2000:
                self._summaries.clear()
            self._summaries[key] = summary
        return analysis, summary, ""

    def show_article(self, article: Article, *, keep_scroll: bool = False) -> None:
        self.query_one("#right-switcher", ContentSwitcher).current = "reading"
        if self.current is None or self.current.key != article.key:
            self.entity = None
            self.mention_index = -1
        self.current = article
        self.current_group = None
        self._wanted = article
        analysis, summary, reason = self.summary_for(article)
        signature = (article.key, analysis is not None, summary, self.show_hidden)
        if signature == self._shown and not keep_scroll:
            return
        keep_scroll = keep_scroll or (signature[:1] == self._shown[:1])
        self._shown = signature
        self.header.show_article(article)
        if summary is not None and analysis is not None:
            self.summary_view.show_summary(article, analysis, summary)
        elif reason == "analysing":
            self.summary_view.show_message("Summary", "Analysing this article…")
        else:
            self.summary_view.show_message("Summary", reason)
        focused = self._focused_mention(analysis)
        self.body.show_article(
            article,
            analysis,
            summary,
            show_hidden=self.show_hidden,
            focused=focused,
            keep_scroll=keep_scroll,
        )
        if analysis is not None:
            if not analysis.entities_available:
                self.entity_list.show_entities([])
            elif not keep_scroll or not self.entity_list.entities:
                self.entity_list.show_entities(entity_counts(analysis))
        else:
            self.entity_list.show_entities([])

    def _focused_mention(self, analysis: Analysis | None) -> Mention | None:
        if analysis is None or self.entity is None or self.mention_index < 0:
            return None
        mentions = mentions_of(analysis, self.entity)
        return mentions[self.mention_index % len(mentions)] if mentions else None

    def show_group(self, row: GroupRow) -> None:
        self.current_group = row
        self.query_one("#right-switcher", ContentSwitcher).current = "group-view"
        self._shown = ("group", row.group.id)
        lead = row.members[0]
        self.header.show_article(lead, note=f"group of {len(row.members)}")
        analyses: dict[str, Analysis] = {}
        summaries: dict[str, Summary] = {}
        for member in row.members:
            analysis, summary, _ = self.summary_for(member)
            if analysis is not None and summary is not None:
                analyses[article_id(member)] = analysis
                summaries[article_id(member)] = summary
        self.group_view.show_group(row.group, row.members, analyses, summaries)

    def open_article(self, article: Article) -> None:
        """Enter on an article: read it (marks it read) with the text focused."""
        if article_id(article) not in self.read_ids:
            self._set_read(article, True)
        self.body.focus()

    def _set_read(self, article: Article, read: bool) -> None:
        if read:
            self.read_ids.add(article_id(article))
        else:
            self.read_ids.discard(article_id(article))
        if self._read_state is not None:
            self._read_state.set_read(article_id(article), read)
        if self.use_library:
            # The library's own mark lets retention drop old read stories.
            self.library.set_read(article.key, read)
        self.tree.refresh_marks(self.read_ids, [article.key])

    # Actions ---------------------------------------------------------------------

    def action_help(self) -> None:
        intro = (
            "Remap any key in config.toml under [keymap] by its id, "
            'e.g. "summary.next_algorithm" = "A". ctrl+p opens the command palette.'
        )
        self.push_screen(HelpScreen(self.key_rows(), intro))

    def action_open(self) -> None:
        node = self.tree.cursor_node
        if node is None:
            return
        if isinstance(node.data, ArticleRow):
            self.show_article(node.data.article)
            self.open_article(node.data.article)
        elif isinstance(node.data, GroupRow):
            node.toggle()
            self.show_group(node.data)

    def action_page_text(self) -> None:
        pane: ScrollingPane | GroupView
        pane = self.group_view if self.current_group is not None else self.body
        pane.scroll_page_down(animate=False)

    def _resummarise(self) -> None:
        self._status()
        self._save()
        if self.current_group is not None:
            self.show_group(self.current_group)
        elif self.current is not None:
            self.show_article(self.current, keep_scroll=True)

    def action_shorter(self) -> None:
        self.sentences = max(MIN_SENTENCES, self.sentences - 1)
        self._resummarise()

    def action_longer(self) -> None:
        self.sentences = min(MAX_SENTENCES, self.sentences + 1)
        self._resummarise()

    def action_next_algorithm(self) -> None:
        names = list(SUMMARISERS)
        position = names.index(self.algorithm) if self.algorithm in names else -1
        self.algorithm = names[(position + 1) % len(names)]
        self._resummarise()

    def action_toggle_read(self) -> None:
        node = self.tree.cursor_node
        if node is not None and isinstance(node.data, GroupRow):
            members = node.data.members
            unread = any(article_id(member) not in self.read_ids for member in members)
            for member in members:
                self._set_read(member, unread)
            return
        if self.current is not None:
            self._set_read(self.current, article_id(self.current) not in self.read_ids)

    def action_open_url(self) -> None:
        article = self.current
        if article is None or not article.url:
            self.notify("This article has no web address.", severity="warning")
            return
        self.open_in_browser(article.url)

    @work(thread=True, group="browser")
    def open_in_browser(self, url: str) -> None:
        opened = webbrowser.open(url)
        if not opened:
            self.call_from_thread(
                self.notify, f"No browser could open {url}", severity="warning", markup=False
            )

    def action_toggle_grouping(self) -> None:
        self.grouping = not self.grouping
        self._save()
        if self.groups is None:
            self.notify("Groups appear when the analysis has finished.")
        self.rebuild_list()

    def action_cycle_sort(self) -> None:
        orders = [order for order in SORT_ORDERS if order in SORT_LABELS]
        position = orders.index(self.sort) if self.sort in orders else -1
        self.sort = orders[(position + 1) % len(orders)]
        self._save()
        self.rebuild_list()

    def action_toggle_hidden(self) -> None:
        self.show_hidden = not self.show_hidden
        if self.current is not None and self.current_group is None:
            self.show_article(self.current, keep_scroll=True)

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.add_class("shown")
        box.focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        if not (self.query_text or self.entity_filter or box.has_class("shown")):
            return
        self.query_text = ""
        self.entity_filter = None
        with box.prevent(Input.Changed):
            box.value = ""
        box.remove_class("shown")
        self.tree.focus()
        self.rebuild_list()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        self._schedule_filter()

    def _schedule_filter(self) -> None:
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(FILTER_DELAY, self._apply_filter)

    def _apply_filter(self) -> None:
        self._filter_timer = None
        self.rebuild_list()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        self.query_text = event.value
        if self._filter_timer is not None:
            self._filter_timer.stop()
            self._filter_timer = None
        self.rebuild_list()
        if not event.value.strip():
            self.query_one("#filter", Input).remove_class("shown")
        self.tree.focus()

    # Entities ------------------------------------------------------------------

    def _chosen_entity(self) -> EntityCount | None:
        return self.entity or self.entity_list.current or self.entity_list.first

    @on(EntityList.Chosen)
    def _entity_chosen(self, event: EntityList.Chosen) -> None:
        self.jump_to_mention(event.entity, +1)

    def action_next_mention(self) -> None:
        entity = self._chosen_entity()
        if entity is not None:
            self.jump_to_mention(entity, +1)

    def action_previous_mention(self) -> None:
        entity = self._chosen_entity()
        if entity is not None:
            self.jump_to_mention(entity, -1)

    def jump_to_mention(self, entity: EntityCount, step: int) -> None:
        article = self.current
        if article is None or self.corpus is None or self.current_group is not None:
            return
        analysis = self.corpus.cached_analysis(article)
        if analysis is None:
            return
        mentions = mentions_of(analysis, entity)
        if not mentions:
            self.notify(f"No mention of {one_line(entity.text)} in the text.", markup=False)
            return
        if entity != self.entity:
            self.entity = entity
            self.mention_index = 0 if step > 0 else len(mentions) - 1
        else:
            self.mention_index = (self.mention_index + step) % len(mentions)
        self.entity_list.select_entity(entity)
        self.show_article(article, keep_scroll=True)
        mention = mentions[self.mention_index]
        offset = self.body.offset_of(mention)
        if offset is not None:
            self.body.scroll_to_offset(offset)
        self._status(
            f"{one_line(entity.text)}: mention {self.mention_index + 1} of {len(mentions)}"
        )

    def action_filter_entity(self) -> None:
        entity = self._chosen_entity()
        if entity is None:
            self.notify("Choose an entity in the entity panel first.")
            return
        same = self.entity_filter is not None and surface_key(
            self.entity_filter.text
        ) == surface_key(entity.text)
        self.entity_filter = None if same else entity
        self.rebuild_list()

    # Export --------------------------------------------------------------------

    def _export_folder(self) -> Path:
        if self.settings.export_dir:
            return Path(self.settings.export_dir).expanduser()
        return Path.cwd()

    def action_export_article(self) -> None:
        article = self.current
        if article is None or self.current_group is not None:
            node = self.tree.cursor_node
            if node is not None and isinstance(node.data, GroupRow):
                self.action_export_more()
                return
        if article is None:
            self.notify("Choose an article first.")
            return
        path = self._export_folder() / f"{slugify(article.title)}.md"
        description = f"Summary of “{one_line(article.title)}”"
        self.push_screen(ExportDialog("article", description, path), self._export_chosen)

    def action_export_more(self) -> None:
        node = self.tree.cursor_node
        if node is not None and isinstance(node.data, GroupRow):
            row = node.data
            path = self._export_folder() / f"{group_file_stem(row.members[0].title)}.md"
            description = f"Group of {len(row.members)}: “{one_line(row.members[0].title)}”"
            self.push_screen(ExportDialog("group", description, path), self._export_chosen)
            return
        if not self.entries:
            self.notify("The list is empty.")
            return
        shown = sum(len(entry.members) for entry in self.entries)
        path = self._export_folder() / "newsreader-summaries.md"
        self.push_screen(
            ExportDialog("list", f"The whole list: {shown} articles", path), self._export_chosen
        )

    def _export_chosen(self, request: ExportRequest | None) -> None:
        if request is None:
            return
        if request.scope == "article" and self.current is not None:
            self.write_export(request, [Entry((self.current,))])
        elif request.scope == "group":
            node = self.tree.cursor_node
            if node is not None and isinstance(node.data, GroupRow):
                row = node.data
                self.write_export(request, [Entry(row.members, row.group)])
        else:
            self.write_export(request, list(self.entries))

    @work(thread=True, exclusive=True, group="export")
    def write_export(self, request: ExportRequest, entries: list[Entry]) -> None:
        corpus = self.corpus
        if corpus is None:
            return
        try:
            text = self._markdown(corpus, entries)
            written = write_new_file(request.path, text, force=request.overwrite)
        except FileExistsError:
            self.post_message(ExportDone(None, f"{request.path} exists; not replaced."))
            return
        except OSError as problem:
            reason = problem.strerror or str(problem)
            self.post_message(ExportDone(None, f"Could not write {request.path}: {reason}"))
            return
        self.post_message(ExportDone(written))

    def _markdown(self, corpus: Corpus, entries: Iterable[Entry]) -> str:
        parts = []
        for entry in entries:
            analyses = {article_id(m): corpus.analysis(m) for m in entry.members}
            summaries = {
                article_id(m): corpus.summary(m, self.algorithm, self.sentences)
                for m in entry.members
            }
            if entry.is_group and entry.group is not None:
                members = {m.key: m for m in entry.members}
                parts.append(group_markdown(entry.group, members, analyses, summaries))
            else:
                article = entry.members[0]
                parts.append(
                    article_markdown(
                        article, analyses[article_id(article)], summaries[article_id(article)]
                    )
                )
        return "\n".join(parts)

    def on_export_done(self, message: ExportDone) -> None:
        if message.path is None:
            self.notify(message.problem, severity="error", markup=False)
        else:
            self.notify(f"Wrote {message.path}", title="Exported", markup=False)

    # Settings --------------------------------------------------------------------

    def _theme_changed(self, _theme: object) -> None:
        self._save()
        self.tree.forget_styles()
        self.tree.refresh_marks(self.read_ids)

    def _save(self) -> None:
        settings = self.settings
        settings.algorithm = self.algorithm
        settings.sentences = self.sentences
        settings.sort = self.sort
        settings.grouping = self.grouping
        settings.theme = self.theme
        if self.current is not None:
            settings.last_article = article_id(self.current)
        # A config file with problems is the user's to fix: rewriting it would drop what
        # could not be read.
        if not self._save_enabled or self.settings.warnings:
            return
        try:
            save_settings(settings)
        except OSError as problem:
            self.notify(
                f"Settings not saved: {problem.strerror or problem}",
                severity="warning",
                markup=False,
            )

    async def action_quit(self) -> None:
        self._save()
        self._offload.close()
        self.exit(0)

    def on_unmount(self) -> None:
        self._save()
        self._offload.close()
        if self._library is not None:
            self._library.close()

    # Keys: help screen and command palette -------------------------------------

    def key_rows(self) -> list[KeyRow]:
        """Every binding with the keys in force after remapping, for the help screen."""
        sources: list[tuple[str, Iterable[BindingType]]] = [
            ("everywhere", self.BINDINGS),
            ("everywhere", MainScreen.BINDINGS),
            ("list", ArticleTree.BINDINGS),
            ("text panes", ScrollingPane.BINDINGS),
            ("entities", EntityList.BINDINGS),
        ]
        rows: list[KeyRow] = []
        seen: set[tuple[str, str]] = set()
        keymap = self._keymap
        for where, bindings in sources:
            for binding in bindings:
                if not isinstance(binding, Binding) or not binding.id:
                    continue
                if (binding.id, where) in seen or (binding.id, "everywhere") in seen:
                    continue
                seen.add((binding.id, where))
                keys = keymap.get(binding.id, binding.key)
                shown = ", ".join(self._key_display(key) for key in keys.split(","))
                rows.append(KeyRow(shown, binding.description, where, binding.id))
        rows.append(KeyRow("ctrl+p", "Command palette", "everywhere", "command_palette"))
        rows.append(KeyRow("enter / click", "Jump to the next mention", "entities", ""))
        return rows

    def _key_display(self, key: str) -> str:
        key = key.strip()
        return self.get_key_display(Binding(key, "", ""))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for binding in [*self.BINDINGS, *MainScreen.BINDINGS]:
            if not isinstance(binding, Binding) or not binding.id:
                continue
            if binding.action in ("quit",):
                continue
            keys = self._keymap.get(binding.id, binding.key)
            shown = ", ".join(self._key_display(key) for key in keys.split(","))
            yield SystemCommand(
                binding.description, f"key: {shown}", partial(self.run_action, binding.action)
            )


def run_app(
    paths: list[str], *, model: str | None, settings: Settings, library: bool = False
) -> int:
    """Run the reader on ``paths``, or on the user's library when ``library`` is set (the
    command line has already resolved the defaults)."""
    app = NewsReaderApp(paths, settings=settings, model=model, use_library=library)
    result = app.run()
    return int(result or 0) if app.return_code in (None, 0) else int(app.return_code or 1)
