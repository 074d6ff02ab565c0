"""A large reading library built at bench time from the evaluation data (never stored).

The BBC, CNN and ECB+ stories (about 3,242) are written once as they are, then reworded
near-copies of them fill the library up to the size asked for: the way a busy feed library
holds the same wire story told by several outlets. The rewording is deterministic, so two
runs measure the same library.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from pathlib import Path

from bench.quality.common import read_jsonl

# Word swaps a sub-editor makes; applied whole-word, so the copy stays readable prose.
_SWAPS = {
    "said": "stated",
    "told": "informed",
    "announced": "declared",
    "people": "residents",
    "government": "administration",
    "also": "additionally",
    "but": "yet",
    "big": "large",
    "after": "following",
    "before": "ahead of",
    "about": "around",
    "new": "fresh",
}
_SWAP = re.compile(r"\b(" + "|".join(_SWAPS) + r")\b")
FILE_RECORDS = 1000
_OUTLETS = ("Harbour Wire", "Northgate Daily", "Meridian Post", "Valley Ledger", "Coastline News")


def _stories(data: Path) -> list[dict[str, str]]:
    """The original stories with a title (the first line when the data set has none)."""
    stories: list[dict[str, str]] = []
    for record in read_jsonl(data / "bbc-news-summary" / "dev.jsonl"):
        stories.append({"title": record["title"], "text": record["body"], "source": "BBC"})
    for name, source in (("cnn", "CNN"), ("ecbplus", "ECB+")):
        for record in read_jsonl(data / name / "dev.jsonl"):
            text = record["text"]
            first = text.strip().split("\n", 1)[0]
            title = " ".join(first.split()[:12])
            stories.append({"title": title, "text": text, "source": source})
    return stories


def _reword(text: str, rng: random.Random) -> str:
    """Swap some words, drop one sentence of a longer story, move the last paragraph up."""
    text = _SWAP.sub(lambda match: _SWAPS[match.group(1)], text)
    paragraphs = [paragraph for paragraph in text.split("\n") if paragraph.strip()]
    if len(paragraphs) > 3:
        moved = paragraphs.pop()
        paragraphs.insert(rng.randint(1, len(paragraphs) - 1), moved)
    sentences = paragraphs[-1].split(". ")
    if len(sentences) > 2:
        del sentences[rng.randrange(len(sentences))]
        paragraphs[-1] = ". ".join(sentences)
    return "\n\n".join(paragraphs)


def _records(data: Path, size: int) -> Iterator[dict[str, str]]:
    stories = _stories(data)
    rng = random.Random(10_000)
    for number in range(size):
        story = stories[number % len(stories)]
        telling = number // len(stories)
        day = 1 + number % 28
        record = {
            "id": f"story-{number}",
            "published": f"2024-{1 + (number // 28) % 12:02d}-{day:02d}",
        }
        if telling == 0:
            record |= story
        else:
            record |= {
                "title": f"{story['title']} ({_OUTLETS[telling % len(_OUTLETS)]})",
                "text": _reword(story["text"], rng),
                "source": _OUTLETS[(number + telling) % len(_OUTLETS)],
            }
        yield record


def write_library(data: Path, folder: Path, size: int) -> Path:
    """``size`` stories as JSON-lines files in ``folder`` (a file of the app's size limit
    holds a few thousand); returns the folder."""
    records = list(_records(data, size))
    for start in range(0, len(records), FILE_RECORDS):
        path = folder / f"library-{start // FILE_RECORDS:03d}.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for record in records[start : start + FILE_RECORDS]:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return folder


FEED_URL = "https://feeds.example.invalid/{outlet}.xml"


def write_feed_library(data: Path, path: Path, size: int, full_text_every: int = 2) -> Path:
    """A feed library (the reader's own file at ``path``) holding ``size`` stories from
    one feed per outlet, as an update would leave it: each story's HTML in the entry, and
    every ``full_text_every``-th story a teaser whose page text was fetched and kept."""
    from reader import make_reader

    from summarise.ingest.feeds import _FULL_TEXT

    reader = make_reader(str(path), plugins=[])
    try:
        outlets = sorted({record["source"] for record in _records(data, min(size, 6000))})
        for outlet in outlets:
            reader.add_feed(FEED_URL.format(outlet=_slug(outlet)), allow_invalid_url=True)
        for number, record in enumerate(_records(data, size)):
            feed_url = FEED_URL.format(outlet=_slug(record["source"]))
            paragraphs = [p for p in record["text"].split("\n") if p.strip()]
            teaser = number % full_text_every == 0
            shown = paragraphs[:1] if teaser else paragraphs
            reader.add_entry(
                {
                    "feed_url": feed_url,
                    "id": record["id"],
                    "title": record["title"],
                    "link": f"https://news.example.invalid/{record['id']}",
                    "summary": "".join(f"<p>{p}</p>" for p in shown),
                }
            )
            if teaser:
                reader.set_tag((feed_url, record["id"]), _FULL_TEXT, "\n\n".join(paragraphs))
    finally:
        reader.close()
    return path


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
