"""Grouping: same-event stories from different outlets join, different events stay apart."""

from __future__ import annotations

import random

import summarise.grouping as grouping
from summarise.article import Analysis, Article, Block
from summarise.grouping import DEFAULT_THRESHOLD, group_articles
from summarise.nlp import Pipeline, analyse_many

FLOOD_LEAD = [
    "Heavy rain sent the river Ostrava over its banks on Sunday night, forcing about 4,000 "
    "residents of the town of Kelsby to leave their homes, regional officials said.",
    "Rescue teams used boats to reach families trapped on upper floors in the old quarter, "
    "and two elderly men were taken to hospital with hypothermia.",
    "Mayor Dagmar Holt said the water had risen 1.8 metres in six hours, faster than during "
    "the record flood of 1997, and that the town's main bridge had been closed.",
    "The national weather service warned that more rain was expected on Tuesday across the "
    "northern hills, where the ground is already saturated.",
]
FLOOD_TAIL = [
    "Insurers said it was too early to estimate the cost of the damage.",
    "Volunteers filled sandbags at the fire station through the night.",
]

BATTLES = [
    (
        "Syrian army retakes Qasra from Islamic State",
        "2016-03-02",
        [
            "The Syrian army, backed by Russian air strikes, recaptured the town of Qasra from "
            "Islamic State fighters on Wednesday after nine days of fighting, state media said.",
            "Troops entered Qasra from the south after engineers cleared mines along the "
            "highway from Homs, a military source told state television.",
            "The Syrian Observatory for Human Rights said at least 60 militants and 23 soldiers "
            "were killed in the battle for the farming town.",
            "Islamic State had held Qasra since August, using it to shell army positions on "
            "the plain below.",
        ],
    ),
    (
        "Russian jets pound Islamic State near Tell Bara as Syrian army advances",
        "2016-04-19",
        [
            "Russian air strikes hit Islamic State positions around Tell Bara on Tuesday as the "
            "Syrian army pushed towards the oil fields east of the town, a monitoring group said.",
            "Government troops and allied militia seized two hills overlooking Tell Bara, the "
            "Observatory reported, and heavy clashes continued overnight.",
            "Islamic State sent car bombs against the advancing columns, killing 14 soldiers, "
            "according to a commander quoted by a pro-government newspaper.",
            "Control of the oil fields near Tell Bara would cut one of the militants' last "
            "sources of money in the province.",
        ],
    ),
    (
        "Islamic State counterattack repelled at Wadi Sahm airbase",
        "2016-06-07",
        [
            "The Syrian army said on Monday it had repelled an Islamic State assault on the Wadi "
            "Sahm airbase with the help of Russian air strikes.",
            "Militants attacked the base's northern gate before dawn with three suicide bombers "
            "and about 200 fighters, a spokesman for the garrison said.",
            "The attack was the fourth on Wadi Sahm this year; the airbase has been besieged "
            "since January and is supplied only by helicopter.",
            "The Observatory said 31 attackers and nine defenders died in the fighting.",
        ],
    ),
]

MARKET_STORY = [
    "Shares in the cosmetics maker Brillant fell 12 percent on Thursday after the company "
    "cut its annual sales forecast, blaming weak demand in Asia.",
    "Chief executive Paolo Renzi told analysts that inventories in Chinese department stores "
    "would take two more quarters to clear.",
    "The company also announced a share buyback worth 500 million euros.",
]


def make_article(key: str, title: str, paragraphs: list[str], published: str = "") -> Article:
    blocks = (Block("title", title), *(Block("body", text) for text in paragraphs))
    return Article(key=key, title=title, blocks=blocks, published=published)


def no_analyses() -> dict[str, Analysis]:
    return {}


def flood_copies() -> list[Article]:
    return [
        make_article("wire.txt", "Thousands flee as river floods Kelsby", FLOOD_LEAD + FLOOD_TAIL),
        make_article("market.txt", "Brillant shares slump after forecast cut", MARKET_STORY),
        # The same agency story, headline rewritten and the last paragraphs cut.
        make_article(
            "paper.html", "Kelsby residents evacuated in night of rising water", FLOOD_LEAD[:3]
        ),
    ]


def battles(with_dates: bool = True) -> list[Article]:
    return [
        make_article(f"battle-{n}.txt", title, text, published if with_dates else "")
        for n, (title, published, text) in enumerate(BATTLES)
    ]


def member_sets(groups: list) -> list[set[str]]:
    return [set(group.members) for group in groups]


def test_copies_of_one_story_with_new_headline_and_cut_ending_form_one_group() -> None:
    groups = group_articles(flood_copies(), no_analyses())
    assert member_sets(groups) == [{"wire.txt", "paper.html"}, {"market.txt"}]


