"""Locations, service-at-locations, schedules, contacts and phones get the UUIDs HSDS publishes."""

import uuid

from django.db import migrations, models

MODELS = ["location", "serviceatlocation", "schedule", "contact", "phone"]
HISTORICAL = ["historicallocation", "historicalschedule", "historicalcontact", "historicalphone"]


def fill(apps, schema_editor):
    given: dict[str, dict[int, uuid.UUID]] = {}
    for name in MODELS:
        model = apps.get_model("directory", name)
        given[name] = {}
        for pk in model.objects.values_list("pk", flat=True):
            given[name][pk] = uuid.uuid4()
            model.objects.filter(pk=pk).update(uuid=given[name][pk])
    for name in HISTORICAL:  # a version carries the identifier of the object it is a version of
        model = apps.get_model("directory", name)
        live = given[name.removeprefix("historical")]
        for history_id, object_id in model.objects.values_list("history_id", "id"):
            model.objects.filter(history_id=history_id).update(uuid=live.get(object_id) or uuid.uuid4())


def unique_uuid():
    return models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="identifier")


def indexed_uuid():
    return models.UUIDField(db_index=True, default=uuid.uuid4, editable=False, verbose_name="identifier")


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_search_token_byte_order")]

    operations = [
        *[
            migrations.AddField(model_name=name, name="uuid", field=models.UUIDField(null=True, editable=False))
            for name in MODELS + HISTORICAL
        ],
        migrations.RunPython(fill, migrations.RunPython.noop),
        *[migrations.AlterField(model_name=name, name="uuid", field=unique_uuid()) for name in MODELS],
        *[migrations.AlterField(model_name=name, name="uuid", field=indexed_uuid()) for name in HISTORICAL],
    ]
