"""Sentences, entity mentions and summaries of any article point into its body: every
summariser picks whole sentences of the body, in article order, never more than asked."""

from __future__ import annotations

from unittest.mock import patch

from hypothesis import example, given
from hypothesis import strategies as st

from summarise.article import PARAGRAPH_SEPARATOR, Analysis, Article, Block
from summarise.nlp import Pipeline, analyse, load_pipeline
from summarise.summarisers import SUMMARISERS, summarise
from summarise.text import clean_text
from tests.properties.budget import examples
from tests.properties.strategies import HOSTILE_PIECES, hostile_text, prose_paragraph

ALGORITHMS = sorted(SUMMARISERS)
SUMMARISERS_AS_GIVEN = dict(SUMMARISERS)


def _paragraph(text: str) -> str:
    """A body paragraph as the engine's structure gives one: clean and on one line."""
    return " ".join(clean_text(text).split())


@st.composite
def articles(draw: st.DrawFn) -> Article:
    paragraph = st.one_of(
        prose_paragraph(8),
        prose_paragraph(8),
        prose_paragraph(3),
        hostile_text(15),
        st.lists(st.sampled_from(HOSTILE_PIECES), min_size=1, max_size=6).map(" ".join),
        # One sentence repeated: sumy and the redundancy checks see identical sentences.
        st.builds(
            lambda sentence, times: " ".join([sentence] * times),
            prose_paragraph(1),
            st.integers(2, 4),
        ),
    )
    texts = [_paragraph(text) for text in draw(st.lists(paragraph, min_size=1, max_size=8))]
    texts = [text for text in texts if text] or ["Nothing."]
    title = _paragraph(draw(st.one_of(st.just(""), prose_paragraph(1), hostile_text(5))))
    blocks = (*([Block("title", title)] if title else []), *(Block("body", t) for t in texts))
    return Article(key="property", title=title, blocks=blocks)


def assert_analysis_points_into_body(article: Article, analysis: Analysis) -> None:
    body = article.body
    spans = article.paragraph_spans
    previous_end = 0
    for sentence in analysis.sentences:
        assert previous_end <= sentence.start < sentence.end <= len(body), sentence
        text = body[sentence.start : sentence.end]
        assert text.strip() == text and text, (sentence, text)
        paragraph_start, paragraph_end = spans[sentence.paragraph]
        assert paragraph_start <= sentence.start and sentence.end <= paragraph_end, sentence
        previous_end = sentence.end
    for mention in analysis.mentions:
        assert 0 <= mention.start < mention.end <= len(body), mention
        assert body[mention.start : mention.end] == mention.text, (mention, body)
        assert mention.text.strip(), mention
        assert PARAGRAPH_SEPARATOR not in mention.text, mention


def assert_summaries_inside_body(article: Article, analysis: Analysis, count: int) -> None:
    """Each summariser's own choice and the summary made of it, from one run each."""
    total = len(analysis.sentences)
    body = article.body
    for algorithm in ALGORITHMS:
        raw: list[list[int]] = []

        def recorded(
            *args: object, _name: str = algorithm, _raw: list[list[int]] = raw
        ) -> list[int]:
            _raw.append(list(SUMMARISERS_AS_GIVEN[_name](*args)))  # type: ignore[arg-type]
            return _raw[-1]

        with patch.dict(SUMMARISERS, {algorithm: recorded}):
            summary = summarise(article, analysis, algorithm, sentences=count)
        if total:
            (chosen,) = raw
            assert all(0 <= index < total for index in chosen), (algorithm, chosen, total)
            assert chosen == sorted(set(chosen)), (algorithm, chosen)
            assert len(chosen) <= count, (algorithm, chosen, count)
            # Never empty while the article has a sentence (see the example above).
            assert summary.sentence_ids, (algorithm, "no sentence chosen")
        assert list(summary.sentence_ids) == sorted(set(summary.sentence_ids))
        assert len(summary.sentence_ids) <= count
        for index, text in zip(
            summary.sentence_ids, summary.sentences(article, analysis), strict=True
        ):
            span = analysis.sentences[index]
            assert body[span.start : span.end] == text and text.strip()


# Found by this property: LSA gave an empty summary of a story without content words.
STOP_WORDS_ONLY = Article("stop-words", "", (Block("body", "The the the."),))


@examples(80)
@given(articles(), st.integers(1, 6))
@example(STOP_WORDS_ONLY, 1)
def test_spacy_sentences_mentions_and_summaries_point_into_the_body(
    pipeline: Pipeline, article: Article, count: int
) -> None:
    analysis = analyse(article, pipeline)
    assert_analysis_points_into_body(article, analysis)
    assert_summaries_inside_body(article, analysis, count)


@examples(120)
@given(articles(), st.integers(1, 6))
@example(STOP_WORDS_ONLY, 1)
def test_rule_based_sentences_and_summaries_point_into_the_body(
    article: Article, count: int
) -> None:
    analysis = analyse(article, load_pipeline("rule-based"))
    assert_analysis_points_into_body(article, analysis)
    assert_summaries_inside_body(article, analysis, count)
