from django.db import migrations, models


def mark_jobs_started_from_an_output(apps, schema_editor):
    """Jobs that still link their output, and edits whose output is gone (an edit has an
    output or an upload). Videos and pictures whose output was deleted before this
    migration cannot be told from ones made from text alone, and keep False."""
    Generation = apps.get_model("generation", "Generation")
    Generation.objects.filter(source_output__isnull=False).update(started_from_output=True)
    Generation.objects.filter(kind="edit", source_output__isnull=True, source_file="").update(
        started_from_output=True
    )


class Migration(migrations.Migration):
    dependencies = [
        ("generation", "0010_generation_progress"),
    ]

    operations = [
        migrations.AddField(
            model_name="generation",
            name="started_from_output",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(mark_jobs_started_from_an_output, migrations.RunPython.noop),
    ]
