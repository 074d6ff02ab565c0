"""The group view: a group's members side by side, and why they were grouped."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.containers import HorizontalScroll, Vertical, VerticalScroll
from textual.widgets import Static

from summarise.article import Analysis, Article, Group, Summary
from summarise.text import one_line
from tui.widgets.article_list import sources_of
from tui.widgets.listing import article_id


class MemberRow(HorizontalScroll, can_focus=False):
    """The cards side by side; the group view itself takes the focus and the keys."""


class MemberCard(Vertical):
    """One outlet's version of the story: source, date, title and its summary."""

    def __init__(self, text: Text) -> None:
        super().__init__(classes="member-card")
        self._text = text

    def compose(self):  # type: ignore[override]
        yield Static(self._text, classes="member-text")

    def show(self, text: Text) -> None:
        self._text = text
        self.query_one(Static).update(text)
        self.display = True

    @property
    def text(self) -> Text:
        return self._text


class GroupView(VerticalScroll, can_focus=True):
    """Shown instead of the article when the cursor is on a group row."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"group--why", "group--source", "group--title"}

    def compose(self):  # type: ignore[override]
        yield Static(id="group-why")
        yield MemberRow(id="group-members")
        yield Static(id="group-pairs")

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(name, partial=True, default=Style())

    def show_group(
        self,
        group: Group,
        members: Sequence[Article],
        analyses: Mapping[str, Analysis],
        summaries: Mapping[str, Summary],
    ) -> None:
        why = Text()
        why.append(f"{len(members)} stories from {', '.join(sources_of(members))}\n")
        why.append("Why grouped: ", style=self._style("group--why"))
        why.append(one_line(group.why))
        self.query_one("#group-why", Static).update(why)

        texts = []
        for member in members:
            card = Text()
            card.append(
                one_line(member.source) or "unknown source", style=self._style("group--source")
            )
            card.append(" · " + (one_line(member.published) or "undated") + "\n")
            card.append(one_line(member.title) or "(untitled)", style=self._style("group--title"))
            card.append("\n\n")
            analysis = analyses.get(article_id(member))
            summary = summaries.get(article_id(member))
            if analysis is None or summary is None:
                card.append("Analysing…")
            else:
                sentences = summary.sentences(member, analysis)
                card.append(
                    "\n".join(f"{n}. {one_line(text)}" for n, text in enumerate(sentences, 1))
                )
            texts.append(card)
        self._show_cards(texts)

        titles = {
            member.key: one_line(member.source) or one_line(member.title) for member in members
        }
        pairs = Text()
        if group.pairs:
            pairs.append("Pairs\n", style=self._style("group--why"))
        for pair in sorted(group.pairs, key=lambda p: -p.score):
            first = titles.get(pair.first, "?")
            second = titles.get(pair.second, "?")
            pairs.append(f"{first} ↔ {second}: similarity {pair.score:.0f}")
            if pair.shared_entities:
                pairs.append("; shared: " + ", ".join(one_line(n) for n in pair.shared_entities))
            pairs.append("\n")
        self.query_one("#group-pairs", Static).update(pairs)
        self.scroll_home(animate=False)

    def _show_cards(self, texts: list[Text]) -> None:
        """The cards already mounted show the new texts and the spare ones hide: mounting
        widgets anew on every move through the list would cost more than the move."""
        row = self.query_one("#group-members", MemberRow)
        cards = list(row.query_children(MemberCard))
        for card, text in zip(cards, texts, strict=False):
            card.show(text)
        for card in cards[len(texts) :]:
            card.display = False
        if len(texts) > len(cards):
            row.mount_all(MemberCard(text) for text in texts[len(cards) :])

    @property
    def shown_text(self) -> str:
        shown = [str(self.query_one("#group-why", Static).content)]
        row = self.query_one("#group-members", MemberRow)
        shown += [str(card.text) for card in row.query_children(MemberCard) if card.display]
        shown.append(str(self.query_one("#group-pairs", Static).content))
        return "\n".join(shown)
