"""The article list: a tree of groups and articles with read marks, source and date;
stories an update brought are marked new until read, and groups count their unread."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import ClassVar, Self

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text, TextType
from textual.binding import Binding, BindingType
from textual.geometry import Region
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from summarise.article import Article, Group
from summarise.text import one_line
from tui.widgets.listing import Entry, article_id

UNREAD_MARK = "●"
READ_MARK = "·"
NEW_MARK = "new"


@dataclass(frozen=True)
class ArticleRow:
    article: Article


@dataclass(frozen=True)
class GroupRow:
    group: Group
    members: tuple[Article, ...]


RowData = ArticleRow | GroupRow


def sources_of(members: Sequence[Article]) -> list[str]:
    names = [one_line(member.source) or "unknown source" for member in members]
    return list(dict.fromkeys(names))


class ArticleTree(Tree[RowData]):
    """Groups are collapsible nodes (size and sources on their row); articles are leaves."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="list.down"),
        Binding("k", "cursor_up", "Up", show=False, id="list.up"),
        Binding("l,right", "expand", "Expand", show=False, id="list.expand"),
        Binding("h,left", "collapse", "Collapse", show=False, id="list.collapse"),
        Binding("home", "first", "First", show=False, id="list.first"),
        Binding("end", "last", "Last", show=False, id="list.last"),
        Binding("space", "app.page_text", "Page text", show=False, id="page_text"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "articles--unread",
        "articles--read",
        "articles--meta",
        "articles--count",
        "articles--new",
    }

    # A class attribute: Tree's own set-up refreshes before __init__ here has run.
    _adding = False

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Articles", id=id)
        self.show_root = False
        self.guide_depth = 2
        self._article_nodes: dict[str, TreeNode[RowData]] = {}
        self._group_nodes: dict[str, TreeNode[RowData]] = {}
        self._read_ids: set[str] = set()
        self._new_keys: set[str] = set()
        self._styles: dict[str, Style] = {}
        self._labels: dict[tuple[str, bool, bool], Text] = {}

    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> Self:
        # Tree asks for a redraw for every node added: for 10,000 rows that alone took
        # most of a second. While rows are added in bulk, one redraw at the end does.
        if self._adding:
            return self
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    @contextmanager
    def _in_bulk(self) -> Iterator[None]:
        self._adding = True
        try:
            yield
        finally:
            self._adding = False
            self.refresh(layout=True)

    # Rows -----------------------------------------------------------------

    def process_label(self, label: TextType) -> Text:
        # Rows are built as one line already; splitting each of 5,000 copies costs a second.
        if isinstance(label, Text) and "\n" not in label.plain:
            return label
        return super().process_label(label)

    def _style(self, name: str) -> Style:
        # Looking a component style up costs a millisecond: too much for 5,000 rows.
        style = self._styles.get(name)
        if style is None:
            style = self.get_component_rich_style(name, partial=True, default=Style())
            self._styles[name] = style
        return style

    def forget_styles(self) -> None:
        """The theme changed: the next rows take the new colours."""
        self._styles = {}
        self._labels = {}

    def get_label_width(self, node: TreeNode[RowData]) -> int:
        # Rows end in an ellipsis and never scroll sideways, so the base class's exact
        # measure (rendering every row again) is not needed: the icon plus the label.
        label = node.label
        return 2 + (label.cell_len if isinstance(label, Text) else cell_len(label))

    def _is_new(self, article: Article) -> bool:
        return article.key in self._new_keys and article_id(article) not in self._read_ids

    def article_label(self, article: Article) -> Text:
        read = article_id(article) in self._read_ids
        new = not read and article.key in self._new_keys
        # Re-sorting 5,000 rows would build every label again; they only change with the
        # read and new marks and the theme.
        known = self._labels.get((article.key, read, new))
        if known is not None:
            return known
        mark = READ_MARK if read else UNREAD_MARK
        label = Text(no_wrap=True, overflow="ellipsis", end="")
        label.append(
            mark + " ", style=self._style("articles--read" if read else "articles--unread")
        )
        if new:
            label.append(NEW_MARK + " ", style=self._style("articles--new"))
        label.append(one_line(article.title) or "(untitled)")
        details = [one_line(article.source), one_line(article.published)]
        meta = " · ".join(detail for detail in details if detail)
        if meta:
            label.append("  " + meta, style=self._style("articles--meta"))
        self._labels[(article.key, read, new)] = label
        return label

    def group_label(self, members: Sequence[Article]) -> Text:
        unread = sum(1 for member in members if article_id(member) not in self._read_ids)
        label = Text(no_wrap=True, overflow="ellipsis", end="")
        mark = UNREAD_MARK if unread else READ_MARK
        label.append(
            mark + " ", style=self._style("articles--unread" if unread else "articles--read")
        )
        label.append(f"[{len(members)}] ", style=self._style("articles--count"))
        if any(self._is_new(member) for member in members):
            label.append(NEW_MARK + " ", style=self._style("articles--new"))
        label.append(one_line(members[0].title) or "(untitled)")
        meta = ", ".join(sources_of(members))
        if unread:
            meta = f"{unread} unread · {meta}"
        label.append("  " + meta, style=self._style("articles--meta"))
        return label

    # Filling --------------------------------------------------------------

    def show_entries(
        self,
        entries: Sequence[Entry],
        read_ids: set[str],
        expanded: set[str] | None = None,
        new_keys: set[str] | None = None,
    ) -> None:
        """Replace the rows; groups whose id is in ``expanded`` start open; articles whose
        key is in ``new_keys`` are marked new while unread."""
        self._read_ids = read_ids
        self._new_keys = new_keys if new_keys is not None else set()
        self._article_nodes = {}
        self._group_nodes = {}
        with self._in_bulk():
            self._add_entries(entries, expanded or set())

    def _add_entries(self, entries: Sequence[Entry], expanded: set[str]) -> None:
        self.clear()
        # Adding a row only marks the layout stale; the rows are laid out once, when next
        # drawn, and only the visible ones are rendered.
        for entry in entries:
            if entry.is_group and entry.group is not None:
                node = self.root.add(
                    self.group_label(entry.members),
                    data=GroupRow(entry.group, entry.members),
                    expand=entry.group.id in expanded,
                )
                self._group_nodes[entry.group.id] = node
                for member in entry.members:
                    self._article_nodes[member.key] = node.add_leaf(
                        self.article_label(member), data=ArticleRow(member)
                    )
            else:
                article = entry.members[0]
                self._article_nodes[article.key] = self.root.add_leaf(
                    self.article_label(article), data=ArticleRow(article)
                )

    def append_articles(self, articles: Sequence[Article], read_ids: set[str]) -> None:
        """Add rows at the end while the corpus is still loading."""
        self._read_ids = read_ids
        with self._in_bulk():
            for article in articles:
                self._article_nodes[article.key] = self.root.add_leaf(
                    self.article_label(article), data=ArticleRow(article)
                )

    def expanded_groups(self) -> set[str]:
        return {gid for gid, node in self._group_nodes.items() if node.is_expanded}

    def refresh_marks(self, read_ids: set[str], keys: Sequence[str] | None = None) -> None:
        """Redraw the read marks of the given articles (all when None) and their groups."""
        self._read_ids = read_ids
        wanted = self._article_nodes if keys is None else keys
        parents: dict[int, TreeNode[RowData]] = {}
        for key in wanted:
            node = self._article_nodes.get(key)
            if node is None or not isinstance(node.data, ArticleRow):
                continue
            node.set_label(self.article_label(node.data.article))
            parent = node.parent
            if parent is not None and isinstance(parent.data, GroupRow):
                parents[id(parent)] = parent
        for parent in parents.values():
            assert isinstance(parent.data, GroupRow)
            parent.set_label(self.group_label(parent.data.members))

    # Cursor ---------------------------------------------------------------

    def node_for(self, key: str) -> TreeNode[RowData] | None:
        return self._article_nodes.get(key)

    def group_node(self, group_id: str) -> TreeNode[RowData] | None:
        return self._group_nodes.get(group_id)

    def move_to_article(self, key: str) -> bool:
        """Put the cursor on the article (opening its group); False if it is not listed."""
        node = self._article_nodes.get(key)
        if node is None:
            return False
        parent = node.parent
        if parent is not None and parent is not self.root and not parent.is_expanded:
            parent.expand()
        self._lay_out()
        self.move_cursor(node)
        return True

    def move_to_first(self) -> None:
        if self.root.children:
            self._lay_out()
            self.move_cursor(self.root.children[0])

    def _lay_out(self) -> None:
        """Give every shown node its line number now rather than at the next redraw.

        Tree has no public "lay out now"; asking for the last line does it (the count of
        lines needs them laid out), and a node's ``line`` is -1 until then."""
        self.last_line  # noqa: B018

    @property
    def row_count(self) -> int:
        return len(self._article_nodes)

    def action_first(self) -> None:
        if self.last_line >= 0:
            self.move_cursor_to_line(0)

    def action_last(self) -> None:
        if self.last_line >= 0:
            self.move_cursor_to_line(self.last_line)

    def action_expand(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.allow_expand and not node.is_expanded:
            node.expand()
        elif node.children:
            self.action_cursor_down()

    def action_collapse(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.allow_expand and node.is_expanded:
            node.collapse()
        elif node.parent is not None and node.parent is not self.root:
            self.move_cursor(node.parent)
