"""The `newsreader` command: the reader app, or summarise / groups / export on the terminal.

Textual is imported only when the app is opened, so the batch commands start fast; the
engine, the summarisers and the feed library `reader` are imported only where they are
used, so the reader's first screen does not wait for them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from summarise.article import Analysis, Article, EntityCount, Group, Summary
from summarise.config import Settings, load_settings
from summarise.export import (
    CorpusMarkdown,
    group_file_stem,
    slugify,
    write_new_file,
)
from summarise.ingest.feeds import SUBSCRIPTIONS_BACKUP_NAME, LibraryError, library_path
from summarise.ingest.web import is_web_address
from summarise.sources import seeds_path
from summarise.text import printable

if TYPE_CHECKING:
    from summarise.ingest.feeds import Library

COMMANDS = ("summarise", "groups", "export", "feeds", "update")
FORMATS = ("text", "markdown", "json")


class UserError(Exception):
    """A mistake the user can fix; printed as one line, never as a traceback."""


def _ratio(value: str) -> float:
    try:
        ratio = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0 < ratio <= 1:
        raise argparse.ArgumentTypeError("a ratio is above 0 and at most 1, e.g. 0.2")
    return ratio


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def _threshold(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0 <= number <= 100:
        raise argparse.ArgumentTypeError("the threshold is between 0 and 100")
    return number


def _add_common(parser: argparse.ArgumentParser, *, formats: bool = True) -> None:
    from summarise.summarisers import SUMMARISERS

    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files, folders or feed files (default: every story in your library)",
    )
    parser.add_argument(
        "-a",
        "--algorithm",
        choices=sorted(SUMMARISERS),
        help="summariser (default: from config, else news)",
    )
    length = parser.add_mutually_exclusive_group()
    length.add_argument("-n", "--sentences", type=_positive, help="summary length in sentences")
    length.add_argument("--ratio", type=_ratio, help="summary length as a share of the sentences")
    parser.add_argument("--model", help="spaCy model package to use (default: best installed)")
    parser.add_argument(
        "--threshold", type=_threshold, help="grouping threshold, 0-100 (higher: stricter)"
    )
    if formats:
        parser.add_argument("--format", choices=FORMATS, default="text", help="output format")


def _version() -> str:
    try:
        return metadata.version("newsreader")
    except metadata.PackageNotFoundError:
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsreader",
        description=(
            "Read, summarise and group news articles in the terminal. With no command, "
            "opens the reader on PATHs, or on your library (the bundled sample pages "
            "while it is empty)."
        ),
        epilog=(
            "commands: summarise [PATH...], groups [PATH...], export [PATH...] --to DIR, "
            "feeds add|import|export|list|remove, update. "
            "Run 'newsreader COMMAND --help' for each."
        ),
    )
    parser.add_argument("--version", action="version", version=f"newsreader {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    summarise_parser = sub.add_parser("summarise", help="print each article's summary")
    _add_common(summarise_parser)
    groups_parser = sub.add_parser("groups", help="print stories about the same event together")
    _add_common(groups_parser)
    export_parser = sub.add_parser("export", help="write Markdown summaries to a folder")
    _add_common(export_parser, formats=False)
    export_parser.add_argument("--to", required=True, type=Path, metavar="DIR")
    export_parser.add_argument(
        "--groups", action="store_true", help="one file per group instead of per article"
    )
    export_parser.add_argument(
        "--force", action="store_true", help="overwrite files that already exist"
    )
    _add_feed_commands(sub)
    sub.add_parser("update", help="fetch every subscribed feed now")
    return parser


def _add_feed_commands(sub: Any) -> None:
    feeds = sub.add_parser("feeds", help="subscriptions: add, import, export, list, remove")
    actions = feeds.add_subparsers(dest="feeds_command", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="subscribe to feeds (or pages that link their feed)")
    add.add_argument("urls", nargs="+", metavar="URL")
    opml_in = actions.add_parser("import", help="subscribe to every feed of an OPML file")
    opml_in.add_argument("file", type=Path, metavar="FILE")
    actions.add_parser("export", help="print the subscriptions as OPML")
    listing = actions.add_parser("list", help="the subscriptions, with counts and errors")
    listing.add_argument("--format", choices=("text", "json"), default="text")
    remove = actions.add_parser("remove", help="unsubscribe")
    remove.add_argument("urls", nargs="+", metavar="URL")


def build_app_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsreader",
        description=(
            "Open the reader on PATHs; with none, on your library (the bundled sample "
            "pages while nothing is subscribed)."
        ),
        epilog="commands: summarise, groups, export (see 'newsreader --help').",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files, folders, feed files or web addresses (a page or feed is read and kept)",
    )
    parser.add_argument("--model", help="spaCy model package to use")
    return parser


Row = tuple[Article, Analysis, Summary]
# A batch run holds the analyses of this many articles at a time: enough to keep the
# worker processes busy, few enough that memory does not grow with the corpus.
WINDOW = 2000


class Run:
    """One batch command: its options, corpus and output streams."""

    def __init__(self, args: argparse.Namespace, settings: Settings, out: TextIO, err: TextIO):
        from summarise.engine import Corpus
        from summarise.store import AnalysisCache
        from summarise.summarisers import SUMMARISERS

        self.args = args
        self.out = out
        self.err = err
        self.algorithm: str = args.algorithm or settings.algorithm
        if self.algorithm not in SUMMARISERS:
            print(
                f"newsreader: config.toml: algorithm {printable(self.algorithm)!r} is not a"
                f" summariser ({', '.join(SUMMARISERS)}); using news",
                file=err,
            )
            self.algorithm = "news"
        self.sentences: int | None = args.sentences
        self.ratio: float | None = args.ratio
        if self.sentences is None and self.ratio is None:
            self.sentences = settings.sentences
        self.threshold: float = args.threshold if args.threshold is not None else settings.threshold
        model = args.model or settings.model or None
        if args.paths:
            self.corpus = Corpus.from_paths(args.paths, model=model, cache=AnalysisCache())
        else:
            with open_library() as library:
                self.corpus = Corpus.from_library(library, model=model, cache=AnalysisCache())
        for problem in self.corpus.problems:
            print(f"newsreader: skipped {printable(problem.path)}: {problem.message}", file=err)
        if not self.corpus.articles:
            if not args.paths:
                raise UserError(
                    "your library is empty: subscribe with 'newsreader feeds add URL' "
                    "(then 'newsreader update'), or name files: newsreader summarise PATH"
                )
            raise UserError("no articles found in " + ", ".join(map(printable, args.paths)))
        self._warn_without_entities()
        self.markdown = CorpusMarkdown(self.corpus, self.algorithm, self.sentences, self.ratio)

    def _warn_without_entities(self) -> None:
        from summarise.nlp import MODEL_HELP, ModelNotFound

        try:
            model = self.corpus.model
        except ModelNotFound as error:
            # A named model that cannot be loaded is the user's choice to fix.
            raise UserError(str(error)) from None
        if not model.has_entities:
            print(
                "newsreader: no spaCy English model is installed, so entities are off "
                f"(summaries and groups still work). {MODEL_HELP}",
                file=self.err,
            )

    def windows(self) -> Iterator[list[Row]]:
        """Every article with its analysis and summary, a window of articles at a time.

        Each window's analyses are let go once it is written (the cache keeps them), so
        a run holds the same memory for 100,000 articles as for a few thousand.
        """
        articles = self.corpus.articles
        for low in range(0, len(articles), WINDOW):
            window = articles[low : low + WINDOW]
            # A whole window at once: the worker processes share it.
            self.corpus.analyse(window)
            summaries = self.corpus.summaries(window, self.algorithm, self.sentences, self.ratio)
            yield [
                (article, self.corpus.analysis(article), summary)
                for article, summary in zip(window, summaries, strict=True)
            ]
            self.corpus.forget(window)


def article_record(article: Article, analysis: Analysis, summary: Summary) -> dict[str, Any]:
    """The JSON contract of `summarise --format json` (documented in README.md)."""
    from summarise.entities import DISPLAY_LABELS

    return {
        "key": article.key,
        "title": article.title,
        "source": article.source,
        "published": article.published,
        "url": article.url,
        "body": article.body,
        "summary": summary.sentences(article, analysis),
        "algorithm": summary.algorithm,
        "entities": [
            {"text": m.text, "label": m.label, "start": m.start, "end": m.end}
            for m in analysis.mentions
            if m.label in DISPLAY_LABELS
        ],
    }


def _byline(article: Article) -> str:
    parts = [article.source or "unknown source", article.published or "undated"]
    parts.append(printable(article.key))
    return " · ".join(parts)


def _print_summaries(run: Run) -> None:
    fmt = run.args.format
    if fmt == "json":
        records = (article_record(*row) for rows in run.windows() for row in rows)
        _write_json_list(records, run.out)
    elif fmt == "markdown":
        texts = (run.markdown.article(row[0]) for rows in run.windows() for row in rows)
        for number, text in enumerate(texts):
            run.out.write(("\n---\n\n" if number else "") + text)
    else:
        first = True
        for rows in run.windows():
            counted = run.corpus.entities([row[0] for row in rows])
            for row, counts in zip(rows, counted, strict=True):
                if not first:
                    run.out.write("\n")
                first = False
                _print_summary(run.out, *row, counts)


def _write_json_list(records: Iterable[dict[str, Any]], out: TextIO) -> None:
    """Write the records as ``json.dump(list(records), out, indent=2)`` would, one at a
    time, so a long run never holds them all."""
    out.write("[")
    separator = "\n"
    for record in records:
        text = json.dumps(record, ensure_ascii=False, indent=2)
        out.write(separator + "\n".join("  " + line for line in text.split("\n")))
        separator = ",\n"
    out.write("]\n" if separator == "\n" else "\n]\n")


def _print_summary(
    out: TextIO, article: Article, analysis: Analysis, summary: Summary, counts: list[EntityCount]
) -> None:
    from summarise.entities import DISPLAY_LABELS, top_entities

    out.write(f"{article.title}\n{_byline(article)}\n")
    for index, sentence in enumerate(summary.sentences(article, analysis), start=1):
        out.write(f"  {index}. {sentence}\n")
    names = [
        f"{entity.text} ({DISPLAY_LABELS[entity.label]} ×{entity.count})"
        for entity in top_entities(analysis, counts=counts)
    ]
    if names:
        out.write("  Entities: " + ", ".join(names) + "\n")


def _group_record(group: Group) -> dict[str, Any]:
    return {"id": group.id, "members": list(group.members), "why": group.why}


def _print_groups(run: Run) -> None:
    groups = run.corpus.groups(run.threshold)
    fmt = run.args.format
    if fmt == "json":
        json.dump([_group_record(g) for g in groups], run.out, ensure_ascii=False, indent=2)
        run.out.write("\n")
        return
    if fmt == "markdown":
        run.out.write("\n---\n\n".join(run.markdown.group(group) for group in groups))
        return
    for number, group in enumerate(groups, start=1):
        if number > 1:
            run.out.write("\n")
        run.out.write(f"Group {number}: {group.why}\n")
        for key in group.members:
            article = run.corpus.by_key[key]
            run.out.write(f"  - {article.title} ({_byline(article)})\n")


def _unique_path(folder: Path, stem: str, taken: set[Path]) -> Path:
    path = folder / f"{stem}.md"
    counter = 2
    while path in taken:
        path = folder / f"{stem}-{counter}.md"
        counter += 1
    taken.add(path)
    return path


def _export(run: Run) -> int:
    folder: Path = run.args.to
    if folder.exists() and not folder.is_dir():
        raise UserError(f"{printable(str(folder))} exists and is not a folder")
    documents: Iterable[tuple[str, str]]  # (file name stem, Markdown)
    if run.args.groups:
        groups = run.corpus.groups(run.threshold)
        documents = [
            (group_file_stem(run.corpus.by_key[group.members[0]].title), run.markdown.group(group))
            for group in groups
        ]
    else:
        documents = (
            (slugify(article.title), run.markdown.article(article))
            for rows in run.windows()
            for article, _, _ in rows
        )
    taken: set[Path] = set()
    refused = 0
    for stem, text in documents:
        path = _unique_path(folder, stem, taken)
        try:
            write_new_file(path, text, force=run.args.force)
        except FileExistsError:
            refused += 1
            shown = printable(str(path))
            print(f"newsreader: {shown} exists; not overwritten (use --force)", file=run.err)
        except OSError as error:
            shown = printable(str(path))
            raise UserError(f"cannot write {shown}: {error.strerror or error}") from None
        else:
            print(printable(str(path)), file=run.out)
    return 1 if refused else 0


def open_library() -> Library:
    from summarise.ingest.feeds import Library

    try:
        library = Library()
    except LibraryError as error:
        raise UserError(str(error)) from None
    for warning in library.warnings:  # what was repaired on opening, one line each
        print(f"newsreader: {printable(warning)}", file=sys.stderr)
    return library


def _feeds(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    with open_library() as library:
        action = args.feeds_command
        if action == "add":
            failed = 0
            for url in args.urls:
                try:
                    print(f"subscribed to {printable(library.add_feed(url))}", file=out)
                except LibraryError as error:
                    failed += 1
                    print(f"newsreader: {error}", file=err)
            if not failed:
                print("run 'newsreader update' to fetch their stories", file=err)
            return 1 if failed else 0
        if action == "import":
            try:
                data = args.file.read_bytes()
            except OSError as error:
                raise UserError(
                    f"cannot read {printable(str(args.file))}: {error.strerror}"
                ) from None
            try:
                count = library.import_opml(data)
            except LibraryError as error:
                raise UserError(f"{printable(str(args.file))}: {error}") from None
            print(f"subscribed to {count} feeds from {printable(str(args.file))}", file=out)
            return 0
        if action == "export":
            out.write(library.export_opml())
            return 0
        if action == "remove":
            failed = 0
            for url in args.urls:
                try:
                    library.remove_feed(url)
                    print(f"unsubscribed from {printable(url)}", file=out)
                except LibraryError as error:
                    failed += 1
                    print(f"newsreader: {error}", file=err)
            return 1 if failed else 0
        feeds = library.feeds()
        if args.format == "json":
            json.dump([feed.record() for feed in feeds], out, ensure_ascii=False, indent=2)
            out.write("\n")
            return 0
        if not feeds:
            print("no subscriptions yet: newsreader feeds add URL", file=err)
        for feed in feeds:
            state = f"error: {feed.error}" if feed.error else f"updated {feed.updated or 'never'}"
            title = feed.title or "(untitled)"
            print(f"{title} · {feed.articles} articles, {feed.unread} unread · {state}", file=out)
            print(f"  {printable(feed.url)}", file=out)
        return 0


def _update(out: TextIO, err: TextIO) -> int:
    settings = load_settings()
    for warning in settings.warnings:
        print(f"newsreader: {printable(warning)}", file=err)
    with open_library() as library:
        if not library.feeds():
            print("no subscriptions yet: newsreader feeds add URL", file=err)
            return 0
        show_progress = err.isatty()

        def progress(done: int, total: int, url: str) -> None:
            if show_progress:
                width = 30
                filled = width * done // max(1, total)
                bar = "█" * filled + "·" * (width - filled)
                err.write(f"\rupdating {bar} {done}/{total}")
                err.flush()

        report = library.update(progress, keep_days=settings.keep_days)
        if show_progress:
            err.write("\n")
        for url, why in report.failures:
            print(f"newsreader: {printable(url)}: {why}", file=err)
        print(
            f"{report.updated} of {report.feeds} feeds updated, {report.new_articles} new "
            f"stories, {report.pages_fetched} pages fetched for full text"
            + (f", {report.dropped} old read stories dropped" if report.dropped else ""),
            file=out,
        )
        return 1 if report.all_failed else 0


def run_command(argv: Sequence[str], out: TextIO, err: TextIO) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "feeds":
            return _feeds(args, out, err)
        if args.command == "update":
            return _update(out, err)
    except LibraryError as error:  # the library's file failed (full disk, read-only)
        raise UserError(str(error)) from None
    settings = load_settings()
    for warning in settings.warnings:
        print(f"newsreader: {printable(warning)}", file=err)
    run = Run(args, settings, out, err)
    with run.corpus:
        if args.command == "summarise":
            _print_summaries(run)
            return 0
        if args.command == "groups":
            _print_groups(run)
            return 0
        return _export(run)


def open_app(argv: Sequence[str], err: TextIO) -> int:
    args = build_app_parser().parse_args(argv)
    addresses = [path for path in args.paths if is_web_address(path)]
    paths = [path for path in args.paths if not is_web_address(path)]
    missing = [path for path in paths if not Path(path).exists()]
    if missing:
        raise UserError("no such file or folder: " + ", ".join(missing))
    if not sys.stdout.isatty() or not sys.stdin.isatty():
        raise UserError("the reader needs a terminal; for plain output try 'newsreader summarise'")
    use_library = not paths
    # Opening the library takes longer than the reader's first screen should: when it
    # looks empty the sample pages open at once, and the reader makes sure later.
    check_library = use_library and not addresses and _library_looks_empty()
    notices: list[str] = []  # shown again in the reader, which hides this terminal's lines
    if addresses or (use_library and not check_library):
        with open_library() as library:
            notices += [printable(warning) for warning in library.warnings]
            for address in addresses:
                try:
                    notices.append(library.add_address(address).capitalize())
                except LibraryError as error:
                    raise UserError(str(error)) from None
            use_library = use_library and not library.is_empty()
    if check_library:
        use_library = False
    if not paths and not use_library:
        paths = [str(seeds_path())]  # nothing subscribed yet: the bundled sample pages
    from tui.app import run_app

    return run_app(
        paths,
        model=args.model,
        settings=load_settings(),
        library=use_library,
        check_library=check_library,
        notices=notices,
    )


def _library_looks_empty() -> bool:
    """True when the backup of the subscriptions beside the library lists no feed and no
    saved page (or is missing). The library rewrites it whenever they change and makes it
    on opening when missing, so this is a guess only when it was lost; the reader then
    opens the library itself and switches to it."""
    try:
        backup = library_path().with_name(SUBSCRIPTIONS_BACKUP_NAME).read_text(encoding="utf-8")
    except (OSError, UnicodeError):
        return True
    return "<outline" not in backup


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv[:1] and argv[0] in (*COMMANDS, "-h", "--help", "--version"):
            return run_command(argv, sys.stdout, sys.stderr)
        return open_app(argv, sys.stderr)
    except UserError as error:
        print(f"newsreader: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `newsreader summarise ... | head` closes the pipe early; that is not an error.
        sys.stderr.close()
        return 0
    except OSError as error:
        # Output that cannot be written (a full disk, a closed terminal): say so plainly.
        print(f"newsreader: cannot write output: {error.strerror or error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
