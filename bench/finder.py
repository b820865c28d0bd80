"""``make bench``: the finder at national scale, against hand-written SQL for the same answers.

Builds (once per database) a synthetic national data set — all 290 municipalities, 50,000 services,
100,000 locations — then runs a fixed mix of searches through the Django test client (the whole view:
form, queries, template) and, as the baseline in the same run, the hand-written SQL that fetches the
same page of results. Prints p50/p95 per kind of search and the ratio to the baseline.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stodkedjan.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from stodkedjan.accounts.models import Organisation, OrganisationKind  # noqa: E402
from stodkedjan.directory import search  # noqa: E402
from stodkedjan.directory.models import (  # noqa: E402
    SITE_LANGUAGE_BITS,
    Location,
    SearchTerm,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Status,
    TaxonomyTerm,
)
from stodkedjan.directory.services import ensure_terms  # noqa: E402
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
        term_rows, area_rows, sal_rows, token_rows = [], [], [], []
        token_cache: dict[tuple[str, str], dict[str, int]] = {}
        for i, service in enumerate(services):
            term_rows.append(through(service_id=service.pk, taxonomyterm_id=terms[rng.choice(codes)].pk))
            spoken = {"sv", rng.choice(languages)}
            for lang in spoken:
                term_rows.append(through(service_id=service.pk, taxonomyterm_id=terms[("language", lang)].pk))
            area_rows.append(ServiceArea(service_id=service.pk, area_id=municipalities[i % len(municipalities)].pk))
            sal_rows.append(ServiceAtLocation(service_id=service.pk, location_id=locations[(2 * i) % LOCATIONS].pk))
            sal_rows.append(ServiceAtLocation(service_id=service.pk, location_id=locations[(2 * i + 1) % LOCATIONS].pk))
            key = NAMES[i % len(NAMES)]
            if key not in token_cache:
                token_cache[key] = search.document_tokens([(key[0], 3), (key[1], 1)])
            if service.status == Status.ACTIVE:  # as directory.services.reindex: published offerings only
                bits = sum(SITE_LANGUAGE_BITS.get(lang, 0) for lang in spoken)
                token_rows += [
                    SearchTerm(service_id=service.pk, token=t, weight=w, languages=bits)
                    for t, w in token_cache[key].items()
                ]
        through.objects.bulk_create(term_rows, batch_size=5000)
        ServiceArea.objects.bulk_create(area_rows, batch_size=5000)
        ServiceAtLocation.objects.bulk_create(sal_rows, batch_size=5000)
        SearchTerm.objects.bulk_create(token_rows, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"built {SERVICES} services, {LOCATIONS} locations, {len(token_rows)} index rows "
        f"in {time.perf_counter() - started:.0f} s",
        flush=True,
    )


def baseline_sql(kind: str, area_id: int) -> tuple[str, list[object]]:
    """Hand-written SQL for the same page of results (ids of the first 20, and the count)."""
    s, sa, st, tt, th = (
        Service._meta.db_table,
        ServiceArea._meta.db_table,
        SearchTerm._meta.db_table,
        TaxonomyTerm._meta.db_table,
        Service.terms.through._meta.db_table,
    )
    where, params = ["s.status = %s"], ["active"]
    if kind in ("text", "combined"):
        token = search.query_tokens("föräldrar" if kind == "text" else "grupp")[0]
        where.append(f"s.id IN (SELECT service_id FROM {st} WHERE token >= %s AND token < %s)")
        params += [token, search.prefix_upper_bound(token)]
    if kind in ("area+age", "combined", "distance"):
        where.append(f"s.id IN (SELECT service_id FROM {sa} WHERE area_id = %s)")
        params.append(area_id)
    if kind in ("area+age", "combined"):
        where.append("s.minimum_age <= %s AND s.maximum_age >= %s")
        params += [7, 7] if kind == "area+age" else [10, 10]
    for taxonomy, code in {
        "language+format": [("language", "so"), ("format", "group")],
        "combined": [("language", "ar")],
    }.get(kind, []):
        where.append(
            f"s.id IN (SELECT t.service_id FROM {th} t JOIN {tt} x ON x.id = t.taxonomyterm_id "
            "WHERE x.taxonomy = %s AND x.code = %s)"
        )
        params += [taxonomy, code]
    if kind == "combined":
        where.append("s.level = %s")
        params.append("universal")
    clause = " AND ".join(where)
    if kind == "text":  # the same ranked page as the finder's: one grouped pass over the covering index
        token = search.query_tokens("föräldrar")[0]
        ranked = (
            f"SELECT service_id, COUNT(*) OVER () FROM (SELECT service_id, MAX(languages & 1) AS speaks, "
            f"SUM(weight) AS score FROM {st} WHERE token >= %s AND token < %s GROUP BY service_id) g "
            "ORDER BY speaks DESC, score DESC, service_id LIMIT 20"
        )
        return ranked, [token, search.prefix_upper_bound(token)]
    sql = (
        f"SELECT (SELECT COUNT(*) FROM {s} s WHERE {clause}), "
        f"(SELECT COUNT(*) FROM (SELECT s.id FROM {s} s WHERE {clause} ORDER BY s.name_sv, s.id LIMIT 20) p)"
    )
    return sql, params + params


def measure() -> None:
    client = Client()
    area = Area.objects.get(code="0127")
    vendor = connection.vendor
    print(f"\n{vendor}: {Service.objects.count()} services, {RUNS} runs per kind (first run discarded)")
    print(f"{'search':<16}{'p50 ms':>9}{'p95 ms':>9}{'SQL p50':>9}{'SQL p95':>9}{'ratio p95':>11}")
    for kind, query in MIX.items():
        url = "/sv/search/?" + query.format(area=area.code)
        view, sql_times = [], []
        sql, params = baseline_sql(kind, area.pk)
        for run in range(RUNS + 1):
            t0 = time.perf_counter()
            response = client.get(url)
            t1 = time.perf_counter()
            assert response.status_code == 200
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                cursor.fetchall()
            t2 = time.perf_counter()
            if run:
                view.append((t1 - t0) * 1000)
                sql_times.append((t2 - t1) * 1000)
        p = lambda xs, q: statistics.quantiles(xs, n=100)[q - 1]  # noqa: E731
        print(
            f"{kind:<16}{p(view, 50):>9.1f}{p(view, 95):>9.1f}{p(sql_times, 50):>9.1f}{p(sql_times, 95):>9.1f}"
            f"{p(view, 95) / p(sql_times, 95):>10.1f}x",
            flush=True,
        )


if __name__ == "__main__":
    call_command("migrate", verbosity=0)
    build()
    measure()
    sys.exit(0)
