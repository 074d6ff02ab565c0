"""A page pasted from the browser, headline first: what the reader sees as its parts.

Every outlet, place and person here is invented.
"""

from __future__ import annotations

import pytest

from summarise.article import RawDocument
from summarise.ingest.build import build_article
from summarise.ingest.dates import find_date

STORY = [
    "Ferry crews on the Dunmarsh crossing walked out on Tuesday after talks over night "
    "shifts broke down, leaving hundreds of passengers waiting at both harbours.",
    "The Dunmarsh Ferry Company said it would run a reduced timetable on Wednesday and "
    "urged travellers to check the latest sailings before setting off.",
    "Union organiser Petra Loame said the crews had asked for a second rest break on "
    "shifts longer than ten hours, and that the company had refused to discuss it.",
    "Harbour shops on both sides of the estuary said trade had already fallen sharply "
    "since the first warning of the strike was given last month.",
]
CAPTION = (
    "Passengers wait on the quay at Dunmarsh harbour as the morning sailing is cancelled. "
    "Photograph: Corra Vale Agency"
)


def pasted(*lines: str) -> str:
    return "\n\n".join(lines)


def build(text: str):
    return build_article(RawDocument(key="page.txt", text=text, origin="txt"))


def test_headline_first_line_standfirst_and_a_caption_shown_twice():
    article = build(
        pasted(
            "Ferry crews strike as night shift talks collapse",
            "Hundreds of passengers stranded as both harbours fall silent for the day",
            CAPTION,
            CAPTION,
            *STORY,
        )
    )
    assert article.title == "Ferry crews strike as night shift talks collapse"
    assert (
        article.standfirst
        == "Hundreds of passengers stranded as both harbours fall silent for the day"
    )
    kinds = [block.kind for block in article.blocks if block.text == CAPTION]
    assert kinds == ["caption", "caption"]
    assert CAPTION not in article.body
    assert article.body.split("\n\n") == STORY


def test_agency_credit_leaves_the_last_sentence_and_names_the_source():
    last = "Some ferries were still tied up at nightfall. – (Northwind Wire)"
    article = build(pasted("Ferry crews strike as night shift talks collapse", *STORY, last))
    assert article.source == "Northwind Wire"
    assert article.body.endswith("Some ferries were still tied up at nightfall.")
    assert "(Northwind Wire)" not in article.body


def test_site_named_beside_its_own_address_is_the_source():
    article = build(
        pasted(
            "Ferry crews strike as night shift talks collapse",
            *STORY,
            "Related Stories",
            "No stories found.",
            "X",
            "The Estuary Herald",
            "www.estuaryherald.example",
        )
    )
    assert article.source == "The Estuary Herald"
    for furniture in ("Related Stories", "No stories found.", "The Estuary Herald"):
        assert furniture not in article.body


def test_share_buttons_are_never_the_source():
    article = build(pasted("Ferry crews strike as night shift talks collapse", *STORY, "Facebook"))
    assert article.source == ""


def test_owner_in_the_copyright_and_the_brand_in_the_page():
    article = build(
        pasted(
            "Ferry crews strike as night shift talks collapse",
            "Dunmarsh Evening Post",
            *STORY,
            "Dunmarsh Evening Post",
            "© 2024 DEP Holdings, Inc. All Rights Reserved",
        )
    )
    assert article.source == "Dunmarsh Evening Post"


def test_copyright_holder_loses_its_legal_form():
    article = build(
        pasted(
            "Ferry crews strike as night shift talks collapse",
            *STORY,
            "© Corra Vale Agency",
            "© 2024 Estuary Herald Pty Ltd. All rights reserved.",
        )
    )
    assert article.source == "Estuary Herald"


def test_date_under_the_headline_in_day_month_order():
    article = build(
        pasted("Ferry crews strike as night shift talks collapse", "• 22/03/2016", *STORY)
    )
    assert article.published == "2016-03-22"


def test_no_date_is_invented():
    article = build(pasted("Ferry crews strike as night shift talks collapse", *STORY))
    assert article.published == ""


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("• 22/03/2016", "2016-03-22"),
        ("3/22/2016", "2016-03-22"),
        ("03/04/2016", ""),  # March 4 or 3 April: not guessed
        ("sexta-feira, 22 de outubro de 2010", "2010-10-22"),
        ("Posted on Maret 30, 2015", "2015-03-30"),
        ("22. März 2016", "2016-03-22"),
        ("By Ann Fell - 11/19/19 06:56 AM EST", "2019-11-19"),
        ("won 11/19/19", ""),  # a two-digit year only in a time stamp
    ],
)
def test_dates_as_pages_write_them(written: str, iso: str):
    assert find_date(written) == iso


def test_headline_shown_twice_is_not_a_caption():
    headline = "Is the Dunmarsh ferry strike over? Crews vote on Friday"
    article = build(
        pasted(
            f"{headline} - The Estuary Herald",
            "Home",
            "News",
            headline,
            headline,
            *STORY,
        )
    )
    assert article.title == headline
