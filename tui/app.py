"""NewsReaderApp: the article list, the reading pane, the entity panel and their keys.

The app only reads engine objects (through ``summarise.engine.Corpus``); loading,
analysis, grouping and exports run in thread workers that report back with messages.
What those workers do lives in modules of its own (``tui.loading``, ``tui.analysis``,
``tui.library_sync``, ``tui.read_marks``); the app holds the bindings, screens, wiring
and message handlers.
"""

from __future__ import annotations

import gc
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
from textual.css.query import NoMatches
from textual.reactive import var
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import ContentSwitcher, Footer, Input, ProgressBar, Static, Tree
from textual.worker import get_current_worker

from summarise.article import Analysis, Article, EntityCount, Group, Mention, Summary
from summarise.config import SORT_ORDERS, Settings, save_settings
from summarise.engine import Corpus, SummaryState
from summarise.entities import entity_counts, mentions_of, surface_key
from summarise.export import CorpusMarkdown, group_file_stem, slugify, write_new_file
from summarise.ingest.feeds import Library, LibraryError
from summarise.ingest.web import is_web_address
from summarise.newsrank import prepare as prepare_news_summariser
from summarise.sources import seeds_path
from summarise.store import AnalysisCache, ReadState
from summarise.summarisers import DEFAULT_ALGORITHM, SUMMARISERS
from summarise.text import one_line
from tui.analysis import Analyser, analyse_in_order, readings
from tui.background import Offload
from tui.keys import KeysInForce
from tui.library_sync import LibrarySync, arrivals, read_in_library
from tui.loading import load_corpus
from tui.messages import (
    AnalysisProgress,
    ArticlesAdded,
    CorpusLoaded,
    ExportDone,
    FeedAdded,
    FeedRemoved,
    GroupsReady,
    LibraryChecked,
    LibraryReloaded,
    LoadFailed,
    Reading,
    ReadingsReady,
    StoriesArrived,
    UpdateFinished,
    UpdateProgress,
    while_open,
)
from tui.read_marks import LibraryMarkWriter, ReadMarks
from tui.screens.export import ExportDialog, ExportRequest
from tui.screens.feeds import FeedsScreen
from tui.screens.help import HelpScreen, KeyRow
from tui.screens.main import MainScreen
from tui.widgets.article_list import ArticleRow, ArticleTree, GroupRow, RowData
from tui.widgets.entity_panel import EntityList, EntityPanel
from tui.widgets.group_view import GroupView
from tui.widgets.listing import SORT_LABELS, Entry, TextIndex, arrange, article_id, query_words
from tui.widgets.reading import ArticleBody, ArticleHeader, SummaryView
from tui.widgets.text_pane import TextPane

MIN_SENTENCES = 1
MAX_SENTENCES = 20
# Moving fast through the list (a held key) draws the first row at once, then at most one
# more per this many seconds, the last where the cursor stops: about a key's auto-repeat,
# so pressing j draws every row, and a draw keeps well inside it.
SHOW_DELAY = 0.02
# Summaries made ahead for the rows after the one shown (and the one before), so the next
# j finds its summary ready.
NEIGHBOURS_AFTER = 3
NEIGHBOURS_BEFORE = 1
READINGS_KEPT = 5000  # summaries kept for showing again; then the store starts afresh
LIBRARY_CHECK_DELAY = 3.0  # seconds
REFILTER_INTERVAL = 5.0  # seconds between refreshes of a filtered list during analysis
FILTER_DELAY = 0.3  # a rebuild of 5,000 rows takes a moment: wait for a pause in typing
# Feeds answer one after another during an update: their stories join the list together.
ARRIVAL_DELAY = 0.3
MARKS_FLUSH_SECONDS = 3.0  # at exit, how long read marks may wait for an update to let go


def _stories(count: int) -> str:
    return "story" if count == 1 else "stories"


