"""Markdown for an article or a group of articles, safe file names and atomic writes.

``CorpusMarkdown`` is the one place a corpus's stories become documents: the command
line prints and writes them, the app exports them.

Article text is data: characters Markdown would act on are escaped where they would
change the document's structure, so a headline or a sentence can never open a heading,
end a list or turn into a link.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from summarise.article import Analysis, Article, Group, Summary
from summarise.entities import DISPLAY_LABELS, top_entities
from summarise.text import one_line

if TYPE_CHECKING:
    from summarise.engine import Corpus

SLUG_MAX_LENGTH = 80

# Names Windows refuses as file stems, whatever the extension.
_RESERVED_STEMS = frozenset(
    ["con", "prn", "aux", "nul"] + [f"com{n}" for n in range(10)] + [f"lpt{n}" for n in range(10)]
)

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_WHITESPACE = re.compile(r"\s+")
# Characters that can start emphasis, code, links, raw HTML or tables anywhere in a line.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_ENTITY_REFERENCE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# What turns the start of a line into a heading, quote, list item, rule or setext underline.
_BLOCK_START = re.compile(r"^(\s*\d{1,9}(?=[.)](?:\s|$))|\s*)([#>+=.)-])")
_SAFE_URL = re.compile(r"^https?://[^\s<>]+$", re.IGNORECASE)


def _plain_slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", folded.lower()).strip("-")
    if len(slug) > SLUG_MAX_LENGTH:
        cut = slug[:SLUG_MAX_LENGTH]
        # Cut at a word boundary when one is reasonably close to the limit.
        boundary = cut.rfind("-")
        slug = (cut[:boundary] if boundary >= SLUG_MAX_LENGTH // 2 else cut).strip("-")
    return slug


def slugify(title: str, fallback: str = "article") -> str:
    """A lower-case ASCII file name stem for ``title``; ``fallback`` when nothing is left.

    Never empty, never a dot name or a reserved device name, at most 80 characters.
    Making names unique within a folder is the caller's job.
    """
    spare = _plain_slug(fallback)
    if not spare or spare in _RESERVED_STEMS:
        spare = "article"
    slug = _plain_slug(title) or spare
    if slug in _RESERVED_STEMS:
        slug = f"{slug}-{spare}"
    return slug


def group_file_stem(first_title: str) -> str:
    """The file name stem of a group's export, named after its first story's title.

    The "-group" ending keeps it apart from that story's own export in the same folder.
    """
    return f"{slugify(first_title, 'group')}-group"


_CLOSING_HASHES = re.compile(r"#+\s*$")


def escape_markdown(text: str) -> str:
    """``text`` as one line of Markdown that renders as the same words and nothing more."""
    line = _INLINE_SPECIAL.sub(r"\\\1", one_line(text))
    line = _ENTITY_REFERENCE.sub(r"\\&", line)
    # "#"s closing a heading are taken for markup ("# Vote for #" shows "Vote for").
    line = _CLOSING_HASHES.sub(lambda m: m.group(0).replace("#", "\\#"), line)
    return _BLOCK_START.sub(lambda m: m.group(1) + "\\" + m.group(2), line, count=1)


def _link(url: str) -> str:
    url = url.strip()
    return f"<{url}>" if _SAFE_URL.match(url) else escape_markdown(url)


def _summary_lines(article: Article, analysis: Analysis, summary: Summary | None) -> list[str]:
    if summary is None:
        return []
    sentences = [
        escape_markdown(sentence)
        for sentence in summary.sentences(article, analysis)
        if sentence.strip()
    ]
    return [f"- {sentence}" for sentence in sentences]


def _entity_lines(analysis: Analysis) -> list[str]:
    by_type: dict[str, list[str]] = {}
    for entity in top_entities(analysis):
        kind = DISPLAY_LABELS.get(entity.label)
        if kind:
            by_type.setdefault(kind, []).append(escape_markdown(entity.text))
    order = list(dict.fromkeys(DISPLAY_LABELS.values()))
    kinds = sorted(by_type, key=lambda kind: order.index(kind) if kind in order else len(order))
    return [f"- **{kind.capitalize()}:** {', '.join(by_type[kind])}" for kind in kinds]


def _metadata_lines(article: Article) -> list[str]:
    lines = []
    if article.source:
        lines.append(f"**Source:** {escape_markdown(article.source)}")
    if article.published:
        lines.append(f"**Date:** {escape_markdown(article.published)}")
    if article.url:
        lines.append(f"**Link:** {_link(article.url)}")
    # Two trailing spaces make a line break inside one paragraph.
    return [line + "  " for line in lines[:-1]] + lines[-1:]


def _title(article: Article) -> str:
    return escape_markdown(article.title) or "Untitled article"


def article_markdown(article: Article, analysis: Analysis, summary: Summary | None) -> str:
    """One article: title, where and when it appeared, standfirst, summary and entities."""
    parts: list[list[str]] = [[f"# {_title(article)}"]]
    metadata = _metadata_lines(article)
    if metadata:
        parts.append(metadata)
    if article.standfirst.strip():
        parts.append([f"> {escape_markdown(article.standfirst)}"])
    summary_lines = _summary_lines(article, analysis, summary)
    if summary_lines:
        parts.append(["## Summary", "", *summary_lines])
    entity_lines = _entity_lines(analysis) if analysis.entities_available else []
    if entity_lines:
        parts.append(["## Key entities", "", *entity_lines])
    return "\n\n".join("\n".join(part) for part in parts) + "\n"


def _member_caption(article: Article) -> str:
    details = [escape_markdown(value) for value in (article.source, article.published) if value]
    return ", ".join(details) or "source and date unknown"


def group_markdown(
    group: Group,
    articles: Mapping[str, Article],
    analyses: Mapping[str, Analysis],
    summaries: Mapping[str, Summary],
) -> str:
    """A group: its members with outlet and date, why they belong together, their summaries."""
    members = [articles[key] for key in group.members if key in articles]
    heading = _title(members[0]) if members else "Empty group"
    parts: list[list[str]] = [[f"# {heading}"]]
    parts.append([f"{len(members)} {'story' if len(members) == 1 else 'stories'}:"])
    parts.append(
        [f"- {_title(member)} ({_member_caption(member)})" for member in members] or ["- none"]
    )
    why = ["## Why these are grouped", "", escape_markdown(group.why)]
    titles = {key: _title(article) for key, article in articles.items()}
    pair_lines = []
    for pair in sorted(group.pairs, key=lambda pair: -pair.score):
        first = titles.get(pair.first, escape_markdown(pair.first))
        second = titles.get(pair.second, escape_markdown(pair.second))
        shared = ", ".join(escape_markdown(name) for name in pair.shared_entities)
        line = f"- {first} / {second}: similarity {pair.score:.0f}"
        pair_lines.append(line + (f"; shared: {shared}" if shared else ""))
    if pair_lines:
        why += ["", *pair_lines]
    parts.append(why)
    for member in members:
        section = [f"## {_title(member)}", "", f"*{_member_caption(member)}*"]
        if member.url:
            section[-1] += f" {_link(member.url)}"
        analysis = analyses.get(member.id)
        summary = summaries.get(member.id)
        lines = _summary_lines(member, analysis, summary) if analysis is not None else []
        if lines:
            section += ["", *lines]
        parts.append(section)
    return "\n\n".join("\n".join(part) for part in parts) + "\n"


class CorpusMarkdown:
    """Markdown for a corpus's articles and groups, every summary made by one summariser
    at one length (``sentences`` or ``ratio``; neither: the summariser's default)."""

    def __init__(
        self,
        corpus: Corpus,
        algorithm: str,
        sentences: int | None = None,
        ratio: float | None = None,
    ) -> None:
        self.corpus = corpus
        self.algorithm = algorithm
        self.sentences = sentences
        self.ratio = ratio

    def _summary(self, article: Article) -> Summary:
        return self.corpus.summary(article, self.algorithm, self.sentences, self.ratio)

    def article(self, article: Article) -> str:
        """One article, analysed first if need be."""
        return article_markdown(article, self.corpus.analysis(article), self._summary(article))

    def group(self, group: Group, members: Sequence[Article] | None = None) -> str:
        """A group with the members given (a filtered list shows only some of them), by
        default every member the corpus holds."""
        articles = self.corpus.by_key if members is None else {m.key: m for m in members}
        shown = [articles[key] for key in group.members if key in articles]
        analyses = {member.id: self.corpus.analysis(member) for member in shown}
        summaries = {member.id: self._summary(member) for member in shown}
        return group_markdown(group, articles, analyses, summaries)


def _write_temporary(directory: Path, name: str, data: bytes) -> Path:
    """A fully written and flushed file next to its final place (same file system)."""
    while True:
        temporary = directory / f".{name}.{secrets.token_hex(6)}.tmp"
        try:
            # 0o666 lets the user's umask decide the final permissions, like a plain open().
            handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        break
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    return temporary


def write_new_file(path: Path, text: str, force: bool = False) -> Path:
    """Write ``text`` to ``path`` atomically; readers see the old file or the whole new one.

    Missing parent folders are created. Without ``force`` an existing file is never
    replaced, even if another process creates it while this one writes
    (FileExistsError).
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        # A file stands where a folder is needed: not "the file exists", which the
        # callers read as the target being taken.
        blocking = next(
            (p for p in reversed(path.parents) if p.exists() and not p.is_dir()), path.parent
        )
        raise NotADirectoryError(
            errno.ENOTDIR, f"{blocking} is a file, not a folder", str(blocking)
        ) from None
    if not force and path.exists():
        raise FileExistsError(f"{path} already exists")
    temporary = _write_temporary(path.parent, path.name, text.encode("utf-8"))
    try:
        if force:
            os.replace(temporary, path)
            return path
        try:
            # A hard link is created atomically and fails if the name is taken.
            os.link(temporary, path)
        except FileExistsError:
            raise  # the name is taken: never fall through to the replacing branch below
        except OSError:
            # No hard links on this file system: claim the name first, then fill it.
            claimed = False
            try:
                handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
                claimed = True
                os.close(handle)
                os.replace(temporary, path)
            except BaseException:
                if claimed:
                    with contextlib.suppress(OSError):
                        path.unlink()  # the empty file that claimed the name, never the user's
                raise
        return path
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()
