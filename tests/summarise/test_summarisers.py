"""Every summariser picks whole sentences of the article, in article order."""

from __future__ import annotations

import pytest

from summarise import nlp
from summarise.article import Analysis, Article, Block, SentenceSpan
from summarise.nlp import analyse
from summarise.summarisers import DEFAULT_ALGORITHM, SUMMARISERS, summarise

PARAGRAPHS = (
    "A fire at the Kelso paper mill forced two hundred workers out on Sunday night. "
    "Firefighters from three towns fought the blaze at the Kelso mill until dawn.",
    "The mill owner, Dana Roe, said the fire started in a storage shed. "
    "Nobody was hurt in the fire, she said.",
    "What happens next? The mill will stay closed for at least a month while the damage "
    "is checked. Workers will be paid during the closure, the owner promised.",
    "The town has relied on the paper mill for jobs since the war. "
    "Local shops fear a long closure of the mill will hurt trade.",
)


@pytest.fixture(scope="module")
def story(pipeline: nlp.Pipeline) -> tuple[Article, Analysis]:
    article = Article(
        key="mill",
        title="Fire closes Kelso paper mill",
        blocks=tuple(Block("body", text) for text in PARAGRAPHS),
    )
    return article, analyse(article, pipeline)


@pytest.mark.parametrize("algorithm", sorted(SUMMARISERS))
@pytest.mark.parametrize("count", [1, 3, 5])
def test_every_summariser_returns_n_sentences_in_order(
    story: tuple[Article, Analysis], algorithm: str, count: int
) -> None:
    article, analysis = story
    summary = summarise(article, analysis, algorithm, sentences=count)
    ids = summary.sentence_ids
    assert summary.algorithm == algorithm
    assert len(ids) == count
    assert list(ids) == sorted(set(ids))
    assert all(0 <= i < len(analysis.sentences) for i in ids)
    for text in summary.sentences(article, analysis):
        assert text in article.body


@pytest.mark.parametrize("algorithm", sorted(SUMMARISERS))
def test_never_more_sentences_than_exist(story: tuple[Article, Analysis], algorithm: str) -> None:
    article, analysis = story
    summary = summarise(article, analysis, algorithm, sentences=100)
    assert summary.sentence_ids == tuple(range(len(analysis.sentences)))


def test_ratio_is_a_share_of_the_sentences_and_at_least_one(
    story: tuple[Article, Analysis],
) -> None:
    article, analysis = story
    assert len(analysis.sentences) == 9
    assert len(summarise(article, analysis, "lead", ratio=1 / 3).sentence_ids) == 3
    assert len(summarise(article, analysis, "lead", ratio=0.0001).sentence_ids) == 1


def test_default_length_is_three(story: tuple[Article, Analysis]) -> None:
    article, analysis = story
    summary = summarise(article, analysis)
    assert summary.algorithm == DEFAULT_ALGORITHM
    assert len(summary.sentence_ids) == 3


def test_empty_body_gives_empty_summary(pipeline: nlp.Pipeline) -> None:
    article = Article(key="empty", title="Nothing here", blocks=())
    analysis = analyse(article, pipeline)
    for algorithm in SUMMARISERS:
        assert summarise(article, analysis, algorithm).sentence_ids == ()


def test_unknown_algorithm_lists_the_known_ones(story: tuple[Article, Analysis]) -> None:
    article, analysis = story
    with pytest.raises(ValueError, match="lexrank"):
        summarise(article, analysis, "nonesuch")


