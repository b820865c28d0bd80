"""``make bench``: the finder at national scale, against hand-written SQL for the same answers.

Builds (once per database) a synthetic national data set — all 290 municipalities, 50,000 services,
100,000 locations — then runs a fixed mix of searches through the Django test client (the whole view:
form, queries, template) and, as the baseline in the same run, the hand-written SQL that fetches the
same page of results (for several words, whose queries each ask for what the one before found, the finder's own
queries replayed). Prints p50/p95 per kind of search and the ratio to the baseline.
"""

from __future__ import annotations

import gc
import math
import os
import random
import statistics
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stodkedjan.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from stodkedjan.accounts.models import Organisation, OrganisationKind  # noqa: E402
from stodkedjan.core.cache import forget_kept_here  # noqa: E402
from stodkedjan.directory import facts, search  # noqa: E402
from stodkedjan.directory.models import (  # noqa: E402
    FORMAT_BITS,
    LANGUAGE_BITS,
    SITE_LANGUAGE_BITS,
    Location,
    SearchEntry,
    SearchTerm,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Status,
)
from stodkedjan.directory.services import (  # noqa: E402
    FACT_WEIGHT,
    NAME_WEIGHT,
    TEXT_WEIGHT,
    ensure_terms,
    search_entry,
)
from stodkedjan.finder.queries import inside_area_ids, related_area_ids  # noqa: E402
from stodkedjan.geo.models import Area, AreaKind  # noqa: E402
from stodkedjan.geo.services import load_reference_data  # noqa: E402

SERVICES = 50_000
LOCATIONS = 100_000
RUNS = 40
NAMES = [
    ("Föräldragrupp ABC", "Fyra träffar för föräldrar till barn 3–12 år om relationen och konflikter."),
    ("Öppen förskola", "Lek, sång och samtal med andra föräldrar. Kom när det passar."),
    ("Connect för tonårsföräldrar", "Tio träffar om att förstå tonåringen och behålla kontakten."),
    ("Familjecentral", "Barnmorska, BVC och socialtjänst på samma ställe."),
    ("Föräldraskap i Sverige", "Samtalsgrupp för nyanlända föräldrar på eget språk."),
    ("Familjebehandling", "Samtal med hela familjen när det är svårt hemma eller i skolan."),
    ("Föräldracafé", "Fika och samtal med andra föräldrar och inbjudna gäster."),
    ("Nattvandring", "Vuxna på stan fredag och lördag kväll."),
    ("COPE föräldrakurs", "Verktyg när vardagen är kämpig: bråk, utbrott och tjat."),
    ("Stöd vid oro för kriminalitet", "Samtal inom en vecka när du är orolig för ditt barn."),
]
MIX = {
    "text": "q=f%C3%B6r%C3%A4ldrar",
    "area+age": "area={area}&age=7",
    "language+format": "language=so&format=group",
    "combined": "q=grupp&area={area}&age=10&language=ar&level=universal",
    "distance": "area={area}&sort=distance",
    "two words": "q=ton%C3%A5ring+br%C3%A5k",
    "two common words": "q=f%C3%B6r%C3%A4ldrar+grupp",
}


