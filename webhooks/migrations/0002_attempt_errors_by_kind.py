"""Delivery logs kept the socket's error text ("ConnectError: [Errno 111] Connection
refused"); they now say only what kind of failure it was."""

from django.db import migrations

# Frozen copies of webhooks.transport's wording.
COULD_NOT_CONNECT = "Could not connect."
NO_VALID_ANSWER = "The connection ended without a valid answer."
# The old text was "<httpx exception name>: <its message>".
OLD_TEXT = r"^[A-Z][A-Za-z]+(Error|Protocol|Redirects|URL): "


def errors_by_kind(apps, schema_editor):
    for model, field in (("DeliveryAttempt", "error"), ("Delivery", "last_error")):
        rows = apps.get_model("webhooks", model).objects
        rows.filter(**{f"{field}__startswith": "ConnectError: "}).update(
            **{field: COULD_NOT_CONNECT}
        )
        rows.filter(**{f"{field}__regex": OLD_TEXT}).update(**{field: NO_VALID_ANSWER})


class Migration(migrations.Migration):
    dependencies = [("webhooks", "0001_initial")]

    operations = [migrations.RunPython(errors_by_kind, migrations.RunPython.noop)]
