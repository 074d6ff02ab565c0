"""Any bytes in a file of any supported kind give articles or one-line problems, never a
traceback; every article is safe to show."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from summarise.sources import LoadProblem, load_articles
from tests.properties.budget import examples
from tests.properties.strategies import assert_screen_safe, file_bytes, scratch_folder
from tests.properties.test_structure import assert_article_invariants

SUFFIXES = [".txt", ".md", ".html", ".json", ".jsonl", ".xml", ".rss", ".atom"]


@pytest.mark.parametrize("suffix", SUFFIXES)
@examples(70)
@given(data=st.data())
def test_any_file_gives_articles_or_clean_problems(suffix: str, data: st.DataObject) -> None:
    contents = data.draw(file_bytes(suffix), label="contents")
    with scratch_folder() as folder:
        path = Path(folder) / f"story{suffix}"
        path.write_bytes(contents)
        problems: list[LoadProblem] = []
        articles = load_articles([path], problems)
    assert articles or problems, "neither an article nor a reason"
    event("articles" if articles else f"skipped: {problems[0].message.split('(')[0][:30]}")
    for problem in problems:
        assert isinstance(problem, LoadProblem)
        assert problem.message.strip(), problem
        assert_screen_safe(problem.message, "problem message", one_line=True)
    for article in articles:
        assert_article_invariants(article)
