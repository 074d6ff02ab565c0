"""The analysis cache and read state survive restarts and never crash on a bad file."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from summarise.article import Analysis, Mention, SentenceSpan
from summarise.store import AnalysisCache, ReadState


def sample_analysis(article_id: str = "abc123", pipeline: str = "model-1") -> Analysis:
    return Analysis(
        article_id=article_id,
        pipeline=pipeline,
        sentences=(SentenceSpan(0, 12, 0), SentenceSpan(14, 40, 1)),
        mentions=(Mention("Zoë Ändersson", "PERSON", 0, 13), Mention("Oslo", "GPE", 20, 24)),
        entities_available=True,
    )


@pytest.fixture
def folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("NEWSREADER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("NEWSREADER_DATA_DIR", str(tmp_path / "data"))
    return tmp_path


def test_cached_analysis_comes_back_after_a_restart(folders: Path) -> None:
    with AnalysisCache() as cache:
        cache.put(sample_analysis())
    assert (folders / "cache" / "analyses.sqlite3").is_file()
    with AnalysisCache() as cache:
        assert cache.get("abc123", "model-1") == sample_analysis()
        assert cache.warnings == []


def test_another_pipeline_or_article_is_a_miss(folders: Path) -> None:
    cache = AnalysisCache()
    cache.put(sample_analysis())
    assert cache.get("abc123", "model-2") is None
    assert cache.get("other", "model-1") is None
    cache.put(sample_analysis(pipeline="model-2"))
    assert cache.get("abc123", "model-2") == sample_analysis(pipeline="model-2")
    assert cache.get("abc123", "model-1") == sample_analysis()


def test_a_corrupt_cache_is_replaced_with_a_warning(folders: Path) -> None:
    path = folders / "cache" / "analyses.sqlite3"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not a database" * 100)
    cache = AnalysisCache()
    assert cache.warnings and "damaged" in cache.warnings[0]
    cache.put(sample_analysis())
    assert AnalysisCache().get("abc123", "model-1") == sample_analysis()


def test_an_unusable_location_falls_back_to_memory(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    cache = AnalysisCache(blocker / "cache" / "analyses.sqlite3")
    assert cache.warnings and not cache.persistent
    cache.put(sample_analysis())
    assert cache.get("abc123", "model-1") == sample_analysis()
    state = ReadState(blocker / "state.sqlite3")
    state.set_read("x")
    assert state.is_read("x") and state.warnings


def test_an_unreadable_entry_is_a_miss_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "analyses.sqlite3"
    AnalysisCache(path).put(sample_analysis())
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE analyses SET data = '{broken'")
    cache = AnalysisCache(path)
    assert cache.get("abc123", "model-1") is None
    cache.put(sample_analysis())
    assert cache.get("abc123", "model-1") == sample_analysis()


def test_read_state_marks_and_unmarks(folders: Path) -> None:
    state = ReadState()
    assert not state.is_read("a")
    state.set_read("a")
    state.set_read("b")
    state.set_read("b", read=False)
    assert ReadState().read_ids() == {"a"}
    assert (folders / "data" / "state.sqlite3").is_file()


def test_a_corrupt_read_state_is_kept_aside_not_deleted(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    path.write_bytes(b"\x00garbage" * 64)
    state = ReadState(path)
    assert state.warnings
    assert state.read_ids() == set()
    assert any(p.name.startswith("state.sqlite3.damaged") for p in tmp_path.iterdir())


def test_the_cache_can_be_shared_with_a_worker_thread(tmp_path: Path) -> None:
    cache = AnalysisCache(tmp_path / "analyses.sqlite3")
    errors: list[BaseException] = []

    def work(offset: int) -> None:
        try:
            for n in range(50):
                cache.put(sample_analysis(article_id=f"{offset}-{n}"))
                assert cache.get(f"{offset}-{n}", "model-1") is not None
        except BaseException as problem:  # surfaced below
            errors.append(problem)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(cache) == 200
