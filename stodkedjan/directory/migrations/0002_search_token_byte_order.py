"""On PostgreSQL, compare search tokens byte by byte (collation "C").

The finder looks words up by prefix with a range (token >= 'föräldr' AND token < 'föräldr' || U+10FFFF).
That range is right only in code-point order, which SQLite's default BINARY collation already is; a
linguistic collation on PostgreSQL would put some prefixed words outside it and ignore the index.
"""

from django.db import migrations


def use_c_collation(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        table = apps.get_model("directory", "SearchTerm")._meta.db_table
        schema_editor.execute(f'ALTER TABLE "{table}" ALTER COLUMN "token" TYPE varchar(60) COLLATE "C"')


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(use_c_collation, migrations.RunPython.noop)]
