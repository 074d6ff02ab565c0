"""Hostile input through the command line: what the user sees on stdout, stderr and disk.

Every file here is one a user could plausibly point newsreader at by mistake or receive
from a broken scraper; none may end in a traceback, a flooded terminal or lost notes.
"""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from summarise.nlp import Pipeline
from summarise.sources import MAX_ARTICLE_CHARS, LoadProblem, load_articles
from summarise.text import MAX_PARAGRAPH_CHARS, split_long_paragraphs
from tui import cli
from tui.cli import main

STORY = (
    "Harbour ferry service resumes after storm\n\n"
    "The ferry between Northport and the island resumed on Thursday morning after two days "
    "in which high winds kept every boat in the harbour and left visitors stranded.\n\n"
    "The operator said the first crossing carried mostly residents returning home, and that "
    "extra sailings would run through the weekend to clear the backlog of bookings.\n\n"
    "Harbour staff spent Wednesday repairing a damaged mooring and checking the ramp, "
    "which had been struck by debris carried in on the tide.\n"
)
OTHER_STORY = (
    "Library extends its opening hours\n\n"
    "The town library will open until nine in the evening from next month, after a survey "
    "found that most people who work in the day could not reach it before it closed.\n\n"
    "The council agreed to pay for two more staff, and volunteers from the reading group "
    "offered to run a homework club on Tuesday and Thursday evenings.\n"
)
# What a terminal acts on instead of showing: C0 and C1 controls (tab and newline are
# layout), direction overrides and invisible spaces.
TERMINAL_CONTROLS = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]"
)
PROSE = (
    "Members of the council said that the work on the road would start in the spring, and "
    "that the cost would be shared with the county. "
)


@pytest.fixture(autouse=True)
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CONFIG", "CACHE", "DATA"):
        monkeypatch.setenv(f"NEWSREADER_{name}_DIR", str(tmp_path / "app" / name.lower()))


@pytest.fixture(autouse=True)
def loaded_once(pipeline: Pipeline) -> Pipeline:
    """The command line loads the model through the same per-process cache."""
    return pipeline


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


def skipped_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("newsreader: skipped ")]


def folder(tmp_path: Path, name: str = "in") -> Path:
    path = tmp_path / name
    path.mkdir()
    return path


def messages(problems: list[LoadProblem]) -> dict[str, str]:
    return {Path(problem.path.split("#")[0]).name: problem.message for problem in problems}


# --- a folder of junk next to one good story ----------------------------------------------


@pytest.fixture
def junk_folder(tmp_path: Path) -> Path:
    junk = folder(tmp_path)
    (junk / "story.txt").write_text(STORY, encoding="utf-8")
    (junk / "photo.txt").write_bytes(bytes(range(256)) * 16)
    (junk / "dump.md").write_bytes(b"Some words\x00\x00\x00 then nothing but zeros\x00" * 40)
    (junk / "page.html").write_bytes(b"\x1f\x8b\x08\x00" + bytes(range(255, 0, -1)) * 8)
    (junk / "empty.json").write_bytes(b"")
    (junk / "blank.txt").write_text(" \n\t\r\n  \n", encoding="utf-8")
    (junk / "invisible.md").write_text("\u200b\u2060\n\u00a0\u200b\n", encoding="utf-8")
    (junk / "escapes only.txt").write_text("\x1b[2J\x1b[H\x1b]0;title\x07\n", encoding="utf-8")
    os.mkfifo(junk / "pipe.txt")
    (junk / "gone.txt").symlink_to(tmp_path / "missing-target.txt")
    (junk / "loop").mkdir()
    (junk / "loop" / "back").symlink_to(junk, target_is_directory=True)
    (junk / "folder.txt").mkdir()
    return junk


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_junk_is_reported_once_per_file_and_the_story_still_summarised(
    junk_folder: Path, capsys: pytest.CaptureFixture[str], fmt: str
):
    code, out, err = run(capsys, "summarise", junk_folder, "--format", fmt)
    assert code == 0
    assert "Harbour ferry service resumes after storm" in out
    reported = {Path(line.split(": ")[1]).name for line in skipped_lines(err)}
    assert reported == {
        "photo.txt",
        "dump.md",
        "page.html",
        "empty.json",
        "blank.txt",
        "invisible.md",
        "escapes only.txt",
        "pipe.txt",
        "gone.txt",
    }
    assert len(skipped_lines(err)) == len(reported)


