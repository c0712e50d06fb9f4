"""Preferences now live in generation (its 0013): only the model's state leaves accounts;
the table accounts_preferences and its rows stay, in use by generation.Preferences."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_preferences'),
        ('generation', '0013_preferences_from_accounts'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Preferences')],
            database_operations=[],
        ),
    ]
