"""The user's library against a loopback web server: feeds in every format, conditional
requests, full text of teasers, broken feeds, discovery, OPML, read marks, retention and
moved feeds. Nothing here leaves 127.0.0.1; the feeds and pages are invented
(tests/fixtures/feeds)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from summarise.ingest import feeds as feeds_module
from summarise.ingest.feeds import Library, LibraryError
from tests.loopback import opml_of, refused_address

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "feeds"
ETAG = '"courier-v1"'
LAST_MODIFIED = "Tue, 04 Jun 2024 10:00:00 GMT"
TYPES = {
    ".rss": "application/rss+xml",
    ".rdf": "application/rdf+xml",
    ".atom": "application/atom+xml",
    ".json": "application/feed+json",
    ".xml": "application/xml",
    ".html": "text/html; charset=utf-8",
    ".opml": "text/x-opml",
}


def base_of(server: HTTPServer) -> str:
    return server.url_for("/").rstrip("/")


def fixture_text(server: HTTPServer, name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8").replace("{base}", base_of(server))


def serve(server: HTTPServer, path: str, name: str, **kwargs: object) -> str:
    """Serve the fixture ``name`` at ``path``; its address."""
    server.expect_request(path).respond_with_data(
        fixture_text(server, name), content_type=TYPES[Path(name).suffix], **kwargs
    )
    return server.url_for(path)


def requests_to(server: HTTPServer, path: str, method: str = "GET") -> list[Request]:
    return [
        request for request, _ in server.log if request.path == path and request.method == method
    ]


@pytest.fixture
def library(tmp_path: Path) -> Library:
    with Library(tmp_path / "library.sqlite3") as opened:
        yield opened


@pytest.fixture
def no_teasers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every entry counts as full text: no page is fetched."""
    monkeypatch.setattr(feeds_module, "TEASER_WORDS", 0)