def test_junk_messages_say_what_is_wrong(junk_folder: Path):
    problems: list[LoadProblem] = []
    load_articles([junk_folder], problems)
    found = messages(problems)
    assert "binary" in found["photo.txt"]
    assert "binary" in found["dump.md"]
    assert "empty" in found["empty.json"]
    assert "empty" in found["blank.txt"]
    assert "no readable text" in found["invisible.md"]
    assert "no readable text" in found["escapes only.txt"]
    assert "not a regular file" in found["pipe.txt"]


def test_nothing_usable_is_one_error_and_exit_code_2(
    junk_folder: Path, capsys: pytest.CaptureFixture[str]
):
    (junk_folder / "story.txt").unlink()
    code, out, err = run(capsys, "groups", junk_folder)
    assert code == 2
    assert out == ""
    assert err.splitlines()[-1] == f"newsreader: no articles found in {junk_folder}"


def test_unreadable_file_is_reported_and_the_rest_loads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):
    source = folder(tmp_path)
    (source / "locked.txt").write_text(OTHER_STORY, encoding="utf-8")
    (source / "story.txt").write_text(STORY, encoding="utf-8")
    real_read_bytes = Path.read_bytes

    def read_bytes(path: Path) -> bytes:
        # Tests run as root, where chmod 000 does not stop reading.
        if path.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return real_read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    code, out, err = run(capsys, "summarise", source)
    assert code == 0
    assert "Harbour ferry" in out and "Library" not in out
    assert skipped_lines(err) == [f"newsreader: skipped {source / 'locked.txt'}: permission denied"]


# --- size ---------------------------------------------------------------------------------


