"""The parent's search: which offerings, in which order, and why each matched.

It answers with ids only (``Hit``); each card's text is rendered once and kept (``finder.cards``). Filters read
the narrow ``SearchEntry`` rows, free text the ``SearchTerm`` index: at 50,000 offerings no query reads a wide
service row until the page's cards are missing from the cache.

The seam for a search server (OpenSearch, Elasticsearch): ``ranked_page`` and ``listed_page`` take the cleaned
criteria and give one page of ``Hit``s and the count; nothing else here or in the views knows how they were found.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Avg,
    BooleanField,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.expressions import RawSQL
from django.utils.translation import get_language

from stodkedjan.directory import search as search_words
from stodkedjan.directory.models import (
    DAY_BITS,
    FORMAT_BITS,
    LANGUAGE_BITS,
    SITE_LANGUAGE_BITS,
    Location,
    SearchEntry,
    SearchTerm,
    ServiceArea,
    ServiceAtLocation,
)
from stodkedjan.directory.queries import token_range
from stodkedjan.finder.queries import area_by_code, inside_area_ids, related_area_ids
from stodkedjan.geo.models import Area

KM_PER_DEGREE = 111.2
TYPO_MIN_LENGTH = 5  # shorter words are too ambiguous to correct
TYPO_CANDIDATES = 5000
TYPO_CUTOFF = 0.8  # difflib's similarity ratio
ROWS_PER_OFFERING = 3  # index rows read per offering wanted, for one word (several of its words share a prefix)
RARE_WORD_ROWS = 5000  # a word with fewer index rows is read through to find the offerings with every word
READ_IN_ORDER_UP_TO_WORDS = 12  # indexed words under one typed word whose best rows are read in index order
UNKNOWN = -1  # a word's part of an offering's score, not read yet
SETTLE_DEPTHS = (4, 16)  # several words: each word's best rows read, as multiples of the offerings wanted, in turn
SETTLE_READS_UP_TO = 1200  # rows read at the first depth for every word; a deeper page of more words is grouped


@dataclass
class Criteria:
    """What a parent searched for, already cleaned (unknown values dropped)."""

    text: str = ""
    area: str = ""
    age: int | None = None
    language: str = ""
    format: str = ""
    levels: list[str] = field(default_factory=list)
    free: bool = False
    interpreter: bool = False  # only offerings where an interpreter can be booked
    day: str = ""
    sort: str = "relevance"
    latitude: float | None = None
    longitude: float | None = None
    page: int = 1


@dataclass
class Hit:
    """One offering on a page of results: which, whether it has a place in the chosen area, how far its nearest
    place is, and which of the parent's words it matched. ``card`` is its rendered card (``finder.cards``)."""

    pk: int
    version: datetime
    here: bool = False
    distance_km: float | None = None
    matched_words: list[str] = field(default_factory=list)
    card: Any = None


@dataclass
class Results:
    page: Page[Any]
    count: int  # counted up to settings.FINDER_COUNT_UP_TO
    area: Area | None
    sorted_by_distance: bool
    distance_unavailable: bool
    more: bool = False  # more offerings match than were counted


@dataclass
class Scope:
    """Among what a search looks, as SQL: ``where``, a condition on the filter rows (``SearchEntry``)
    that every criterion adds to ("" when nothing narrows), and ``inside``, the ids of the chosen area and the
    areas in it, where an offering's places count as in the area. Written by hand, not compiled by the ORM: every
    search pays for this, and compiling the same few shapes cost more than the queries' own work."""

    where: str = ""
    where_params: list[Any] = field(default_factory=list)
    inside: list[int] = field(default_factory=list)

    def entries(self) -> tuple[str, list[Any]]:
        """A sub-select of the offerings that pass every criterion."""
        return f"SELECT service_id FROM {_ENTRY} WHERE {self.where}", list(self.where_params)  # noqa: S608

    def here(self, column: str) -> tuple[str, list[Any]]:
        """Whether the offering in ``column`` has a place in the chosen area: two sub-selects, not one with OR,
        so that each reads its own index (the places of one area)."""
        places = f"SELECT sal.service_id FROM {_AT} sal JOIN {_LOCATION} loc ON loc.id = sal.location_id WHERE loc."  # noqa: S608
        marks = _marks(self.inside)
        sql = (
            f"({column} IN ({places}municipality_id IN ({marks})) "
            f"OR {column} IN ({places}vulnerable_area_id IN ({marks})))"
        )
        return sql, [*self.inside, *self.inside]


_ENTRY = SearchEntry._meta.db_table
_AT = ServiceAtLocation._meta.db_table
_LOCATION = Location._meta.db_table
_SERVED = ServiceArea._meta.db_table


def _marks(values: list[Any]) -> str:
    """One parameter mark for each value, for an IN list."""
    return ", ".join(["%s"] * len(values))


