"""The feeds commands as a user scripts them, against a feed served on loopback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from tui.cli import main

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "feeds"


@pytest.fixture(autouse=True)
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CONFIG", "CACHE", "DATA"):
        monkeypatch.setenv(f"NEWSREADER_{name}_DIR", str(tmp_path / name.lower()))
    monkeypatch.chdir(tmp_path)  # files the tests write land in a temporary folder


@pytest.fixture
def site(httpserver: HTTPServer) -> str:
    """The Calder Vale Courier (invented): a home page linking its feed, the feed, a story."""
    base = httpserver.url_for("").rstrip("/")
    httpserver.expect_request("/").respond_with_data(
        (FIXTURES / "home.html").read_text(), content_type="text/html"
    )
    httpserver.expect_request("/feed.rss").respond_with_data(
        (FIXTURES / "courier.rss").read_text().replace("{base}", base),
        content_type="application/rss+xml",
    )
    httpserver.expect_request("/stories/tramway").respond_with_data(
        (FIXTURES / "tramway.html").read_text(), content_type="text/html"
    )
    httpserver.expect_request("/gone.rss").respond_with_data("gone", status=410)
    return base


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_subscribe_through_the_site_page_update_and_summarise_the_library(
    capsys: pytest.CaptureFixture[str], site: str
):
    code, out, err = run(capsys, "feeds", "add", f"{site}/")
    assert code == 0, err
    assert out.strip() == f"subscribed to {site}/feed.rss"

    code, out, err = run(capsys, "update")
    assert code == 0, err
    assert "1 of 1 feeds updated, 2 new stories, 1 pages fetched" in out

    code, out, err = run(capsys, "summarise", "--format", "json")
    assert code == 0, err
    records = {record["title"]: record for record in json.loads(out)}
    tramway = records["Calder Vale tramway reopens after flood repairs"]
    assert tramway["url"] == f"{site}/stories/tramway"
    assert tramway["source"] == "The Calder Vale Courier"
    assert tramway["published"] == "2024-06-04"
    # The feed held a one-line teaser; the body is the story fetched from its page.
    assert "Owen Hale said the repairs cost just over a million pounds" in tramway["body"]
    assert all(sentence in tramway["body"] for sentence in tramway["summary"])
    assert records["Moss Edge library extends its opening hours"]["key"].startswith(
        f"{site}/feed.rss#"
    )


def test_feeds_list_json_shows_counts_and_the_broken_feeds_error(
    capsys: pytest.CaptureFixture[str], site: str
):
    run(capsys, "feeds", "add", f"{site}/feed.rss")
    opml = (
        '<?xml version="1.0"?><opml version="2.0"><body><outline text="Local">'
        f'<outline type="rss" text="Gone" xmlUrl="{site}/gone.rss"/>'
        "</outline></body></opml>"
    )
    subscriptions = Path("subs.opml")
    subscriptions.write_text(opml, encoding="utf-8")
    code, out, err = run(capsys, "feeds", "import", str(subscriptions))
    assert code == 0, err
    assert "subscribed to 1 feeds" in out

    code, out, err = run(capsys, "update")
    assert code == 0, err  # one feed worked, so the update as a whole did
    assert f"{site}/gone.rss" in err and "410" in err
    assert "1 of 2 feeds updated" in out

    code, out, _ = run(capsys, "feeds", "list", "--format", "json")
    assert code == 0
    feeds = {feed["url"]: feed for feed in json.loads(out)}
    assert set(feeds[f"{site}/feed.rss"]) == {
        "url",
        "title",
        "articles",
        "unread",
        "updated",
        "error",
    }
    good, gone = feeds[f"{site}/feed.rss"], feeds[f"{site}/gone.rss"]
    assert (good["articles"], good["unread"], good["error"]) == (2, 2, "")
    assert good["updated"]
    assert "410" in gone["error"]

    code, out, _ = run(capsys, "feeds", "export")
    assert code == 0
    assert f'xmlUrl="{site}/gone.rss"' in out and 'text="Local"' in out

    code, out, _ = run(capsys, "feeds", "remove", f"{site}/gone.rss")
    assert code == 0
    code, out, _ = run(capsys, "feeds", "list", "--format", "json")
    assert [feed["url"] for feed in json.loads(out)] == [f"{site}/feed.rss"]


def test_an_update_where_every_feed_fails_exits_non_zero(
    capsys: pytest.CaptureFixture[str], site: str
):
    run(capsys, "feeds", "add", f"{site}/feed.rss")
    Path("subs.opml").write_text(
        f'<opml version="2.0"><body><outline type="rss" xmlUrl="{site}/gone.rss"/></body></opml>',
        encoding="utf-8",
    )
    run(capsys, "feeds", "import", "subs.opml")
    run(capsys, "feeds", "remove", f"{site}/feed.rss")
    code, out, err = run(capsys, "update")
    assert code == 1
    assert "0 of 1 feeds updated" in out and "gone.rss" in err


def test_bad_addresses_and_files_are_one_line_each(
    capsys: pytest.CaptureFixture[str], site: str, tmp_path: Path
):
    code, _, err = run(capsys, "feeds", "add", "javascript:alert(1)", "file:///etc/passwd")
    assert code == 1
    assert err.count("not a web address") == 2 and "Traceback" not in err

    code, _, err = run(capsys, "feeds", "add", f"{site}/stories/tramway")
    assert code == 1 and "neither a feed nor a page that links one" in err

    not_opml = tmp_path / "notes.opml"
    not_opml.write_text("<html><body>hello</body></html>", encoding="utf-8")
    code, _, err = run(capsys, "feeds", "import", str(not_opml))
    assert code == 2 and "not an OPML file" in err and "Traceback" not in err


def test_the_library_is_empty_until_something_is_subscribed(capsys: pytest.CaptureFixture[str]):
    code, _, err = run(capsys, "summarise")
    assert code == 2
    assert "your library is empty" in err and "newsreader feeds add URL" in err
    code, _, err = run(capsys, "update")
    assert code == 0 and "no subscriptions yet" in err
