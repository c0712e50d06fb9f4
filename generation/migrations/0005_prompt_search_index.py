"""A GIN index over the words of each prompt, for the gallery's search on PostgreSQL.

The expression is the one `GenerationQuerySet.matching_prompt` searches, so the planner
can use it. SQLite (the embedded mode) has no GIN indexes and searches word by word.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

# Keep in step with generation.models.prompt_vector().
INDEX = GinIndex(SearchVector("prompt", config="simple"), name="generation_prompt_words")


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("generation", "Generation"), INDEX)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("generation", "Generation"), INDEX)


class Migration(migrations.Migration):
    dependencies = [("generation", "0004_generation_newest_first")]

    operations = [migrations.RunPython(create_index, drop_index)]
