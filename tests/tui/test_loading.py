"""A large JSON-lines file fills the list a chunk at a time while the rest is still read, and
its records are cleaned of control characters as before (each record once)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import tui.loading as loading
from summarise.sources import LoadProblem, iter_documents
from summarise.store import AnalysisCache, ReadState
from tests.tui.conftest import BRIDGE_A, ORCHARD, AppFactory, wait_until
from tui.background import Offload
from tui.loading import FIRST_CHUNK, load_corpus
from tui.messages import ArticlesAdded


def _story(number: int) -> dict[str, str]:
    # Each text differs, so no story is dropped as a copy of another.
    return {
        "id": f"story-{number}",
        "title": f"Harbour report {number}",
        "text": f"Report number {number} from the harbour.\n\n{ORCHARD}",
    }


def test_first_rows_are_posted_before_the_rest_of_the_file_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "many.jsonl"
    count = FIRST_CHUNK * 3
    path.write_text("".join(json.dumps(_story(n)) + "\n" for n in range(count)), encoding="utf-8")
    read: list[str] = []
    problems: list[LoadProblem] = []

    def documents():  # records handed over as they are read, counted
        for document in iter_documents([path], problems):
            read.append(document.key)
            yield document

    posted: list[tuple[int, int | None, list[str]]] = []

    def post(message: object) -> None:
        if isinstance(message, ArticlesAdded):
            posted.append((len(read), message.total, [a.title for a in message.articles]))

    monkeypatch.setattr(loading, "iter_documents", lambda paths, problems: documents())
    loaded = load_corpus(
        [path],
        None,
        Offload(processes_allowed=False),
        ReadState(tmp_path / "state.sqlite3"),
        model=None,
        cache=AnalysisCache(tmp_path / "cache.sqlite3"),
        post=post,
        cancelled=lambda: False,
    )
    assert loaded is not None
    first_read, total, titles = posted[0]
    # The first rows went to the list when only they had been read.
    assert first_read == FIRST_CHUNK < count
    assert total is None  # the count is not known until the file ends
    assert titles == [f"Harbour report {n}" for n in range(FIRST_CHUNK)]
    assert len(loaded.corpus.articles) == count
    assert problems == []


def test_records_with_control_characters_are_cleaned(tmp_path: Path) -> None:
    path = tmp_path / "hostile.jsonl"
    lines = [
        # Raw escape sequences inside and after a record.
        json.dumps({"id": "a", "title": "Bridge \x1b[31mopens", "text": BRIDGE_A}).replace(
            "\\u001b", "\x1b"
        )
        + "\x1b[0m",
        # Escaped control characters, decoded by the JSON reader.
        json.dumps({"id": "b", "title": "Orchard\u0007 harvest", "text": "\x1b]0;x\x07" + ORCHARD}),
        "",
        '{"text": "unfinished',
    ]
    # Windows line ends: line numbers stay those an editor shows.
    path.write_bytes("\r\n".join(lines).encode("utf-8"))
    problems: list[LoadProblem] = []
    documents = list(iter_documents([path], problems))
    assert [d.title for d in documents] == ["Bridge opens", "Orchard harvest"]
    assert documents[1].text == ORCHARD
    for document in documents:
        assert not any(ord(c) < 32 and c not in "\n\t" for c in document.text + document.title)
    assert [problem.path for problem in problems] == [f"{path}#4"]


async def test_the_list_shows_every_record_of_a_large_file(
    make_app: AppFactory, tmp_path: Path
) -> None:
    path = tmp_path / "many.jsonl"
    count = FIRST_CHUNK + 20
    path.write_text("".join(json.dumps(_story(n)) + "\n" for n in range(count)), encoding="utf-8")
    app = make_app([path])
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.corpus is not None, "the whole file", seconds=30)
        await pilot.pause()
        assert app.tree.row_count == count
        assert str(app.tree.border_title).startswith(f"Articles {count}")
