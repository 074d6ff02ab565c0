"""One label per name in a story, counts merged by name, only useful labels shown."""

from __future__ import annotations

from summarise.article import Analysis, Mention
from summarise.entities import (
    DISPLAY_LABELS,
    entity_counts,
    extend_name_particles,
    join_group_names,
    make_consistent,
    place_by_context,
    refine_mentions,
    top_entities,
)


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
    text = "Fighters of the Islamic Brigade retreated. German Chancellor Ilse Varn spoke."
    mentions = mentions_in(text, [("Islamic", "NORP"), ("German", "NORP"), ("Ilse Varn", "PERSON")])
    joined = join_group_names(mentions, text)
    assert [(m.text, m.label) for m in joined] == [
        ("Islamic Brigade", "ORG"),
        ("German", "NORP"),
        ("Ilse Varn", "PERSON"),
    ]
    assert all(text[m.start : m.end] == m.text for m in joined)


def test_a_name_cut_short_before_al_or_ez_is_carried_on() -> None:
    text = "Troops neared Qasr ez-Zahir province. Amira al-Tal spoke. Shop e-Books sold well."
    mentions = mentions_in(text, [("Qasr", "GPE"), ("Amira", "PERSON"), ("Shop", "ORG")])
    extended = extend_name_particles(mentions, text)
    assert [(m.text, m.label) for m in extended] == [
        ("Qasr ez-Zahir", "GPE"),
        ("Amira al-Tal", "PERSON"),
        ("Shop", "ORG"),  # "e-" is not a name particle
    ]
    assert all(text[m.start : m.end] == m.text for m in extended)


def test_a_city_taken_for_a_group_becomes_a_place_east_of_it_or_as_a_province() -> None:
    text = "Rebels left the countryside of Varnos. Halvik province fell. Varnos fans cheered."
    mentions = mentions_in(text, [("Varnos", "NORP"), ("Halvik", "PERSON"), ("Varnos", "NORP")])
    labels = {m.text: m.label for m in make_consistent(place_by_context(mentions, text))}
    assert labels == {"Varnos": "GPE", "Halvik": "GPE"}
    sentence = "A statement of Halvik Corp said the Kurdish fighters left."
    kept = mentions_in(sentence, [("Halvik Corp", "ORG"), ("Kurdish", "NORP")])
    assert [m.label for m in place_by_context(kept, sentence)] == ["ORG", "NORP"]


def test_a_town_misread_as_a_date_becomes_a_place_but_real_dates_stay() -> None:
    text = (
        "Troops took the town of Maydor on Sunday. Maydor had fallen last week. "
        "The Kerrin air base was shelled in early March."
    )
    mentions = mentions_in(
        text,
        [
            ("Maydor", "DATE"),
            ("Sunday", "DATE"),
            ("Maydor", "DATE"),
            ("last week", "DATE"),
            ("Kerrin", "PERSON"),
            ("early March", "DATE"),
        ],
    )
    labels = [(m.text, m.label) for m in make_consistent(place_by_context(mentions, text))]
    assert labels == [
        ("Maydor", "GPE"),
        ("Sunday", "DATE"),
        ("Maydor", "GPE"),
        ("last week", "DATE"),
        ("Kerrin", "GPE"),
        ("early March", "DATE"),
    ]
