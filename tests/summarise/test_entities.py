"""One label per name in a story, counts merged by name, only useful labels shown."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from summarise.article import Analysis, Article, Mention
from summarise.entities import (
    DISPLAY_LABELS,
    RULE_NAMES,
    cut_edge_words,
    drop_lower_case,
    entity_counts,
    join_group_names,
    make_consistent,
    organisation_head,
    organisation_short_forms,
    person_after_title,
    place_by_context,
    postprocess,
    refine_mentions,
    top_entities,
)
from summarise.nlp import Pipeline, analyse_many, analyse_text
from summarise.sources import load_articles, seeds_path


def mentions_in(text: str, spans: list[tuple[str, str]]) -> list[Mention]:
    """Mentions for each (surface, label), found in order in ``text``."""
    found = []
    position = 0
    for surface, label in spans:
        start = text.index(surface, position)
        found.append(Mention(surface, label, start, start + len(surface)))
        position = start + len(surface)
    return found


def test_a_place_tagged_two_ways_ends_with_one_label() -> None:
    text = "Storms hit Velmora. Velmora closed its port. Aid reached Velmora on Friday."
    mentions = mentions_in(text, [("Velmora", "GPE"), ("Velmora", "ORG"), ("Velmora", "GPE")])
    labels = {m.label for m in make_consistent(mentions)}
    assert labels == {"GPE"}


def test_leading_the_and_possessive_do_not_split_a_name() -> None:
    text = "The Velmora Council met. Velmora Council's chair spoke to the Velmora Council."
    mentions = mentions_in(
        text,
        [
            ("The Velmora Council", "ORG"),
            ("Velmora Council's", "PERSON"),
            ("Velmora Council", "ORG"),
        ],
    )
    consistent = make_consistent(mentions)
    assert {m.label for m in consistent} == {"ORG"}
    # Offsets are kept exactly as given.
    assert [(m.start, m.end) for m in consistent] == [(m.start, m.end) for m in mentions]


def test_surname_takes_the_label_of_the_full_name() -> None:
    text = "Talks with Bashir al-Tamrin began. Tamrin said little."
    mentions = mentions_in(text, [("Bashir al-Tamrin", "PERSON"), ("Tamrin", "GPE")])
    assert [m.label for m in make_consistent(mentions)] == ["PERSON", "PERSON"]


def test_initials_take_the_label_of_the_organisation() -> None:
    text = "The Northern Rail Authority said trains run. NRA staff agreed."
    mentions = mentions_in(text, [("Northern Rail Authority", "ORG"), ("NRA", "GPE")])
    assert make_consistent(mentions)[1].label == "ORG"


def test_counts_merge_forms_of_one_name_most_frequent_first() -> None:
    text = "Mara Quill won. Quill thanked Oslo. Quill left Oslo. Mara Quill's coach cried."
    mentions = mentions_in(
        text,
        [
            ("Mara Quill", "PERSON"),
            ("Quill", "PERSON"),
            ("Oslo", "GPE"),
            ("Quill", "PERSON"),
            ("Oslo", "GPE"),
            ("Mara Quill's", "PERSON"),
        ],
    )
    analysis = Analysis("a", "p", (), tuple(mentions))
    counts = entity_counts(analysis)
    assert [(c.text, c.label, c.count) for c in counts] == [
        ("Mara Quill", "PERSON", 4),
        ("Oslo", "GPE", 2),
    ]


def test_top_entities_hide_numbers_and_dates() -> None:
    text = "On Monday 40 people met Lina Ost in Tarvo. Tarvo paid 5 dollars."
    mentions = mentions_in(
        text,
        [
            ("Monday", "DATE"),
            ("40", "CARDINAL"),
            ("Lina Ost", "PERSON"),
            ("Tarvo", "GPE"),
            ("Tarvo", "GPE"),
            ("5 dollars", "MONEY"),
        ],
    )
    top = top_entities(Analysis("a", "p", (), tuple(mentions)), n=8)
    assert [c.text for c in top] == ["Tarvo", "Lina Ost"]
    assert all(c.label in DISPLAY_LABELS for c in top)
    assert len(top_entities(Analysis("a", "p", (), tuple(mentions)), n=1)) == 1


def test_refined_mentions_drop_the_and_possessive_with_exact_offsets() -> None:
    text = "the Harbour Board's plan"
    refined = refine_mentions([Mention("the Harbour Board's", "ORG", 0, 19)], text)
    assert len(refined) == 1
    mention = refined[0]
    assert mention.text == "Harbour Board"
    assert text[mention.start : mention.end] == "Harbour Board"


def test_names_swept_up_with_scores_and_brackets_are_trimmed() -> None:
    text = "Rovers 3 United 1\nAnna Berg ( Sweden ) won."
    mentions = [
        Mention("Rovers 3", "ORG", 0, 8),
        Mention("Anna Berg ( Sweden", "PERSON", 18, 36),
    ]
    refined = refine_mentions(mentions, text)
    assert [(m.text, m.label) for m in refined] == [("Rovers", "ORG"), ("Anna Berg", "PERSON")]
    for mention in refined:
        assert text[mention.start : mention.end] == mention.text


def test_teams_in_a_results_table_are_organisations() -> None:
    from summarise.entities import label_table_rows

    text = "Results on Saturday:\nHarwick 2 Stenmoor 1\nLeague table:\nHarwick 5 4 1 0 12 3 13"
    tagged = [Mention("Harwick", "GPE", text.index("Harwick"), text.index("Harwick") + 7)]
    labelled = label_table_rows(tagged, text)
    assert {(m.text, m.label) for m in labelled} == {("Harwick", "ORG"), ("Stenmoor", "ORG")}
    assert len([m for m in labelled if m.text == "Harwick"]) == 2


def test_a_name_found_once_is_found_again() -> None:
    from summarise.entities import propagate

    text = "Mara Quill arrived in Tarvo. Later Quill left, and Tarvo was quiet."
    mentions = mentions_in(text, [("Mara Quill", "PERSON"), ("Tarvo", "GPE")])
    found = propagate(mentions, text)
    assert [(m.text, m.label) for m in found] == [
        ("Mara Quill", "PERSON"),
        ("Tarvo", "GPE"),
        ("Quill", "PERSON"),
        ("Tarvo", "GPE"),
    ]
    assert all(text[m.start : m.end] == m.text for m in found)


def test_a_town_taken_for_a_person_becomes_a_place_when_the_story_puts_it_somewhere() -> None:
    text = "Tarvello was quiet. Shelling resumed in Tarvello on Monday. Dr Ana Brisk left."
    mentions = mentions_in(
        text, [("Tarvello", "PERSON"), ("Tarvello", "PERSON"), ("Ana Brisk", "PERSON")]
    )
    labels = {m.text: m.label for m in make_consistent(place_by_context(mentions, text))}
    assert labels == {"Tarvello": "GPE", "Ana Brisk": "PERSON"}


def test_a_nationality_after_in_stays_a_group() -> None:
    text = "Fighting continued in Syrian territory."
    mentions = mentions_in(text, [("Syrian", "NORP")])
    assert [m.label for m in place_by_context(mentions, text)] == ["NORP"]


def test_a_group_word_split_from_its_name_is_joined_back() -> None:
    text = "Fighters of the Veltic Brigade retreated. German Chancellor Ilse Varn spoke."
    mentions = mentions_in(text, [("Veltic", "NORP"), ("German", "NORP"), ("Ilse Varn", "PERSON")])
    joined = join_group_names(mentions, text)
    assert [(m.text, m.label) for m in joined] == [
        ("Veltic Brigade", "ORG"),
        ("German", "NORP"),
        ("Ilse Varn", "PERSON"),
    ]
    assert all(text[m.start : m.end] == m.text for m in joined)


def test_a_group_word_is_joined_only_to_a_word_that_ends_the_name() -> None:
    text = (
        "Veltic Prime Minister Ana Brisk met Veltic Settlers in Tarvo. "
        "Ana Brisk then fought Veltic Brisk. The Veltic Front's fighters left."
    )
    mentions = mentions_in(
        text,
        [
            ("Veltic", "NORP"),
            ("Ana Brisk", "PERSON"),
            ("Veltic", "NORP"),
            ("Tarvo", "GPE"),
            ("Ana Brisk", "PERSON"),
            ("Veltic", "NORP"),
            ("Veltic", "NORP"),
            ("Front", "ORG"),
        ],
    )
    joined = [(m.text, m.label) for m in join_group_names(mentions, text)]
    assert joined == [
        ("Veltic", "NORP"),  # a title follows, not a name
        ("Ana Brisk", "PERSON"),
        ("Veltic Settlers", "NORP"),  # a group of people, not an organisation
        ("Tarvo", "GPE"),
        ("Ana Brisk", "PERSON"),
        ("Veltic", "NORP"),  # "Brisk" is a person's name in this story
        ("Veltic Front", "ORG"),  # the two tagged apart, joined into one
    ]


def test_a_city_taken_for_a_group_becomes_a_place_east_of_it_or_as_a_province() -> None:
    text = "Rebels left the countryside of Varnos. Halvik province fell. Varnos fans cheered."
    mentions = mentions_in(text, [("Varnos", "NORP"), ("Halvik", "PERSON"), ("Varnos", "NORP")])
    labels = {m.text: m.label for m in make_consistent(place_by_context(mentions, text))}
    assert labels == {"Varnos": "GPE", "Halvik": "GPE"}
    sentence = "A statement of Halvik Corp said the Kurdish fighters left."
    kept = mentions_in(sentence, [("Halvik Corp", "ORG"), ("Kurdish", "NORP")])
    assert [m.label for m in place_by_context(kept, sentence)] == ["ORG", "NORP"]


def test_a_town_misread_as_a_date_becomes_a_place_but_real_dates_stay() -> None:
    text = "Troops took the town of Maydor on Sunday. Maydor had fallen last week."
    mentions = mentions_in(
        text,
        [("Maydor", "DATE"), ("Sunday", "DATE"), ("Maydor", "DATE"), ("last week", "DATE")],
    )
    labels = [(m.text, m.label) for m in make_consistent(place_by_context(mentions, text))]
    assert labels == [
        ("Maydor", "GPE"),
        ("Sunday", "DATE"),
        ("Maydor", "GPE"),
        ("last week", "DATE"),
    ]


# --- the rules added for real pages, on invented sentences --------------------------


def test_a_joining_word_or_common_noun_at_the_end_is_not_part_of_a_name() -> None:
    text = "Raids in west and north Velmora. Harlan province and Tarvik news agency said so."
    mentions = mentions_in(
        text,
        [("west and", "GPE"), ("Harlan province", "GPE"), ("Tarvik news agency", "ORG")],
    )
    cut = cut_edge_words(mentions, text)
    assert [(m.text, m.label) for m in cut] == [
        ("west", "GPE"),
        ("Harlan", "GPE"),
        ("Tarvik", "ORG"),
    ]
    assert all(text[m.start : m.end] == m.text for m in cut)


def test_a_name_with_a_small_particle_and_titles_of_works_stay_whole() -> None:
    text = "Amira al-Tal sang Songs of the sea."
    mentions = mentions_in(text, [("Amira al-Tal", "PERSON"), ("Songs of the sea", "WORK_OF_ART")])
    assert cut_edge_words(mentions, text) == mentions


def test_a_word_without_a_capital_is_never_a_name() -> None:
    text = "The secretary of state met jihadist fighters yesterday in Velmora."
    mentions = mentions_in(
        text,
        [("state", "ORG"), ("jihadist", "NORP"), ("yesterday", "DATE"), ("Velmora", "GPE")],
    )
    kept = [(m.text, m.label) for m in drop_lower_case(mentions, text)]
    assert kept == [("yesterday", "DATE"), ("Velmora", "GPE")]


def test_numbers_and_dates_keep_their_digits_and_lose_a_swept_in_name() -> None:
    text = "Around 1,000 men left in 2014. Forces left Tarvello two days later. Independence Day"
    mentions = mentions_in(
        text,
        [
            ("Around 1,000", "CARDINAL"),
            ("2014", "DATE"),
            ("Tarvello two days", "DATE"),
            ("Independence Day", "DATE"),
        ],
    )
    refined = refine_mentions(mentions, text)
    assert [(m.text, m.label) for m in refined] == [
        ("Around 1,000", "CARDINAL"),
        ("2014", "DATE"),
        ("Tarvello", "DATE"),
        ("two days", "DATE"),
        ("Independence Day", "DATE"),
    ]
    assert all(text[m.start : m.end] == m.text for m in refined)


def test_a_minute_after_a_player_is_not_part_of_the_name() -> None:
    text = "Substitutes: Mara Quill 46th, Ana Brisk."
    refined = refine_mentions(mentions_in(text, [("Mara Quill 46th", "PERSON")]), text)
    assert [m.text for m in refined] == ["Mara Quill"]


def test_a_town_the_story_describes_as_one_is_a_place() -> None:
    text = "Rebels drove troops from Tarvello, a town in Harlan province, on Monday."
    mentions = mentions_in(text, [("Tarvello", "DATE"), ("Harlan", "GPE"), ("Monday", "DATE")])
    labels = [(m.text, m.label) for m in place_by_context(mentions, text)]
    assert labels == [("Tarvello", "GPE"), ("Harlan", "GPE"), ("Monday", "DATE")]


def test_an_organisation_is_a_place_only_on_strong_evidence() -> None:
    text = (
        "They cut the road to their stronghold of Kessarine. "
        "Investors bought shares in Brandt Holdings. Mara Quill, the city's mayor, spoke."
    )
    mentions = mentions_in(
        text,
        [("Kessarine", "ORG"), ("Brandt Holdings", "ORG"), ("Mara Quill", "PERSON")],
    )
    labels = [(m.text, m.label) for m in place_by_context(mentions, text)]
    assert labels == [("Kessarine", "GPE"), ("Brandt Holdings", "ORG"), ("Mara Quill", "PERSON")]


def test_a_name_after_a_title_is_a_person() -> None:
    text = "President Tarvello met Observatory chief Lina Ost in Velmora."
    mentions = mentions_in(
        text, [("Tarvello", "GPE"), ("Observatory", "ORG"), ("Lina Ost", "ORG"), ("Velmora", "GPE")]
    )
    labels = [(m.text, m.label) for m in person_after_title(mentions, text)]
    assert labels == [
        ("Tarvello", "PERSON"),
        ("Observatory", "ORG"),
        ("Lina Ost", "PERSON"),
        ("Velmora", "GPE"),
    ]


def test_an_organisation_shortened_to_its_head_word_keeps_its_label() -> None:
    text = (
        "The Velmora Institute for Peace Studies counted 40 dead, the Institute said. "
        "According to the Institute, Institute staff left."
    )
    mentions = mentions_in(
        text, [("Velmora Institute for Peace Studies", "ORG"), ("Institute", "PERSON")]
    )
    found = organisation_short_forms(mentions, text)
    assert [(m.text, m.label) for m in found] == [
        ("Velmora Institute for Peace Studies", "ORG"),
        ("Institute", "ORG"),
        ("Institute", "ORG"),  # "the Institute" found though untagged
    ]
    assert all(text[m.start : m.end] == m.text for m in found)
    counts = entity_counts(Analysis("a", "p", (), tuple(found)))
    assert [(c.text, c.label, c.count) for c in counts] == [
        ("Velmora Institute for Peace Studies", "ORG", 3)
    ]


def test_organisation_head_words() -> None:
    assert organisation_head("the Syrian Observatory for Human Rights") == "Observatory"
    assert organisation_head("Bank of Velmora") == "Bank"
    assert organisation_head("Tarvik") == ""
    assert organisation_head("ABC News") == "News"
    assert organisation_head("Tarvik AG") == ""


def test_rules_are_named_and_each_can_be_left_out() -> None:
    text = "Fighting in west and north Velmora."
    mentions = mentions_in(text, [("west and", "GPE"), ("Velmora", "GPE")])
    assert "lower-case" in RULE_NAMES and "place-context" in RULE_NAMES
    assert postprocess(mentions, text, RULE_NAMES) == mentions
    assert [m.text for m in postprocess(mentions, text)] == ["Velmora"]
    assert [m.text for m in postprocess(mentions, text, ["lower-case"])] == ["west", "Velmora"]
    with pytest.raises(ValueError, match="unknown"):
        postprocess(mentions, text, ["no-such-rule"])


# --- the real pages in seeds/ -------------------------------------------------------

PLACES = {
    "maheen": ["Maheen", "Homs"],
    "palmyra": ["Palmyra", "al-Qaryatayn"],
    "mayadeen": ["Mayadeen", "Deir Ezzor", "Albu Kamal"],
}
PEOPLE = {
    "maheen": ["John Kerry", "Sergei Lavrov"],
    "palmyra": ["Vladimir Putin", "Bashar al-Assad"],
    "mayadeen": ["Rami Abdel Rahman"],
}
ORGANISATIONS = {
    "maheen": ["Islamic State"],
    "palmyra": ["SANA", "Syrian Observatory for Human Rights", "Nusra Front", "Islamic State"],
    "mayadeen": ["SANA", "Syrian Observatory for Human Rights", "Islamic State"],
}
COMMON_WORDS = ("state", "jihadist", "west and", "west", "jihadists")


@dataclass
class SeedPage:
    article: Article
    mentions: list[Mention]  # of the body, as the engine analyses it
    others: list[Mention]  # of lines outside the body (captions), by nlp.analyse_text

    def labels(self, name: str) -> set[str]:
        return {m.label for m in [*self.mentions, *self.others] if m.text == name}


@pytest.fixture(scope="module")
def seed_pages(pipeline: Pipeline) -> dict[str, SeedPage]:
    articles = load_articles([seeds_path()])
    pages = {}
    for article, analysis in zip(articles, analyse_many(articles, pipeline), strict=True):
        outside = [block.text for block in article.blocks if block.text not in article.body]
        others = [m for text in outside for m in analyse_text(text, pipeline)]
        pages[Path(article.key).stem] = SeedPage(article, list(analysis.mentions), others)
    assert set(pages) == set(PLACES)
    return pages


@pytest.mark.parametrize("page", sorted(PLACES))
def test_seed_towns_and_provinces_are_places(seed_pages: dict[str, SeedPage], page: str) -> None:
    for name in PLACES[page]:
        assert seed_pages[page].labels(name) == {"GPE"}, name


@pytest.mark.parametrize("page", sorted(PEOPLE))
def test_seed_people_are_people(seed_pages: dict[str, SeedPage], page: str) -> None:
    for name in PEOPLE[page]:
        assert seed_pages[page].labels(name) == {"PERSON"}, name


@pytest.mark.parametrize("page", sorted(ORGANISATIONS))
def test_seed_organisations_are_organisations(seed_pages: dict[str, SeedPage], page: str) -> None:
    for name in ORGANISATIONS[page]:
        assert seed_pages[page].labels(name) == {"ORG"}, name


def test_seed_observatory_alone_is_the_organisation(seed_pages: dict[str, SeedPage]) -> None:
    for page in ("palmyra", "mayadeen"):
        assert seed_pages[page].labels("Observatory") == {"ORG"}, page
        counts = entity_counts(Analysis("a", "p", (), tuple(seed_pages[page].mentions)))
        names = [c.text for c in counts]
        assert "Syrian Observatory for Human Rights" in names
        assert "Observatory" not in names  # counted with the full name


@pytest.mark.parametrize("page", sorted(PLACES))
def test_seed_pages_show_no_common_word_as_a_name(
    seed_pages: dict[str, SeedPage], page: str
) -> None:
    seed = seed_pages[page]
    for mention in [*seed.mentions, *seed.others]:
        if mention.label in DISPLAY_LABELS and mention.label != "DATE":
            assert mention.text.casefold() not in COMMON_WORDS, mention
            assert any(ch.isupper() for ch in mention.text), mention
            assert mention.text.split()[-1] not in ("and", "or", "of"), mention
    top = top_entities(Analysis("a", "p", (), tuple(seed.mentions)), n=8)
    assert all(any(ch.isupper() for ch in count.text) for count in top)


def test_seed_mentions_point_at_their_text(seed_pages: dict[str, SeedPage]) -> None:
    for seed in seed_pages.values():
        for mention in seed.mentions:
            assert seed.article.body[mention.start : mention.end] == mention.text