def build() -> None:
    if Service.objects.count() >= SERVICES:
        return
    started = time.perf_counter()
    rng = random.Random(7)
    load_reference_data()
    terms = ensure_terms()
    municipalities = list(Area.objects.filter(kind=AreaKind.MUNICIPALITY).order_by("code"))
    with transaction.atomic():
        orgs = Organisation.objects.bulk_create(
            Organisation(slug=f"bench-{m.code}", name=f"{m.name} kommun", kind=OrganisationKind.MUNICIPALITY, area=m)
            for m in municipalities
        )
        centres = {m.pk: (55.5 + rng.random() * 12, 12.5 + rng.random() * 10) for m in municipalities}
        locations = Location.objects.bulk_create(
            (
                Location(
                    organisation=orgs[i % len(orgs)],
                    name=f"Plats {i}",
                    municipality=municipalities[i % len(municipalities)],
                    latitude=centres[municipalities[i % len(municipalities)].pk][0] + rng.uniform(-0.1, 0.1),
                    longitude=centres[municipalities[i % len(municipalities)].pk][1] + rng.uniform(-0.1, 0.1),
                )
                for i in range(LOCATIONS)
            ),
            batch_size=2000,
        )
        services = []
        for i in range(SERVICES):
            name, description = NAMES[i % len(NAMES)]
            low = rng.randrange(0, 13)
            services.append(
                Service(
                    organisation=orgs[i % len(orgs)],
                    name_sv=f"{name} {i}",
                    description_sv=description,
                    status=Status.ACTIVE if rng.random() < 0.9 else Status.DRAFT,
                    level=rng.choice(["universal", "universal", "selective", "indicated"]),
                    minimum_age=low,
                    maximum_age=min(18, low + rng.randrange(3, 12)),
                    is_free=rng.random() < 0.8,
                )
            )
        services = Service.objects.bulk_create(services, batch_size=2000)
        through = Service.terms.through
        codes = [("format", "group"), ("format", "drop_in"), ("format", "individual")]
        languages = ["sv", "ar", "so", "ti", "fa", "en"]
        term_rows, area_rows, sal_rows, token_rows, entries = [], [], [], [], []
        token_cache: dict[tuple[str, str, tuple[str, ...], tuple[int, int]], dict[str, int]] = {}
        for i, service in enumerate(services):
            given = [rng.choice(codes)]
            term_rows.append(through(service_id=service.pk, taxonomyterm_id=terms[given[0]].pk))
            spoken = {"sv", rng.choice(languages)}
            for lang in spoken:
                term_rows.append(through(service_id=service.pk, taxonomyterm_id=terms[("language", lang)].pk))
                given.append(("language", lang))
            area_rows.append(ServiceArea(service_id=service.pk, area_id=municipalities[i % len(municipalities)].pk))
            sal_rows.append(ServiceAtLocation(service_id=service.pk, location_id=locations[(2 * i) % LOCATIONS].pk))
            sal_rows.append(ServiceAtLocation(service_id=service.pk, location_id=locations[(2 * i + 1) % LOCATIONS].pk))
            # The words the app indexes (directory.services.index_texts): name, description and the facts as words in
            # six languages (language, format, ages), so that "grupp" or "somaliska" find what they find in the app.
            name, description = NAMES[i % len(NAMES)]
            ages = (service.minimum_age, service.maximum_age)
            key = (name, given[0][1], tuple(sorted(spoken)), ages)
            if key not in token_cache:
                found_by = facts.fact_text(sorted(spoken), [given[0][1]], False, ages)
                token_cache[key] = search.document_tokens(
                    [(name, NAME_WEIGHT), (description, TEXT_WEIGHT), (found_by, FACT_WEIGHT)]
                )
            if service.status == Status.ACTIVE:  # as directory.services.reindex: published offerings only
                entries.append(search_entry(service, given, []))
                bits = sum(SITE_LANGUAGE_BITS.get(lang, 0) for lang in spoken)
                token_rows += [
                    SearchTerm(service_id=service.pk, token=t, weight=w, languages=bits)
                    for t, w in token_cache[key].items()
                ]
        through.objects.bulk_create(term_rows, batch_size=5000)
        ServiceArea.objects.bulk_create(area_rows, batch_size=5000)
        ServiceAtLocation.objects.bulk_create(sal_rows, batch_size=5000)
        SearchTerm.objects.bulk_create(token_rows, batch_size=5000)
        SearchEntry.objects.bulk_create(entries, batch_size=5000)
    print(
        f"built {SERVICES} services, {LOCATIONS} locations, {len(token_rows)} index rows "
        f"in {time.perf_counter() - started:.0f} s",
        flush=True,
    )


