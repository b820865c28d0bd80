"""The finder's filter rows (``SearchEntry``), one per searchable service, and an index of folded words only: a
query is always folded, so the rows with å/ä/ö were never found and only made the index larger."""

from django.db import migrations, models
from django.db.models import Q
from django.utils import timezone

# As directory.models has them now: bits in the order of each list.
LANGUAGES = [
    "sv", "en", "ar", "so", "ti", "fa", "prs", "ps", "ku", "tr", "bs", "pl", "ru", "uk", "es", "fi", "am", "fr", "sgn-SE"
]  # fmt: skip
FORMATS = ["group", "individual", "home_visit", "phone", "digital", "drop_in"]
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def _bits(codes, order):
    return sum(1 << order.index(code) for code in set(codes) if code in order)


def fill(apps, schema_editor):
    Service = apps.get_model("directory", "Service")
    SearchEntry = apps.get_model("directory", "SearchEntry")
    SearchTerm = apps.get_model("directory", "SearchTerm")
    Schedule = apps.get_model("directory", "Schedule")
    SearchTerm.objects.filter(Q(token__contains="å") | Q(token__contains="ä") | Q(token__contains="ö")).delete()
    SearchTerm.objects.filter(Q(token__contains="é") | Q(token__contains="ü")).delete()
    searchable = Service.objects.filter(status="active", duplicate_of__isnull=True)
    codes: dict[int, list[tuple[str, str]]] = {}
    rows = Service.terms.through.objects.filter(service__in=searchable)
    for service_id, taxonomy, code in rows.values_list("service_id", "taxonomyterm__taxonomy", "taxonomyterm__code"):
        codes.setdefault(service_id, []).append((taxonomy, code))
    days: dict[int, list[str]] = {}
    for service_id, byday in Schedule.objects.filter(service__in=searchable).values_list("service_id", "byday"):
        days.setdefault(service_id, []).extend(byday.split(","))
    now = timezone.now()
    SearchEntry.objects.bulk_create(
        (
            SearchEntry(
                service_id=s.pk,
                name_sv=s.name_sv or s.name,
                level=s.level,
                minimum_age=s.minimum_age,
                maximum_age=s.maximum_age,
                is_free=s.is_free,
                interpreter=s.interpretation_available,
                languages=_bits([c for t, c in codes.get(s.pk, []) if t == "language"], LANGUAGES),
                formats=_bits([c for t, c in codes.get(s.pk, []) if t == "format"], FORMATS),
                days=_bits(days.get(s.pk, []), DAYS),
                version=now,
            )
            for s in searchable.iterator(chunk_size=1000)
        ),
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [("directory", "0010_edit_review")]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "service",
                    models.OneToOneField(
                        on_delete=models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_entry",
                        serialize=False,
                        to="directory.service",
                    ),
                ),
                ("name_sv", models.CharField(max_length=200)),
                ("level", models.CharField(max_length=20)),
                ("minimum_age", models.PositiveSmallIntegerField()),
                ("maximum_age", models.PositiveSmallIntegerField()),
                ("is_free", models.BooleanField()),
                ("interpreter", models.BooleanField()),
                ("languages", models.BigIntegerField(default=0)),
                ("formats", models.IntegerField(default=0)),
                ("days", models.IntegerField(default=0)),
                ("version", models.DateTimeField()),
            ],
            options={"indexes": [models.Index(fields=["name_sv", "service"], name="search_entry_order")]},
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
