"""Finding an article's parts in raw text: title, dateline, source, captions, boilerplate."""

from __future__ import annotations

import pytest

from summarise.article import RawDocument
from summarise.ingest.build import build_article, classify_lines
from summarise.ingest.dates import normalise_date
from summarise.text import clean_text

PARAGRAPHS = [
    "Rescue teams reached the flooded villages in the north of the valley on Monday after "
    "the water level in the river began to fall for the first time in a week.",
    "Officials said more than two thousand people had spent the weekend in school buildings "
    "and community halls, where volunteers handed out blankets, food and drinking water.",
    "The regional governor told reporters that the damage to roads and bridges would take "
    "months to repair, and that farmers would receive help to replace lost livestock.",
    "Forecasters warned that more rain was expected later in the week, although they said "
    "it was unlikely to be as heavy as the storms that caused the flooding.",
    "Residents who returned to their homes described thick mud covering floors and "
    "furniture, and several said they had lost everything they owned.",
]

MENU_PAGE = "\n".join(
    [
        "Floods: rescue teams reach cut-off villages | Valley Gazette",
        "Skip to content",
        *["Home", "News", "Sport", "Weather", "Opinion", "Video", "Subscribe"],
        "Search",
        "",
        "Floods: rescue teams reach cut-off villages",
        "By Anna Weller",
        "Monday 14 March 2022 18:02 GMT",
        "Share on Facebook",
        "Share on Twitter",
        "Volunteers carry supplies through a flooded street",
        "Photo: Valley Gazette / J. Marsh",
        "",
        "\n\n".join(PARAGRAPHS),
        "",
        "Most read",
        "Cup final tickets go on sale",
        "New bus timetable starts next month",
        "Home",
        "News",
        "Sport",
        "We use cookies to give you the best experience. By using this site you agree to this.",
        "Privacy policy",
        "© 2022 Valley Gazette. All rights reserved.",
    ]
)


def article_from(text: str, **metadata: object):
    return build_article(RawDocument(key="test", text=text, **metadata))


@pytest.fixture(scope="module")
def menu_article():
    return article_from(MENU_PAGE)


def test_page_full_of_menus_keeps_only_the_story_in_the_body(menu_article):
    assert [block.text for block in menu_article.body_blocks] == PARAGRAPHS


def test_page_title_source_and_date(menu_article):
    assert menu_article.title == "Floods: rescue teams reach cut-off villages"
    assert menu_article.source == "Valley Gazette"
    assert menu_article.published == "2022-03-14"


def test_photo_text_and_credit_are_captions(menu_article):
    captions = [block.text for block in menu_article.blocks if block.kind == "caption"]
    assert captions == [
        "Volunteers carry supplies through a flooded street",
        "Photo: Valley Gazette / J. Marsh",
    ]


def test_every_line_of_the_page_gets_a_block():
    blocks = classify_lines(MENU_PAGE)
    assert len(blocks) == len([line for line in MENU_PAGE.split("\n") if line.strip()])
    kinds = {block.text: block.kind for block in blocks}
    assert kinds["Cup final tickets go on sale"] == "boilerplate"
    assert kinds["Monday 14 March 2022 18:02 GMT"] == "dateline"
    assert kinds["By Anna Weller"] == "boilerplate"


# Agencies in these stories are fictional: a real one must not be put on invented text.
AGENCY_STORY = "\n\n".join(
    [
        "Floods ease in northern valley",
        "KARVINA, March 14 (Northwind Wire) - " + PARAGRAPHS[0],
        *PARAGRAPHS[1:],
        "(Reporting by Jan Novak; Editing by Clare Hughes)",
    ]
)


def test_agency_dateline_is_split_from_the_first_paragraph():
    article = article_from(AGENCY_STORY)
    assert article.body_blocks[0].text == PARAGRAPHS[0]
    datelines = [block.text for block in article.blocks if block.kind == "dateline"]
    assert datelines == ["KARVINA, March 14 (Northwind Wire)"]
    assert article.source == "Northwind Wire"
    assert "Reporting by" not in article.body


def test_dateline_without_a_year_gives_no_date_until_the_page_names_one():
    assert article_from(AGENCY_STORY).published == ""
    dated = AGENCY_STORY + "\n\n© 2019 Northwind Wire"
    assert article_from(dated).published == "2019-03-14"