def test_battles_of_one_war_in_different_towns_stay_apart() -> None:
    groups = group_articles(battles(), no_analyses())
    assert member_sets(groups) == [{"battle-0.txt"}, {"battle-1.txt"}, {"battle-2.txt"}]


def test_battles_stay_apart_even_without_publication_dates() -> None:
    groups = group_articles(battles(with_dates=False), no_analyses())
    assert len(groups) == 3


def test_grouping_with_model_entities_agrees(pipeline: Pipeline) -> None:
    articles = battles() + flood_copies()
    analyses = {analysis.article_id: analysis for analysis in analyse_many(articles, pipeline)}
    groups = group_articles(articles, analyses)
    assert member_sets(groups) == [
        {"battle-0.txt"},
        {"battle-1.txt"},
        {"battle-2.txt"},
        {"wire.txt", "paper.html"},
        {"market.txt"},
    ]


def test_every_article_is_in_exactly_one_group_in_corpus_order() -> None:
    articles = flood_copies() + battles()
    groups = group_articles(articles, no_analyses())
    members = [key for group in groups for key in group.members]
    assert sorted(members) == sorted(article.key for article in articles)
    first_positions = [[a.key for a in articles].index(group.members[0]) for group in groups]
    assert first_positions == sorted(first_positions)


def test_group_ids_do_not_depend_on_input_order() -> None:
    articles = flood_copies()
    forward = {frozenset(g.members): g.id for g in group_articles(articles, no_analyses())}
    backward = {frozenset(g.members): g.id for g in group_articles(articles[::-1], no_analyses())}
    assert forward == backward
    assert len(set(forward.values())) == len(forward)


def test_a_group_says_why_its_members_belong_together() -> None:
    groups = group_articles(flood_copies(), no_analyses())
    flood = next(group for group in groups if len(group.members) == 2)
    assert {(pair.first, pair.second) for pair in flood.pairs} == {("wire.txt", "paper.html")}
    assert flood.pairs[0].score >= DEFAULT_THRESHOLD
    assert "Kelsby" in flood.pairs[0].shared_entities
    assert "Kelsby" in flood.shared_entities
    assert "Kelsby" in flood.why
    single = next(group for group in groups if len(group.members) == 1)
    assert single.pairs == ()
    assert single.why == "single story"


def test_a_higher_threshold_never_makes_bigger_groups() -> None:
    articles = flood_copies() + battles()
    strict = group_articles(articles, no_analyses(), threshold=99.0)
    loose = group_articles(articles, no_analyses(), threshold=DEFAULT_THRESHOLD)
    assert len(strict) >= len(loose)
    assert len(group_articles(articles, no_analyses(), threshold=100.1)) == len(articles)


def test_a_weak_bridge_does_not_chain_two_stories_together() -> None:
    flood = flood_copies()
    market = [
        make_article("market-2.txt", "Brillant cuts forecast", MARKET_STORY[:2]),
        make_article("market-1.txt", "Brillant sales warning", MARKET_STORY),
    ]
    bridge = make_article(
        "digest.txt",
        "Kelsby floods and Brillant shares",
        [FLOOD_LEAD[0], FLOOD_LEAD[2], MARKET_STORY[0], MARKET_STORY[1]],
    )
    groups = group_articles([flood[0], flood[2], bridge, *market], no_analyses())
    for group in groups:
        assert not (
            {"wire.txt", "paper.html"} <= set(group.members) and "market-1.txt" in group.members
        )


def test_empty_and_textless_input() -> None:
    assert group_articles([], no_analyses()) == []
    blank = [make_article("a", "", []), make_article("b", "", [])]
    assert [len(group.members) for group in group_articles(blank, no_analyses())] == [1, 1]


def test_unrelated_articles_are_not_all_compared() -> None:
    chooser = random.Random(7)
    vocabulary = [f"word{n}" for n in range(3000)]
    articles = [
        make_article(f"note-{n}.txt", f"Notice {n}", [" ".join(chooser.sample(vocabulary, 30))])
        for n in range(300)
    ]
    scored = grouping.ScoredCorpus(articles, no_analyses())
    assert len(scored.groups()) == 300
    assert scored.scored_pairs < 300 * 299 // 2 // 10


def test_analyses_without_entities_fall_back_to_capitalised_names() -> None:
    articles = battles() + flood_copies()
    sentence_only = {
        article.id: Analysis(article.id, "rule-based", (), (), entities_available=False)
        for article in articles
    }
    groups = group_articles(articles, sentence_only)
    assert member_sets(groups) == member_sets(group_articles(articles, no_analyses()))
    flood = next(group for group in groups if len(group.members) == 2)
    assert "Kelsby" in flood.shared_entities