def scope_of(criteria: Criteria, area: Area | None) -> Scope:
    """The criteria as SQL over the filter rows: the languages, formats and days as bit tests on the row itself."""
    conditions: list[str] = []
    params: list[Any] = []
    if area is not None:
        related = related_area_ids(area)
        conditions.append(
            f"{_ENTRY}.service_id IN (SELECT service_id FROM {_SERVED} WHERE area_id IN ({_marks(related)}))"  # noqa: S608
        )
        params += related
    if criteria.age is not None:
        conditions.append(f"{_ENTRY}.minimum_age <= %s AND {_ENTRY}.maximum_age >= %s")
        params += [criteria.age, criteria.age]
    if criteria.levels:
        conditions.append(f"{_ENTRY}.level IN ({_marks(criteria.levels)})")
        params += criteria.levels
    if criteria.free:
        conditions.append(f"{_ENTRY}.is_free")
    if criteria.interpreter:
        conditions.append(f"{_ENTRY}.interpreter")
    for column, bits, code in [
        ("languages", LANGUAGE_BITS, criteria.language),
        ("formats", FORMAT_BITS, criteria.format),
        ("days", DAY_BITS, criteria.day),
    ]:
        if code in bits:
            conditions.append(f"({_ENTRY}.{column} & %s) > 0")
            params.append(bits[code])
    inside = inside_area_ids(area) if area is not None else []
    return Scope(" AND ".join(conditions), params, inside)


def typed_words(text: str) -> list[tuple[str, str]]:
    """The parent's words with the index prefix each is looked up by, typos corrected."""
    pairs = search_words.query_words(text)
    return list(zip([w for w, _t in pairs], corrected([t for _w, t in pairs]), strict=True))


def corrected(tokens: list[str], indexed: dict[str, bool] | None = None) -> list[str]:
    """Each word that is in no offering replaced by the closest indexed word that starts with the same two
    letters, if one is close enough ("tonoring" → "tonaring", "familjecentrallen" → "familjecentral"): a typo
    should not cost a parent her search. Only words with no match pay for the look-up; ``indexed`` says which
    are in the index when that is known already."""
    long_enough = [token for token in tokens if len(token) >= TYPO_MIN_LENGTH]
    if indexed is None:
        indexed = dict(zip(long_enough, _indexed(long_enough), strict=True))
    fixed = []
    for token in tokens:
        if indexed.get(token, True):
            fixed.append(token)
            continue
        nearby = SearchTerm.objects.filter(token_range(token[:2])).values_list("token", flat=True).distinct()
        close = difflib.get_close_matches(token, list(nearby[:TYPO_CANDIDATES]), n=1, cutoff=TYPO_CUTOFF)
        fixed.append(close[0] if close else token)
    return fixed


def _indexed(tokens: list[str]) -> list[bool]:
    """Whether any offering has a word starting with each token, in one query."""
    if not tokens:
        return []
    probes, params = _probes(tokens)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {probes}", params)
        return [bool(found) for found in cursor.fetchone()]


def _probes(tokens: list[str]) -> tuple[str, list[str]]:
    """SQL columns saying whether any offering has a word starting with each token."""
    probe = f"EXISTS (SELECT 1 FROM {SearchTerm._meta.db_table} WHERE token >= %s AND token < %s)"  # noqa: S608
    params = [bound for token in tokens for bound in (token, search_words.prefix_upper_bound(token))]
    return ", ".join([probe] * len(tokens)), params


def _indexed_words(low: str, high: str, name: str = "words") -> tuple[str, list[str]]:
    """A recursive common table expression ``name(token)`` (for ``WITH RECURSIVE``) of the distinct indexed words
    from ``low`` up to ``high``, one index probe each (the next word above the last), so that a range's words are
    known without reading its rows; its last row is NULL."""
    table = SearchTerm._meta.db_table
    first = f"SELECT token FROM {table} WHERE token >= %s AND token < %s ORDER BY token LIMIT 1"  # noqa: S608
    after = f"SELECT token FROM {table} WHERE token > {name}.token AND token < %s ORDER BY token LIMIT 1"  # noqa: S608
    sql = f"{name}(token) AS (SELECT ({first}) UNION ALL SELECT ({after}) FROM {name} WHERE {name}.token IS NOT NULL)"  # noqa: S608
    return sql, [low, high, high]


def _rows_of_word(name: str = "words") -> str:
    """SQL counting the index rows of ``name.token`` (each another offering's, see ``_indexed_words``) up to a
    limit, in index order: it stops there."""
    return f"SELECT COUNT(*) FROM (SELECT 1 FROM {SearchTerm._meta.db_table} t WHERE t.token = {name}.token LIMIT %s) n"  # noqa: S608


def _distinct(typed: list[tuple[str, str]]) -> list[str]:
    """The prefixes the parent's words are looked up by, each once, in the order she typed them."""
    return list(dict.fromkeys(token for _word, token in typed))


