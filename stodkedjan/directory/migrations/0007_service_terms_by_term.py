"""The offerings that carry a term, read from the index alone: the finder's language and format filters at
national scale (the automatic many-to-many table has only single-column indexes)."""

from django.db import migrations

INDEX = "directory_service_terms_by_term"


class Migration(migrations.Migration):
    dependencies = [("directory", "0006_search_term_covering")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX {INDEX} ON directory_service_terms (taxonomyterm_id, service_id)",
            f"DROP INDEX {INDEX}",
        )
    ]