def test_short_place_dateline_with_agency_in_other_style():
    text = "Storm damage\n\n" + "\n\n".join(
        ["OSLO (Valley Wire) — " + PARAGRAPHS[0], *PARAGRAPHS[1:]]
    )
    article = article_from(text)
    assert article.source == "Valley Wire"
    assert article.body.startswith("Rescue teams reached")


def test_plain_text_first_line_is_the_title_and_wrapped_lines_are_joined():
    wrapped = "\n".join(
        [
            "Valley floods",
            "",
            "Rescue teams reached the flooded villages in the north of the valley",
            "on Monday after the water level in the river began to fall for the",
            "first time in a week.",
        ]
    )
    article = article_from(wrapped)
    assert article.title == "Valley floods"
    assert [block.text for block in article.body_blocks] == [PARAGRAPHS[0]]


def test_list_of_headlines_is_not_joined_into_prose():
    text = (
        "\n\n".join(["Valley floods", *PARAGRAPHS])
        + "\n\nRelated\n"
        + "\n".join(
            [
                "Council approves the new bridge across the river",
                "School reopens after the summer storm damage",
                "Farmers count the cost of the wettest spring on record",
            ]
        )
    )
    article = article_from(text)
    assert [block.text for block in article.body_blocks] == PARAGRAPHS


def test_stated_metadata_wins_over_guesses():
    article = article_from(
        MENU_PAGE, title="Stated title", source="Stated Source", published="2020-01-02"
    )
    assert (article.title, article.source, article.published) == (
        "Stated title",
        "Stated Source",
        "2020-01-02",
    )
    assert [block.text for block in article.body_blocks] == PARAGRAPHS


def test_extracted_text_keeps_its_title_and_drops_captions_and_credits():
    text = "\n".join(
        [
            "Floods ease in northern valley",
            PARAGRAPHS[0],
            "A rescue boat on the river on Monday. (Photo | Valley Wire)",
            *PARAGRAPHS[1:],
            "Reporting by Jan Novak; Editing by Clare Hughes",
        ]
    )
    article = build_article(
        RawDocument(
            key="page", text=text, title="Floods ease in northern valley", paragraphs_known=True
        )
    )
    assert article.title == "Floods ease in northern valley"
    assert [block.text for block in article.body_blocks] == PARAGRAPHS
    assert [b.kind for b in article.blocks if "Photo" in b.text] == ["caption"]


def test_repeated_lines_never_reach_the_body():
    quote = "The water came up faster than anyone had expected, one resident said."
    text = "\n\n".join(["Valley floods", *PARAGRAPHS[:3], quote, *PARAGRAPHS[3:], quote])
    article = article_from(text)
    assert article.body.count(quote) == 1


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("March 22, 2016", "2016-03-22"),
        ("22 March 2016", "2016-03-22"),
        ("Tue Mar 22, 2016 2:41pm EDT", "2016-03-22"),
        ("2016-03-22T14:41:00+00:00", "2016-03-22"),
        ("Published: 24th November 2015 04:18 AM", "2015-11-24"),
        ("Tue, 22 Mar 2016 10:00:00 +0000", "2016-03-22"),
        ("March 32, 2016", ""),
        ("no date here", ""),
    ],
)
def test_dates_in_common_written_forms(written, iso):
    assert normalise_date(written) == iso


def test_clean_text_removes_terminal_controls_but_keeps_text():
    dirty = "a\x1b[2J\x1b]0;title\x07b\r\nc\rd\x00e\t[red]f[/red]\u202eg"
    assert clean_text(dirty) == "ab\nc\nde\t[red]f[/red]g"


def test_short_note_without_prose_keeps_its_lines_as_body():
    article = article_from("Shopping\n\nmilk\neggs\nbread")
    assert article.title == "Shopping"
    assert [block.text for block in article.body_blocks] == ["milk", "eggs", "bread"]
    assert article_from("Only one line").body == "Only one line"


def test_long_page_of_menus_without_prose_has_no_body():
    menus = "\n".join(f"Section {number}" for number in range(60))
    assert article_from(menus).body == ""