def test_one_line_far_longer_than_any_article_is_skipped_with_its_size(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    source = folder(tmp_path)
    (source / "log.txt").write_text("x" * (MAX_ARTICLE_CHARS + 1), encoding="utf-8")
    (source / "story.txt").write_text(STORY, encoding="utf-8")
    code, out, err = run(capsys, "summarise", source)
    assert code == 0
    assert "Harbour ferry" in out
    [line] = skipped_lines(err)
    assert "log.txt" in line and "too long" in line and f"{MAX_ARTICLE_CHARS:,}" in line


def test_jsonl_record_too_long_is_skipped_and_its_neighbours_load(tmp_path: Path):
    path = tmp_path / "dump.jsonl"
    records = [
        {"id": "a", "text": STORY},
        {"id": "huge", "text": PROSE * (MAX_ARTICLE_CHARS // len(PROSE) + 1)},
        {"id": "b", "text": OTHER_STORY},
    ]
    path.write_text("\n".join(json.dumps(record) for record in records), encoding="utf-8")
    problems: list[LoadProblem] = []
    articles = load_articles([path], problems)
    assert [article.key for article in articles] == [f"{path}#a", f"{path}#b"]
    assert [problem.path for problem in problems] == [f"{path}#huge"]


def test_long_paragraph_is_cut_at_sentence_ends_without_losing_words(tmp_path: Path):
    sentences = (PROSE.replace("road", f"road number {n}") for n in range(1, 10_000))
    text = "Road works\n\n" + "".join(sentences)[: 3 * MAX_PARAGRAPH_CHARS]
    text = text[: text.rindex("county.") + len("county.")]
    [article] = load_articles([_write(tmp_path / "long.txt", text)])
    paragraphs = [block.text for block in article.body_blocks]
    assert len(paragraphs) >= 3
    assert all(len(paragraph) <= MAX_PARAGRAPH_CHARS for paragraph in paragraphs)
    assert all(paragraph.endswith("county.") for paragraph in paragraphs)
    assert " ".join(paragraphs).split() == text.split("\n\n", 1)[1].split()


def test_endless_word_is_cut_without_losing_characters():
    word = "Abracadabra" * (3 * MAX_PARAGRAPH_CHARS // 11)
    text = f"{PROSE}\n\nThe code read {word} in full.\n\n{PROSE}"
    pieces = split_long_paragraphs(text).split("\n")
    assert all(len(piece) <= MAX_PARAGRAPH_CHARS for piece in pieces)
    assert "".join("".join(pieces).split()) == "".join(text.split())


def test_very_long_word_does_not_stop_the_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    word = "Abracadabra" * (2 * MAX_PARAGRAPH_CHARS // 11)
    text = f"{STORY}\nThe code read {word} in full.\n"
    code, out, err = run(capsys, "summarise", _write(tmp_path / "word.txt", text))
    assert (code, err) == (0, "")
    assert out.startswith("Harbour ferry service resumes after storm\n")
    assert "  1. The ferry between Northport" in out


# --- encodings ----------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_byte_order_mark_is_read(tmp_path: Path, encoding: str):
    path = _write(tmp_path / "wide.txt", STORY.replace("island", "île"), encoding)
    [article] = load_articles([path])
    assert article.title == "Harbour ferry service resumes after storm"
    assert "île" in article.body


def test_binary_numbers_are_not_taken_for_utf16(tmp_path: Path):
    path = tmp_path / "samples.txt"
    path.write_bytes(b"".join(bytes([value % 30 + 1, 0]) for value in range(4000)))
    problems: list[LoadProblem] = []
    assert load_articles([path], problems) == []
    assert "binary" in problems[0].message


def test_utf8_file_with_pasted_windows_quotes_keeps_both(tmp_path: Path):
    head, rest = STORY.split("\n\n", 1)
    data = (
        f"{head}\n\n".encode()
        + "Crews from Zürich helped. ".encode()
        + "“We are glad,” a resident said. ".encode("cp1252")
        + rest.encode()
    )
    path = tmp_path / "mixed.txt"
    path.write_bytes(data)
    [article] = load_articles([path])
    assert "Crews from Zürich helped." in article.body
    assert "“We are glad,” a resident said." in article.body


def test_feed_in_a_declared_cyrillic_encoding(tmp_path: Path):
    item = "Паром снова ходит между портом и островом после шторма, сообщил оператор."
    feed = (
        '<?xml version="1.0" encoding="KOI8-R"?><rss><channel><title>Вести</title>'
        f"<item><title>Паром</title><description>{item}</description></item>"
        "</channel></rss>"
    )
    path = tmp_path / "news.rss"
    path.write_bytes(feed.encode("koi8-r"))
    [article] = load_articles([path])
    assert article.title == "Паром" and article.source == "Вести"
    assert item in article.body


# --- HTML and feeds -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "html"),
    [
        ("scripts.html", "<html><script>var a = 1;</script><style>p {}</style></html>"),
        ("frames.html", "<html><frameset><frame src='a.html'></frameset></html>"),
        ("head.html", "<html><head><title>Only a title</title></head></html>"),
    ],
)
def test_pages_without_text_are_reported(tmp_path: Path, name: str, html: str):
    path = _write(tmp_path / name, html)
    problems: list[LoadProblem] = []
    assert load_articles([path], problems) == []
    assert problems == [LoadProblem(str(path), "no readable text in this web page")]


def test_unclosed_tags_still_give_the_story(tmp_path: Path):
    paragraphs = STORY.split("\n\n")
    html = f"<html><body><h1>{paragraphs[0]}<p>{paragraphs[1]}<div><p><b>{paragraphs[2]}"
    [article] = load_articles([_write(tmp_path / "broken.html", html)])
    assert "ferry between Northport" in article.body
    assert "<" not in article.body


def _laughs(levels: int = 9) -> str:
    entities = ['<!ENTITY lol0 "lol">']
    for level in range(1, levels + 1):
        entities.append(f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">')
    return (
        f'<?xml version="1.0"?><!DOCTYPE rss [{"".join(entities)}]>'
        f"<rss><channel><title>T</title><item><title>&lol{levels};</title>"
        f"<description>&lol{levels};</description></item></channel></rss>"
    )


def test_entity_expansion_feed_is_refused_and_the_rest_loads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    source = folder(tmp_path)
    _write(source / "laughs.xml", _laughs())
    _write(source / "story.txt", STORY)
    code, out, err = run(capsys, "summarise", source)
    assert code == 0
    assert "Harbour ferry" in out and "lol" not in out
    [line] = skipped_lines(err)
    assert "laughs.xml" in line and "entities" in line


def test_the_xml_parser_itself_caps_entity_expansion():
    # A second wall behind the refusal of entity declarations: expat's amplification limit.
    with pytest.raises(ET.ParseError, match="amplification"):
        ET.fromstring(_laughs())


def test_feed_with_control_characters_and_external_dtd(tmp_path: Path):
    good = _write(
        tmp_path / "good.rss",
        "<rss><channel><title>Harbour \x1b[1mNews\x1b[0m</title><item>"
        "<title>[bold]Ferry\x07 back[/bold]</title>"
        f"<description>{STORY.split(chr(10) * 2)[1]}</description></item></channel></rss>",
    )
    external = _write(
        tmp_path / "external.xml",
        '<?xml version="1.0"?><!DOCTYPE rss SYSTEM "file:///etc/passwd">'
        "<rss><channel><item><title>x</title><description>&secret; text</description>"
        "</item></channel></rss>",
    )
    problems: list[LoadProblem] = []
    [article] = load_articles([good, external], problems)
    assert article.title == "[bold]Ferry back[/bold]"
    assert article.source == "Harbour News"
    assert problems[0].path == str(external)
    assert "malformed XML" in problems[0].message


# --- JSON ---------------------------------------------------------------------------------


def test_json_that_is_not_articles(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    source = folder(tmp_path)
    files = {
        "number.json": "42",
        "strings.json": json.dumps(["one", "two"]),
        "text-number.json": json.dumps({"title": "Figures", "text": 12345}),
        "text-list.json": json.dumps({"text": ["a", "b"]}),
        "deep.json": "[" * 100_000 + "]" * 100_000,
        "long-number.json": '{"text": "x", "id": 1' + "0" * 5000 + "}",
        "quotes.json": "{'text': 'single quotes'}",
        "good.json": json.dumps({"id": "ok", "text": STORY, "title": float("nan")}),
    }
    for name, text in files.items():
        _write(source / name, text)
    code, out, err = run(capsys, "summarise", source, "--format", "json")
    assert code == 0
    [record] = json.loads(out)
    assert record["key"] == f"{source / 'good.json'}#ok"
    assert record["title"] == "Harbour ferry service resumes after storm"
    lines = "\n".join(skipped_lines(err))
    assert "number.json#1: record is not a JSON object" in lines
    assert "strings.json#2: record is not a JSON object" in lines
    assert 'text-number.json#1: record\'s "text" is a number, not a string' in lines
    assert 'text-list.json#1: record\'s "text" is a list, not a string' in lines
    assert "deep.json: malformed JSON (nested too deeply)" in lines
    assert "long-number.json: malformed JSON (a number is too long)" in lines
    assert "quotes.json: malformed JSON (line 1:" in lines


def test_record_id_with_line_breaks_stays_on_one_line(tmp_path: Path):
    path = _write(tmp_path / "feed.jsonl", json.dumps({"id": "a\nb\x1b[2J", "text": STORY}))
    [article] = load_articles([path])
    assert article.key == f"{path}#a b"


# --- markup and terminal escapes ----------------------------------------------------------

HOSTILE_TITLE = "[bold]Ferry[/bold] \x1b]0;owned\x07[link=https://example.org]back[/link] [/]"
HOSTILE_BODY = (
    "\x1b[2J\x1b[HThe [red]ferry[/red] between Northport and the island resumed on Thursday "
    "after two days of \x9b31mhigh winds\x1b[0m, the operator said \u202eelbuod\u202c.\n\n"
    "Harbour staff re\x08paired a mooring\u200b and checked the ramp, over\rwritten or not, "
    "which had been struck by debris \x1bP+q\x1b\\carried in on the tide [/] today.\n"
)


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
@pytest.mark.parametrize("command", ["summarise", "groups"])
def test_no_control_character_reaches_the_terminal_and_brackets_stay(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, fmt: str
):
    source = folder(tmp_path)
    _write(source / "hostile.txt", f"{HOSTILE_TITLE}\n\n{HOSTILE_BODY}")
    _write(source / "hostile.jsonl", json.dumps({"title": HOSTILE_TITLE, "text": HOSTILE_BODY}))
    code, out, err = run(capsys, command, source, "--format", fmt)
    assert code == 0
    assert not TERMINAL_CONTROLS.findall(out)
    assert not TERMINAL_CONTROLS.findall(err)
    assert "owned" not in out and "+q" not in out
    if (command, fmt) == ("groups", "json"):
        return  # groups as JSON hold keys and reasons, no titles
    shown = json.dumps(json.loads(out)) if fmt == "json" else out
    shown = shown.replace("\\", "")  # Markdown escapes brackets; they are still there
    assert "[bold]Ferry[/bold]" in shown
    assert "[link=https://example.org]back[/link]" in shown


def test_summary_sentences_keep_bracketed_text_as_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    path = _write(tmp_path / "hostile.txt", f"{HOSTILE_TITLE}\n\n{HOSTILE_BODY}")
    code, out, _ = run(capsys, "summarise", path, "--format", "json")
    assert code == 0
    [record] = json.loads(out)
    assert "The [red]ferry[/red] between Northport" in record["body"]
    assert "debris carried in on the tide [/] today." in record["body"]
    assert "mooring and checked" in record["body"]


def test_file_names_with_escapes_and_newlines_are_shown_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    source = folder(tmp_path)
    _write(source / "red\x1b[31m alert.txt", STORY)
    _write(source / "two\nlines.txt", OTHER_STORY)
    (source / "bad\x1b]0;x\x07.txt").write_bytes(bytes(range(256)) * 8)
    _write(source / "spaces and ünïcode 東京.md", STORY.replace("Thursday", "Friday"))
    code, out, err = run(capsys, "summarise", source)
    assert code == 0
    assert not TERMINAL_CONTROLS.findall(out + err)
    assert "red\\x1b[31m alert.txt" in out
    assert "two\\nlines.txt" in out
    assert "spaces and ünïcode 東京.md" in out
    [line] = skipped_lines(err)
    assert "bad\\x1b]0;x\\x07.txt: binary file, not text" in line


# --- export -------------------------------------------------------------------------------

HOSTILE_TITLES = [
    "../../../etc/passwd",
    "/etc/passwd",
    "..",
    "?!?! ... ---",
    "CON",
    "~/.bashrc",
    HOSTILE_TITLE,
]


@pytest.fixture
def hostile_titles(tmp_path: Path) -> Path:
    source = folder(tmp_path, "hostile-titles")
    records = [
        {"id": str(number), "title": title, "text": STORY.replace("Thursday", f"day {number}")}
        for number, title in enumerate(HOSTILE_TITLES)
    ]
    _write(source / "records.json", json.dumps(records))
    return source


@pytest.mark.parametrize("groups", [False, True])
def test_export_of_hostile_titles_stays_inside_the_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], hostile_titles: Path, groups: bool
):
    target = tmp_path / "notes"
    app = tmp_path / "app"
    before = {path for path in tmp_path.rglob("*") if not path.is_relative_to(app)}
    extra = ["--groups", "--threshold", "100"] if groups else []
    code, out, err = run(capsys, "export", hostile_titles, "--to", target, *extra)
    assert code == 0, err
    written = sorted(target.iterdir())
    assert len(written) == len(HOSTILE_TITLES)
    assert all(path.parent == target and path.suffix == ".md" for path in written)
    assert all(not path.name.startswith(".") for path in written)
    assert sorted(out.splitlines()) == sorted(str(path) for path in written)
    after = {path for path in tmp_path.rglob("*") if not path.is_relative_to(app)}
    assert after - before == set(written) | {target}
    for path in written:
        assert not TERMINAL_CONTROLS.findall(path.read_text(encoding="utf-8"))


def test_export_never_overwrites_notes_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    source = folder(tmp_path)
    _write(source / "a.txt", STORY)
    _write(source / "b.txt", OTHER_STORY)
    target = folder(tmp_path, "notes")
    mine = _write(target / "harbour-ferry-service-resumes-after-storm.md", "my own notes")
    code, out, err = run(capsys, "export", source, "--to", target)
    assert code == 1
    assert mine.read_text(encoding="utf-8") == "my own notes"
    assert err.splitlines() == [f"newsreader: {mine} exists; not overwritten (use --force)"]
    assert out.splitlines() == [str(target / "library-extends-its-opening-hours.md")]

    code, _, _ = run(capsys, "export", source, "--to", target, "--force")
    assert code == 0
    assert mine.read_text(encoding="utf-8").startswith("# Harbour ferry service")


def test_export_to_a_file_or_below_one_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    story = _write(tmp_path / "story.txt", STORY)
    plain = _write(tmp_path / "plain.md", "keep me")
    code, out, err = run(capsys, "export", story, "--to", plain)
    assert (code, out) == (2, "")
    assert err == f"newsreader: {plain} exists and is not a folder\n"
    code, out, err = run(capsys, "export", story, "--to", plain / "sub")
    assert (code, out) == (2, "")
    assert err.startswith(f"newsreader: cannot write {plain / 'sub'}")
    assert len(err.splitlines()) == 1
    assert plain.read_text(encoding="utf-8") == "keep me"


def test_export_into_a_folder_that_cannot_be_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):
    def refuse(path: Path, text: str, force: bool = False) -> Path:
        # Tests run as root, where a read-only folder still accepts files.
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(cli, "write_new_file", refuse)
    story = _write(tmp_path / "story.txt", STORY)
    code, out, err = run(capsys, "export", story, "--to", tmp_path / "locked" / "notes")
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        f"newsreader: cannot write {tmp_path / 'locked' / 'notes'}"
        "/harbour-ferry-service-resumes-after-storm.md: Permission denied"
    ]


def test_export_creates_missing_parent_folders(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    story = _write(tmp_path / "story.txt", STORY)
    target = tmp_path / "not" / "yet" / "there"
    code, out, _ = run(capsys, "export", story, "--to", target)
    assert code == 0
    assert out.splitlines() == [str(target / "harbour-ferry-service-resumes-after-storm.md")]


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


class _FullDisk:
    def write(self, text: str) -> int:
        raise OSError(28, "No space left on device")

    def flush(self) -> None:
        pass


def test_output_to_a_full_disk_is_one_line_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):
    story = _write(tmp_path / "story.txt", STORY)
    monkeypatch.setattr("sys.stdout", _FullDisk())
    code = main(["summarise", str(story)])
    err = capsys.readouterr().err
    assert code == 1
    assert err == "newsreader: cannot write output: No space left on device\n"
