"""Result cards and offering pages: each is drawn once per language, day and version of the offering's search
entry (``SearchEntry.version``, new whenever the offering is indexed again or its places or organisation change)
and kept in the cache and in each process (``core.cache.versioned``), so a page of results reads its twenty cards
from memory or in one cache read, and an offering's page is one query. A card that is not kept is drawn from plain
rows (``queries.card_facts``), not from model objects and a template, which cost four times as much.

What differs between searches (why it matched, where it is, how far) is not in the kept card but drawn around it
(``finder/results.html``). The day is in the key because a card says when the next group starts and whether the
offering has gone unchecked for a year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from html import escape
from typing import Any

from django.conf import settings
from django.db import connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext, ngettext

from stodkedjan.core.cache import keep_versioned, versioned, versioned_many
from stodkedjan.core.templatetags.content import age_range
from stodkedjan.directory.models import SearchEntry, Service, is_outdated
from stodkedjan.finder.forms import PARENT_LEVELS
from stodkedjan.finder.queries import CardFacts, card_facts, public_services, service_page, upcoming_dates
from stodkedjan.finder.search import Hit
from stodkedjan.finder.templatetags.finder import date_list, language_name

CARD_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Card:
    name_sv: str  # the offering's Swedish name, as tests and the judged query set identify it
    head: SafeString
    body: SafeString


def _key(kind: str, pk: int, version: datetime, today: date) -> str:
    """Where a rendered card or page of one offering is kept: per language, day and version of its entry."""
    return f"finder:{kind}:{get_language() or 'sv'}:{today.isoformat()}:{pk}:{version.timestamp()}"


def attach(hits: list[Hit]) -> list[Hit]:
    """Give each hit its card, from the cache or drawn now (those missing, from one query of plain rows); an
    offering unpublished since it was found is left out."""
    today = timezone.localdate()
    keys = {hit.pk: _key("card", hit.pk, hit.version, today) for hit in hits}
    kept = versioned_many(list(keys.values()))
    missing = [hit.pk for hit in hits if keys[hit.pk] not in kept]
    if missing:
        words = _Words()
        fresh = {keys[facts.pk]: draw(facts, today, words) for facts in card_facts(missing)}
        keep_versioned(fresh, CARD_SECONDS)
        kept.update(fresh)
    for hit in hits:
        hit.card = kept.get(keys[hit.pk])
    return [hit for hit in hits if hit.card is not None]


class _Words:
    """The words every card of one language shares, translated and escaped once for a page of cards."""

    def __init__(self) -> None:
        language = get_language() or settings.LANGUAGE_CODE
        self.in_swedish_when_missing = language != settings.MODELTRANSLATION_DEFAULT_LANGUAGE
        self.expecting = escape(gettext("Expecting parents and babies under one year"))
        self.children = gettext("Children %(range)s years")  # as {% blocktranslate %}: only the value is escaped
        self.levels = {str(level): escape(str(label)) for level, label in PARENT_LEVELS}
        self.interpreter = escape(gettext("You can have an interpreter."))
        self.free = escape(gettext("Free of charge"))
        self.costs = escape(gettext("Costs money"))
        self.outdated = escape(gettext("This information has not been checked for over a year and may be out of date."))


def draw(facts: CardFacts, today: date, words: _Words) -> Card:
    """One offering's card as every search shows it: its heading and organisation (``head``), then, after what a
    search adds (why it matched, where it is), its description and facts (``body``). Drawn here, not by a
    template: a page of results nobody asked for today draws twenty, and the template engine's cost per node
    was most of their time; every text is escaped here."""
    name_fallback = not facts.name and words.in_swedish_when_missing
    described_fallback = not facts.description and words.in_swedish_when_missing
    in_swedish = ' lang="sv" dir="ltr"'
    url = reverse("finder:service", kwargs={"service_uuid": facts.uuid})
    head = (
        f'<h3 id="result-{int(facts.pk)}"><a href="{escape(url)}"{in_swedish if name_fallback else ""}>'
        f"{escape(facts.name or facts.name_sv)}</a></h3>\n"
        f'    <p class="result__org">{escape(facts.organisation)}</p>\n    '
    )
    description = Truncator(facts.description or facts.description_sv).words(30, truncate=" …")
    ages = words.expecting if facts.maximum_age == 0 else words.children % {"range": age_range(facts)}
    spoken = ", ".join(
        f'<span lang="{escape(code)}">{escape(str(language_name(code)))}</span>' for code in facts.languages
    )
    items = [ages, words.levels.get(facts.level, ""), spoken]
    if facts.interpreter:
        items.append(words.interpreter)
    items.append(words.free if facts.is_free else words.costs)
    starts = sorted(dates[0] for dates in (upcoming_dates(s, today, limit=1) for s in facts.group_series) if dates)
    if starts:  # several group series: one card, with when each starts
        said = ngettext("Next group starts %(dates)s", "%(counter)s groups, starting %(dates)s", len(starts))
        items.append(said % {"counter": localize(len(starts)), "dates": date_list(starts)})
    if facts.place:
        items.append(escape(facts.place))
    facts_list = "".join(f"\n      <li>{item}</li>" for item in items)
    body = (
        f"\n    <p{in_swedish if described_fallback else ''}>{escape(description)}</p>\n"
        f'    <ul class="facts">{facts_list}\n    </ul>\n'
    )
    if is_outdated(facts.assured_date, today):
        body += f'    <p class="warning">{words.outdated}</p>\n'
    return Card(facts.name_sv, SafeString(head), SafeString(body))


@dataclass(frozen=True)
class OfferingPage:
    name: str  # in the page's language, for the title
    body: SafeString


def offering_page(service_uuid: Any) -> OfferingPage | None:
    """A published offering's page (all but its share link), kept like the cards; None when it is not public. One
    published but not (yet) indexed — its status set outside ``directory.services`` — is drawn, not kept."""
    found = _entry_of(service_uuid)
    today = timezone.localdate()
    if found is None:
        return _offering_page(service_uuid, today) if public_services().filter(uuid=service_uuid).exists() else None
    key = _key("offering", found.service_id, found.version, today)
    page: OfferingPage = versioned(key, lambda: _offering_page(service_uuid, today), CARD_SECONDS)
    return page


def _entry_of(service_uuid: Any) -> SearchEntry | None:
    """The offering's search entry (its id and version), in SQL read with ``raw`` (which converts the columns as the
    ORM does): every offering page asks, and the ORM's compiling of the join cost more than the query."""
    sql = (
        f"SELECT e.service_id, e.version FROM {SearchEntry._meta.db_table} e "  # noqa: S608
        f"JOIN {Service._meta.db_table} s ON s.id = e.service_id WHERE s.uuid = %s"
    )
    uuid = Service._meta.get_field("uuid").get_db_prep_value(service_uuid, connection)
    return next(iter(SearchEntry.objects.raw(sql, [uuid])), None)


def _offering_page(service_uuid: Any, today: date) -> OfferingPage:
    offering = service_page(service_uuid)
    schedules = list(offering.schedules.all())
    context = {
        "service": offering,
        "locations": [sal.location for sal in offering.service_at_locations.all()],
        "opening_hours": [s for s in schedules if not s.is_group_series],
        "groups": [(s, upcoming_dates(s, today)) for s in schedules if s.is_group_series],
        "is_outdated": offering.is_outdated(today),
        "level_labels": dict(PARENT_LEVELS),
    }
    return OfferingPage(str(offering.name), SafeString(render_to_string("finder/_service_body.html", context)))
