"""Loading files and folders: formats, encodings and bad input.

The bundled seeds (real pages) are checked in test_seeds.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarise.sources import LoadProblem, load_articles, read_documents

STORY = """Council approves new bridge across the river

The town council voted on Tuesday to build a new footbridge across the river, ending a
debate that has divided residents for more than a decade.

The bridge will link the old market square with the railway station on the east bank, and
is expected to open in the spring of next year if the weather allows work to continue.

Supporters said the crossing would cut the walk to the station by twenty minutes and bring
more visitors to the shops around the market, which have struggled since the ferry closed.

Opponents had argued that the money should be spent on repairing roads, and several of them
said after the vote that they would keep asking the council to publish the full costs.
"""


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def messages(problems: list[LoadProblem]) -> str:
    return "\n".join(f"{problem.path}: {problem.message}" for problem in problems)


# --- one saved page in each format (tests/fixtures/formats, all fictional) -------------------

FORMATS = Path(__file__).resolve().parents[1] / "fixtures" / "formats"


@pytest.fixture(scope="module")
def format_articles() -> dict[str, object]:
    problems: list[LoadProblem] = []
    articles = load_articles([FORMATS], problems)
    assert problems == []
    return {Path(article.key).suffix: article for article in articles}


def test_a_folder_holds_stories_in_three_formats(format_articles):
    assert sorted(format_articles) == [".html", ".md", ".txt"]


def test_titles_are_the_headlines_in_every_format(format_articles):
    assert (
        format_articles[".txt"].title == "Tram line to Ashby Moor opens after four years of works"
    )
    assert format_articles[".md"].title == (
        "Survey finds Hallvik glacier retreated forty metres in a year"
    )
    assert format_articles[".html"].title == (
        "Lantern festival returns to Port Ellery after ten-year break"
    )


def test_sources_and_dates_in_every_format(format_articles):
    # The agency in the dateline, the site in the copyright line, the site's metadata.
    assert format_articles[".md"].source == "Northwind Wire"
    assert format_articles[".md"].published == "2016-03-22"
    assert format_articles[".txt"].source == "The Calder Vale Courier"
    assert format_articles[".txt"].published == "2015-11-24"
    assert format_articles[".html"].source == "The Meridian Post"
    assert format_articles[".html"].published == "2017-10-14"


def test_pasted_page_standfirst_is_the_line_under_the_headline(format_articles):
    assert format_articles[".txt"].standfirst.startswith("The first trams carried passengers")


def test_bodies_hold_only_story_paragraphs_in_every_format(format_articles):
    for article in format_articles.values():
        assert len(article.body_blocks) == 7
        for block in article.body_blocks:
            assert block.text.rstrip("\"”'").endswith((".", "?", "!")), block.text
            assert "Photo" not in block.text
            assert "(Northwind Wire)" not in block.text
            assert "Reporting by" not in block.text
            assert "cookies" not in block.text
            assert "©" not in block.text
    assert format_articles[".md"].body.startswith("The Hallvik glacier retreated")


def test_pasted_page_captions_are_kept_as_captions(format_articles):
    captions = [b.text for b in format_articles[".txt"].blocks if b.kind == "caption"]
    assert any("File photo" in caption for caption in captions)


# --- duplicates and folders ---------------------------------------------------------------


def test_two_copies_of_one_story_load_once(tmp_path):
    first = write(tmp_path / "a.txt", STORY)
    write(tmp_path / "b.txt", STORY.replace("\n", "\r\n"))
    articles = load_articles([tmp_path])
    assert [article.key for article in articles] == [str(first)]


def test_folder_is_read_recursively_in_sorted_order_and_skips_other_files(tmp_path):
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub" / "b.txt", STORY.replace("footbridge", "road bridge"))
    write(tmp_path / "a.md", "# A heading\n\n" + STORY)
    write(tmp_path / "notes.csv", "a,b\n1,2\n")
    problems: list[LoadProblem] = []
    documents = read_documents([tmp_path], problems)
    assert [Path(doc.key).name for doc in documents] == ["a.md", "b.txt"]
    assert problems == []


def test_empty_folder_is_reported(tmp_path):
    problems: list[LoadProblem] = []
    assert load_articles([tmp_path], problems) == []
    assert len(problems) == 1 and "no articles" in problems[0].message


def test_missing_path_and_unknown_named_file_are_reported(tmp_path):
    odd = write(tmp_path / "story.docx", STORY)
    problems: list[LoadProblem] = []
    load_articles([tmp_path / "nowhere.txt", odd], problems)
    assert [problem.path for problem in problems] == [str(tmp_path / "nowhere.txt"), str(odd)]
    assert "no such file" in problems[0].message
    assert "unsupported" in problems[1].message


# --- encodings ----------------------------------------------------------------------------


def test_latin1_file(tmp_path):
    path = write(tmp_path / "latin.txt", STORY.replace("market", "café"), "latin-1")
    [article] = load_articles([path])
    assert "café" in article.body


def test_cp1252_smart_quotes(tmp_path):
    text = STORY.replace("Supporters said", "“It is overdue,” one supporter said, and others said")
    [article] = load_articles([write(tmp_path / "quotes.txt", text, "cp1252")])
    assert "“It is overdue,” one supporter said" in article.body


def test_utf16_file_with_byte_order_mark(tmp_path):
    [article] = load_articles([write(tmp_path / "wide.txt", STORY, "utf-16")])
    assert article.title == "Council approves new bridge across the river"


def test_utf8_byte_order_mark_is_not_part_of_the_title(tmp_path):
    [article] = load_articles([write(tmp_path / "bom.txt", STORY, "utf-8-sig")])
    assert article.title == "Council approves new bridge across the river"


# --- bad input ----------------------------------------------------------------------------


def test_binary_and_empty_files_are_reported_and_the_rest_still_loads(tmp_path):
    (tmp_path / "image.txt").write_bytes(bytes(range(256)) * 8)
    write(tmp_path / "blank.md", "  \n\n\t\n")
    good = write(tmp_path / "story.txt", STORY)
    problems: list[LoadProblem] = []
    articles = load_articles([tmp_path], problems)
    assert [article.key for article in articles] == [str(good)]
    found = {Path(problem.path).name: problem.message for problem in problems}
    assert "binary" in found["image.txt"]
    assert "empty" in found["blank.md"]
    assert all("\n" not in problem.message for problem in problems)


def test_page_without_any_story_is_reported(tmp_path):
    menus = write(tmp_path / "menus.txt", "\n".join(f"Section {n}" for n in range(60)))
    problems: list[LoadProblem] = []
    assert load_articles([menus], problems) == []
    assert problems == [LoadProblem(str(menus), "no article text found")]


def test_huge_file_is_skipped_with_a_message(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(20 * 1024 * 1024 + 52)  # just over: the message must not read equal
    problems: list[LoadProblem] = []
    assert load_articles([path], problems) == []
    assert "20,971,572 bytes is over the limit for one file (20,971,520 bytes" in messages(problems)


def test_escape_codes_are_removed_and_markup_like_text_is_kept(tmp_path):
    text = STORY.replace(
        "The bridge will link", "\x1b[2J\x1b[31mThe [bold]new[/bold] bridge\x07 will link"
    )
    [article] = load_articles([write(tmp_path / "tricky.txt", text)])
    assert "The [bold]new[/bold] bridge will link" in article.body
    assert "\x1b" not in article.body and "[2J" not in article.body
    assert "\x07" not in article.body


# --- JSON and JSON Lines ------------------------------------------------------------------


def test_jsonl_keys_use_record_ids_or_line_numbers(tmp_path):
    lines = [
        json.dumps({"id": "bridge-1", "title": "Bridge vote", "text": STORY}),
        json.dumps({"text": STORY.replace("footbridge", "tunnel"), "source": "Town Herald"}),
    ]
    path = write(tmp_path / "stories.jsonl", "\n".join(lines) + "\n")
    documents = read_documents([path])
    assert [doc.key for doc in documents] == [f"{path}#bridge-1", f"{path}#2"]
    assert documents[0].title == "Bridge vote"
    assert documents[1].source == "Town Herald"


def test_malformed_json_line_is_reported_and_other_lines_load(tmp_path):
    lines = [json.dumps({"text": STORY}), '{"text": "unfinished', json.dumps({"title": "x"})]
    path = write(tmp_path / "mixed.jsonl", "\n".join(lines))
    problems: list[LoadProblem] = []
    articles = load_articles([path], problems)
    assert [article.key for article in articles] == [f"{path}#1"]
    assert [problem.path for problem in problems] == [f"{path}#2", f"{path}#3"]


def test_json_file_with_a_list_and_stated_metadata(tmp_path):
    records = [
        {"title": "Bridge vote", "text": STORY, "published": "2021-06-01T10:00:00Z"},
        {"id": 7, "text": STORY.replace("footbridge", "tunnel"), "url": "https://example.org/t"},
    ]
    path = write(tmp_path / "stories.json", json.dumps(records))
    articles = load_articles([path])
    assert [article.key for article in articles] == [f"{path}#1", f"{path}#7"]
    assert articles[0].title == "Bridge vote"
    assert articles[0].published == "2021-06-01"
    assert articles[1].url == "https://example.org/t"


def test_malformed_json_file_is_reported(tmp_path):
    problems: list[LoadProblem] = []
    load_articles([write(tmp_path / "broken.json", '{"text": ')], problems)
    assert "malformed JSON" in messages(problems)


# --- feeds --------------------------------------------------------------------------------

PARAGRAPHS_HTML = "".join(
    f"<p>{paragraph}</p>" for paragraph in STORY.split("\n\n")[1:] if paragraph.strip()
)


def test_rss_feed_gives_one_article_per_item(tmp_path):
    items = "".join(
        f"""<item><title>Bridge story {n}</title><link>https://example.org/{n}</link>
        <guid>story-{n}</guid><pubDate>Tue, 22 Mar 2016 10:00:00 +0000</pubDate>
        <description><![CDATA[{PARAGRAPHS_HTML.replace("river", f"river {n}")}]]></description>
        </item>"""
        for n in (1, 2)
    )
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Town Herald</title>{items}'
    path = write(tmp_path / "news.rss", feed + "</channel></rss>")
    articles = load_articles([path])
    assert [article.key for article in articles] == [f"{path}#story-1", f"{path}#story-2"]
    first = articles[0]
    assert first.title == "Bridge story 1"
    assert first.source == "Town Herald"
    assert first.published == "2016-03-22"
    assert first.url == "https://example.org/1"
    assert "<p>" not in first.body and len(first.body_blocks) == 4


def test_atom_feed(tmp_path):
    feed = f"""<?xml version="1.0" encoding="utf-8"?>
    <feed xmlns="http://www.w3.org/2005/Atom"><title>Town Herald</title>
    <entry><title>Bridge vote</title><id>urn:bridge</id>
    <link rel="alternate" href="https://example.org/bridge"/>
    <updated>2016-03-22T09:00:00Z</updated>
    <content type="html">{PARAGRAPHS_HTML.replace("<", "&lt;").replace(">", "&gt;")}</content>
    </entry></feed>"""
    path = write(tmp_path / "news.atom", feed)
    [article] = load_articles([path])
    assert article.key == f"{path}#urn:bridge"
    assert (article.title, article.url, article.published) == (
        "Bridge vote",
        "https://example.org/bridge",
        "2016-03-22",
    )
    assert "footbridge" in article.body and "&lt;" not in article.body


def test_feed_in_a_declared_single_byte_encoding(tmp_path):
    feed = f"""<?xml version="1.0" encoding="ISO-8859-1"?>
    <rss version="2.0"><channel><title>Café Gazette</title><item><title>Bridge vote</title>
    <description><![CDATA[{PARAGRAPHS_HTML}]]></description></item></channel></rss>"""
    path = write(tmp_path / "latin.xml", feed, "latin-1")
    [article] = load_articles([path])
    assert article.source == "Café Gazette"
    assert article.key == f"{path}#1"


def test_a_comment_left_open_in_a_feed_item_hides_the_rest_as_a_browser_would(tmp_path):
    broken = PARAGRAPHS_HTML + "<!-- related stories <p>Read more: <a href=x>other</a></p>"
    feed = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Town Herald</title>
    <item><title>Bridge vote</title><description><![CDATA[{broken}]]></description></item>
    </channel></rss>"""
    [article] = load_articles([write(tmp_path / "open.rss", feed)])
    assert "footbridge" in article.body
    assert "<!--" not in article.body and "Read more" not in article.body