def _say_why(hits: list[Hit], typed: list[tuple[str, str]]) -> None:
    """Which of the parent's words each offering on the page matched, in one query, so the card can say why it
    is there ("matches: arabiska, grupp"), for a list sorted by distance (a ranked page knows it already)."""
    names = {word: search_words.with_other_names(token) for word, token in typed}
    every = [name for word_names in names.values() for name in word_names]
    rows = SearchTerm.objects.filter(_any(every), service_id__in=[h.pk for h in hits])
    found: dict[int, set[str]] = {}
    for service_id, token in rows.values_list("service_id", "token"):
        found.setdefault(service_id, set()).update(w for w, these in names.items() if token.startswith(these))
    for hit in hits:
        hit.matched_words = [w for w, _t in typed if w in found.get(hit.pk, set())]


def _any(tokens: list[str]) -> Q:
    found = Q()
    for token in tokens:
        found |= token_range(token)
    return found


def _sql(queryset: QuerySet[Any]) -> tuple[str, list[Any]]:
    sql, params = queryset.query.sql_with_params()
    return sql, list(params)


# A ranked page's row: the offering, whether it has a place in the area, the positions of the words it matched, and
# the version of its entry (None if it has none: unpublished since its words were indexed).
RankedRow = tuple[int, bool, list[int], datetime | None]


