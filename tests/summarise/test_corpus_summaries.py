"""The corpus's summaries: made once per length, never waited for, and exported as one."""

from __future__ import annotations

from summarise.article import Article, Block, Group
from summarise.engine import Corpus
from summarise.export import CorpusMarkdown
from summarise.nlp import Pipeline


def story(key: str, title: str, *sentences: str) -> Article:
    blocks = (Block("title", title), *(Block("body", sentence) for sentence in sentences))
    return Article(key, title, blocks, "Daily A", "2024-01-02")


MILL = story(
    "mill.txt",
    "Fire at the mill",
    "A fire broke out at the old mill in Osterby on Tuesday.",
    "Firefighters from three towns fought the blaze for six hours.",
    "Nobody was hurt, the council said.",
)
BLAZE = story(
    "blaze.txt",
    "Mill blaze in Osterby",
    "Firefighters fought a blaze at the Osterby mill through the night.",
    "The building had stood empty since 1990.",
)


def test_a_summary_waits_for_the_analysis_and_is_made_once(pipeline: Pipeline) -> None:
    corpus = Corpus([MILL, BLAZE])
    assert corpus.summary_if_analysed(MILL, "lead", 1) == (None, None, "analysing")
    corpus.analyse()
    analysis, summary, reason = corpus.summary_if_analysed(MILL, "lead", 1)
    assert analysis is corpus.analysis(MILL) and reason == ""
    assert summary is corpus.summary(MILL, "lead", 1)
    assert corpus.summary(MILL, "lead", 2) is not summary


def test_a_failing_summariser_is_a_reason_not_an_error(pipeline: Pipeline) -> None:
    corpus = Corpus([MILL])
    corpus.analyse()
    analysis, summary, reason = corpus.summary_if_analysed(MILL, "no-such-summariser", 1)
    assert analysis is not None and summary is None
    assert reason.startswith("no-such-summariser failed: unknown summariser")


def test_a_group_exports_the_members_given(pipeline: Pipeline) -> None:
    corpus = Corpus([MILL, BLAZE])
    group = Group("g1", (MILL.key, BLAZE.key), (), ("Osterby",))
    markdown = CorpusMarkdown(corpus, "lead", 1)
    everyone = markdown.group(group)
    assert "2 stories:" in everyone and "## Mill blaze in Osterby" in everyone
    shown = markdown.group(group, [BLAZE])
    assert "1 story:" in shown and "## Fire at the mill" not in shown
    assert markdown.article(MILL).startswith("# Fire at the mill\n")
