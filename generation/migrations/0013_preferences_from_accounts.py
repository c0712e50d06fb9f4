"""Preferences (a user's generation defaults) move here from accounts. Only Django's idea of
the model moves: the table stays accounts_preferences with its rows, and its content type
(with the permissions that point at it) is relabelled rather than left stale."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def relabel_content_type(apps, schema_editor, *, old: str, new: str):
    content_types = apps.get_model("contenttypes", "ContentType")
    if not content_types.objects.filter(app_label=new, model="preferences").exists():
        content_types.objects.filter(app_label=old, model="preferences").update(app_label=new)


def forwards(apps, schema_editor):
    relabel_content_type(apps, schema_editor, old="accounts", new="generation")


def backwards(apps, schema_editor):
    relabel_content_type(apps, schema_editor, old="generation", new="accounts")


class Migration(migrations.Migration):

    dependencies = [
        ('generation', '0012_manage_jobs_permission'),
        ('accounts', '0004_preferences'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Preferences',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('style', models.CharField(choices=[('cartoon', 'cartoon'), ('anime', 'anime'), ('watercolor', 'watercolor'), ('pixel-art', 'pixel-art'), ('comic', 'comic'), ('3d-render', '3d-render'), ('sketch', 'sketch'), ('photo', 'photo'), ('art-style', 'art-style'), ('logo', 'logo'), ('banner', 'banner')], default='cartoon', max_length=20)),
                        ('color', models.CharField(choices=[('vibrant', 'vibrant'), ('pastel', 'pastel'), ('monochrome', 'monochrome'), ('warm', 'warm'), ('cool', 'cool'), ('neon', 'neon'), ('earthy', 'earthy'), ('auto', 'auto')], default='vibrant', max_length=20)),
                        ('size', models.PositiveSmallIntegerField(choices=[(256, '256'), (512, '512'), (768, '768'), (1024, '1024')], default=512)),
                        ('shape', models.CharField(choices=[('square', 'square'), ('portrait', 'portrait'), ('landscape', 'landscape')], default='square', max_length=10)),
                        ('quality', models.CharField(choices=[('standard', 'standard'), ('high', 'high'), ('best', 'best')], default='best', max_length=10)),
                        ('count', models.PositiveSmallIntegerField(choices=[(1, '1'), (2, '2'), (3, '3'), (4, '4')], default=2)),
                        ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='preferences', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'accounts_preferences',
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
