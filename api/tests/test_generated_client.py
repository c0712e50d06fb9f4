"""The schema is the truth: a client generated from it by openapi-python-client (offline,
into a temporary directory) drives a whole journey against the live server and the real
worker, with every answer parsed into the schema's models and no undeclared status."""

import importlib
import json
import re
import subprocess
import sys

import httpx
import pytest
import yaml
from django.urls import reverse

from apikeys import services
from billing import services as billing
from generation.models import Output
from testing.processes import wait_until
from testing.webhook_receiver import WebhookReceiver, replicate_style_valid

pytestmark = pytest.mark.django_db(transaction=True)

PACKAGE = "cartonify_client"
# The generator reads binary answers only as application/octet-stream.
CONFIG = {
    "post_hooks": [],
    "project_name_override": "cartonify-client",
    "package_name_override": PACKAGE,
    "content_type_overrides": dict.fromkeys(
        ("image/png", "image/jpeg", "image/webp", "image/gif", "video/mp4"),
        "application/octet-stream",
    ),
}


@pytest.fixture
def receiver(settings):
    """The customer's endpoint on loopback, which only tests may allow."""
    settings.WEBHOOKS_ALLOW_LOOPBACK_FOR_TESTS = True
    with WebhookReceiver().running() as running:
        yield running


@pytest.fixture
def generated(live_server, tmp_path):
    """The generated package, imported from the schema the live server serves."""
    schema = tmp_path / "openapi.json"
    schema.write_bytes(httpx.get(f"{live_server.url}/api/v1/openapi.json").content)
    config = tmp_path / "config.yml"
    config.write_text(yaml.safe_dump(CONFIG))
    command = [sys.executable, "-m", "openapi_python_client", "generate", "--path", str(schema)]
    command += ["--config", str(config), "--meta", "none", "--fail-on-warning"]
    command += ["--output-path", str(tmp_path / PACKAGE)]
    made = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert made.returncode == 0, made.stdout + made.stderr
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(tmp_path))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


def _module(package, name):
    return importlib.import_module(f"{package.__name__}.{name}")


def test_a_generated_client_creates_waits_downloads_and_reads_usage(
    generated, live_server, client, user, receiver, celery_worker
):
    # A key made on the site, as a customer makes one.
    client.force_login(user)
    page = client.post(
        reverse("apikeys:key_list"),
        {"name": "generated client", "scopes": ["read", "generate", "manage"]},
        follow=True,
    )
    key = page.context["new_key"].plaintext
    api = generated.AuthenticatedClient(
        base_url=live_server.url, token=key, raise_on_unexpected_status=True, timeout=70
    )
    images = _module(generated, "api.generations.create_images")
    get_generation = _module(generated, "api.generations.get_generation")
    download = _module(generated, "api.images.download_output")
    usage = _module(generated, "api.account.usage_stats")
    me = _module(generated, "api.account.me")
    models = _module(generated, "models")

    body = models.ImageIn(prompt="a lighthouse at dawn", count=1, webhook=receiver.url())
    created = images.sync_detailed(client=api, body=body, prefer="wait=30")
    assert created.status_code in (200, 202), created.content
    job = created.parsed
    assert isinstance(job, models.GenerationOut)
    while job.status in ("queued", "running"):  # not finished within the wait: poll
        job = get_generation.sync(client=api, generation_id=job.id)
    assert job.status == "succeeded" and job.via == "api"
    if created.status_code == 200:
        assert created.headers["Preference-Applied"] == "wait=30"

    output = job.outputs[0]
    file = download.sync_detailed(client=api, output_id=output.id)
    assert file.status_code == 200
    assert file.content == Output.objects.get(pk=output.id).file.read()

    # The job's end reached the customer's endpoint once, signed with the secret the keys
    # page shows, carrying the job as the schema describes it.
    assert wait_until(lambda: receiver.received)
    (delivered,) = receiver.received
    keys_page = client.get(reverse("apikeys:key_list")).content.decode()
    secret = re.search(r"whsec_[A-Za-z0-9+/=]+", keys_page).group(0)
    assert replicate_style_valid(secret, delivered.headers, delivered.body)
    assert models.GenerationOut.from_dict(json.loads(delivered.body)) == job

    report = usage.sync(client=api, days=1)
    assert isinstance(report, models.UsageOut)
    endpoints = {row.endpoint for row in report.keys[0].endpoints}
    assert {"POST /images", "GET /outputs/{output_id}/file"} <= endpoints
    assert me.sync(client=api).credits_remaining == 4


def test_refusals_parse_into_the_schemas_error_models(generated, live_server, user):
    reader = services.api_key_create(user=user, name="reader", scopes=["read"]).plaintext
    capped = services.api_key_create(user=user, name="capped", monthly_credit_cap=0).plaintext
    images = _module(generated, "api.generations.create_images")
    models = _module(generated, "models")
    body = models.ImageIn(prompt="a lighthouse at dawn")

    def create(key):
        api = generated.AuthenticatedClient(
            base_url=live_server.url, token=key, raise_on_unexpected_status=True
        )
        return images.sync_detailed(client=api, body=body)

    refused = create(reader)
    assert refused.status_code == 403 and isinstance(refused.parsed, models.ForbiddenOut)
    assert refused.parsed.required_scope == "generate"
    capped_answer = create(capped)
    assert capped_answer.status_code == 402
    assert isinstance(capped_answer.parsed, models.SpendCapOut)
    assert capped_answer.parsed.cap == 0 and capped_answer.parsed.resets_at.day == 1
    billing.credits_adjust(user=user, amount=-5, reason="test", created_by=None)
    exhausted = create(services.api_key_create(user=user, name="writer").plaintext)
    assert exhausted.status_code == 402 and isinstance(exhausted.parsed, models.ErrorOut)
    assert exhausted.parsed.code == "quota_exhausted"