def test_sumy_tokenizer_is_never_used(
    story: tuple[Article, Analysis], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sumy.nlp.tokenizers as sumy_tokenizers

    class Forbidden:
        def __init__(self, *args: object, **kwargs: object) -> None:
            raise AssertionError("sumy's NLTK tokenizer was used")

    monkeypatch.setattr(sumy_tokenizers, "Tokenizer", Forbidden)
    article, analysis = story
    for algorithm in SUMMARISERS:
        assert len(summarise(article, analysis, algorithm, sentences=2).sentence_ids) == 2


def test_repeated_sentence_is_not_chosen_twice() -> None:
    text = "Rain fell on the hills all day long. " * 2 + "Rivers rose fast across the whole valley."
    first = text.index("Rain")
    second = text.index("Rain", first + 1)
    third = text.index("Rivers")
    body_sentences = (
        SentenceSpan(first, first + 36, 0),
        SentenceSpan(second, second + 36, 0),
        SentenceSpan(third, len(text), 0),
    )
    article = Article(key="r", title="Rain", blocks=(Block("body", text),))
    analysis = Analysis(article.id, "p", body_sentences)
    for algorithm in SUMMARISERS:
        if algorithm == "lead":
            continue
        ids = summarise(article, analysis, algorithm, sentences=2).sentence_ids
        chosen = [article.body[body_sentences[i].start : body_sentences[i].end] for i in ids]
        assert len(set(chosen)) == len(chosen), algorithm


def test_news_skips_questions_and_prefers_the_opening(story: tuple[Article, Analysis]) -> None:
    article, analysis = story
    chosen = summarise(article, analysis, "news", sentences=3).sentences(article, analysis)
    assert not any(text.endswith("?") for text in chosen)
    assert chosen[0].startswith("A fire at the Kelso paper mill")


def test_news_prefers_a_central_sentence_over_an_early_aside() -> None:
    from summarise.newsrank import news_summary

    texts = [
        "The city council approved the new river bridge budget on Monday evening.",
        "It was raining heavily outside the town hall for most of the day.",
        "The river bridge budget covers repairs to the old bridge and a new cycle lane.",
        "Council members said the river bridge repairs would start in the spring.",
        "The bridge budget vote followed a long council debate on river traffic.",
        "A local bakery sold out of bread by noon.",
    ]
    chosen = news_summary("", texts, Analysis("a", "p", ()), 2)
    assert 0 in chosen  # the opening sentence states the news
    assert 1 not in chosen and 5 not in chosen  # asides share nothing with the story


def test_news_skips_a_near_repeat() -> None:
    from summarise.newsrank import news_summary

    texts = [
        "Floods closed the main road between the two northern valley towns on Friday.",
        "Floods closed the main road between the two northern valley towns on Friday night.",
        "Engineers expect the northern valley road to reopen once the floods recede.",
        "Residents of both valley towns were told to avoid the flooded road.",
    ]
    chosen = news_summary("", texts, Analysis("a", "p", ()), 2)
    assert not {0, 1} <= set(chosen)


def test_news_lead_prior_fades_as_the_summary_keeps_more_of_the_story() -> None:
    from summarise.newsrank import lead_prior_strength

    short = lead_prior_strength(1, 20)
    middling = lead_prior_strength(5, 20)
    assert short > middling > 0
    assert lead_prior_strength(10, 20) == 0


def test_news_keeps_the_opening_only_when_the_summary_is_short() -> None:
    from summarise.newsrank import news_summary, sentence_scores

    texts = [
        "Officials opened a new harbour office on the coast this week.",
        "The harbour ferry strike left hundreds of harbour ferry passengers stranded at the port.",
        "Ferry workers began the harbour strike over ferry pay and harbour port safety rules.",
        "Port managers said the ferry strike could close the harbour port for days.",
        "Passengers at the port queued for buses after the ferry strike cancelled sailings.",
        "A café near the pier served tea to travellers waiting in the rain.",
        "Local radio played music through the afternoon for listeners at home.",
    ]
    short = sentence_scores("", texts, count=1)
    assert short[0] > short[4]  # one line of seven: trust the writer's opening
    longer = news_summary("", texts, Analysis("a", "p", ()), 3)
    assert 0 not in longer  # three of seven: room for the central lines
    assert set(longer) <= {1, 2, 3, 4}


def test_news_leaves_pieces_of_a_quote_out_of_a_short_summary_only() -> None:
    from summarise.newsrank import news_summary

    texts = [
        "The mayor defended the harbour budget plan at a packed council meeting on Tuesday.",
        '"The harbour budget plan protects every harbour job and the council budget.',
        'It keeps the harbour open to ferries all winter," the mayor told the council.',
        "Council members will vote on the harbour budget plan next month.",
        "Opponents of the harbour budget plan said the council had ignored ferry workers.",
        "The ferry workers union plans a protest outside the harbour council offices.",
        "A market stall near the pier sold fresh fish to early shoppers.",
        "Rain is forecast for the coast on Wednesday morning.",
        "The harbour budget debate ran late into the night at the council.",
        "Local radio carried the council meeting live for listeners at home.",
    ]
    analysis = Analysis("a", "p", ())
    short = news_summary("", texts, analysis, 2)
    assert 1 not in short and 2 not in short  # alone, half a quote loses its speaker
    long = news_summary("", texts, analysis, 5)
    assert 1 in long  # half the story kept: the quote's other half can be there too


def test_news_keeps_a_line_saying_it_only_with_the_line_it_points_back_to() -> None:
    from summarise.newsrank import news_summary

    texts = [
        "The rail operator cut evening train services across the northern rail network.",
        "A storm brought down trees near the coast overnight.",
        "It said the northern rail network cuts would last until the rail strike ended.",
        "Passengers on the northern rail network faced long waits for replacement buses.",
        "Rail unions called the strike after talks on rail network pay broke down.",
        "The northern rail network timetable will be reviewed next week.",
        "A new café opened in the station square.",
        "Rail managers said the train services cuts protect the network during the strike.",
        "The weather is expected to improve by the weekend.",
        "Shoppers filled the town centre on Saturday.",
    ]
    analysis = Analysis("a", "p", ())
    chosen = news_summary("", texts, analysis, 2)
    assert 2 not in chosen  # "It" would point at the storm, not the rail operator
    assert 0 in chosen