def test_malformed_xml_is_reported(tmp_path):
    problems: list[LoadProblem] = []
    path = write(tmp_path / "broken.xml", "<rss><channel><item><title>Half")
    assert load_articles([path], problems) == []
    assert "malformed XML" in messages(problems)


# --- web pages ----------------------------------------------------------------------------


def test_saved_web_page_gives_title_site_and_body_without_menus(tmp_path):
    page = f"""<html><head><title>Bridge vote | Town Herald</title>
    <meta property="og:site_name" content="Town Herald">
    <meta property="article:published_time" content="2021-06-01T08:00:00Z"></head>
    <body><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav>
    <article><h1>Bridge vote</h1>{PARAGRAPHS_HTML}</article>
    <footer><a href="/privacy">Privacy policy</a></footer></body></html>"""
    [article] = load_articles([write(tmp_path / "page.html", page)])
    assert article.title == "Bridge vote"
    assert article.source == "Town Herald"
    assert article.published == "2021-06-01"
    assert article.body.startswith("The town council voted")
    assert "Privacy" not in article.body and "Home" not in article.body


def test_a_web_address_is_refused_with_advice_not_fetched() -> None:
    problems: list[LoadProblem] = []
    assert read_documents(["https://news.example/feed.xml"], problems) == []
    (problem,) = problems
    assert problem.path == "https://news.example/feed.xml"
    assert "save the page or feed to a file" in problem.message
