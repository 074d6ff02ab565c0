"""Sentence spans and entity mentions as the reader sees them in the article body."""

from __future__ import annotations

import pytest

from summarise import nlp
from summarise.article import Article, Block
from summarise.nlp import ModelNotFound, analyse, analyse_many, load_pipeline
from summarise.text import words as tokens


def make_article(*paragraphs: str, title: str = "A made-up story") -> Article:
    return Article(key="test", title=title, blocks=tuple(Block("body", p) for p in paragraphs))


PARAGRAPHS = (
    "The harbour council in Port Elda voted on Tuesday to close the old ferry pier. "
    "Repairs would have cost more than a new pier",
    "Mayor Jane Ortolan said the vote was close. She will meet the ferry company in March.",
    "Residents asked questions. Many wanted the pier kept open for fishing boats.",
)


def test_sentence_offsets_match_body_text(pipeline: nlp.Pipeline) -> None:
    article = make_article(*PARAGRAPHS)
    analysis = analyse(article, pipeline)
    body = article.body
    texts = [body[s.start : s.end] for s in analysis.sentences]
    assert texts[0].startswith("The harbour council")
    assert "She will meet the ferry company in March." in texts
    for text in texts:
        assert text == text.strip()
        assert text


def test_no_sentence_crosses_a_paragraph(pipeline: nlp.Pipeline) -> None:
    article = make_article(*PARAGRAPHS)
    analysis = analyse(article, pipeline)
    spans = article.paragraph_spans
    # The first paragraph has no final full stop; its last words must still not run
    # into the next paragraph's first sentence.
    assert len({s.paragraph for s in analysis.sentences}) == len(PARAGRAPHS)
    for sentence in analysis.sentences:
        start, end = spans[sentence.paragraph]
        assert start <= sentence.start < sentence.end <= end


def test_entities_point_at_their_text(pipeline: nlp.Pipeline) -> None:
    article = make_article(*PARAGRAPHS)
    analysis = analyse(article, pipeline)
    assert analysis.entities_available
    assert analysis.mentions
    for mention in analysis.mentions:
        assert article.body[mention.start : mention.end] == mention.text
    people = {m.text for m in analysis.mentions if m.label == "PERSON"}
    assert "Jane Ortolan" in people


def test_analyse_many_keeps_order_and_matches_single(pipeline: nlp.Pipeline) -> None:
    first = make_article(*PARAGRAPHS)
    second = make_article("Only one short paragraph here. It has two sentences.", title="Other")
    empty = make_article(title="Nothing")
    results = list(analyse_many([first, second, empty], pipeline))
    assert [r.article_id for r in results] == [first.id, second.id, empty.id]
    assert results[0] == analyse(first, pipeline)
    assert len(results[1].sentences) == 2
    assert results[2].sentences == ()


def test_pipeline_is_loaded_once(pipeline: nlp.Pipeline) -> None:
    assert load_pipeline() is pipeline
    assert pipeline.name in pipeline.fingerprint


def test_unknown_model_is_a_clear_error() -> None:
    with pytest.raises(ModelNotFound, match="no_such_model_xyz"):
        load_pipeline("no_such_model_xyz")


def test_rule_based_fallback_when_no_model_is_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(name: str) -> nlp.Pipeline:
        if name in nlp.DEFAULT_MODELS:
            raise ModelNotFound(name)
        return nlp._rule_based()

    monkeypatch.setattr(nlp, "_PIPELINES", {})
    monkeypatch.setattr(nlp, "_load_model", missing)
    fallback = load_pipeline()
    assert fallback.name == "rule-based"
    assert not fallback.has_entities
    article = make_article(*PARAGRAPHS)
    analysis = analyse(article, fallback)
    assert not analysis.entities_available
    assert analysis.mentions == ()
    texts = [article.body[s.start : s.end] for s in analysis.sentences]
    assert "Residents asked questions." in texts
    assert analysis.pipeline == fallback.fingerprint


def test_tokens_are_words() -> None:
    assert tokens("Isn't it well-known? Yes: 42 cats.") == [
        "Isn't",
        "it",
        "well-known",
        "Yes",
        "42",
        "cats",
    ]


def test_headline_in_capitals_is_recased_without_moving_offsets() -> None:
    from summarise.nlp import recase_capitals

    lines = ["HARWICK ROVERS SIGN NEW COACH AT THE CLUB", "Harwick Rovers signed a coach today."]
    recased = recase_capitals(lines)
    assert [len(line) for line in recased] == [len(line) for line in lines]
    assert recased[0].startswith("Harwick Rovers")
    assert " at the " in recased[0]
    assert recased[1] == lines[1]


def test_analyse_text_finds_names_in_capitals(pipeline: nlp.Pipeline) -> None:
    from summarise.nlp import analyse_text

    text = "JOHN MARSDEN JOINS THE BOARD\nJohn Marsden joined the board of the bank on Monday."
    mentions = analyse_text(text, pipeline)
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.text
    people = [m for m in mentions if m.label == "PERSON"]
    assert {m.start for m in people} >= {0, text.index("John")}
