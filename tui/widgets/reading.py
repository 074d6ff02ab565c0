"""The reading pane: header (title, source, date, standfirst), summary and full text."""

from __future__ import annotations

from typing import ClassVar
from urllib.parse import urlsplit

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from summarise.article import Analysis, Article, Mention, Summary
from summarise.text import one_line
from tui.widgets.rendering import BodyStyles, render_body, summary_text
from tui.widgets.text_pane import TextPane


class ArticleHeader(Static):
    """Title, then source and date, then the standfirst."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"head--title", "head--meta", "head--standfirst"}

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(name, partial=True, default=Style())

    _shown: tuple[Article, str] | None = None

    def on_resize(self) -> None:
        # The source line is cut to the pane's width, which is only known once laid out.
        if self._shown is not None:
            self.show_article(*self._shown)

    def show_article(self, article: Article, note: str = "") -> None:
        self._shown = (article, note)
        text = Text()
        text.append(one_line(article.title) or "(untitled)", style=self._style("head--title"))
        details = [one_line(article.source) or "unknown source"]
        details.append(one_line(article.published) or "undated")
        if article.url:
            details.append("o: " + (one_line(urlsplit(article.url).netloc) or "link"))
        if note:
            details.append(note)
        text.append("\n")
        meta = Text(" · ".join(details), style=self._style("head--meta"), no_wrap=True)
        meta.truncate(max(10, self.content_region.width or 80), overflow="ellipsis")
        text.append_text(meta)
        if article.standfirst.strip():
            text.append("\n")
            text.append(one_line(article.standfirst), style=self._style("head--standfirst"))
        # Its height is fixed (see app.tcss), so new text only needs drawing.
        self.update(text, layout=False)

    def show_message(self, message: str) -> None:
        self._shown = None
        self.update(Text(one_line(message), style=self._style("head--meta")), layout=False)


class SummaryView(TextPane):
    """The numbered summary sentences; the algorithm and length are in the border title."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"summary--number"}

    def show_summary(self, article: Article, analysis: Analysis, summary: Summary) -> None:
        style = self.get_component_rich_style("summary--number", partial=True, default=Style())
        total = len(analysis.sentences)
        self.border_title = Text(
            f"Summary · {summary.algorithm} · {len(summary.sentence_ids)} of {total} sentences"
        )
        if summary.sentence_ids:
            self.set_text(summary_text(article, analysis, summary, style))
        else:
            self.set_text(Text("This article has no body text to summarise."))

    def show_message(self, title: str, message: str) -> None:
        self.border_title = Text(title)
        self.set_text(Text(message))

    @property
    def shown_text(self) -> str:
        return self.text.plain


class ArticleBody(TextPane):
    """The article's text: entities coloured by kind, summary sentences marked."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "body--summary",
        "body--marker",
        "body--hidden",
        "body--focus",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._mention_offsets: dict[tuple[int, int], int] = {}
        self._plain = ""

    def _styles(self) -> BodyStyles:
        def style(name: str) -> Style:
            return self.get_component_rich_style(name, partial=True, default=Style())

        return BodyStyles(
            summary=style("body--summary"),
            marker=style("body--marker"),
            hidden=style("body--hidden"),
            focus=style("body--focus"),
        )

    def show_article(
        self,
        article: Article,
        analysis: Analysis | None,
        summary: Summary | None,
        *,
        show_hidden: bool,
        focused: Mention | None = None,
        keep_scroll: bool = False,
    ) -> None:
        rendered = render_body(
            article, analysis, summary, self._styles(), show_hidden=show_hidden, focused=focused
        )
        self._mention_offsets = rendered.mention_offsets
        self._plain = rendered.text.plain
        if not rendered.text.plain.strip():
            rendered.text.append("This article has no body text.")
        self.set_text(rendered.text, keep_scroll=keep_scroll)

    def show_message(self, message: str) -> None:
        self._plain = message
        self.set_text(Text(message))

    @property
    def shown_text(self) -> str:
        return self._plain

    def offset_of(self, mention: Mention) -> int | None:
        """Where a mention is in the displayed text (None if it is not shown)."""
        return self._mention_offsets.get((mention.start, mention.end))

    def line_of_offset(self, offset: int) -> int:
        """The wrapped line on which a display offset falls (for jumping to a mention)."""
        return max(0, self.lines_before(offset) - 1)

    def scroll_to_offset(self, offset: int) -> None:
        line = self.line_of_offset(offset)
        target = max(0, line - max(1, self.scrollable_content_region.height // 3))
        self.scroll_to(y=target, animate=False)
