# Each word's index rows best first, so that a search of one common word reads only its best rows.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0011_search_entry"),
    ]

    operations = [
        # The new index first: searches keep one while the old is dropped.
        migrations.AddIndex(
            model_name="searchterm",
            index=models.Index(fields=["token", "-weight", "service", "languages"], name="search_term_ranked"),
        ),
        migrations.RemoveIndex(
            model_name="searchterm",
            name="search_term_covering",
        ),
    ]
