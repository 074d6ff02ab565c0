"""The bundled seeds: three real pasted pages, checked as the user sees them in the CLI.

``seeds/`` holds the pages byte for byte as they were pasted (see the project's seed
README): each one's first line is its headline, and each keeps the site's furniture
(a caption pasted twice, a photo credit, "READ SOME MORE", "Related Stories", a lone
"X", the site's name and address). What a reader of the output must get:

- the headline as title and the line under it, where it is one, as standfirst;
- Palmyra dated 2016-03-22, the other two undated (a date is never invented);
- Maheen from Reuters (its last line ends "– (Reuters)", which leaves the sentence),
  Mayadeen from The New Indian Express (named at the foot), Palmyra from no one known
  (AAP is named only as the photo's credit);
- every body paragraph of the page in the body, and no furniture in it;
- three summary sentences taken from the story itself;
- three different battles, so three groups.

The expected paragraphs are derived from the files themselves: every non-blank line
after the headline, minus the lines listed here as not being body paragraphs.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from summarise.article import normalise_text
from summarise.export import escape_markdown
from summarise.nlp import Pipeline
from summarise.sources import load_articles, seeds_path
from tui.cli import main

SEEDS = seeds_path()


@dataclass(frozen=True)
class Seed:
    """What the page says, and which of its lines are not paragraphs of the story."""

    name: str
    headline: str
    standfirst: str
    published: str
    source: str
    # Lines of the page (after the headline) that are not body paragraphs: the
    # standfirst, the date line and the site's furniture, each exactly as on the page.
    not_body: tuple[str, ...]
    # Furniture that must stay out of the text and be shown dimmed with ``c``.
    furniture: tuple[str, ...]
    # An attribution that ends the last paragraph and is not part of its sentence.
    attribution: str = ""
    # A dateline opening the first paragraph ("BEIRUT:"): where the story was filed, kept
    # apart from the paragraph's sentence.
    dateline: str = ""


MAHEEN_CAPTION = (
    "US secretary of state John Kerry  shaking hands with Russian foreign minister Sergei "
    "Lavrov  during their meeting in Vienna which focused on the Syria conflict. Russia and "
    "the US have been conducting opposing bombing campaigns  - Russia in support of the "
    "Syrian government and the US in support of rebels trying to overthrow it. Photograph: "
    "EPA via Russian foreign ministry press service"
)
MAHEEN_CAPTION_COPY = " ".join(MAHEEN_CAPTION.split())  # the second copy has single spaces
PALMYRA_CAPTION = "Ruins in Palmyra (AAP/Syrian Arab News Agency)"
MAYADEEN_CAPTION = "Image for representational purpose only."
MAYADEEN_STANDFIRST = (
    "Syria regime forces have retaken four neighbourhoods of Mayadeen in their latest "
    "assault on the eastern jihadist bastion."
)
MAHEEN_STANDFIRST = (
    "Advance comes as world powers adjourn talks in Vienna with calls for a ceasefire"
)
MAYADEEN_FOOT = (
    "Related Stories",
    "No stories found.",
    "X",
    "The New Indian Express",
    "www.newindianexpress.com",
)

MAHEEN = Seed(
    name="maheen.txt",
    headline="Islamic State take Syrian town as fighting looks set to intensify",
    standfirst=MAHEEN_STANDFIRST,
    published="",
    source="Reuters",
    not_body=(MAHEEN_STANDFIRST, MAHEEN_CAPTION, MAHEEN_CAPTION_COPY, "READ SOME MORE"),
    furniture=(MAHEEN_CAPTION, MAHEEN_CAPTION_COPY, "READ SOME MORE"),
    attribution=" – (Reuters)",
)
PALMYRA = Seed(
    name="palmyra.txt",
    headline="Islamic State hits back against Syrian advance",
    standfirst="",
    published="2016-03-22",
    source="",
    not_body=("• 22/03/2016", PALMYRA_CAPTION, PALMYRA_CAPTION),
    furniture=(PALMYRA_CAPTION, PALMYRA_CAPTION),
)
MAYADEEN = Seed(
    name="mayadeen.txt",
    headline="Syrian forces retake part of eastern IS bastion",
    standfirst=MAYADEEN_STANDFIRST,
    published="",
    source="The New Indian Express",
    not_body=(MAYADEEN_STANDFIRST, MAYADEEN_CAPTION, MAYADEEN_CAPTION, *MAYADEEN_FOOT),
    furniture=(MAYADEEN_CAPTION, MAYADEEN_CAPTION, *MAYADEEN_FOOT),
    dateline="BEIRUT:",
)
ALL_SEEDS = (MAHEEN, PALMYRA, MAYADEEN)
BY_NAME = {seed.name: seed for seed in ALL_SEEDS}

MAHEEN_LAST_SENTENCE = "Some 50 fighters on the government side were reported killed."

each_seed = pytest.mark.parametrize("seed", ALL_SEEDS, ids=lambda seed: seed.name)


def page_lines(seed: Seed) -> list[str]:
    """The non-blank lines of the page as written, without the spaces around them."""
    text = (SEEDS / seed.name).read_bytes().decode("utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


def expected_paragraphs(seed: Seed) -> list[str]:
    """The story's body paragraphs, whitespace-normalised, in page order."""
    remaining = list(seed.not_body)
    paragraphs = []
    for line in page_lines(seed)[1:]:
        if line in remaining:
            remaining.remove(line)  # each listed line stands for one line of the page
            continue
        paragraphs.append(normalise_text(line))
    assert remaining == [], "lines listed as furniture that the page does not hold"
    if seed.dateline:
        assert paragraphs[0].startswith(seed.dateline)
        paragraphs[0] = normalise_text(paragraphs[0][len(seed.dateline) :])
    if seed.attribution:
        assert paragraphs[-1].endswith(seed.attribution.strip())
        paragraphs[-1] = normalise_text(paragraphs[-1][: -len(seed.attribution.strip())])
    return [paragraph for paragraph in paragraphs if paragraph]