class NewsReaderApp(App[int]):
    """A terminal news reader: list on the left, summary and highlighted text on the right."""

    CSS_PATH = "app.tcss"
    TITLE = "newsreader"
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (120, "-wide")]

    # The entity whose mentions n and N walk (chosen in the entity panel), None otherwise.
    entity: var[EntityCount | None] = var(None, bindings=True)

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
        # After the keys a first-time reader needs, so an 80-column footer still shows them.
        Binding("R", "update", "Update", id="library.update"),
        # With an entity chosen, n walks its mentions; otherwise to the next unread story
        # (check_action turns the first off, and the key falls through to the second).
        Binding("n", "next_mention", "Next mention", id="entity.next_mention"),
        Binding("n", "next_unread", "Next unread", id="read.next_unread"),
        Binding("F", "feeds", "Feeds", id="feeds.open"),
        Binding("A", "mark_shown_read", "Mark shown read", show=False, id="read.mark_shown"),
        Binding("o", "open_url", "Browser", id="open_url"),
        Binding("g", "toggle_grouping", "Groups", id="grouping.toggle"),
        Binding("s", "cycle_sort", "Sort", id="sort.cycle"),
        Binding("slash", "filter", "Filter", id="filter.start"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="filter.clear"),
        Binding("f", "filter_entity", "Entity filter", show=False, id="entity.filter"),
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
        check_library: bool = False,
        library: Library | None = None,
        notices: Sequence[str] = (),
    ) -> None:
        """``check_library``: the command line showed the sample pages because the library
        looked empty without opening it; it is opened once they are on screen, and shown
        instead should it hold stories."""
        super().__init__()
        self.paths = [str(path) for path in paths]
        self._notices = list(notices)
        # The user's library (feeds and saved pages) is read when no paths are given.
        self.use_library = use_library or library is not None
        self._check_library = check_library and not self.use_library
        self.settings = settings if settings is not None else Settings()
        self.model = model or self.settings.model or None
        self._cache = cache
        self._save_enabled = save
        self._offload = Offload(processes_allowed=use_processes)
        self._analyser = Analyser(self._offload, self.model)
        # What the reading pane shows of analysed articles, by (article id, algorithm,
        # sentences): made in a worker, so moving the cursor only draws stored results.
        self._readings: dict[tuple[str, str, int], Reading] = {}
        self._summariser_ready = False
        self._readings_asked = 0
        self._sync = LibrarySync(library, self._offload)
        self._loading: list[Article] = []
        self.corpus: Corpus | None = None
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
        self.mention_index = -1
        self.analysed = 0
        self._wanted: Article | None = None
        self._pending: RowData | None = None
        self._show_timer: Timer | None = None
        self._drawn: RowData | None = None
        self._filter_timer: Timer | None = None
        self._last_refilter = 0.0
        self._shown: tuple[object, ...] = ()
        # The library: stories an update brought this session (marked new until read),
        # the updating state, and read marks on their way to the library.
        self.new_keys: set[str] = set()
        self.updating = False
        self.update_note = ""  # "updating 3/12 feeds", on the status line while it lasts
        self._update_wanted = False
        self._library_marks = LibraryMarkWriter(
            lambda: self._sync.library, self.write_library_marks
        )
        self.reads = ReadMarks(read_state, self._library_marks)
        self._arrival_timer: Timer | None = None
        self._group_of: dict[str, Group] = {}
        self.keys_in_force = KeysInForce(self.BINDINGS, self.settings.keymap, self.get_key_display)
        self.set_keymap(self.settings.keymap)

    # Layout -----------------------------------------------------------------

    @property
    def library(self) -> Library:
        """The user's library, opened on first use (LibraryError when it cannot be)."""
        return self._sync.library

    @property
    def on_seeds(self) -> bool:
        """The reader shows the bundled sample pages (nothing was subscribed to yet)."""
        if self.use_library or len(self.paths) != 1:
            return False
        try:
            return Path(self.paths[0]).resolve() == seeds_path().resolve()
        except OSError:
            return False

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
        for notice in self._notices:
            self.notify(notice, severity="warning", timeout=10, markup=False)
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

    @work(thread=True, group="prepare")
    def prepare_summariser(self) -> None:
        # Done once the first summary is on screen (the stored one needs no summariser),
        # so a change of length or a summary made afresh does not wait for it.
        prepare_news_summariser()

    # Loading and analysis (workers) -----------------------------------------

    @work(thread=True, exclusive=True, group="load")
    def load_corpus(self) -> None:
        worker = get_current_worker()
        try:
            if self.reads.store is None:
                self.reads.store = ReadState()
            if self._cache is None:
                self._cache = AnalysisCache()
            loaded = load_corpus(
                self.paths,
                self._sync if self.use_library else None,
                self._offload,
                self.reads.store,
                model=self.model,
                cache=self._cache,
                post=self.post_message,
                cancelled=lambda: worker.is_cancelled,
            )
        except Exception as problem:  # a clear line on screen rather than a traceback
            self.post_message(LoadFailed(f"{type(problem).__name__}: {problem}"))
            return
        if loaded is not None:
            self.post_message(loaded)

    # The library (workers) ------------------------------------------------------------

    @work(thread=True, exclusive=True, group="update")
    def update_library(self) -> None:
        """Fetch every feed; each feed's new stories are posted as it answers, and the
        whole library once the update (and the full text of teasers) is done."""
        worker = get_current_worker()
        corpus = self.corpus
        finished = self._sync.update(
            corpus.by_key if corpus is not None else (),
            keep_days=self.settings.keep_days,
            post=self.post_message,
            cancelled=lambda: worker.is_cancelled,
        )
        if finished is not None:
            self.post_message(finished)

    @work(thread=True, exclusive=True, group="reload")
    def reload_library(self) -> None:
        """Read the library's stories again (a subscription went away)."""
        try:
            reloaded = self._sync.reload()
        except Exception as problem:
            self.call_from_thread(
                self.notify, f"Could not read the library: {problem}", severity="error"
            )
            return
        self.post_message(reloaded)

    @work(thread=True, group="marks")
    def write_library_marks(self) -> None:
        self._library_marks.write_queued()

    @while_open
    def on_articles_added(self, message: ArticlesAdded) -> None:
        """Show articles as they load, unsorted; the sorted list replaces them at the end."""
        self.query_one("#progress", ProgressBar).update(total=message.total, progress=message.done)
        # A folder read as it is built has no count until the last file is read.
        loaded = f"{message.done}" if message.total is None else f"{message.done}/{message.total}"
        if not message.articles:
            self._status(f"loading {loaded}")
            return
        if not self._loading and self.reads.store is not None:
            self.reads.ids = self.reads.store.read_ids()
        self._loading.extend(message.articles)
        self.tree.append_articles(message.articles, self.reads.ids)
        if self.current is None and self.tree.cursor_node is None:
            self.tree.move_to_first()
        self.tree.border_title = Text(f"Articles {len(self._loading)} (loading)")
        self._status(f"loading {loaded}")

    @while_open
    def on_load_failed(self, message: LoadFailed) -> None:
        self.header.show_message(f"Could not load the articles: {message.reason}")
        self._status("Nothing loaded.")

    @while_open
    def on_corpus_loaded(self, message: CorpusLoaded) -> None:
        self.corpus = message.corpus
        if self._check_library:
            # Normally started once the first summary shows; this in case none does.
            self.set_timer(LIBRARY_CHECK_DELAY, self._start_library_check)
        self._loading = []
        self.reads.ids = message.read_ids
        corpus = self.corpus
        if corpus.problems:
            first = corpus.problems[0]
            more = f" (and {len(corpus.problems) - 1} more)" if len(corpus.problems) > 1 else ""
            self.notify(
                f"Skipped {first.path}: {first.message}{more}", severity="warning", markup=False
            )
        if not corpus.articles:
            self._show_empty()
            if self._update_wanted:
                self._start_update()
            return
        last = next(
            (a for a in corpus.articles if article_id(a) == self.settings.last_article), None
        )
        keep = last.key if last else None
        if keep is None and self.tree.cursor_line > 0 and self.current is not None:
            keep = self.current.key  # the reader moved while the list was loading
        self.rebuild_list(keep=keep, follow_cursor=False)
        _keep_out_of_collections()  # the articles and their rows
        self.query_one("#progress", ProgressBar).update(total=len(corpus.articles), progress=0)
        self.analyse_all()
        if self._update_wanted:
            self._start_update()

    def _clear_reading(self) -> None:
        """Nothing is shown, so no key acts on an article that is not in the list."""
        self.current = None
        self.current_group = None
        self._shown = ()
        self.query_one("#right-switcher", ContentSwitcher).current = "reading"
        self.summary_view.show_message("Summary", "Nothing to summarise.")
        self.entity_list.show_entities([])

    def _show_empty(self) -> None:
        """Say why the list is empty and what to do."""
        self._clear_reading()
        if self.use_library:
            update, feeds = self._keys_for("library.update"), self._keys_for("feeds.open")
            self.header.show_message("Your library holds no stories yet.")
            self.body.show_message(
                f"Press {update} to fetch your feeds, or {feeds} to add one "
                "(newsreader feeds add URL does the same)."
            )
        else:
            where = ", ".join(self.paths) or "the sample folder"
            self.header.show_message(f"No articles found in {where}.")
            problems = self.corpus.problems if self.corpus is not None else []
            # The reason stays on screen; the notice saying it fades.
            why = "".join(f"Skipped {p.path}: {p.message}\n" for p in problems[:5])
            self.body.show_message(why + "Open a file or folder of articles: newsreader PATH")
        if not self.updating:
            self.query_one("#progress", ProgressBar).add_class("done")
        self._update_list_title()
        self._status()

    @work(thread=True, exclusive=True, group="analysis")
    def analyse_all(self) -> None:
        corpus = self.corpus
        if corpus is None:
            return
        worker = get_current_worker()
        analyse_in_order(
            corpus,
            selected=lambda: self._wanted,
            analyser=self._analyser,
            cache=self._cache,
            threshold=self.settings.threshold,
            post=self.post_message,
            cancelled=lambda: worker.is_cancelled,
        )

    @while_open
    def on_analysis_progress(self, message: AnalysisProgress) -> None:
        self.analysed = message.done
        _keep_out_of_collections()
        for analysis in message.analyses:
            self.index.add_analysis(analysis)
        if not self.updating:
            progress = self.query_one("#progress", ProgressBar)
            progress.update(total=message.total, progress=message.done)
        state = f"analysing {message.done}/{message.total}"
        if message.note:
            state += f" · {message.note}"
        self._status(state)
        shown = {article_id(member) for member in self._shown_articles()}
        if shown and any(analysis.article_id in shown for analysis in message.analyses):
            self._request_readings()
        # Entity names arrive with the analyses: a filter on them fills in as they do, but
        # not on every batch, since rebuilding thousands of rows takes a moment.
        filtering = self.query_text.strip() or self.entity_filter is not None
        if filtering and time.monotonic() - self._last_refilter > REFILTER_INTERVAL:
            self._last_refilter = time.monotonic()
            self._schedule_filter()

    @while_open
    def on_groups_ready(self, message: GroupsReady) -> None:
        self.groups = message.groups
        self._group_of = {
            key: group
            for group in message.groups
            if len(group.members) > 1
            for key in group.members
        }
        if not self.updating:
            self.query_one("#progress", ProgressBar).add_class("done")
        if self.grouping or self.query_text.strip() or self.entity_filter is not None:
            self.rebuild_list()
        self._status()
        _keep_out_of_collections()  # the analyses, groups and the rows just made

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
        tree.show_entries(self.entries, self.reads.ids, expanded, self.new_keys)
        if not (keep and tree.move_to_article(keep)) and self.entries:
            tree.move_to_first()
        node = tree.cursor_node
        if node is not None:
            self._pending = node.data
            self._show_pending()
        if not self.entries:
            if not self.corpus.articles:
                self._show_empty()
                return
            self._clear_reading()
            self.header.show_message("No article matches the filter. Press escape to clear it.")
            self.body.show_message("")
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
        unread = sum(
            1
            for entry in self.entries
            for member in entry.members
            if article_id(member) not in self.reads.ids
        )
        if unread:
            title += f" · {unread} unread"
        if self.entity_filter is not None:
            title += f" · naming {one_line(self.entity_filter.text)}"
        if self.query_text.strip():
            title += f" · “{one_line(self.query_text.strip())}”"
        self.tree.border_title = Text(title)
        self.tree.border_subtitle = Text(f"sort: {SORT_LABELS.get(self.sort, self.sort)}")

    def _status(self, state: str | None = None) -> None:
        parts = []
        if self.update_note:
            parts.append(self.update_note)
        if self.corpus is not None:
            parts.append(f"{len(self.corpus.articles)} articles")
            if self.groups is not None:
                parts.append(self._grouping_status(self.groups))
        if state:
            parts.append(state)
        parts.append(f"summary: {self.algorithm}, {self.sentences} sentences")
        # One line of fixed size (see app.tcss): analysis progress redraws it often, and
        # each redraw must not lay the screen out again.
        self.query_one("#status", Static).update(Text(" · ".join(parts)), layout=False)

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
            self._show_pending()
            self._show_timer = self.set_timer(SHOW_DELAY, self._show_settled)

    def _show_settled(self) -> None:
        self._show_timer = None
        if self._pending is not self._drawn:
            self._show_pending()
            self._show_timer = self.set_timer(SHOW_DELAY, self._show_settled)

    def _show_pending(self) -> None:
        data = self._drawn = self._pending
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

    def summary_for(self, article: Article) -> SummaryState:
        """What is known of the article's summary now, never waiting for it: its analysis
        and summary, or why not ("analysing", "summarising", a summariser's failure)."""
        if self.corpus is None:
            return SummaryState(None, None, "loading")
        analysis = self.corpus.cached_analysis(article)
        if analysis is None:
            return SummaryState(None, None, "analysing")
        reading = self._readings.get((article_id(article), self.algorithm, self.sentences))
        if reading is None:
            return SummaryState(analysis, None, "summarising")
        return SummaryState(analysis, reading.summary, reading.reason)

    def show_article(self, article: Article, *, keep_scroll: bool = False) -> None:
        """Draw the article from what is known now; a missing summary is asked for and
        drawn when it comes (see ``on_readings_ready``)."""
        self.query_one("#right-switcher", ContentSwitcher).current = "reading"
        if self.current is None or self.current.key != article.key:
            self.entity = None
            self.mention_index = -1
        self.current = article
        self.current_group = None
        self._wanted = article
        analysis, summary, reason = self.summary_for(article)
        if reason == "summarising":
            self._request_readings()
        signature = (article.key, analysis is not None, summary, reason, self.show_hidden)
        if signature == self._shown and not keep_scroll:
            return
        keep_scroll = keep_scroll or (signature[:1] == self._shown[:1])
        self._shown = signature
        self.header.show_article(article)
        if summary is not None and analysis is not None:
            self.summary_view.show_summary(article, analysis, summary)
        elif reason == "analysing":
            self.summary_view.show_message("Summary", "Analysing this article…")
        elif reason == "summarising":
            self.summary_view.show_message("Summary", "Summarising…")
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
        waiting = False
        for member in row.members:
            analysis, summary, reason = self.summary_for(member)
            waiting = waiting or reason == "summarising"
            if analysis is not None and summary is not None:
                analyses[article_id(member)] = analysis
                summaries[article_id(member)] = summary
        self.group_view.show_group(row.group, row.members, analyses, summaries)
        # The names the stories share are on the group's card; the panel lists one
        # article's names, and no article is open.
        self.entity_list.show_entities([])
        if waiting:
            self._request_readings()

    # Summaries (worker) ------------------------------------------------------------

    def _shown_articles(self) -> list[Article]:
        if self.current_group is not None:
            return list(self.current_group.members)
        return [self.current] if self.current is not None else []

    def _neighbours(self) -> list[Article]:
        """The articles of the rows around the cursor, nearest first."""
        tree = self.tree
        line = tree.cursor_line
        steps = [*range(1, NEIGHBOURS_AFTER + 1), *range(-1, -NEIGHBOURS_BEFORE - 1, -1)]
        found: list[Article] = []
        for step in steps:
            node = tree.get_node_at_line(line + step) if line + step >= 0 else None
            if node is None:
                continue
            if isinstance(node.data, ArticleRow):
                found.append(node.data.article)
            elif isinstance(node.data, GroupRow):
                found.extend(node.data.members)
        return found

    def _request_readings(self) -> None:
        """Ask for the summaries of what is shown, then of the rows around it."""
        corpus = self.corpus
        if corpus is None:
            return
        wanted: dict[str, Article] = {}
        for article in [*self._shown_articles(), *self._neighbours()]:
            key = (article_id(article), self.algorithm, self.sentences)
            if key not in self._readings and corpus.cached_analysis(article) is not None:
                wanted.setdefault(article_id(article), article)
        if wanted:
            self._readings_asked += 1
            self.make_readings(
                list(wanted.values()), self.algorithm, self.sentences, self._readings_asked
            )

    @work(thread=True, group="readings")
    def make_readings(
        self, articles: list[Article], algorithm: str, sentences: int, asked: int
    ) -> None:
        corpus = self.corpus
        if corpus is None:
            return
        worker = get_current_worker()
        # A later request (the cursor moved on) makes this one's remaining work moot; it
        # stops rather than being cancelled, so waiting for the workers never fails.
        readings(
            corpus,
            articles,
            algorithm,
            sentences,
            post=self.post_message,
            cancelled=lambda: worker.is_cancelled or self._readings_asked != asked,
        )

    @while_open
    def on_readings_ready(self, message: ReadingsReady) -> None:
        if len(self._readings) > READINGS_KEPT:
            self._readings.clear()
        for reading in message.readings:
            self._readings[(reading.article_id, reading.algorithm, reading.sentences)] = reading
        shown = {article_id(article) for article in self._shown_articles()}
        if not any(reading.article_id in shown for reading in message.readings):
            return
        try:
            if self.current_group is not None:
                self.show_group(self.current_group)
            elif self.current is not None:
                self.show_article(self.current, keep_scroll=True)
        except NoMatches:
            return  # the app is closing: its widgets went before this message came
        if not self._summariser_ready:
            self._summariser_ready = True
            self.prepare_summariser()
            self._start_library_check()

    def open_article(self, article: Article) -> None:
        """Enter on an article: read it (marks it read) with the text focused."""
        self.read_story(article)
        self.body.focus()

    def read_story(self, article: Article) -> None:
        """Mark ``article`` read as the reader reads it: with ``read_whole_group`` set, the
        whole group it belongs to (a story told by five outlets is read once)."""
        self._set_read_many(self._story_of(article), True)

    def _story_of(self, article: Article) -> list[Article]:
        group = self._group_of.get(article.key) if self.settings.read_whole_group else None
        if group is None or self.corpus is None:
            return [article]
        members = [self.corpus.by_key[key] for key in group.members if key in self.corpus.by_key]
        return members if any(m.key == article.key for m in members) else [article, *members]

    def _set_read(self, article: Article, read: bool) -> None:
        self._set_read_many([article], read)

    def _set_read_many(self, articles: Iterable[Article], read: bool) -> int:
        """Mark the articles read or unread everywhere: on screen, in the app's store and
        (in the background) in the library. Returns how many changed."""
        changed = self.reads.mark(articles, read, in_library=self.use_library)
        if not changed:
            return 0
        self.tree.refresh_marks(self.reads.ids, [article.key for article in changed])
        self._update_list_title()
        return len(changed)

    # Actions ---------------------------------------------------------------------

    def action_help(self) -> None:
        intro = (
            "Remap any key in config.toml under [keymap] by its id, "
            'e.g. "summary.next_algorithm" = "A". ctrl+p opens the command palette. '
            f"{self._keys_for('read.next_unread')} goes to the next unread story; once an "
            "entity is chosen (enter in the entity panel) it walks that entity's mentions "
            "until another story is shown."
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
        pane: TextPane | GroupView
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
            unread = any(article_id(member) not in self.reads.ids for member in members)
            self._set_read_many(members, unread)
            return
        if self.current is not None:
            self._set_read(self.current, article_id(self.current) not in self.reads.ids)

    def action_mark_shown_read(self) -> None:
        """A: every story the list shows (after filters) is read."""
        shown = [member for entry in self.entries for member in entry.members]
        if not shown:
            self.notify("The list is empty.")
            return
        changed = self._set_read_many(shown, True)
        if changed:
            self.notify(f"Marked {changed} {_stories(changed)} read.")
        else:
            self.notify("Everything shown is read already.")

    def action_next_unread(self) -> None:
        """n: the next unread story in the list's order (wrapping), opened and read."""
        order = [member for entry in self.entries for member in entry.members]
        if not order:
            self.notify("The list is empty.")
            return
        start = self._list_position(order)
        for step in range(1, len(order) + 1):
            article = order[(start + step) % len(order)]
            if article_id(article) not in self.reads.ids:
                break
        else:
            self.notify("No unread stories in the list.")
            return
        self.tree.move_to_article(article.key)
        self.show_article(article)
        self.read_story(article)

    def _list_position(self, order: Sequence[Article]) -> int:
        """Where the cursor is in ``order``: its article, or just before a group's first
        member; -1 when it is nowhere."""
        node = self.tree.cursor_node
        key: str | None = None
        before = 0
        if node is not None and isinstance(node.data, ArticleRow):
            key = node.data.article.key
        elif node is not None and isinstance(node.data, GroupRow):
            key, before = node.data.members[0].key, 1
        elif self.current is not None:
            key = self.current.key
        for index, article in enumerate(order):
            if article.key == key:
                return index - before
        return -1

    def action_open_url(self) -> None:
        article = self.current
        if article is None or not article.url:
            self.notify("This article has no web address.", severity="warning")
            return
        if not is_web_address(article.url):
            # A saved file can say anything: only web pages go to the browser, never a
            # local file or a script.
            self.notify(
                f"Not opened: {one_line(article.url)} is not an http or https address.",
                severity="warning",
                markup=False,
            )
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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_mention":
            # n walks mentions only once an entity is chosen (or the entity list has the
            # focus); otherwise the key goes on to "next unread".
            return self.entity is not None or isinstance(self.focused, EntityList)
        return True

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
        markdown = CorpusMarkdown(corpus, self.algorithm, self.sentences)
        try:
            text = "\n".join(
                markdown.group(entry.group, entry.members)
                if entry.is_group and entry.group is not None
                else markdown.article(entry.members[0])
                for entry in entries
            )
            written = write_new_file(request.path, text, force=request.overwrite)
        except FileExistsError:
            self.post_message(ExportDone(None, f"{request.path} exists; not replaced."))
            return
        except OSError as problem:
            reason = problem.strerror or str(problem)
            self.post_message(ExportDone(None, f"Could not write {request.path}: {reason}"))
            return
        self.post_message(ExportDone(written))

    @while_open
    def on_export_done(self, message: ExportDone) -> None:
        if message.path is None:
            self.notify(message.problem, severity="error", markup=False)
        else:
            self.notify(f"Wrote {message.path}", title="Exported", markup=False)

    # The library: update, feeds -----------------------------------------------------

    def action_update(self) -> None:
        """R: fetch every subscribed feed in the background."""
        if self.updating:
            self.notify("Already updating.")
            return
        if not self.use_library:
            self._update_outside_library()
            return
        if self.corpus is None:
            self._update_wanted = True  # as soon as the list has loaded
            self._status("the update starts when the list has loaded")
            return
        self._start_update()

    def _start_update(self) -> None:
        self._update_wanted = False
        self.updating = True
        self.update_note = "updating feeds…"
        progress = self.query_one("#progress", ProgressBar)
        progress.remove_class("done")
        progress.update(total=None, progress=0)
        self._status()
        self.update_library()

    def _update_outside_library(self) -> None:
        try:
            feeds = self.library.feeds()
        except LibraryError as problem:
            self.notify(str(problem), severity="error", markup=False)
            return
        if not feeds:
            self.notify(
                f"No subscriptions: add a feed with {self._keys_for('feeds.open')} "
                "or `newsreader feeds add URL`.",
                markup=False,
            )
            return
        if self.on_seeds:
            self._switch_to_library()
            self._start_update()
            return
        self.notify(
            "This window shows files, not your feeds: run newsreader with no paths to read them.",
            markup=False,
        )

    def _start_library_check(self) -> None:
        if self._check_library:
            self._check_library = False
            self.check_library()

    @work(thread=True, exclusive=True, group="library-check")
    def check_library(self) -> None:
        try:
            library = self.library
            holds_stories = not library.is_empty()
        except LibraryError as problem:
            self.post_message(LibraryChecked(False, [str(problem)]))
            return
        self.post_message(LibraryChecked(holds_stories, list(library.warnings)))

    @while_open
    def on_library_checked(self, message: LibraryChecked) -> None:
        for warning in message.warnings:
            self.notify(warning, severity="warning", timeout=10, markup=False)
        if message.holds_stories and self.on_seeds:
            self._switch_to_library()
            self.load_corpus()

    def _switch_to_library(self) -> None:
        """Leave the sample pages for the user's library (the first feed was added)."""
        self.workers.cancel_group(self, "load")
        self.workers.cancel_group(self, "analysis")
        self.use_library = True
        self.paths = []
        self.groups = None
        self._group_of = {}
        self._sync.forget()
        self._loading = []
        self.corpus = Corpus([], model=self.model, cache=self._cache)
        self.rebuild_list()

    @while_open
    def on_update_progress(self, message: UpdateProgress) -> None:
        self.update_note = f"updating {message.done}/{message.total} feeds"
        self.query_one("#progress", ProgressBar).update(total=message.total, progress=message.done)
        self._status()

    @while_open
    def on_stories_arrived(self, message: StoriesArrived) -> None:
        """A feed answered during an update: its new stories join the list at once."""
        corpus = self.corpus
        if corpus is None or not self.use_library:
            return
        fresh = arrivals(corpus, message.articles)
        if not fresh:
            return
        corpus.replace_articles([*corpus.articles, *fresh])
        self.new_keys.update(article.key for article in fresh)
        if self._arrival_timer is None:
            self._arrival_timer = self.set_timer(ARRIVAL_DELAY, self._show_arrivals)

    def _show_arrivals(self) -> None:
        self._arrival_timer = None
        self.rebuild_list()
        self._analyse_again()

    def _analyse_again(self) -> None:
        """Analyse what is new and group everything again (known analyses are reused)."""
        if self.corpus is None or not self.corpus.articles:
            return
        self.query_one("#progress", ProgressBar).remove_class("done")
        self.analyse_all()

    @while_open
    def on_update_finished(self, message: UpdateFinished) -> None:
        self.updating = False
        self.update_note = ""
        if self._arrival_timer is not None:
            self._arrival_timer.stop()
            self._arrival_timer = None
        report = message.report
        if report is None:
            self.notify(f"The update failed: {message.problem}", severity="error", markup=False)
            self.query_one("#progress", ProgressBar).add_class("done")
            self._status()
            return
        self._apply_library(message.articles, message.read_keys, arrivals_are_new=True)
        failed = len(report.failures)
        news = f"{report.new_articles} new {_stories(report.new_articles)}"
        if report.all_failed:
            self.notify(
                f"No feed answered ({failed} failed): offline? "
                f"{self._keys_for('feeds.open')} shows why.",
                title="Not updated",
                severity="error",
                markup=False,
            )
        elif failed:
            feeds = "feed" if failed == 1 else "feeds"
            self.notify(
                f"{news}, {failed} {feeds} failed (see {self._keys_for('feeds.open')}).",
                title="Updated",
                severity="warning",
                markup=False,
            )
        else:
            self.notify(news + ".", title="Updated", markup=False)
        for screen in self.screen_stack:
            if isinstance(screen, FeedsScreen):
                screen.refresh_feeds()
        if self._update_wanted:
            self._start_update()

    @while_open
    def on_library_reloaded(self, message: LibraryReloaded) -> None:
        self._apply_library(message.articles, message.read_keys, arrivals_are_new=False)

    def _apply_library(
        self, articles: list[Article], read_keys: set[str], *, arrivals_are_new: bool
    ) -> None:
        """Show the library's stories as they now are, the cursor where it was."""
        corpus = self.corpus
        if corpus is None:
            corpus = self.corpus = Corpus([], model=self.model, cache=self._cache)
        if arrivals_are_new:
            self.new_keys.update(article.key for article in arrivals(corpus, articles))
        read_now = read_in_library(corpus.by_key, articles, read_keys, self.reads.ids)
        corpus.replace_articles(articles)
        # The library holds these marks already.
        self.reads.mark(read_now, True, in_library=False)
        if not articles:
            self.groups = None
            self._group_of = {}
            self.rebuild_list()
            return
        self.rebuild_list()
        self._analyse_again()

    def action_feeds(self) -> None:
        """F: the subscriptions; add, remove, see why a feed failed."""
        try:
            library = self.library
        except LibraryError as problem:
            self.notify(str(problem), severity="error", markup=False)
            return
        self.push_screen(FeedsScreen(library))

    @while_open
    def on_feed_added(self, message: FeedAdded) -> None:
        """A feed was added in the feeds screen: fetch its stories."""
        if message.problem:
            return
        if not self.use_library:
            if not self.on_seeds:
                self.notify(
                    "Subscribed. This window shows files: run newsreader with no paths to "
                    "read your feeds.",
                    markup=False,
                )
                return
            self._switch_to_library()
        if self.updating or self.corpus is None:
            self._update_wanted = True  # right after the one under way
        else:
            self._start_update()

    @while_open
    def on_feed_removed(self, message: FeedRemoved) -> None:
        if not message.problem and self.use_library:
            self.reload_library()

    # Settings --------------------------------------------------------------------

    def _theme_changed(self, _theme: object) -> None:
        self._save()
        self.tree.forget_styles()
        self.tree.refresh_marks(self.reads.ids)

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
        self._analyser.close()
        self.exit(0)

    def on_unmount(self) -> None:
        self._save()
        self._offload.close()
        self._analyser.close()
        if self._sync.is_open:
            # An update under way holds the library: the marks wait a moment, then stay
            # in the app's own store.
            self._library_marks.flush(MARKS_FLUSH_SECONDS)
            self._sync.close()

    # Keys: help screen and command palette -------------------------------------

    def key_rows(self) -> list[KeyRow]:
        """Every binding with the keys in force after remapping, for the help screen."""
        return self.keys_in_force.help_rows()

    def _keys_for(self, binding_id: str) -> str:
        """The key(s) in force for a binding, as shown to the user."""
        return self.keys_in_force.for_id(binding_id)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for command in self.keys_in_force.palette_commands(self._can_run):
            yield SystemCommand(
                command.title, command.help_text, partial(self.run_action, command.action)
            )

    def _can_run(self, action: str) -> bool:
        return self.check_action(action, ()) is not False


def _keep_out_of_collections() -> None:
    """Exempt what exists now (articles, analyses, widgets) from Python's cyclic garbage
    collector. A full collection walks every object: with thousands of analyses in memory
    it took 0.2-0.3 s, at random key presses. Objects exempted are still freed when no
    longer used; only one caught in a reference cycle would stay."""
    gc.freeze()


def run_app(
    paths: list[str],
    *,
    model: str | None,
    settings: Settings,
    library: bool = False,
    check_library: bool = False,
    notices: Sequence[str] = (),
) -> int:
    """Run the reader on ``paths``, or on the user's library when ``library`` is set (the
    command line has already resolved the defaults). ``notices`` are shown on opening:
    what the command line did or repaired before the screen was taken over."""
    app = NewsReaderApp(
        paths,
        settings=settings,
        model=model,
        use_library=library,
        check_library=check_library,
        notices=notices,
    )
    result = app.run()
    return int(result or 0) if app.return_code in (None, 0) else int(app.return_code or 1)
