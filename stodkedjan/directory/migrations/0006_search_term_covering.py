"""The search index covers what a search ranks by (token, service, weight, the service's site languages), and
holds published services only."""

from django.db import migrations, models

SITE_LANGUAGE_BITS = {"sv": 1, "en": 2, "ar": 4, "so": 8, "ti": 16, "fa": 32}  # as directory.models then


def published_with_languages(apps, schema_editor):
    SearchTerm = apps.get_model("directory", "SearchTerm")
    Service = apps.get_model("directory", "Service")
    SearchTerm.objects.exclude(service__status="active").delete()
    bits: dict[int, int] = {}
    languages = Service.terms.through.objects.filter(taxonomyterm__taxonomy="language")
    for service_id, code in languages.values_list("service_id", "taxonomyterm__code").iterator():
        bits[service_id] = bits.get(service_id, 0) | SITE_LANGUAGE_BITS.get(code, 0)
    by_value: dict[int, list[int]] = {}
    for service_id, value in bits.items():
        by_value.setdefault(value, []).append(service_id)
    for value, service_ids in by_value.items():
        for start in range(0, len(service_ids), 500):
            SearchTerm.objects.filter(service_id__in=service_ids[start : start + 500]).update(languages=value)


class Migration(migrations.Migration):
    dependencies = [("directory", "0005_location_placement")]

    operations = [
        migrations.RemoveIndex(model_name="searchterm", name="directory_s_token_96e82b_idx"),
        migrations.AddField(
            model_name="searchterm", name="languages", field=models.PositiveSmallIntegerField(default=0)
        ),
        migrations.AddIndex(
            model_name="searchterm",
            index=models.Index(fields=["token", "service", "weight", "languages"], name="search_term_covering"),
        ),
        migrations.RunPython(published_with_languages, migrations.RunPython.noop),
    ]