def body_paragraphs(body: str) -> list[str]:
    return [normalise_text(paragraph) for paragraph in body.split("\n\n") if paragraph.strip()]


# --- running the CLI once per module ------------------------------------------------------

Cli = Callable[..., str]


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory, pipeline: Pipeline) -> Cli:
    """``newsreader …`` with private config/cache/data folders; returns its standard output.

    Asking for ``pipeline`` loads the language model once for the session; the CLI then
    finds it already loaded.
    """
    root = tmp_path_factory.mktemp("seeds-cli")

    def run(*argv: str) -> str:
        out, err = io.StringIO(), io.StringIO()
        with pytest.MonkeyPatch.context() as patch:
            for name in ("CONFIG", "CACHE", "DATA"):
                patch.setenv(f"NEWSREADER_{name}_DIR", str(root / name.lower()))
            patch.setattr(sys, "stdout", out)
            patch.setattr(sys, "stderr", err)
            code = main(list(argv))
        assert code == 0, err.getvalue()
        return out.getvalue()

    return run


@pytest.fixture(scope="module")
def records(cli: Cli) -> dict[str, dict]:
    """``summarise seeds --format json``, by file name."""
    output = json.loads(cli("summarise", str(SEEDS), "--format", "json"))
    return {Path(record["key"]).name: record for record in output}


@pytest.fixture(scope="module")
def text_output(cli: Cli) -> str:
    return cli("summarise", str(SEEDS))


@pytest.fixture(scope="module")
def markdown_output(cli: Cli) -> str:
    return cli("summarise", str(SEEDS), "--format", "markdown")


# --- the pages themselves ------------------------------------------------------------------


def test_seed_folder_holds_the_three_pasted_pages():
    assert sorted(path.name for path in SEEDS.iterdir() if path.is_file()) == sorted(BY_NAME)


@each_seed
def test_the_page_is_what_these_tests_describe(seed: Seed):
    lines = page_lines(seed)
    assert lines[0] == seed.headline
    assert expected_paragraphs(seed)  # also checks every listed line is on the page
    if seed.standfirst:
        assert lines[1] == seed.standfirst


def test_each_seed_loads_as_one_article_without_problems(records):
    problems: list = []
    articles = load_articles([SEEDS], problems)
    assert problems == []
    assert sorted(Path(article.key).name for article in articles) == sorted(BY_NAME)
    assert sorted(records) == sorted(BY_NAME)


# --- title, standfirst, date and source -----------------------------------------------------


@each_seed
def test_title_is_the_headline(records, seed: Seed):
    assert records[seed.name]["title"] == seed.headline


@each_seed
def test_standfirst_is_the_line_under_the_headline(seed: Seed):
    (article,) = load_articles([SEEDS / seed.name])
    assert normalise_text(article.standfirst) == seed.standfirst


@each_seed
def test_standfirst_is_shown_in_the_markdown_output(markdown_output, seed: Seed):
    document = next(
        part for part in markdown_output.split("\n---\n") if escape_markdown(seed.headline) in part
    )
    quoted = [line for line in document.splitlines() if line.startswith("> ")]
    assert quoted == ([f"> {escape_markdown(seed.standfirst)}"] if seed.standfirst else [])