class _Ranked:
    """The pieces of SQL a ranked search is written from: the matching index rows (one range scan of the covering
    index per word, joined by UNION ALL: an OR of ranges made PostgreSQL read the table's rows), the other criteria
    as one sub-select, and whether an offering has a place in the chosen area. Every piece is written here or
    compiled by the ORM; every value goes as a parameter."""

    def __init__(self, scope: Scope, tokens: list[str]) -> None:
        self.table = SearchTerm._meta.db_table
        narrow: str = ""
        narrow_params: list[Any] = []
        if scope.where:
            sub, narrow_params = scope.entries()
            narrow = f" AND service_id IN ({sub})"
        branches, self.params = [], []
        self.ranges: list[tuple[str, str]] = []  # the index ranges the words are looked up in
        self.word_of: list[int] = []  # the position of the word each range is for
        for i, token in enumerate(tokens):
            for name in search_words.with_other_names(token):  # another name counts as the same word
                branches.append(
                    f"SELECT service_id, {i} AS word, languages, weight FROM {self.table} "  # noqa: S608
                    f"WHERE token >= %s AND token < %s{narrow}"
                )
                self.ranges.append((name, search_words.prefix_upper_bound(name)))
                self.word_of.append(i)
                self.params += [*self.ranges[-1], *narrow_params]
        self.narrowed = bool(narrow)
        # Found out on the way (``learn_count``): whether one indexed word is in more offerings than are counted;
        # None while not known.
        self.more_than_counted: bool | None = None
        self.matching = branches[0] if len(branches) == 1 else " UNION ALL ".join(branches)
        self.words = len(tokens)
        self.away = "0"
        self.away_params: list[Any] = []
        if scope.inside:
            here, self.away_params = scope.here("service_id")
            self.away = f"CASE WHEN {here} THEN 0 ELSE 1 END"
        self.speaks = SITE_LANGUAGE_BITS.get(get_language() or "", 0)

    def rows(self, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def page(self, number: int) -> list[RankedRow]:
        """Page ``number`` (from 1) of the ranking: the offering, whether it has a place in the area, the
        positions of the words it matched, and the version of its entry (the key its card is kept under)."""
        size = settings.FINDER_PAGE_SIZE
        offset = (number - 1) * size
        if self.words == 1:
            rows = self.one_word(offset + size)
            return rows[offset : offset + size] if rows is not None else self.grouped(offset)
        if self.away == "0" and not self.narrowed:
            rows = self.every_word_in_order(offset + size)
            if rows is not None:
                return rows[offset : offset + size]
        rare = self.rarest_word() if self.away == "0" else None  # with an area, a place in it ranks first
        if rare is not None:
            rows = self.grouped(offset, every_word_through=rare)
            if len(rows) == size:  # offerings that matched every word come first: they fill the page
                return rows
        return self.grouped(offset)

    def every_word_in_order(self, wanted: int) -> list[RankedRow] | None:
        """Several words without other criteria: the best ``wanted`` offerings in the page's language that matched
        every word, found without grouping every offering that matched one of them (Fagin's threshold algorithm).

        Each word's rows are read best first in index order, as for one word (``best_rows_of_each_word``), so the
        first row of an offering read for a word is where that word matched it best: its part of the score. Of an
        offering read for some words only, the others are looked up (``weights_of``). An offering not read at
        all scores at most the sum of the last weights read, and if it scores that, it comes after the last
        offering read of each word (by number): once the ``wanted``-th offering found beats that, none can
        take its place. The rows are read ``SETTLE_DEPTHS`` deep in turn.

        None when that does not settle the page (few offerings with every word, or far apart), a word is in no
        offering, one word's prefix holds too many indexed words, or the page is deep (``SETTLE_READS_UP_TO``):
        grouping answers then."""
        if SETTLE_DEPTHS[0] * wanted * self.words > SETTLE_READS_UP_TO:
            return None
        found = self.indexed_words(settings.FINDER_COUNT_UP_TO + 1, READ_IN_ORDER_UP_TO_WORDS + 1)
        self.learn_count(found)
        tokens: list[list[str]] = [[] for _word in range(self.words)]
        for word, words in zip(self.word_of, found, strict=True):
            tokens[word] += [token for token, _rows in words]
        if not all(tokens) or any(len(words) > READ_IN_ORDER_UP_TO_WORDS for words in tokens):
            return None
        for depth in (times * wanted for times in SETTLE_DEPTHS):
            parts: dict[int, list[int]] = {}  # an offering's score for each word; UNKNOWN while not known
            last: list[tuple[int, int]] = []  # each word's last row read (weight, offering); (0, 0): it was its end
            for word, rows in enumerate(self.best_rows_of_each_word(tokens, depth)):
                last.append((rows[-1][1], rows[-1][0]) if len(rows) == depth else (0, 0))
                for service_id, weight in rows:
                    score = parts.setdefault(service_id, [UNKNOWN] * self.words)
                    if score[word] == UNKNOWN:
                        score[word] = weight
            ended = [weight == 0 for weight, _service in last]
            for score in parts.values():  # a word read to its end is in no other offering
                score[:] = [0 if part == UNKNOWN and ended[i] else part for i, part in enumerate(score)]
            bound = sum(weight for weight, _service in last)  # the most an offering not read can score
            for service_id, word, weight in self.weights_of(self._worth_looking_up(parts, last, wanted), tokens):
                parts[service_id][word] = max(parts[service_id][word], weight)
            ranked = sorted((-sum(score), pk) for pk, score in parts.items() if min(score) > 0)
            if len(ranked) < wanted:
                if any(ended) or not ranked:
                    return None  # fewer offerings than wanted have every word, or none of those read: grouping
                continue
            lowest, pk = ranked[wanted - 1]
            # One word read to its end: every offering with every word was read. Else an offering not read scores
            # at most ``bound``, and scoring that, comes after the last offering read of every word.
            if any(ended) or -lowest > bound or (-lowest == bound and pk < max(s for _w, s in last)):
                best = [pk for _score, pk in ranked[:wanted]]
                versions = self.versions(best[-settings.FINDER_PAGE_SIZE :])
                return [(pk, True, list(range(self.words)), versions.get(pk)) for pk in best]
        return None

    def _worth_looking_up(self, parts: dict[int, list[int]], last: list[tuple[int, int]], wanted: int) -> list[int]:
        """The offerings read for some words only that could still be among the best ``wanted``: at most the last
        weight read for each word they were not read for, they must beat the ``wanted``-th of those whose every
        part is known already."""
        unknown = [pk for pk, score in parts.items() if UNKNOWN in score and 0 not in score]
        known = sorted((-sum(score), pk) for pk, score in parts.items() if min(score) > 0)
        if len(known) < wanted:
            return unknown
        lowest, last_pk = known[wanted - 1]
        most = {pk: sum(last[i][0] if part == UNKNOWN else part for i, part in enumerate(parts[pk])) for pk in unknown}
        return [pk for pk in unknown if (-most[pk], pk) < (lowest, last_pk)]

    def best_rows_of_each_word(self, tokens: list[list[str]], depth: int) -> list[list[tuple[int, int]]]:
        """Each word's best ``depth`` rows in the page's language, in index order (weight, then offering): the
        ``depth`` best rows of each of its indexed words, merged. One query."""
        best = self.best_of_token("service_id, weight")
        words, params = [], []
        for word, its_tokens in enumerate(tokens):
            merged = " UNION ALL ".join([best] * len(its_tokens))
            words.append(
                f"SELECT * FROM (SELECT {word} AS word, service_id, weight FROM ({merged}) m "  # noqa: S608
                "ORDER BY weight DESC, service_id LIMIT %s) w"
            )
            params += [*(value for token in its_tokens for value in (token, depth)), depth]
        rows: list[list[tuple[int, int]]] = [[] for _word in tokens]
        for word, service_id, weight in self.rows(" UNION ALL ".join(words), params):
            rows[word].append((service_id, weight))
        for word_rows in rows:
            word_rows.sort(key=lambda row: (-row[1], row[0]))
        return rows

    def versions(self, offerings: list[int]) -> dict[int, datetime | None]:
        """The versions of the ``offerings``' entries (the key each card is kept under)."""
        sql = f"SELECT service_id, version FROM {_ENTRY} WHERE service_id IN ({_marks(offerings)})"  # noqa: S608
        return {pk: _version(version) for pk, version in self.rows(sql, offerings)}

    def weights_of(self, offerings: list[int], tokens: list[list[str]]) -> list[tuple[int, int, int]]:
        """The index rows of ``offerings`` for the words' indexed ``tokens``: (offering, word, weight). Read by
        offering (a few dozen rows each), not by word."""
        if not offerings:
            return []
        words_of: dict[str, list[int]] = {}  # one indexed word can be under two typed words ("komet kometen")
        for word, its_tokens in enumerate(tokens):
            for token in its_tokens:
                words_of.setdefault(token, []).append(word)
        sql = (
            f"SELECT service_id, token, weight FROM {self.table} "  # noqa: S608
            f"WHERE service_id IN ({_marks(offerings)}) AND token IN ({_marks(list(words_of))})"
        )
        return [
            (pk, word, weight)
            for pk, token, weight in self.rows(sql, [*offerings, *words_of])
            for word in words_of[token]
        ]

    def rarest_word(self) -> int | None:
        """The position of the word with the fewest index rows, counted up to ``RARE_WORD_ROWS`` each (a
        streaming count, one query); None when every word has that many (reading through one saves little)."""
        counted = f"(SELECT COUNT(*) FROM (SELECT 1 FROM {self.table} WHERE token >= %s AND token < %s LIMIT %s) n)"  # noqa: S608
        params = [value for low, high in self.ranges for value in (low, high, RARE_WORD_ROWS)]
        counts = self.rows(f"SELECT {', '.join([counted] * len(self.ranges))}", params)[0]
        per_word = [0] * self.words
        for word, count in zip(self.word_of, counts, strict=True):
            per_word[word] += count
        fewest = min(range(self.words), key=lambda word: per_word[word])
        return fewest if per_word[fewest] < RARE_WORD_ROWS else None

    def with_versions(self, ranked: str, order: str) -> str:
        """The ``ranked`` page's rows with their entries' versions, in the same ``order``: joined after the page
        is cut, so the join reads the page's twenty entries, and a search asks one query, not two."""
        return (
            f"SELECT page.*, e.version FROM ({ranked}) page "  # noqa: S608
            f"LEFT JOIN {_ENTRY} e ON e.service_id = page.service_id ORDER BY "
            + ", ".join(f"page.{term.strip()}" for term in order.split(","))
        )

    def count(self, probing: tuple[str, ...] = ()) -> tuple[int, list[bool]]:
        """The offerings that match, counted up to one more than ``FINDER_COUNT_UP_TO`` (it stops there), and
        whether each of the ``probing`` tokens is in the index at all (asked in the same query).

        Without other criteria, a common word is counted without reading all its rows: when one indexed word in
        the ranges is in more offerings than are counted, so is the search. PostgreSQL finds the distinct
        offerings of a range by hashing every row before it stops (13 ms for "föräldrar" at 50,000 offerings);
        the indexed words of a range are found by one index probe each, and each word's offerings are counted in
        index order, up to the limit."""
        up_to = settings.FINDER_COUNT_UP_TO + 1
        if self.more_than_counted and not probing:
            return up_to, []
        counted = f"SELECT COUNT(*) FROM (SELECT DISTINCT service_id FROM ({self.matching}) found LIMIT %s) n"  # noqa: S608
        params: list[Any] = [*self.params, up_to]
        known = self.more_than_counted is False  # every indexed word was counted already: none is that common
        common, common_params = self._common_word() if not self.narrowed and not known else ("", [])
        if common:
            counted = f"SELECT CASE WHEN {common} THEN %s ELSE ({counted}) END"
            params = [*common_params, up_to, *params]
        probes, probe_params = _probes(list(probing)) if probing else ("", [])
        sql = f"SELECT ({counted}){', ' + probes if probes else ''}"
        row = self.rows(sql, [*params, *probe_params])[0]
        return int(row[0]), [bool(found) for found in row[1:]]

    def _common_word(self) -> tuple[str, list[Any]]:
        """SQL saying whether one indexed word in the ranges is in more offerings than a search counts: each
        range's words one after another (``_indexed_words``), stopping at the first."""
        up_to = settings.FINDER_COUNT_UP_TO
        offerings = _rows_of_word()
        sql, params = [], []
        for low, high in self.ranges:
            words, words_params = _indexed_words(low, high)
            common = f"SELECT 1 FROM words WHERE words.token IS NOT NULL AND ({offerings}) > %s"  # noqa: S608
            sql.append(f"EXISTS (WITH RECURSIVE {words} {common})")
            params += [*words_params, up_to + 1, up_to]
        return " OR ".join(sql), params

    def best_rows_in_order(self, limit: int) -> list[tuple[Any, ...]] | None:
        """Without other criteria, the best ``limit`` index rows of one word read in index order: each indexed
        word of its ranges (found by ``_indexed_words``) gives its best rows in the page's language, and only
        those are sorted, not every row of the word (36,000 for "föräldrar" at 50,000 offerings).

        None when the rows are better read and sorted as a whole: the ranges hold too many indexed words (a short
        prefix) or not more than ``limit`` rows in all, or too few rows in the page's language to fill the page
        (the others come after them)."""
        up_to = settings.FINDER_COUNT_UP_TO
        by_range = self.indexed_words(max(limit, up_to) + 1, READ_IN_ORDER_UP_TO_WORDS + 1)
        self.learn_count(by_range)
        found = [word for words in by_range for word in words]
        if len(found) > READ_IN_ORDER_UP_TO_WORDS or sum(rows for _token, rows in found) <= limit:
            return None
        best = self.best_of_token(f"service_id, 0 AS away, languages & {int(self.speaks)} AS speaks, weight")
        order = "away, speaks DESC, weight DESC, service_id"
        ranked = f"SELECT * FROM ({' UNION ALL '.join([best] * len(found))}) found ORDER BY {order} LIMIT %s"  # noqa: S608
        params = [value for token, _rows in found for value in (token, limit)]
        rows = self.rows(self.with_versions(ranked, order), [*params, limit])
        return rows if len(rows) == limit or not self.speaks else None

    def best_of_token(self, columns: str) -> str:
        """SQL for one indexed word's best rows in the page's language, in index order (weight, then offering):
        their ``columns``; the word and how many rows are its parameters."""
        speaking = f" AND (languages & {int(self.speaks)}) > 0" if self.speaks else ""
        return (
            f"SELECT * FROM (SELECT {columns} FROM {self.table} WHERE token = %s{speaking} "  # noqa: S608
            "ORDER BY weight DESC, service_id LIMIT %s) t"
        )

    def learn_count(self, by_range: list[list[tuple[str, int]]]) -> None:
        """What the indexed words read (``indexed_words``, rows counted beyond the count's limit) say of the count:
        each row of a word is another offering's, so a word with more rows than are counted answers it; when every
        range's indexed words were all read, none being that common answers the question as well."""
        if any(rows > settings.FINDER_COUNT_UP_TO for words in by_range for _token, rows in words):
            self.more_than_counted = True
        elif all(len(words) <= READ_IN_ORDER_UP_TO_WORDS for words in by_range):
            self.more_than_counted = False

    def indexed_words(self, rows_up_to: int, most: int) -> list[list[tuple[str, int]]]:
        """For each range, its indexed words (at most ``most``), each with its rows counted up to ``rows_up_to``:
        one query for every range."""
        tables, branches, params, limits = [], [], [], []
        for n, (low, high) in enumerate(self.ranges):
            table, table_params = _indexed_words(low, high, f"words{n}")
            tables.append(table)
            params += table_params
            branches.append(
                f"SELECT * FROM (SELECT {n} AS r, token, ({_rows_of_word(f'words{n}')}) AS n "  # noqa: S608
                f"FROM words{n} WHERE token IS NOT NULL LIMIT %s) w{n}"
            )
            limits += [rows_up_to, most]
        found: list[list[tuple[str, int]]] = [[] for _range in self.ranges]
        for n, token, rows in self.rows(
            f"WITH RECURSIVE {', '.join(tables)} {' UNION ALL '.join(branches)}", [*params, *limits]
        ):
            found[n].append((token, int(rows)))
        return found

    def one_word(self, wanted: int) -> list[RankedRow] | None:
        """One word: the best index rows in order, without grouping (each row of an offering carries its
        languages; its best row is where the word matched best). None when the rows read held too few offerings
        (many words of each sharing the prefix): the grouped query answers then."""
        limit = wanted * ROWS_PER_OFFERING + settings.FINDER_PAGE_SIZE
        rows = self.best_rows_in_order(limit) if self.away == "0" and not self.narrowed else None
        if rows is None:
            order = "away, speaks DESC, weight DESC, service_id"
            ranked = (
                f"SELECT service_id, {self.away} AS away, languages & %s AS speaks, weight "  # noqa: S608
                f"FROM ({self.matching}) found ORDER BY {order} LIMIT %s"
            )
            sql = self.with_versions(ranked, order)
            rows = self.rows(sql, [*self.away_params, self.speaks, *self.params, limit])
        seen: dict[int, tuple[bool, Any]] = {}
        for service_id, far, _speaks, _weight, version in rows:
            seen.setdefault(service_id, (not far, version))
        if len(seen) < wanted and len(rows) == limit:
            return None
        return [(pk, here, [0], _version(version)) for pk, (here, version) in seen.items()]  # each matched the word

    def grouped(self, offset: int, every_word_through: int | None = None) -> list[RankedRow]:
        """Most words matched first, then the page's language, then the score: for each word, the weight of where
        it matched best (name and method 3 > facts 2 > description 1), added up; with each offering the words it
        matched (their positions). A word counts once however many of an offering's indexed words it begins.

        With ``every_word_through`` (a word's position), only the offerings that matched every word, found among
        those of that word: the rows of the others' offerings are read but not grouped. Grouping every offering
        that matched any word was most of a two-word search at 50,000 offerings (PostgreSQL: 27 ms of 28)."""
        # One MAX per word, not COUNT(DISTINCT word): a distinct count makes PostgreSQL sort each group's rows.
        each = [f"MAX(CASE WHEN word = {i} THEN weight ELSE 0 END)" for i in range(self.words)]
        best = ", ".join(f"{weight} AS w{i}" for i, weight in enumerate(each))
        matched = " + ".join(f"CASE WHEN w{i} > 0 THEN 1 ELSE 0 END" for i in range(self.words))
        score = " + ".join(f"w{i}" for i in range(self.words))
        order = "away, matched DESC, speaks DESC, score DESC, service_id"
        through, grouping, through_params = "", " GROUP BY service_id", []
        if every_word_through is not None:
            ranges = [r for r, word in zip(self.ranges, self.word_of, strict=True) if word == every_word_through]
            offerings = f"SELECT service_id FROM {self.table} WHERE token >= %s AND token < %s"  # noqa: S608
            # Kept apart (MATERIALIZED) so that PostgreSQL hashes it once, not probes it per row by a misestimate.
            kept = " MATERIALIZED" if connection.vendor == "postgresql" else ""
            through = f"WITH through_word AS{kept} ({' UNION ALL '.join([offerings] * len(ranges))}) "
            through_params = [bound for r in ranges for bound in r]
            grouping = (
                f" WHERE service_id IN (SELECT service_id FROM through_word){grouping} "  # noqa: S608
                f"HAVING {' AND '.join(f'{weight} > 0' for weight in each)}"
            )
        ranked = (
            f"{through}SELECT service_id, {self.away} AS away, {matched} AS matched, speaks, {score} AS score, "  # noqa: S608
            f"{', '.join(f'w{i}' for i in range(self.words))} "
            f"FROM (SELECT service_id, {best}, MAX(languages & %s) AS speaks "
            f"FROM ({self.matching}) found{grouping}) ranked "
            f"ORDER BY {order} LIMIT %s OFFSET %s"
        )
        params = [*through_params, *self.away_params, self.speaks, *self.params, settings.FINDER_PAGE_SIZE, offset]
        return [
            (row[0], not row[1], [i for i, flag in enumerate(row[5:-1]) if flag], _version(row[-1]))
            for row in self.rows(self.with_versions(ranked, order), params)
        ]


def ranked_page(scope: Scope, typed: list[tuple[str, str]], number: int) -> tuple[list[Hit], int, int]:
    """One page of searchable offerings matching any of the ``typed`` words (as typed, and the index prefix each is
    looked up by), best first, each with the words it matched; the count, and the page's number (a page beyond the
    last, from an old link, is the last, as ``Paginator.get_page``). Words in no offering are corrected
    (``corrected``) and the search made again.

    The page is read first: when it is not full it holds every match, so it is the count, and a word that matched
    an offering on it is in the index; only what the page cannot tell is asked in a second query (the count up to
    ``FINDER_COUNT_UP_TO``, and whether the words that matched nothing here are in any offering).

    Best is: a place in the chosen area first; then most words matched; then offerings given in the page's
    language; then where each word matched best, added up (name and method 3 > facts 2 > description 1); then the
    offering listed first."""
    tokens = _distinct(typed)
    ranked = _Ranked(scope, tokens)
    size = settings.FINDER_PAGE_SIZE
    number = min(number, _last_page(settings.FINDER_COUNT_UP_TO))
    rows = ranked.page(number)
    matched = {i for _pk, _here, words, _version in rows for i in words}
    unmatched = [t for i, t in enumerate(tokens) if i not in matched]
    probing = [t for t in unmatched if len(t) >= TYPO_MIN_LENGTH and not search_words.other_names(t)]
    if 0 < len(rows) < size or (number == 1 and not rows):
        count = (number - 1) * size + len(rows)
        present = _indexed(probing)
    else:
        count, present = ranked.count(tuple(probing))
    if not all(present):
        fixed = corrected([token for _word, token in typed], dict(zip(probing, present, strict=True)))
        if fixed != [token for _word, token in typed]:
            return ranked_page(scope, [(word, token) for (word, _t), token in zip(typed, fixed, strict=True)], number)
    if not rows and count:  # a page beyond the last (an old link): the last
        number = _last_page(count)
        rows = ranked.page(number)
    hits = []
    for pk, here, words, version in rows:
        if version is not None:
            said = {tokens[i] for i in words}
            hits.append(Hit(pk, version, here=here, matched_words=[w for w, t in typed if t in said]))
    return hits, count, number


def listed_page(
    scope: Scope, criteria: Criteria, tokens: list[str], point: tuple[float, float] | None
) -> tuple[list[Hit], int, int]:
    """One page of the offerings that pass every criterion (and match any of ``tokens``), nearest first from
    ``point``, else those with a place in the area first and then by name; the count and the page's number."""
    entries = SearchEntry.objects.all()
    if scope.where:
        entries = entries.filter(RawSQL(scope.where, scope.where_params, output_field=BooleanField()))  # noqa: S611
    if tokens:
        names = [name for token in tokens for name in search_words.with_other_names(token)]
        entries = entries.filter(service_id__in=SearchTerm.objects.filter(_any(names)).values("service_id"))
    order: list[Any] = ["name_sv", "service_id"]
    if scope.inside:
        here, here_params = scope.here(f"{_ENTRY}.service_id")
        entries = entries.annotate(here=RawSQL(here, here_params, output_field=BooleanField()))  # noqa: S611
        order.insert(0, F("here").desc())
    fields = ["service_id", "version", *(["here"] if scope.inside else [])]
    if point is not None:
        nearest = (
            ServiceAtLocation.objects.filter(service_id=OuterRef("service_id"), location__latitude__isnull=False)
            .annotate(d=_distance_expression(point))
            .order_by("d")
            .values("d")[:1]
        )
        entries = entries.annotate(distance2=Subquery(nearest, output_field=FloatField()))
        order = [F("distance2").asc(nulls_last=True), "name_sv", "service_id"]
        fields.append("distance2")
    size = settings.FINDER_PAGE_SIZE
    capped = entries.values("service_id")[: settings.FINDER_COUNT_UP_TO + 1]
    # The count comes with the page, as a column the database works out once (it does not depend on the row).
    counted, counted_params = _sql(capped)
    total = RawSQL(f"SELECT COUNT(*) FROM ({counted}) n", counted_params)  # noqa: S608, S611
    listed = entries.annotate(total=total).order_by(*order).values(*fields, "total")
    number = criteria.page
    rows = list(listed[(number - 1) * size : number * size])
    count = rows[0]["total"] if rows else capped.count()
    if not rows and number > 1 and count:  # a page beyond the last (an old link): the last
        number = _last_page(count)
        rows = list(listed[(number - 1) * size : number * size])
    hits = []
    for row in rows:
        d2 = row.get("distance2")
        distance = round(math.sqrt(d2) * KM_PER_DEGREE, 1) if d2 is not None else None
        hits.append(Hit(row["service_id"], row["version"], here=bool(row.get("here")), distance_km=distance))
    return hits, count, number


def _version(value: Any) -> datetime | None:
    """An entry's version as the ORM reads it: SQLite gives the text it stores, which its backend converts."""
    if value is None or isinstance(value, datetime):
        return value
    converted: datetime = connection.ops.convert_datetimefield_value(value, None, connection)
    return converted


def _last_page(count: int) -> int:
    counted = min(count, settings.FINDER_COUNT_UP_TO)
    return max(1, math.ceil(counted / settings.FINDER_PAGE_SIZE))


def reference_point(criteria: Criteria, area: Area | None) -> tuple[float, float] | None:
    """Where "near" is: the parent's shared position, else the centre of the chosen area's places."""
    if criteria.latitude is not None and criteria.longitude is not None:
        return criteria.latitude, criteria.longitude
    if area is None:
        return None
    if area.centroid_latitude is not None and area.centroid_longitude is not None:
        return area.centroid_latitude, area.centroid_longitude
    centre = Location.objects.filter(municipality_id__in=inside_area_ids(area)).aggregate(
        lat=Avg("latitude"), lon=Avg("longitude")
    )
    if centre["lat"] is None:
        return None
    return centre["lat"], centre["lon"]


def _distance_expression(point: tuple[float, float]) -> ExpressionWrapper:
    """Squared distance in degrees on a locally flat earth: exact enough to sort within a country."""
    lat0, lon0 = point
    scale = math.cos(math.radians(lat0))
    dlat = F("location__latitude") - Value(lat0)
    dlon = (F("location__longitude") - Value(lon0)) * Value(scale)
    return ExpressionWrapper(dlat * dlat + dlon * dlon, output_field=FloatField())


def search(criteria: Criteria) -> Results:
    """One page of results for a parent's search: ``Hit``s, which ``finder.cards.attach`` gives their cards."""
    area = area_by_code(criteria.area)
    point = reference_point(criteria, area) if criteria.sort == "distance" else None
    scope = scope_of(criteria, area)
    words = search_words.query_words(criteria.text)
    if words and point is None:
        hits, count, number = ranked_page(scope, words, max(criteria.page, 1))
    else:
        typed = typed_words(criteria.text) if words else []
        hits, count, number = listed_page(scope, criteria, _distinct(typed), point)
        if typed and hits:
            _say_why(hits, typed)
    up_to = settings.FINDER_COUNT_UP_TO
    counted: Paginator[Any] = Paginator(range(min(count, up_to)), settings.FINDER_PAGE_SIZE)  # for the links
    return Results(
        page=Page(hits, number, counted),
        count=min(count, up_to),
        area=area,
        sorted_by_distance=point is not None,
        distance_unavailable=criteria.sort == "distance" and point is None,
        more=count > up_to,
    )
