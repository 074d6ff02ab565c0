"""Any bytes in a file of any supported kind, under any name, give articles or one-line
problems, never a traceback; every article is safe to show."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from summarise.sources import LoadProblem, load_articles
from summarise.text import printable
from tests.properties.budget import examples
from tests.properties.strategies import assert_screen_safe, file_bytes, scratch_folder
from tests.properties.test_structure import assert_article_invariants

SUFFIXES = [".txt", ".md", ".html", ".json", ".jsonl", ".xml", ".rss", ".atom"]

# File names as a file system may hold them: any bytes but "/" and NUL, so also bytes
# that are not UTF-8 (Python gives those as lone surrogates) and control characters.
NAME_STEMS = st.one_of(
    st.just(b"story"),
    st.binary(min_size=1, max_size=40).filter(lambda name: b"/" not in name and b"\0" not in name),
)


def load(folder: str, stem: bytes, suffix: str, contents: bytes) -> tuple[list, list]:
    path = Path(os.fsdecode(os.path.join(os.fsencode(folder), stem + suffix.encode())))
    path.write_bytes(contents)
    problems: list[LoadProblem] = []
    return load_articles([path], problems), problems


def assert_clean_outcome(articles: list, problems: list[LoadProblem]) -> None:
    assert articles or problems, "neither an article nor a reason"
    for problem in problems:
        assert isinstance(problem, LoadProblem)
        assert problem.message.strip(), problem
        assert_screen_safe(problem.message, "problem message", one_line=True)
        # The command line shows where a problem is with printable().
        assert_screen_safe(printable(problem.path), "problem path", one_line=True)
    for article in articles:
        assert_article_invariants(article)
        assert_screen_safe(printable(article.key), "article key", one_line=True)


@pytest.mark.parametrize("suffix", SUFFIXES)
@examples(70)
@given(data=st.data())
def test_any_file_gives_articles_or_clean_problems(suffix: str, data: st.DataObject) -> None:
    contents = data.draw(file_bytes(suffix), label="contents")
    stem = data.draw(NAME_STEMS, label="name")
    with scratch_folder() as folder:
        articles, problems = load(folder, stem, suffix, contents)
    event("articles" if articles else f"skipped: {problems[0].message.split('(')[0][:30]}")
    assert_clean_outcome(articles, problems)


# Found by this property (the nightly profile): a lone surrogate escape in a JSON text
# ended in a UnicodeEncodeError when the article's id was computed; and a file name with
# a byte that is not UTF-8 could not be printed by the command line.
@pytest.mark.parametrize(
    ("stem", "suffix", "contents"),
    [
        (b"story", ".json", b'{"text": "The ferry sailed at noon. \\ud800 Then it rained."}'),
        (b"story", ".jsonl", b'{"text": "\\u0007\\ud800", "id": "\\udc00"}'),
        (b"story\xff", ".txt", b"The ferry sailed at noon, and the harbour emptied."),
    ],
)
def test_lone_surrogates_give_clean_articles(stem: bytes, suffix: str, contents: bytes) -> None:
    with scratch_folder() as folder:
        assert_clean_outcome(*load(folder, stem, suffix, contents))