@each_seed
def test_published_date_only_when_the_page_gives_one(records, seed: Seed):
    assert records[seed.name]["published"] == seed.published


@each_seed
def test_source_is_the_one_the_page_names(records, seed: Seed):
    assert records[seed.name]["source"] == seed.source


def test_palmyra_source_is_not_the_photo_agency(records):
    assert "AAP" not in records["palmyra.txt"]["source"]


@each_seed
def test_text_output_shows_source_and_date_under_the_title(text_output, seed: Seed):
    lines = text_output.splitlines()
    byline = lines[lines.index(seed.headline) + 1]
    source = seed.source or "unknown source"
    date = seed.published or "undated"
    assert byline.startswith(f"{source} · {date} · "), byline


# --- the body --------------------------------------------------------------------------------


@each_seed
def test_every_body_paragraph_of_the_page_is_in_the_body(records, seed: Seed):
    found = body_paragraphs(records[seed.name]["body"])
    missing = [paragraph for paragraph in expected_paragraphs(seed) if paragraph not in found]
    assert missing == []


@each_seed
def test_body_is_the_story_paragraphs_in_page_order_and_nothing_else(records, seed: Seed):
    assert body_paragraphs(records[seed.name]["body"]) == expected_paragraphs(seed)


@each_seed
def test_no_furniture_line_is_in_the_body(records, seed: Seed):
    body = records[seed.name]["body"]
    flat = normalise_text(body)
    paragraphs = body_paragraphs(body)
    for line in seed.furniture:
        if len(line) <= 3:  # the lone "X": no paragraph may be just that
            assert normalise_text(line) not in paragraphs
        else:
            assert normalise_text(line) not in flat, line
    assert "Photograph:" not in body and "AAP" not in body
    if seed.standfirst:
        assert normalise_text(seed.standfirst) not in paragraphs  # not a paragraph of its own


def test_reuters_attribution_leaves_the_last_sentence_of_maheen(records):
    body = records["maheen.txt"]["body"]
    assert "(Reuters)" not in body
    assert body.rstrip().endswith(MAHEEN_LAST_SENTENCE)
    assert body_paragraphs(body)[-1] == MAHEEN_LAST_SENTENCE


def test_mayadeen_dateline_leaves_the_first_paragraph_which_is_not_the_standfirst(records):
    paragraphs = body_paragraphs(records["mayadeen.txt"]["body"])
    assert paragraphs[0].startswith("Syria regime forces have retaken")
    assert paragraphs[0].endswith(
        "the Britain-based Syrian Observatory for Human Rights said Thursday."
    )
    assert "BEIRUT" not in records["mayadeen.txt"]["body"]


# --- summaries ---------------------------------------------------------------------------------


@each_seed
def test_summary_is_three_sentences_of_the_story(records, seed: Seed):
    record = records[seed.name]
    summary = record["summary"]
    assert len(summary) == 3
    assert len(set(summary)) == 3
    story = expected_paragraphs(seed)
    # The lead is the sentence an editor keeps first; the summary is in story order.
    assert normalise_text(summary[0]) in story[0], summary[0]
    for sentence in summary:
        assert sentence in record["body"]
        # Inside one paragraph of the story as the page has it, whole.
        assert any(normalise_text(sentence) in paragraph for paragraph in story), sentence
        assert sentence.strip()[0].isupper() or sentence.strip()[0] in "\"“'‘", sentence
        assert sentence.rstrip().rstrip("\"”'’").endswith((".", "!", "?")), sentence


@each_seed
def test_no_summary_sentence_is_a_caption_standfirst_or_furniture(records, seed: Seed):
    for sentence in records[seed.name]["summary"]:
        words = normalise_text(sentence)
        assert words != normalise_text(seed.standfirst)
        for line in seed.furniture:
            assert words not in normalise_text(line), (sentence, line)
        assert "Photograph" not in words and "(Reuters)" not in words


# --- groups ---------------------------------------------------------------------------------------


def test_three_battles_are_three_groups(cli: Cli):
    groups = json.loads(cli("groups", str(SEEDS), "--format", "json"))
    members = [sorted(Path(key).name for key in group["members"]) for group in groups]
    assert sorted(members) == [[name] for name in sorted(BY_NAME)]
    assert all(group["why"] == "single story" for group in groups)


def test_groups_text_output_lists_each_headline_in_its_own_group(cli: Cli):
    output = cli("groups", str(SEEDS))
    blocks = [block for block in output.split("\n\n") if block.strip()]
    assert len(blocks) == 3
    for seed in ALL_SEEDS:
        assert sum(seed.headline in block for block in blocks) == 1
