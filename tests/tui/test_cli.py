"""The command line as a user scripts it: output, exit codes and files written."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

import tui.cli
from summarise.article import Article
from summarise.engine import Corpus
from summarise.sources import seeds_path
from tui.cli import main

STORY = (
    "Flood waters rise across the river valley\n\n"
    "Heavy rain pushed the Severn past its banks on Monday, forcing hundreds of families "
    "in Shrewsbury to leave their homes as emergency crews built temporary barriers.\n\n"
    "The Environment Agency said the river would peak on Tuesday night, and warned "
    "residents in low-lying streets to move valuables upstairs before the water arrived.\n\n"
    "Volunteers filled sandbags at the town's football ground while the council opened "
    "two rest centres for people who had nowhere else to stay.\n\n"
    "Forecasters expect more rain later in the week, which could bring a second peak.\n"
)


@pytest.fixture(autouse=True)
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CONFIG", "CACHE", "DATA"):
        folder = tmp_path / name.lower()
        monkeypatch.setenv(f"NEWSREADER_{name}_DIR", str(folder))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_summarise_json_follows_the_documented_contract(capsys: pytest.CaptureFixture[str]):
    code, out, err = run(capsys, "summarise", str(seeds_path()), "--format", "json")
    assert code == 0, err
    records = json.loads(out)
    assert len(records) == 3
    for record in records:
        assert set(record) == {
            "key",
            "title",
            "source",
            "published",
            "url",
            "body",
            "summary",
            "algorithm",
            "entities",
        }
        assert record["algorithm"] == "news"
        assert len(record["summary"]) == 3
        assert all(sentence in record["body"] for sentence in record["summary"])
        assert record["entities"], record["title"]
        for entity in record["entities"]:
            assert record["body"][entity["start"] : entity["end"]] == entity["text"]
    # What each seed must give (title, source, date, body) is in tests/summarise/test_seeds.py.


def test_summarise_text_shows_title_byline_numbered_sentences_and_entities(
    capsys: pytest.CaptureFixture[str],
):
    code, out, _ = run(capsys, "summarise", str(seeds_path()), "-n", "2", "-a", "lead")
    assert code == 0
    assert "  1. " in out and "  2. " in out and "  3. " not in out
    assert "Entities: " in out
    assert "unknown source · 2016-03-22 · " in out  # the Palmyra page: dated, source unstated


def test_summarise_markdown_of_one_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    story = tmp_path / "flood.txt"
    story.write_text(STORY, encoding="utf-8")
    code, out, _ = run(capsys, "summarise", str(story), "--format", "markdown", "-n", "2")
    assert code == 0
    assert out.startswith("# Flood waters rise across the river valley")
    summary = out.split("## Summary", 1)[1].split("\n## ", 1)[0]
    assert summary.count("\n- ") == 2


def test_ratio_sets_length_from_the_article(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    story = tmp_path / "flood.txt"
    story.write_text(STORY, encoding="utf-8")
    code, out, _ = run(capsys, "summarise", str(story), "--ratio", "0.5", "--format", "json")
    assert code == 0
    (record,) = json.loads(out)
    assert len(record["summary"]) == 2


def test_groups_json_follows_the_documented_contract(capsys: pytest.CaptureFixture[str]):
    code, out, _ = run(capsys, "groups", str(seeds_path()), "--format", "json")
    assert code == 0
    groups = json.loads(out)
    assert all({"id", "members", "why"} == set(group) for group in groups)
    members = [key for group in groups for key in group["members"]]
    assert sorted(members) == sorted(str(path) for path in seeds_path().glob("*.txt"))


def test_groups_join_two_copies_with_different_headlines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    lines = STORY.split("\n\n")
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    trimmed = "\n\n".join(["Families flee as Severn bursts its banks", *lines[1:-1]])
    (tmp_path / "b.txt").write_text(trimmed, encoding="utf-8")
    code, out, _ = run(capsys, "groups", str(tmp_path), "--format", "json")
    assert code == 0
    (group,) = json.loads(out)
    assert sorted(Path(key).name for key in group["members"]) == ["a.txt", "b.txt"]


def test_export_writes_files_and_never_overwrites_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    notes = tmp_path / "notes"
    code, out, _ = run(capsys, "export", str(seeds_path()), "--to", str(notes))
    assert code == 0
    written = sorted(notes.glob("*.md"))
    assert len(written) == 3
    assert [Path(line).name for line in sorted(out.split())] == [p.name for p in written]
    first = written[0]
    first.write_text("my own notes", encoding="utf-8")

    code, _, err = run(capsys, "export", str(seeds_path()), "--to", str(notes))
    assert code == 1
    assert "exists" in err and "--force" in err
    assert first.read_text(encoding="utf-8") == "my own notes"

    code, _, _ = run(capsys, "export", str(seeds_path()), "--to", str(notes), "--force")
    assert code == 0
    assert first.read_text(encoding="utf-8").startswith("# ")


def test_export_groups_writes_one_file_per_group_beside_the_articles(tmp_path: Path, capsys):
    code, _, _ = run(capsys, "export", str(seeds_path()), "--to", str(tmp_path))
    assert code == 0
    code, _, err = run(capsys, "export", str(seeds_path()), "--to", str(tmp_path), "--groups")
    assert code == 0, err  # no group file takes an article file's name
    group_files = sorted(tmp_path.glob("*-group.md"))
    assert len(group_files) == 3 and len(list(tmp_path.glob("*.md"))) == 6
    assert all(path.read_text(encoding="utf-8").startswith("# ") for path in group_files)


def test_export_file_name_is_safe_whatever_the_title(tmp_path: Path, capsys):
    source = tmp_path / "in"
    source.mkdir()
    hostile = '../..//"Quoted" \\ title: with/slashes?*<>|\n\n' + STORY.split("\n\n", 1)[1]
    (source / "story.txt").write_text(hostile, encoding="utf-8")
    out_dir = tmp_path / "out"
    code, _, err = run(capsys, "export", str(source), "--to", str(out_dir))
    assert code == 0, err
    (written,) = list(out_dir.iterdir())
    assert written.parent == out_dir
    assert all(ch not in written.name for ch in '/\\"?*<>|:')
    assert not list(tmp_path.glob("*.md"))


def test_missing_path_is_one_clear_line_and_non_zero(tmp_path: Path, capsys):
    code, out, err = run(capsys, "summarise", str(tmp_path / "nowhere"))
    assert code != 0
    assert "Traceback" not in err
    assert "nowhere" in err
    assert out == ""


def test_binary_file_is_skipped_and_the_rest_still_load(tmp_path: Path, capsys):
    (tmp_path / "good.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "junk.txt").write_bytes(bytes(range(256)) * 8)
    code, out, err = run(capsys, "summarise", str(tmp_path), "--format", "json")
    assert code == 0
    assert len(json.loads(out)) == 1
    assert len([line for line in err.splitlines() if "junk.txt" in line]) == 1


def test_empty_folder_is_an_error_not_a_traceback(tmp_path: Path, capsys):
    code, _, err = run(capsys, "groups", str(tmp_path))
    assert code == 2
    assert "no articles" in err


def test_jsonl_records_are_keyed_by_their_ids(tmp_path: Path, capsys):
    body = STORY.split("\n\n", 1)[1]
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        json.dumps({"id": "flood-1", "title": "Severn floods", "text": body})
        + "\n"
        + json.dumps({"title": "Other", "text": "Markets rose on Monday. Oil fell."})
        + "\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "summarise", str(feed), "--format", "json")
    assert code == 0
    keys = [record["key"] for record in json.loads(out)]
    assert keys == [f"{feed}#flood-1", f"{feed}#2"]


def test_bad_options_are_refused_before_any_work(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["summarise", str(seeds_path()), "--ratio", "3"])
    assert stop.value.code == 2
    assert "ratio" in capsys.readouterr().err


def test_unknown_model_is_a_clear_error(capsys):
    code, _, err = run(capsys, "summarise", str(seeds_path()), "--model", "no_such_model_xx")
    assert code == 2
    assert "no_such_model_xx" in err
    assert "Traceback" not in err


def test_reader_without_a_terminal_says_so(capsys):
    code, _, err = run(capsys)
    assert code == 2
    assert "terminal" in err


@pytest.mark.parametrize("fmt", ["json", "markdown", "text"])
def test_a_long_run_written_a_window_at_a_time_reads_as_one(
    fmt: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):
    seeds = str(seeds_path())
    code, whole, _ = run(capsys, "summarise", seeds, "--format", fmt)
    assert code == 0
    # One article at a time: each window's analyses are let go before the next.
    monkeypatch.setattr(tui.cli, "WINDOW", 1)
    forgotten: list[str] = []
    forget = Corpus.forget

    def counted_forget(corpus: Corpus, articles: Sequence[Article]) -> None:
        forgotten.extend(article.key for article in articles)
        forget(corpus, articles)

    monkeypatch.setattr(Corpus, "forget", counted_forget)
    code, windowed, _ = run(capsys, "summarise", seeds, "--format", fmt)
    assert code == 0
    assert windowed == whole
    assert len(forgotten) == 3
    if fmt == "json":
        assert len(json.loads(windowed)) == 3


def test_export_a_window_at_a_time_writes_every_article(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(tui.cli, "WINDOW", 2)
    code, out, _ = run(capsys, "export", str(seeds_path()), "--to", str(tmp_path / "out"))
    assert code == 0
    written = sorted((tmp_path / "out").glob("*.md"))
    assert len(written) == 3
    assert all(path.read_text(encoding="utf-8").startswith("# ") for path in written)
    assert sorted(out.split()) == [str(path) for path in written]


@pytest.mark.parametrize(
    ("config", "named"), [('algorithm = "nope"\n', "algorithm"), ("sentences = \n", "TOML")]
)
def test_a_broken_setting_is_reported_not_silently_ignored(
    config: str, named: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.toml").write_text(config, encoding="utf-8")
    story = tmp_path / "flood.txt"
    story.write_text(STORY, encoding="utf-8")
    code, out, err = run(capsys, "summarise", str(story))
    assert code == 0
    assert "Flood waters rise" in out
    assert "config.toml" in err and named in err