@pytest.fixture
def page_fetches(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every address the library fetches a page from (feeds are fetched elsewhere)."""
    fetched: list[str] = []
    real_fetch = feeds_module.fetch

    def recording_fetch(url: str, **kwargs: object) -> object:
        fetched.append(url)
        return real_fetch(url, **kwargs)

    monkeypatch.setattr(feeds_module, "fetch", recording_fetch)
    return fetched


# -- 1. formats ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "title", "source", "published", "link", "phrase"),
    [
        (
            "courier.rss",
            "Moss Edge library extends its opening hours",
            "The Calder Vale Courier",
            "2024-06-03",
            "/stories/library",
            "Council chair Ruth Alder said",
        ),
        (
            "wire.rdf",
            "Skerrow Island ferry returns to its winter timetable",
            "Northwind Wire",
            "2024-05-28",
            "/wire/ferry",
            "the operator Northwind Sailings said",
        ),
        (
            "gazette.atom",
            "Fellmouth harbour wall to be rebuilt in stone",
            "The Fellmouth Gazette",
            "2024-06-02",
            "/gazette/harbour-wall",
            "harbour master Edith Crane",
        ),
        (
            "post.json",
            "Skerrow lighthouse keeper's cottage opens as a museum",
            "The Skerrow Evening Post",
            "2024-05-30",
            "/post/lighthouse",
            "Morag Tulloch",
        ),
    ],
    ids=["rss2", "rss1-rdf", "atom", "json-feed"],
)
def test_each_feed_format_gives_complete_stories(
    httpserver: HTTPServer,
    library: Library,
    no_teasers: None,
    name: str,
    title: str,
    source: str,
    published: str,
    link: str,
    phrase: str,
) -> None:
    address = serve(httpserver, "/" + name, name)
    assert library.add_feed(address) == address
    report = library.update()
    assert (report.updated, report.failures) == (1, [])
    stories = {document.title: document for document in library.documents()}
    story = stories[title]
    assert story.source == source
    assert story.published == published
    assert story.url == httpserver.url_for(link)
    assert phrase in story.text
    assert story.key.startswith(address + "#")
    [feed] = library.feeds()
    assert (feed.url, feed.title, feed.error) == (address, source, "")
    assert feed.articles == feed.unread == report.new_articles == len(stories)


# -- 2. conditional requests -----------------------------------------------------------


def conditional_feed(body: str) -> Callable[[Request], Response]:
    def answer(request: Request) -> Response:
        if (
            request.headers.get("If-None-Match") == ETAG
            or request.headers.get("If-Modified-Since") == LAST_MODIFIED
        ):
            return Response(status=304, headers={"ETag": ETAG})
        return Response(
            body,
            headers={
                "Content-Type": TYPES[".rss"],
                "ETag": ETAG,
                "Last-Modified": LAST_MODIFIED,
            },
        )

    return answer


def test_second_update_is_conditional_and_not_modified_is_no_error(
    httpserver: HTTPServer, library: Library, no_teasers: None
) -> None:
    httpserver.expect_request("/feed.rss").respond_with_handler(
        conditional_feed(fixture_text(httpserver, "courier.rss"))
    )
    library.import_opml(opml_of(httpserver.url_for("/feed.rss")))
    first = library.update()
    assert (first.updated, first.new_articles, first.failures) == (1, 2, [])
    stories = library.documents()
    httpserver.clear_log()

    second = library.update()
    assert (second.updated, second.new_articles, second.failures) == (1, 0, [])
    assert not second.all_failed
    assert [d.key for d in library.documents()] == [d.key for d in stories]
    assert library.feeds()[0].error == ""

    # One request, conditional, answered "not modified"; nothing else is asked.
    [(request, response)] = httpserver.log
    assert (request.method, request.path) == ("GET", "/feed.rss")
    assert request.headers.get("If-None-Match") == ETAG
    assert request.headers.get("If-Modified-Since") == LAST_MODIFIED
    assert response.status_code == 304


# -- 3. full text ----------------------------------------------------------------------

TRAMWAY = "Calder Vale tramway reopens after flood repairs"


def test_teaser_page_is_fetched_once_and_becomes_the_story(
    httpserver: HTTPServer, library: Library
) -> None:
    feed = serve(httpserver, "/feed.rss", "courier.rss")
    serve(httpserver, "/stories/tramway", "tramway.html")
    library.add_feed(feed)

    report = library.update()
    assert report.pages_fetched == 1
    assert len(requests_to(httpserver, "/stories/tramway")) == 1
    # The long entry is a story already: its page is never asked for.
    assert requests_to(httpserver, "/stories/library") == []

    stories = {document.title: document for document in library.documents()}
    tramway = stories[TRAMWAY].text
    assert "Company director Owen Hale said the repairs cost" in tramway
    assert "Engineers rebuilt a stretch" in tramway
    assert "Home" not in tramway and "©" not in tramway  # the article, not the page
    assert "Ruth Alder" in stories["Moss Edge library extends its opening hours"].text

    again = library.update()
    assert again.pages_fetched == 0
    assert len(requests_to(httpserver, "/stories/tramway")) == 1
    assert requests_to(httpserver, "/stories/library") == []
    # Reopened from the same file, the stored article is still there and not fetched.
    with Library(library.path) as reopened:
        assert reopened.update().pages_fetched == 0
        stories = {document.title: document for document in reopened.documents()}
        assert "Owen Hale" in stories[TRAMWAY].text
    assert len(requests_to(httpserver, "/stories/tramway")) == 1


def test_a_page_that_cannot_be_fetched_keeps_the_teaser_and_is_not_retried(
    httpserver: HTTPServer, library: Library
) -> None:
    library.add_feed(serve(httpserver, "/feed.rss", "courier.rss"))
    httpserver.expect_request("/stories/tramway").respond_with_data("gone", status=404)
    assert library.update().pages_fetched == 1
    stories = {document.title: document for document in library.documents()}
    assert stories[TRAMWAY].text == (
        "The tramway between Calder Vale and Moss Edge reopened on Tuesday."
    )
    library.update()
    assert len(requests_to(httpserver, "/stories/tramway")) == 1


def test_the_same_page_from_two_feeds_is_one_article(
    httpserver: HTTPServer, library: Library
) -> None:
    from summarise.engine import Corpus

    serve(httpserver, "/stories/tramway", "tramway.html")
    httpserver.expect_request("/wire/ferry").respond_with_data("gone", status=404)
    library.add_feed(serve(httpserver, "/feed.rss", "courier.rss"))
    library.add_feed(serve(httpserver, "/wire.rdf", "wire.rdf"))
    report = library.update()
    assert report.failures == []
    assert len(requests_to(httpserver, "/stories/tramway")) == 1

    page = httpserver.url_for("/stories/tramway")
    documents = [document for document in library.documents() if document.url == page]
    assert len(documents) == 1  # two feeds link it, whatever headline each gave it
    corpus = Corpus.from_library(library)
    assert len([article for article in corpus.articles if article.url == page]) == 1
    assert len({article.id for article in corpus.articles}) == len(corpus.articles)

    # Read once: both feeds' entries count as read.
    unread_before = {feed.url: feed.unread for feed in library.feeds()}
    library.set_read(documents[0].key)
    unread_after = {feed.url: feed.unread for feed in library.feeds()}
    assert {url: unread_before[url] - unread_after[url] for url in unread_before} == {
        url: 1 for url in unread_before
    }


# -- 4. links that are not http(s) -----------------------------------------------------


def test_links_that_are_not_web_addresses_are_never_fetched(
    httpserver: HTTPServer, library: Library, page_fetches: list[str]
) -> None:
    library.import_opml(
        opml_of(
            serve(httpserver, "/links.rss", "links.rss"),
            serve(httpserver, "/links.json", "links.json"),
        )
    )
    report = library.update()
    assert (report.updated, report.failures, report.pages_fetched) == (2, [], 0)
    stories = {document.title: document for document in library.documents()}
    assert set(stories) == {
        "Port Aldous market moves indoors",
        "Tarn Hollow quarry closes its footpath",
        "Skerrow school choir wins a prize",
        "Ferry ticket office closes early on Friday",
        "Island bus runs a Sunday service",
    }
    assert {story.url for story in stories.values()} == {""}
    assert "old fish hall" in stories["Port Aldous market moves indoors"].text
    assert page_fetches == []
    assert {request.path for request, _ in httpserver.log} == {"/links.rss", "/links.json"}


def test_only_web_addresses_can_be_subscribed(library: Library) -> None:
    for address in ("file:///etc/passwd", "javascript:alert(1)", "data:text/xml,<rss/>"):
        with pytest.raises(LibraryError, match="not a web address"):
            library.add_feed(address)
        with pytest.raises(LibraryError, match="not a web address"):
            library.add_address(address)
    assert library.is_empty()


# -- 5. broken feeds -------------------------------------------------------------------


def test_each_broken_feed_is_one_failure_and_the_others_update(
    httpserver: HTTPServer, library: Library
) -> None:
    good = serve(httpserver, "/feed.rss", "courier.rss")
    serve(httpserver, "/stories/tramway", "tramway.html")
    httpserver.expect_request("/missing.rss").respond_with_data("not here", status=404)
    httpserver.expect_request("/gone.rss").respond_with_data("gone for good", status=410)
    broken = {
        httpserver.url_for("/missing.rss"): "404",
        httpserver.url_for("/gone.rss"): "410",
        serve(httpserver, "/broken.xml", "broken.xml"): "not a feed",
        serve(httpserver, "/stories/tramway.html", "tramway.html"): "not a feed",
        refused_address(): "cannot connect (connection refused)",
    }
    assert library.import_opml(opml_of(good, *broken)) == 6
    progress: list[tuple[int, int, str]] = []

    report = library.update(lambda done, total, url: progress.append((done, total, url)))
    assert (report.feeds, report.updated, report.new_articles) == (6, 1, 2)
    assert not report.all_failed
    assert [done for done, _, _ in progress] == [1, 2, 3, 4, 5, 6]
    assert {url for _, _, url in progress} == {good, *broken}
    assert len(report.failures) == len(broken)
    failures = dict(report.failures)
    assert set(failures) == set(broken)
    for url, expected in broken.items():
        why = failures[url]
        assert expected in why, why
        assert "\n" not in why and url not in why and "Traceback" not in why
    assert {document.title for document in library.documents()} >= {TRAMWAY}

    errors = {feed.url: feed.error for feed in library.feeds()}
    assert errors == {good: "", **failures}


def test_all_failed_only_when_nothing_updated(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/missing.rss").respond_with_data("not here", status=404)
    with Library(tmp_path / "empty.sqlite3") as empty:
        assert not empty.update().all_failed  # nothing to update is not a failure
    with Library(tmp_path / "broken.sqlite3") as broken:
        broken.import_opml(opml_of(httpserver.url_for("/missing.rss"), refused_address()))
        report = broken.update()
        assert report.all_failed
        assert (report.feeds, report.updated, len(report.failures)) == (2, 0, 2)


def test_a_feed_that_works_again_loses_its_error(httpserver: HTTPServer, library: Library) -> None:
    httpserver.expect_ordered_request("/feed.rss").respond_with_data("", status=503)
    httpserver.expect_ordered_request("/feed.rss").respond_with_data(
        fixture_text(httpserver, "courier.rss"), content_type=TYPES[".rss"]
    )
    serve(httpserver, "/stories/tramway", "tramway.html")
    library.import_opml(opml_of(httpserver.url_for("/feed.rss")))
    assert library.update().all_failed
    assert "503" in library.feeds()[0].error
    assert library.update().failures == []
    assert library.feeds()[0].error == ""


# -- 6. adding feeds and pages ---------------------------------------------------------


def test_a_site_page_resolves_to_its_feed(httpserver: HTTPServer, library: Library) -> None:
    serve(httpserver, "/", "home.html")
    feed = serve(httpserver, "/feed.rss", "courier.rss")
    assert library.add_feed(httpserver.url_for("/")) == feed
    assert [info.url for info in library.feeds()] == [feed]
    assert library.add_feed(feed) == feed  # adding it again changes nothing
    assert len(library.feeds()) == 1


def test_a_page_without_a_feed_is_a_clear_error(httpserver: HTTPServer, library: Library) -> None:
    page = serve(httpserver, "/stories/tramway", "tramway.html")
    httpserver.expect_request("/missing").respond_with_data("not here", status=404)
    with pytest.raises(LibraryError) as raised:
        library.add_feed(page)
    message = str(raised.value)
    assert message == f"{page}: neither a feed nor a page that links one"
    with pytest.raises(LibraryError, match="404") as raised:
        library.add_feed(httpserver.url_for("/missing"))
    assert "\n" not in str(raised.value)
    with pytest.raises(LibraryError, match="connection refused"):
        library.add_feed(refused_address())
    assert library.feeds() == []


def test_add_address_saves_a_page_as_a_story(httpserver: HTTPServer, library: Library) -> None:
    page = serve(httpserver, "/stories/tramway", "tramway.html")
    assert library.add_address(page) == f"saved {TRAMWAY}"
    [story] = library.documents()
    assert (story.title, story.source, story.url) == (TRAMWAY, "The Calder Vale Courier", page)
    assert "Owen Hale" in story.text
    assert library.feeds() == []  # a saved page is not a subscription
    assert library.update().feeds == 0  # and is never fetched again
    assert len(requests_to(httpserver, "/stories/tramway")) == 1
    assert story.key in library.unread_keys()


def test_add_address_subscribes_to_a_feed_and_reads_it_at_once(
    httpserver: HTTPServer, library: Library
) -> None:
    feed = serve(httpserver, "/feed.rss", "courier.rss")
    serve(httpserver, "/stories/tramway", "tramway.html")
    assert library.add_address(feed) == f"subscribed to {feed}"
    assert [info.url for info in library.feeds()] == [feed]
    stories = {document.title: document for document in library.documents()}
    assert "Owen Hale" in stories[TRAMWAY].text


def test_add_address_with_json_that_is_not_a_feed_is_a_clear_error(
    httpserver: HTTPServer, library: Library
) -> None:
    httpserver.expect_request("/api").respond_with_json({"weather": "rain over Skerrow"})
    with pytest.raises(LibraryError, match=r"not a feed|JSON Feed") as raised:
        library.add_address(httpserver.url_for("/api"))
    assert "\n" not in str(raised.value)
    assert library.feeds() == []


# -- 7. OPML ---------------------------------------------------------------------------


def test_opml_import_keeps_folders_and_subscribes_once(
    httpserver: HTTPServer, library: Library
) -> None:
    data = fixture_text(httpserver, "subscriptions.opml").encode()
    assert library.import_opml(data) == 4
    folders = {feed.url: feed.folder for feed in library.feeds()}
    assert folders == {
        httpserver.url_for("/feed.rss"): "Local",  # listed twice: the first folder wins
        httpserver.url_for("/post.json"): "Islands",  # the folder it sits in, not its parent
        httpserver.url_for("/wire.rdf"): "Wires",
        httpserver.url_for("/gazette.atom"): "",
    }
    assert library.import_opml(data) == 4  # importing again adds nothing
    assert len(library.feeds()) == 4
    assert httpserver.log == []  # importing fetches nothing


def test_opml_export_round_trip(httpserver: HTTPServer, library: Library, tmp_path: Path) -> None:
    library.import_opml(fixture_text(httpserver, "subscriptions.opml").encode())
    exported = library.export_opml()
    assert exported.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    with Library(tmp_path / "fresh.sqlite3") as fresh:
        assert fresh.import_opml(exported.encode()) == 4
        assert {(f.url, f.folder) for f in fresh.feeds()} == {
            (f.url, f.folder) for f in library.feeds()
        }


@pytest.mark.parametrize(
    "data",
    [
        b"<html><body><p>Not a list of feeds</p></body></html>",
        b"Calder Vale Courier, Northwind Wire",
        b"",
        b'{"feeds": ["http://127.0.0.1/feed.rss"]}',
    ],
    ids=["html", "text", "empty", "json"],
)
def test_a_file_that_is_not_opml_is_one_line_error(library: Library, data: bytes) -> None:
    with pytest.raises(LibraryError, match="not an OPML file") as raised:
        library.import_opml(data)
    assert "\n" not in str(raised.value)
    assert library.feeds() == []


def test_opml_with_entities_is_refused(library: Library) -> None:
    laughs = (
        b'<?xml version="1.0"?>\n<!DOCTYPE opml [\n<!ENTITY a "aaaaaaaaaa">\n'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n]>\n'
        b'<opml version="2.0"><body><outline text="&b;" xmlUrl="http://127.0.0.1/f"/></body>'
        b"</opml>"
    )
    with pytest.raises(LibraryError, match="entities") as raised:
        library.import_opml(laughs)
    assert "\n" not in str(raised.value)
    assert library.feeds() == []


# -- 8. read marks ---------------------------------------------------------------------


def test_read_marks_count_and_survive_reopening(httpserver: HTTPServer, library: Library) -> None:
    library.add_feed(serve(httpserver, "/feed.rss", "courier.rss"))
    serve(httpserver, "/stories/tramway", "tramway.html")
    library.update()
    keys = {document.title: document.key for document in library.documents()}
    tramway, other = keys[TRAMWAY], keys["Moss Edge library extends its opening hours"]
    assert library.unread_keys() == {tramway, other}

    library.set_read(tramway)
    assert library.unread_keys() == {other}
    assert (library.feeds()[0].articles, library.feeds()[0].unread) == (2, 1)
    library.set_read("no such story")  # ignored
    library.close()

    with Library(library.path) as reopened:
        assert reopened.unread_keys() == {other}
        assert reopened.feeds()[0].unread == 1
        # Marks work on a reopened library before its stories are listed.
        reopened.set_read(other)
        assert reopened.unread_keys() == set()
        reopened.set_read(tramway, False)
        assert reopened.unread_keys() == {tramway}
        assert reopened.feeds()[0].unread == 1


# -- 9. retention ----------------------------------------------------------------------


def test_old_read_stories_are_dropped_and_unread_ones_stay(
    httpserver: HTTPServer, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt

    # The Courier's stories are from June 2024, but a story's age counts from when it
    # entered the library: read today, it stays until it has been kept keep_days.
    library.add_feed(serve(httpserver, "/feed.rss", "courier.rss"))
    serve(httpserver, "/stories/tramway", "tramway.html")
    library.update(keep_days=90)
    keys = {document.title: document.key for document in library.documents()}
    library.set_read(keys[TRAMWAY])

    assert library.update(keep_days=90).dropped == 0  # read, but stored today
    assert TRAMWAY in {document.title for document in library.documents()}

    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=91)
    monkeypatch.setattr(feeds_module, "utc_now", lambda: later)
    report = library.update(keep_days=90)
    assert report.dropped == 1
    titles = {document.title for document in library.documents()}
    assert titles == {"Moss Edge library extends its opening hours"}  # unread: kept
    assert (library.feeds()[0].articles, library.feeds()[0].unread) == (1, 1)

    # The feed still lists the dropped story: it does not come back, nor is it fetched.
    again = library.update(keep_days=90)
    assert (again.dropped, again.new_articles, again.pages_fetched) == (0, 0, 0)
    assert {document.title for document in library.documents()} == titles
    assert len(requests_to(httpserver, "/stories/tramway")) == 1


# -- 10. feeds that moved --------------------------------------------------------------


@pytest.mark.parametrize("status", [301, 308])
def test_a_feed_moved_for_good_is_stored_at_its_new_address(
    httpserver: HTTPServer, library: Library, no_teasers: None, status: int
) -> None:
    new = serve(httpserver, "/feed.rss", "courier.rss")
    old = httpserver.url_for("/old/courier.rss")
    httpserver.expect_request("/old/courier.rss").respond_with_data(
        "", status=status, headers={"Location": "/feed.rss"}
    )
    library.import_opml(
        f'<opml version="2.0"><body><outline text="Local">'
        f'<outline xmlUrl="{old}"/></outline></body></opml>'.encode()
    )
    report = library.update()
    assert (report.updated, report.new_articles, report.failures) == (1, 2, [])
    assert report.moved == [(old, new)]
    [feed] = library.feeds()
    assert (feed.url, feed.folder, feed.title, feed.error) == (
        new,
        "Local",
        "The Calder Vale Courier",
        "",
    )
    assert {document.key.split("#")[0] for document in library.documents()} == {new}
    assert len(library.unread_keys()) == 2

    httpserver.clear_log()
    assert library.update().moved == []
    assert [request.path for request, _ in httpserver.log] == ["/feed.rss"]


def test_a_temporary_redirect_keeps_the_address(
    httpserver: HTTPServer, library: Library, no_teasers: None
) -> None:
    serve(httpserver, "/feed.rss", "courier.rss")
    old = httpserver.url_for("/today.rss")
    httpserver.expect_request("/today.rss").respond_with_data(
        "", status=302, headers={"Location": "/feed.rss"}
    )
    library.import_opml(opml_of(old))
    report = library.update()
    assert (report.new_articles, report.moved) == (2, [])
    assert [feed.url for feed in library.feeds()] == [old]


def test_a_feed_moved_to_one_already_followed_keeps_both(
    httpserver: HTTPServer, library: Library, no_teasers: None
) -> None:
    new = serve(httpserver, "/feed.rss", "courier.rss")
    old = httpserver.url_for("/old.rss")
    httpserver.expect_request("/old.rss").respond_with_data(
        "", status=301, headers={"Location": new}
    )
    library.import_opml(opml_of(old, new))
    report = library.update()
    assert (report.updated, report.failures, report.moved) == (2, [], [])
    assert {feed.url for feed in library.feeds()} == {old, new}