def settle() -> None:
    """Statistics for the planner, and on PostgreSQL the visibility map that lets it answer from an index alone,
    as autovacuum leaves a database that has been in use (a table just written is read row by row)."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def baseline_sql(kind: str, area: Area) -> list[tuple[str, list[object]]]:
    """Hand-written SQL for the same page of results (the count, and the first 20 ids in the same order), over
    the same tables and indexes as the finder's: the view's cost beyond it is the page around the query."""
    st, se, sa, sal, loc = (
        SearchTerm._meta.db_table,
        SearchEntry._meta.db_table,
        ServiceArea._meta.db_table,
        ServiceAtLocation._meta.db_table,
        Location._meta.db_table,
    )
    related = [*related_area_ids(area)]
    inside = inside_area_ids(area)
    served = f"service_id IN (SELECT service_id FROM {sa} WHERE area_id IN ({', '.join(map(str, related))}))"
    ids = ", ".join(map(str, inside))
    here = (
        f"CASE WHEN service_id IN (SELECT s.service_id FROM {sal} s JOIN {loc} l ON l.id = s.location_id "
        f"WHERE l.municipality_id IN ({ids})) OR service_id IN (SELECT s.service_id FROM {sal} s "
        f"JOIN {loc} l ON l.id = s.location_id WHERE l.vulnerable_area_id IN ({ids})) THEN 0 ELSE 1 END"
    )
    speaks = SITE_LANGUAGE_BITS["sv"]
    up_to = settings.FINDER_COUNT_UP_TO + 1

    def ranged(word: str) -> tuple[str, list[object]]:
        token = search.query_tokens(word)[0]
        return "(token >= %s AND token < %s)", [token, search.prefix_upper_bound(token)]

    def indexed_words(word: str) -> tuple[str, str, list[object]]:
        """A recursive ``WITH words(token)`` of the indexed words under the word's prefix (one index probe each),
        and SQL counting the rows of ``words.token`` in index order up to the count's limit."""
        token = search.query_tokens(word)[0]
        bound = search.prefix_upper_bound(token)
        words = (
            f"WITH RECURSIVE words(token) AS (SELECT (SELECT token FROM {st} WHERE token >= %s AND token < %s "
            f"ORDER BY token LIMIT 1) UNION ALL SELECT (SELECT token FROM {st} WHERE token > words.token AND "
            "token < %s ORDER BY token LIMIT 1) FROM words WHERE words.token IS NOT NULL)"
        )
        rows = f"(SELECT COUNT(*) FROM (SELECT 1 FROM {st} t WHERE t.token = words.token LIMIT {up_to}) n)"
        return words, rows, [token, bound, bound]

    if kind == "combined":
        where, params = ranged("grupp")
        where += (
            f" AND service_id IN (SELECT service_id FROM {se} WHERE {served} AND minimum_age <= 10 "
            f"AND maximum_age >= 10 AND (languages & {LANGUAGE_BITS['ar']}) > 0 AND level = 'universal')"
        )
        return [
            (f"SELECT COUNT(*) FROM (SELECT DISTINCT service_id FROM {st} WHERE {where} LIMIT {up_to}) c", params),
            (
                f"SELECT service_id, {here} AS away FROM {st} WHERE {where} "
                f"ORDER BY away, (languages & {speaks}) DESC, weight DESC, service_id LIMIT 80",
                params,
            ),
        ]
    if kind == "text":
        # One common word: its indexed words, each with its rows counted up to the count's limit (one above it:
        # the search is in more offerings than are counted), then each indexed word's best 80 rows in index order.
        words, rows, params = indexed_words("föräldrar")
        listed = f"{words} SELECT token, {rows} FROM words WHERE token IS NOT NULL LIMIT 13"
        with connection.cursor() as cursor:
            cursor.execute(listed, params)  # type: ignore[arg-type]
            indexed = [word for word, _rows in cursor.fetchall()]
        best = (
            f"SELECT * FROM (SELECT service_id, weight FROM {st} WHERE token = %s AND (languages & {speaks}) > 0 "
            "ORDER BY weight DESC, service_id LIMIT 80) w"
        )
        page = (
            f"SELECT * FROM ({' UNION ALL '.join([best] * len(indexed))}) f ORDER BY weight DESC, service_id LIMIT 80"
        )
        return [(listed, params), (page, indexed)]
    if kind == "language+format":
        where = f"(languages & {LANGUAGE_BITS['so']}) > 0 AND (formats & {FORMAT_BITS['group']}) > 0"
        order = "name_sv, service_id"
    elif kind == "area+age":
        where, order = f"{served} AND minimum_age <= 7 AND maximum_age >= 7", f"{here}, name_sv, service_id"
    else:  # distance, from the area's centre
        lat, lon = area.centroid_latitude or 59.2, area.centroid_longitude or 17.8
        scale = math.cos(math.radians(lat))
        nearest = (
            f"(SELECT MIN((l.latitude - {lat}) * (l.latitude - {lat}) + (l.longitude - {lon}) * {scale} * "
            f"(l.longitude - {lon}) * {scale}) FROM {sal} s JOIN {loc} l ON l.id = s.location_id "
            f"WHERE s.service_id = e.service_id AND l.latitude IS NOT NULL)"
        )
        where, order = served, f"{nearest}, name_sv, service_id"
    return [
        (f"SELECT COUNT(*) FROM (SELECT 1 FROM {se} e WHERE {where} LIMIT {up_to}) c", []),
        (f"SELECT service_id FROM {se} e WHERE {where} ORDER BY {order} LIMIT 20", []),
    ]


