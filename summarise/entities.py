"""Entity mentions: the rules that correct the tagger, one label per name, counts shown."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Sequence
from functools import lru_cache

from summarise.article import Analysis, EntityCount, Mention
from summarise.versions import code_digest

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


# Names repeat across a library's stories; listing entities keys every mention again.
@lru_cache(maxsize=65536)
def surface_key(text: str) -> str:
    """The form a name is merged under: no leading "the", no possessive, case folded."""
    text = _SPACES.sub(" ", text.strip())
    text = _LEADING_ARTICLE.sub("", text)
    text = _POSSESSIVE.sub("", text)
    return text.strip(" .,;:\"'“”‘’()").casefold()


@lru_cache(maxsize=65536)
def _display_form(text: str) -> str:
    text = _SPACES.sub(" ", text.strip())
    text = _LEADING_ARTICLE.sub("", text)
    return _POSSESSIVE.sub("", text).strip(" ,;:\"'“”‘’()")


def _name_parts(key: str) -> list[str]:
    return [part for part in _NAME_PARTS.split(key) if part]


@lru_cache(maxsize=65536)
def _short_form(key: str) -> str:
    """How a name key is written as a short form of a longer name ("U.N." -> "un")."""
    return " ".join(_name_parts(key.replace(".", "")))


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
        short = _short_form(key)
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
            short = _short_form(key)
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
    """Short form -> the single full name it belongs to (surnames, initials, an
    organisation's head word)."""
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
            head = organisation_head(mention.text).casefold()
            if head and head != key:
                candidates[head].add(key)
    return {short: next(iter(fulls)) for short, fulls in candidates.items() if len(fulls) == 1}


def entity_request() -> str:
    """What a stored entity list was made by: this module's code."""
    return "entities:" + code_digest("summarise.entities")


def top_entities(
    analysis: Analysis, n: int = 8, counts: Sequence[EntityCount] | None = None
) -> list[EntityCount]:
    """The ``n`` most mentioned people, organisations, places and other named things
    (of ``counts`` when the article's entity counts are known already)."""
    if counts is None:
        counts = entity_counts(analysis)
    return [count for count in counts if count.label in _TOPIC_LABELS][:n]


def mentions_of(analysis: Analysis, entity: EntityCount) -> list[Mention]:
    """The mentions counted under ``entity`` in text order (a bare surname counts for the
    full name)."""
    key = surface_key(entity.text)
    found = []
    for mention in analysis.mentions:
        mention_key = surface_key(mention.text)
        if mention_key == key or (
            mention.label in ("PERSON", "ORG") and key.endswith(" " + mention_key)
        ):
            found.append(mention)
    return sorted(found, key=lambda m: m.start)


# --- post-processing around the statistical tagger ------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_TOKEN = re.compile(r"\S+")
# Labels that name something (as against dates, times, numbers and amounts).
_NAME_LABELS = frozenset(DISPLAY_LABELS) - {"DATE"}
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
            or text[group[-1][0] : group[-1][0] + 1].isdigit()  # "Pires 46th": a minute
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


_NUMBER_WORDS = _words(
    "one two three four five six seven eight nine ten eleven twelve twenty thirty forty "
    "fifty hundred thousand million billion dozen dozens several a an few"
)


def _amount_pieces(text: str, start: int, end: int, label: str) -> list[tuple[int, int]]:
    """A date, time, number or amount cut free of names the tagger swept in with it.

    The digits and words of the amount stay ("around 1,000", "2014"); a leading "the"
    goes, and a spaced dash separates two things ("1706 - French"). A dateline
    ("RANGOON 1996-08-31") or "<town> two days after" makes the tagger start a date
    with a name: capitalised words that are not date words, followed by a number, are
    split off as a piece of their own.
    """
    words = [(m.start() + start, m.end() + start) for m in _TOKEN.finditer(text[start:end])]
    groups: list[list[tuple[int, int]]] = [[]]
    for word in words:
        if text[word[0] : word[1]] in _DASHES:
            groups.append([])
        else:
            groups[-1].append(word)
    pieces: list[list[tuple[int, int]]] = []
    for group in groups:
        if len(group) > 1 and text[group[0][0] : group[0][1]] in _ARTICLES:
            group = group[1:]
        name_run = 0
        for word_start, word_end in group:
            word = text[word_start:word_end].strip(",")
            if word[:1].isupper() and _NAME_TOKEN.match(word) and not _DATE_WORD.search(word):
                name_run += 1
            else:
                break
        if label == "DATE" and 0 < name_run < len(group):
            first_rest = text[group[name_run][0] : group[name_run][1]]
            if any(ch.isdigit() for ch in first_rest) or first_rest.casefold() in _NUMBER_WORDS:
                pieces.extend([group[:name_run], group[name_run:]])
                continue
        pieces.append(group)
    result = []
    for piece in pieces:
        if not piece:
            continue
        piece_start, piece_end = _strip_edge_punctuation(text, piece[0][0], piece[-1][1])
        if piece_start < piece_end and text[piece_start:piece_end].strip():
            result.append((piece_start, piece_end))
    return result


def refine_mentions(mentions: Sequence[Mention], text: str) -> list[Mention]:
    """Mentions with exact offsets into ``text`` and a clean surface form.

    A leading "the", a possessive and numbers or brackets at the edges are cut off,
    so that the highlighted text is the name itself.
    """
    refined = []
    for mention in mentions:
        if mention.label not in _NAME_LABELS:
            for start, end in _amount_pieces(text, mention.start, mention.end, mention.label):
                refined.append(Mention(text[start:end], mention.label, start, end))
            continue
        for start, end in _pieces(text, mention.start, mention.end, mention.label):
            refined.append(Mention(text[start:end], mention.label, start, end))
    return refined


@lru_cache(maxsize=20_000)
def _repeat_pattern(name: str) -> re.Pattern[str]:
    """Where ``name`` stands as a whole name; the same names recur from story to story, and
    compiling a pattern costs more than searching a story with it."""
    return re.compile(r"(?<![\w'’-])" + re.escape(name) + r"(?![\w-]|['’]\w\w)")


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
        for match in _repeat_pattern(name).finditer(text):
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


# "east of <name>", "the outskirts of <name>", "<name> province": said only of places.
_PLACE_NOUNS = (
    r"city|cities|towns?|villages?|provinces?|regions?|capital|districts?|suburbs?"
    r"|neighbou?rhoods?|strongholds?|bastions?|outskirts|countryside|governorate|county"
    r"|municipality|island|port"
)
_PLACE_BEFORE = re.compile(
    r"\b(?:(?:north|south)(?:-?(?:east|west))?|east|west|" + _PLACE_NOUNS + r")\s+of\s+$",
    re.IGNORECASE,
)
_PLACE_AFTER = re.compile(
    r"\s+(?:province|governorate|district|region|countryside)\b",
    re.IGNORECASE,
)
# "<name>, a town in ...", "<name> is a village": a name the story says is a place.
_PLACE_APPOSITION = re.compile(
    r"(?:\s*,|\s+(?:is|was))\s+(?:an?|the)\s+(?:[\w-]+\s+){0,3}?(?:"
    + _PLACE_NOUNS
    + r")\b(?!['’-])",
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


def _place_evidence(text: str, start: int, end: int) -> int:
    """How surely the words around ``text[start:end]`` put it on a map.

    2: "east of X", "the town of X", "X province", "X, a town in"; 1: a preposition
    of place before it ("in X", "near X"); 0: nothing.
    """
    if _PLACE_BEFORE.search(text[max(0, start - 30) : start]):
        return 2
    if _PLACE_AFTER.match(text, end) or _PLACE_APPOSITION.match(text, end):
        return 2
    found = _PRECEDING_WORD.search(text[max(0, start - 12) : start])
    return 1 if found and found.group(1) in _PLACE_PREPOSITIONS else 0


def _place_suspect(mention: Mention) -> int:
    """The place evidence a mention's label needs to give way, or 0 if it never does.

    A person, a group word that is no nationality or a "date" without a date word
    needs any evidence; an organisation only the strong kind ("in X" is said of
    companies too).
    """
    if not any(ch.isupper() for ch in mention.text):
        return 0  # "late" in "in late 1994" is no name
    if mention.label == "PERSON":
        return 1
    if mention.label == "NORP" and not _DEMONYM_ENDING.search(mention.text.rstrip(".")):
        return 1
    if mention.label == "DATE" and not looks_like_a_date(mention.text):
        return 1
    if mention.label == "ORG":
        return 2
    return 0


def place_by_context(mentions: Sequence[Mention], text: str) -> list[Mention]:
    """A name tagged as a person, group or date that the story puts somewhere is a place.

    The small model often calls an unfamiliar town a person; one "in <name>", "east of
    <name>" or "<name> province" in the same document is evidence enough, and every
    mention of the name becomes a place. A name tagged as an organisation needs the
    strong kind ("the town of <name>", "<name>, a town in").
    """
    keyed = [(surface_key(m.text), m) for m in mentions]
    needed: dict[str, int] = {}
    for key, mention in keyed:
        level = _place_suspect(mention)
        if level:
            needed[key] = min(level, needed.get(key, level))
    evidence: dict[str, int] = defaultdict(int)
    for key, mention in keyed:
        if key in needed and evidence[key] < needed[key]:
            evidence[key] = max(evidence[key], _place_evidence(text, mention.start, mention.end))
    placed = {key for key, level in needed.items() if evidence[key] >= level}
    return [Mention(m.text, "GPE", m.start, m.end) if key in placed else m for key, m in keyed]


# Nouns that make "<group word> <noun>" the name of an organisation: "Islamic State",
# "Nusra Front", "Kurdish Workers Party".
_ORGANISATION_NOUNS = _words(
    "state front party army brigade brigades movement council union church congress "
    "league alliance group organisation organization committee forces force guard guards "
    "association federation society bank institute corps command jihad coalition "
    "brotherhood assembly authority government parliament"
)
# "Under-21" goes on into a number; "State-held" into a word.
_HYPHEN_NOT_WORD = re.compile(r"-(?![a-z])")


def join_group_names(mentions: Sequence[Mention], text: str) -> list[Mention]:
    """ "Islamic" + "State": a group word fused with the capitalised word after it is a name.

    The tagger splits such names and tags only the group word (or the two words
    apart). Only a word that ends the run of capitals is joined: "German Chancellor
    Helmut Kohl" and "Russian Prime Minister" are a title, not a name, and a word the
    document uses in a person's name ("American Tyson") is that person. The joined name
    is an organisation when its last word says so ("State", "Front", "Party").
    """
    by_start = {m.start: m for m in mentions}
    person_words = {
        word for m in mentions if m.label == "PERSON" for word in m.text.split() if len(word) > 1
    }
    joined: list[Mention] = []
    swallowed: set[int] = set()
    for mention in mentions:
        if mention.start in swallowed:
            continue
        follower = _NEXT_CAPITALISED.match(text, mention.end)
        if (
            mention.label == "NORP"
            and mention.text.isalpha()
            and len(mention.text) >= 3
            and follower
            and not _NEXT_CAPITALISED.match(text, follower.end(1))
            and not _HYPHEN_NOT_WORD.match(text, follower.end(1))
            and follower.group(1) not in person_words
        ):
            tagged = by_start.get(follower.start(1))
            noun = follower.group(1).casefold() in _ORGANISATION_NOUNS
            if tagged is None or (tagged.end == follower.end(1) and tagged.label != "PERSON"):
                if tagged is not None:
                    swallowed.add(tagged.start)
                end = follower.end(1)
                label = "ORG" if noun else "NORP"
                joined.append(Mention(text[mention.start : end], label, mention.start, end))
                continue
        joined.append(mention)
    return joined


# Words that join or lead into a name but never end one: "west and", "Syria or".
_EDGE_WORDS = _words("and or nor but & of for in on at to by with from as than")


def _joining_word(text: str, word: tuple[int, int]) -> bool:
    return text[word[0] : word[1]].casefold() in _EDGE_WORDS


def _common_word(text: str, word: tuple[int, int]) -> bool:
    return not any(ch.isupper() for ch in text[word[0] : word[1]])


def cut_edge_words(mentions: Sequence[Mention], text: str) -> list[Mention]:
    """Names without a joining word at either end or a common noun at the end.

    The tagger sometimes runs a name on into the word that joins it to the next one
    ("west and", "Nerweyi of") or into the noun that follows it ("Homs province",
    "Interfax news agency"). A last word without a capital is cut (not from titles of
    works or laws, which keep their small words), so "Bashar al-Assad" stays whole.
    """
    result = []
    for mention in mentions:
        if mention.label not in _NAME_LABELS:
            result.append(mention)
            continue
        words = [
            (m.start() + mention.start, m.end() + mention.start)
            for m in _TOKEN.finditer(mention.text)
        ]
        cut_nouns = mention.label not in ("WORK_OF_ART", "LAW")
        while words and (
            _joining_word(text, words[-1])
            or (cut_nouns and len(words) > 1 and _common_word(text, words[-1]))
        ):
            words.pop()
        while words and _joining_word(text, words[0]):
            words.pop(0)
        if not words:
            continue
        start, end = words[0][0], words[-1][1]
        if (start, end) != (mention.start, mention.end):
            mention = Mention(text[start:end], mention.label, start, end)
        result.append(mention)
    return result


def drop_lower_case(mentions: Sequence[Mention], _text: str) -> list[Mention]:
    """No name without a capital letter: "state", "jihadist", "foreign ministry" are words.

    The small model sometimes tags a common word that often stands beside names; in
    news text written in ordinary case a name has at least one capital.
    """
    return [
        mention
        for mention in mentions
        if mention.label not in _NAME_LABELS or any(ch.isupper() for ch in mention.text)
    ]


@lru_cache(maxsize=16384)
def organisation_head(name: str) -> str:
    """The word a story shortens an organisation's name to ("" for a one-word name).

    The last capitalised word before the first lower-case one: "Syrian Observatory for
    Human Rights" -> "Observatory", "Bank of England" -> "Bank".
    """
    words = _display_form(name).split()
    leading: list[str] = []
    for word in words:
        if not word[:1].isupper():
            break
        leading.append(word)
    if len(words) < 2 or not leading:
        return ""
    head = leading[-1].strip(".,")
    return head if head.isalpha() and len(head) > 2 and head[1:].islower() else ""


def organisation_short_forms(mentions: Sequence[Mention], text: str) -> list[Mention]:
    """ "the Observatory" after "the Syrian Observatory for Human Rights" is that organisation.

    A story shortens a long organisation name to its head word with "the" before it;
    the tagger, seeing a lone capitalised word, often calls it a person. Such mentions
    take the organisation label, and untagged ones are found.
    """
    heads = {organisation_head(m.text) for m in mentions if m.label == "ORG"} - {""}
    if not heads:
        return list(mentions)
    result = []
    for mention in mentions:
        if (
            mention.text in heads
            and mention.label in ("PERSON", "NORP", "DATE")
            and _THE_BEFORE.search(text, max(0, mention.start - 8), mention.start)
        ):
            mention = Mention(mention.text, "ORG", mention.start, mention.end)
        result.append(mention)
    covered = [False] * (len(text) + 1)
    for mention in result:
        for position in range(mention.start, mention.end):
            covered[position] = True
    added = []
    for head in heads:
        for match in re.finditer(r"(?<=\bthe )" + re.escape(head) + r"(?![\w-])", text):
            if not any(covered[match.start() : match.end()]):
                added.append(Mention(head, "ORG", match.start(), match.end()))
    return sorted([*result, *added], key=lambda mention: (mention.start, mention.end))


_THE_BEFORE = re.compile(r"\bthe\s+\Z")


# A title or office directly before a name makes it a person: "President <name>",
# "Observatory chief <name>", "Foreign Minister <name>". Honorifics count only with their
# capital; offices are written either way ("the party's leader <name>").
_HONORIFICS = r"Mr|Mrs|Ms|Dr|Sir|Rev|Gov|Sen|Rep|Gen"
_OFFICES = (
    r"president|vice[- ]president|minister|premier|chancellor|secretary|secretary[- ]general"
    r"|governor|senator|mayor|king|queen|prince|princess|pope|sheikh|judge|ambassador"
    r"|cardinal|archbishop|bishop|chairman|chairwoman|commissioner|envoy|spokesman"
    r"|spokeswoman|spokesperson|chief|leader|coach|manager|director"
)
_TITLE_BEFORE = re.compile(r"(?:\b(?:" + _HONORIFICS + r")\.?|\b(?i:" + _OFFICES + r"))\s+\Z")
_TITLE_LABELS = frozenset({"GPE", "ORG", "NORP", "LOC", "FAC", "DATE", "PRODUCT", "EVENT"})


def person_after_title(mentions: Sequence[Mention], text: str) -> list[Mention]:
    """A name right after a title ("President <name>", "<group> chief <name>") is a person.

    The small model reads an unfamiliar name as a place or organisation; a title or
    office directly before it says otherwise. Only names up to four words long that
    start with a capital qualify.
    """
    result = []
    for mention in mentions:
        if (
            mention.label in _TITLE_LABELS
            and mention.text[:1].isupper()
            and len(mention.text.split()) <= 4
            and _TITLE_BEFORE.search(text, max(0, mention.start - 40), mention.start)
        ):
            mention = Mention(mention.text, "PERSON", mention.start, mention.end)
        result.append(mention)
    return result


# --- the rules, in the order they are applied ------------------------------------------

Rule = Callable[[Sequence[Mention], str], list[Mention]]


def _one_label_per_name(mentions: Sequence[Mention], _text: str) -> list[Mention]:
    return make_consistent(mentions)


# name -> rule; applied in this order. A name may appear twice (one label per name is
# settled again once repeats are found); leaving a name out leaves out every use of it.
POSTPROCESS_RULES: tuple[tuple[str, Rule], ...] = (
    ("trim", refine_mentions),
    ("edge-words", cut_edge_words),
    ("lower-case", drop_lower_case),
    ("table-rows", label_table_rows),
    ("group-names", join_group_names),
    ("place-context", place_by_context),
    ("person-titles", person_after_title),
    ("one-label", _one_label_per_name),
    ("org-short-forms", organisation_short_forms),
    ("repeats", propagate),
    ("one-label", _one_label_per_name),
)
RULE_NAMES: tuple[str, ...] = tuple(dict.fromkeys(name for name, _rule in POSTPROCESS_RULES))


def postprocess(
    mentions: Sequence[Mention], text: str, skip: Collection[str] = ()
) -> list[Mention]:
    """The tagger's ``mentions`` of ``text`` through every rule not named in ``skip``."""
    unknown = set(skip) - set(RULE_NAMES)
    if unknown:
        raise ValueError(f"unknown entity rules: {sorted(unknown)}")
    result = list(mentions)
    for name, rule in POSTPROCESS_RULES:
        if name not in skip:
            result = rule(result, text)
    return result
