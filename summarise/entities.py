"""Entity mentions: which labels are shown, one label per name in a document, counts."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from summarise.article import Analysis, EntityCount, Mention

# spaCy label -> what the reader sees. Numbers, money, percentages, times and
# quantities are left out: they are rarely what a story is about.
DISPLAY_LABELS: dict[str, str] = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "group",
    "EVENT": "event",
    "DATE": "date",
    "LAW": "law",
    "WORK_OF_ART": "work",
    "PRODUCT": "product",
    "LANGUAGE": "language",
}

# Dates are highlighted in the text but say little about who or what a story is about,
# so they are not among the top entities.
_TOPIC_LABELS = frozenset(DISPLAY_LABELS) - {"DATE"}

# When votes tie, the label a name more often really has wins.
_LABEL_PRIORITY = ("PERSON", "GPE", "ORG", "LOC", "NORP", "FAC", "EVENT", "PRODUCT")

_LEADING_ARTICLE = re.compile(r"^(?:the|The|THE)\s+")
_POSSESSIVE = re.compile(r"(?:['’][sS]|(?<=[sS])['’])$")
_SPACES = re.compile(r"\s+")
_NAME_PARTS = re.compile(r"[\s\-‐–]+")


def surface_key(text: str) -> str:
    """The form a name is merged under: no leading "the", no possessive, case folded."""
    text = _SPACES.sub(" ", text.strip())
    text = _LEADING_ARTICLE.sub("", text)
    text = _POSSESSIVE.sub("", text)
    return text.strip(" .,;:\"'“”‘’()").casefold()


def _display_form(text: str) -> str:
    text = _SPACES.sub(" ", text.strip())
    text = _LEADING_ARTICLE.sub("", text)
    return _POSSESSIVE.sub("", text).strip(" ,;:\"'“”‘’()")


def _name_parts(key: str) -> list[str]:
    return [part for part in _NAME_PARTS.split(key) if part]


def _acronym(key: str) -> str:
    parts = [part for part in _name_parts(key) if part not in {"of", "and", "for", "the", "&"}]
    return "".join(part[0] for part in parts) if len(parts) >= 2 else ""


def _majority(labels: Counter[str], first_seen: dict[str, int]) -> str:
    def rank(label: str) -> tuple[int, int, int]:
        priority = (
            _LABEL_PRIORITY.index(label) if label in _LABEL_PRIORITY else len(_LABEL_PRIORITY)
        )
        return (-labels[label], priority, first_seen[label])

    return min(labels, key=rank)


def _short_form_labels(labels: dict[str, str]) -> dict[str, str]:
    """Labels a short form inherits from a longer name in the same document.

    A surname ("Assad" after "Bashar al-Assad") takes the person label; initials
    ("UN" after "United Nations") take the organisation label.
    """
    inherited: dict[str, str] = {}
    for key, label in labels.items():
        parts = _name_parts(key)
        if label == "PERSON" and len(parts) >= 2:
            for size in range(1, len(parts)):
                inherited.setdefault(" ".join(parts[-size:]), "PERSON")
        elif label == "ORG":
            acronym = _acronym(key)
            if len(acronym) >= 2:
                inherited.setdefault(acronym, "ORG")
    return inherited


def make_consistent(mentions: Sequence[Mention]) -> list[Mention]:
    """Mentions with one label per name in the document (majority vote).

    A shorter mention of a person or organisation named in full elsewhere in the
    document takes that name's label.
    """
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    first_seen: dict[str, dict[str, int]] = defaultdict(dict)
    for position, mention in enumerate(mentions):
        key = surface_key(mention.text)
        votes[key][mention.label] += 1
        first_seen[key].setdefault(mention.label, position)
    chosen = {key: _majority(counter, first_seen[key]) for key, counter in votes.items()}
    inherited = _short_form_labels(chosen)
    result = []
    for mention in mentions:
        key = surface_key(mention.text)
        label = chosen[key]
        short = " ".join(_name_parts(key.replace(".", "")))
        if short in inherited:
            label = inherited[short]
        if label != mention.label:
            mention = Mention(mention.text, label, mention.start, mention.end)
        result.append(mention)
    return result


def entity_counts(analysis: Analysis) -> list[EntityCount]:
    """Mentions merged by name, most frequent first (ties: first mentioned first).

    A bare surname is counted with the one full name it belongs to.
    """
    counts: Counter[str] = Counter()
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    order: dict[str, int] = {}
    mentions = sorted(analysis.mentions, key=lambda mention: mention.start)
    full_names = _full_person_names(mentions)
    for mention in mentions:
        key = surface_key(mention.text)
        if not key:
            continue
        if mention.label in ("PERSON", "ORG"):
            short = " ".join(_name_parts(key.replace(".", "")))
            key = full_names.get(short, key)
        counts[key] += 1
        labels[key][mention.label] += 1
        forms[key][_display_form(mention.text)] += 1
        order.setdefault(key, len(order))
    result = []
    for key in sorted(counts, key=lambda key: (-counts[key], order[key])):
        # The fullest form names the entry: "Kofi Annan" rather than "Annan".
        text = max(forms[key], key=lambda form: (len(form.split()), forms[key][form], len(form)))
        label = labels[key].most_common(1)[0][0]
        result.append(EntityCount(text=text, label=label, count=counts[key]))
    return result


def _full_person_names(mentions: Sequence[Mention]) -> dict[str, str]:
    """Short form -> the single full name it belongs to (surnames, initials)."""
    candidates: dict[str, set[str]] = defaultdict(set)
    for mention in mentions:
        key = surface_key(mention.text)
        parts = _name_parts(key)
        if mention.label == "PERSON" and len(parts) >= 2:
            for size in range(1, len(parts)):
                candidates[" ".join(parts[-size:])].add(key)
        elif mention.label == "ORG":
            acronym = _acronym(key)
            if len(acronym) >= 2:
                candidates[acronym].add(key)
    return {short: next(iter(fulls)) for short, fulls in candidates.items() if len(fulls) == 1}


def top_entities(analysis: Analysis, n: int = 8) -> list[EntityCount]:
    """The ``n`` most mentioned people, organisations, places and other named things."""
    return [count for count in entity_counts(analysis) if count.label in _TOPIC_LABELS][:n]


# --- post-processing around the statistical tagger ------------------------------------

_TOKEN = re.compile(r"\S+")
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_DASHES = frozenset({"-", "--", "–", "—"})
_ARTICLES = frozenset({"the", "The", "THE"})
_POSSESSIVE_TOKENS = frozenset({"'s", "’s", "'S", "'", "’"})


def _pieces(text: str, start: int, end: int, label: str) -> list[tuple[int, int]]:
    """The name inside a tagged span, cut free of what the tagger swept in with it.

    Tables of results make the tagger swallow neighbouring scores ("Leeds 3 1") or a
    bracket; a leading "the" and a possessive are not part of a name; a spaced dash
    separates two names ("Spain - Raul").
    """
    words = [(m.start() + start, m.end() + start) for m in _TOKEN.finditer(text[start:end])]
    groups: list[list[tuple[int, int]]] = [[]]
    for word in words:
        token = text[word[0] : word[1]]
        if token in _DASHES:
            groups.append([])
        elif token[0] in "([" and not any(ch in text[word[0] : end] for ch in ")]"):
            break  # an unclosed bracket: what follows is an aside, not this name
        else:
            groups[-1].append(word)
    result = []
    for group in groups:
        while group and not _LETTER.search(text[group[0][0] : group[0][1]]):
            group = group[1:]
        while group and (
            not _LETTER.search(text[group[-1][0] : group[-1][1]])
            or text[group[-1][0] : group[-1][1]] in _POSSESSIVE_TOKENS
        ):
            group = group[:-1]
        leading = text[group[0][0] : group[0][1]] if group else ""
        if len(group) > 1 and leading in _ARTICLES and label != "WORK_OF_ART":
            group = group[1:]
        if not group:
            continue
        piece_start, piece_end = group[0][0], group[-1][1]
        tail = _POSSESSIVE.search(text[piece_start:piece_end])
        if tail and tail.start() > 0:
            piece_end = piece_start + tail.start()
        piece_start, piece_end = _strip_edge_punctuation(text, piece_start, piece_end)
        if piece_end > piece_start and _LETTER.search(text[piece_start:piece_end]):
            result.append((piece_start, piece_end))
    return result


def _strip_edge_punctuation(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in "\"'“‘([{,;:-":
        start += 1
    while end > start and text[end - 1] in "\"'”’)]},;:-":
        if text[end - 1] in ")]" and text[start:end].count("(") >= text[start:end].count(")"):
            break
        end -= 1
    return start, end


def refine_mentions(mentions: Sequence[Mention], text: str) -> list[Mention]:
    """Mentions with exact offsets into ``text`` and a clean surface form.

    A leading "the", a possessive and numbers or brackets at the edges are cut off,
    so that the highlighted text is the name itself.
    """
    refined = []
    for mention in mentions:
        for start, end in _pieces(text, mention.start, mention.end, mention.label):
            refined.append(Mention(text[start:end], mention.label, start, end))
    return refined


_NAME_LABELS = frozenset(DISPLAY_LABELS) - {"DATE"}

# The Arabic article, in its sun-letter spellings too, joined by a hyphen to the next part
# of a name ("Deir ez-Zor", "Ras al-Ain"): the tagger often stops before it.
_NAME_PARTICLE = re.compile(
    r"[ \u00a0](?:al|el|ez|ed|es|as|ash|ad|ar|at|az|an|ul|ud|ur|us)-([^\W\d_][\w'’]*)", re.UNICODE
)


def extend_name_particles(mentions: Sequence[Mention], text: str) -> list[Mention]:
    """Names carried on over a hyphenated particle the tagger cut them short at."""
    result: list[Mention] = []
    covered_until = -1
    for mention in sorted(mentions, key=lambda m: (m.start, -m.end)):
        if mention.start < covered_until:
            continue  # swallowed by the name extended before it
        end = mention.end
        if mention.label in _NAME_LABELS:
            while (match := _NAME_PARTICLE.match(text, end)) and match.group(1)[0].isupper():
                end = match.end()
        if end != mention.end:
            mention = Mention(text[mention.start : end], mention.label, mention.start, end)
            covered_until = end
        result.append(mention)
    return result


def propagate(mentions: Sequence[Mention], text: str) -> list[Mention]:
    """Mentions plus the untagged repeats of names tagged elsewhere in ``text``.

    The tagger often finds a name once and misses it later in a harder context; a
    capitalised name means the same thing throughout one document. A person's
    surname alone also counts as that person.
    """
    names: dict[str, str] = {}
    for mention in mentions:
        if mention.label in _NAME_LABELS and mention.text[:1].isupper():
            names.setdefault(mention.text, mention.label)
    for mention in mentions:
        parts = mention.text.split()
        if mention.label == "PERSON" and len(parts) >= 2:
            surname = parts[-1]
            if len(surname) > 2 and surname[:1].isupper() and surname[-1:].isalpha():
                names.setdefault(surname, "PERSON")
    covered = [False] * (len(text) + 1)
    for mention in mentions:
        for position in range(mention.start, mention.end):
            covered[position] = True
    added = []
    for name in sorted(names, key=len, reverse=True):
        if len(name) < 2:
            continue
        pattern = re.compile(r"(?<![\w'’-])" + re.escape(name) + r"(?![\w-]|['’]\w\w)")
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(covered[start:end]):
                continue
            for position in range(start, end):
                covered[position] = True
            added.append(Mention(name, names[name], start, end))
    return sorted([*mentions, *added], key=lambda mention: (mention.start, mention.end))


_NUMBER_TOKEN = re.compile(r"^[(\[]?[-+–]?[\d.,:/]*\d[\d.,:/%]*[)\]]?$|^[-–]$")
_NAME_TOKEN = re.compile(r"^[^\W\d_][\w.'’&-]*$", re.UNICODE)


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    position = 0
    for line in text.split("\n"):
        spans.append((position, position + len(line)))
        position += len(line) + 1
    return spans


def _table_row_names(line: str) -> list[tuple[int, int]]:
    """Names that head a row of a results table, as (start, end) in ``line``.

    Two shapes are recognised: a standings row (a name, then only numbers, at least
    three) and a score line (name, number, name, number). Such names are teams.
    """
    words = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(line)]
    kinds = [
        "number" if _NUMBER_TOKEN.match(word) else "name" if _NAME_TOKEN.match(word) else "other"
        for _start, _end, word in words
    ]
    runs: list[tuple[str, int, int]] = []  # kind, first word, last word
    for index, kind in enumerate(kinds):
        if runs and runs[-1][0] == kind:
            runs[-1] = (kind, runs[-1][1], index)
        else:
            runs.append((kind, index, index))
    shape = [kind for kind, _first, _last in runs]
    names: list[tuple[int, int]] = []
    if shape == ["name", "number"] and runs[1][2] - runs[1][1] >= 2:
        names.append((words[runs[0][1]][0], words[runs[0][2]][1]))
    elif (
        shape[:4] == ["name", "number", "name", "number"]
        and len(shape) <= 5
        and runs[1][2] == runs[1][1]
        and runs[3][2] == runs[3][1]
    ):
        for kind, first, last in runs[:4]:
            if kind == "name":
                names.append((words[first][0], words[last][1]))
    # A lower-case word inside a name run is ordinary text, not a table.
    return [
        (start, end)
        for start, end in names
        if all(word[:1].isupper() for word in line[start:end].split())
    ]


def label_table_rows(mentions: Sequence[Mention], text: str) -> list[Mention]:
    """Teams in results tables labelled as organisations (the tagger takes them for places)."""
    rows: list[Mention] = []
    for line_start, line_end in _line_spans(text):
        line = text[line_start:line_end]
        for start, end in _table_row_names(line):
            rows.append(Mention(line[start:end], "ORG", line_start + start, line_start + end))
    if not rows:
        return list(mentions)
    kept = [
        mention
        for mention in mentions
        if not any(mention.start < row.end and row.start < mention.end for row in rows)
    ]
    return sorted([*kept, *rows], key=lambda mention: (mention.start, mention.end))


# Words that put the name after them on a map: "fighting in Palmyra", "the road towards
# Aleppo". A person is rarely the object of these.
_PLACE_PREPOSITIONS = frozenset(
    {"in", "into", "near", "around", "towards", "toward", "outside", "across", "inside"}
)
_PRECEDING_WORD = re.compile(r"([A-Za-z]+)\s+$")
# Nationality words ("Syrian", "Kurdish", "Iraqi", "Chinese") are groups even after "in".
_DEMONYM_ENDING = re.compile(r"(?:an|ans|ese|ish|i|is|ch|ic|ics)$")
_NEXT_CAPITALISED = re.compile(r" ([A-Z][a-z]+)\b")
_SPACES_AFTER = re.compile(r" +")


# "east of <name>", "the outskirts of <name>", "<name> province": said only of places.
_PLACE_BEFORE = re.compile(
    r"\b(?:(?:north|south)(?:-?(?:east|west))?|east|west|outskirts|countryside|suburbs"
    r"|city|town|village|province|region|capital)\s+of\s+$",
    re.IGNORECASE,
)
_PLACE_AFTER = re.compile(
    r"\s+(?:province|governorate|district|region|countryside|airport|air ?base)\b",
    re.IGNORECASE,
)
# Words a real date or time span holds at least one of ("last week", "early March",
# "Ramadan"); a "date" with none of them and no digit is a name the tagger misread.
_DATE_WORD = re.compile(
    r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
    r"|(?:mon|tues|wednes|thurs|fri|satur|sun)days?"
    r"|years?|months?|weeks?|weekends?|days?|decades?|century|centuries|hours?|minutes?"
    r"|seasons?|quarters?|era|ages?|periods?|times?|today|tonight|yesterday|tomorrow"
    r"|mornings?|afternoons?|evenings?|nights?|noon|midnight|dawn|dusk|spring|summer"
    r"|autumn|fall|winter|ago|christmas|easter|ramadan|eid|hanukkah|passover|diwali"
    r"|thanksgiving|new year|holidays?|anniversary)\b",
    re.IGNORECASE,
)


def looks_like_a_date(text: str) -> bool:
    """Whether a span tagged as a date holds a digit or a word that dates take."""
    return any(ch.isdigit() for ch in text) or bool(_DATE_WORD.search(text))


def _said_of_a_place(text: str, start: int, end: int) -> bool:
    found = _PRECEDING_WORD.search(text[max(0, start - 12) : start])
    if found and found.group(1) in _PLACE_PREPOSITIONS:
        return True
    if _PLACE_BEFORE.search(text[max(0, start - 30) : start]):
        return True
    return bool(_PLACE_AFTER.match(text, end))


def place_by_context(mentions: Sequence[Mention], text: str) -> list[Mention]:
    """A name tagged as a person, group or date that the story puts somewhere is a place.

    The small model often calls an unfamiliar town a person; one "in <name>", "east of
    <name>" or "<name> province" in the same document is strong evidence, and label
    consistency then spreads it to every mention.
    """
    keyed = [(surface_key(m.text), m) for m in mentions]
    suspects = {
        key
        for key, m in keyed
        if m.label == "PERSON"
        or (m.label == "NORP" and not _DEMONYM_ENDING.search(m.text.rstrip(".")))
        or (m.label == "DATE" and not looks_like_a_date(m.text))
    }
    placed = {key for key, m in keyed if key in suspects and _said_of_a_place(text, m.start, m.end)}
    return [Mention(m.text, "GPE", m.start, m.end) if key in placed else m for key, m in keyed]


def join_group_names(mentions: Sequence[Mention], text: str) -> list[Mention]:
    """ "Islamic" + "State": a group word fused with the capitalised word after it is a name.

    The tagger splits such names and tags only the group word. A title before a person
    ("German Chancellor Helmut Kohl") is left alone: there the next word starts a person.
    """
    starts = {m.start for m in mentions}
    person_starts = {m.start for m in mentions if m.label == "PERSON"}
    joined: list[Mention] = []
    for mention in mentions:
        follower = _NEXT_CAPITALISED.match(text, mention.end)
        if mention.label == "NORP" and follower and follower.start(1) not in starts:
            spaces = _SPACES_AFTER.match(text, follower.end())
            following_person = spaces is not None and spaces.end() in person_starts
            if not following_person:
                end = follower.end(1)
                joined.append(Mention(text[mention.start : end], "ORG", mention.start, end))
                continue
        joined.append(mention)
    return joined