READ_BEST_FIRST = ("two words", "two common words")


def replayed(client: Client, url: str) -> list[tuple[str, list[object]]]:
    """The SQL the finder runs for ``url`` with its cards kept, as it ran. Several words are read best first, each
    query asking for what the one before found (``finder.search._Ranked.every_word_in_order``): the hand-written SQL
    for the same page is those queries, and the view's cost beyond them is the page around them."""
    client.get(url)  # the cards kept
    with CaptureQueriesContext(connection) as ran:
        client.get(url)
    return [(query["sql"], []) for query in ran.captured_queries]


def measure() -> None:
    client = Client()
    gc.freeze()  # as stodkedjan.wsgi does once the app is loaded: its full passes are not the pages' cost
    area = Area.objects.get(code="0127")
    vendor = connection.vendor
    print(f"\n{vendor}: {Service.objects.count()} services, {RUNS} runs per kind (first run discarded), page cache off")
    print(f"{'search':<22}{'p50 ms':>9}{'p95 ms':>9}{'SQL p50':>9}{'SQL p95':>9}{'ratio p95':>11}   goal p95 25 ms")
    for kind, query in [*MIX.items(), ("text, cards not kept", MIX["text"])]:
        url = "/sv/search/?" + query.format(area=area.code)
        view, sql_times = [], []
        statements = replayed(client, url) if kind in READ_BEST_FIRST else baseline_sql(kind.split(",")[0], area)
        for run in range(RUNS + 1):
            if kind.endswith("not kept"):
                cache.clear()  # every card rendered anew, as for a search nobody made today
                forget_kept_here()
            t0 = time.perf_counter()
            response = client.get(url)
            t1 = time.perf_counter()
            assert response.status_code == 200
            with connection.cursor() as cursor:
                for sql, params in statements:
                    cursor.execute(sql, params)
                    cursor.fetchall()
            t2 = time.perf_counter()
            if run:
                view.append((t1 - t0) * 1000)
                sql_times.append((t2 - t1) * 1000)
        print(
            f"{kind:<22}{p(view, 50):>9.1f}{p(view, 95):>9.1f}{p(sql_times, 50):>9.1f}{p(sql_times, 95):>9.1f}"
            f"{p(view, 95) / p(sql_times, 95):>10.1f}x   {'met' if p(view, 95) <= 25 else 'NOT MET'}",
            flush=True,
        )
    # The page around a search without one: the home page has the same form, base template and middleware.
    home = []
    for run in range(RUNS + 1):
        t0 = time.perf_counter()
        assert client.get("/sv/").status_code == 200
        if run:
            home.append((time.perf_counter() - t0) * 1000)
    print(f"{'home page, no search':<22}{p(home, 50):>9.1f}{p(home, 95):>9.1f}   the page around a search", flush=True)


def p(times: list[float], percentile: int) -> float:
    return statistics.quantiles(times, n=100)[percentile - 1]


if __name__ == "__main__":
    call_command("migrate", verbosity=0)
    build()
    settle()
    measure()
    sys.exit(0)
