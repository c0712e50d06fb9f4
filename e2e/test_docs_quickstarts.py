"""The API docs page's quickstarts work as pasted: their code blocks are read from the
rendered page, given the live server's address and a real key, and run (curl in bash,
the Python one with the venv's python) against the live server and a real worker."""

import subprocess
import sys

import pytest
from playwright.sync_api import expect

from apikeys import services
from generation.models import Generation, Status

DOCS_HOST = "https://cartonify.example"
DOCS_KEY = "ck_live_your_key_here"
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def quickstarts(page, live_server, user):
    """{"curl": code, "python": code} from the rendered docs, for this server and a key."""
    page.goto("/api/v1/docs")
    blocks = page.locator(".swagger-ui .info pre code")
    expect(blocks).to_have_count(2)
    key = services.api_key_create(user=user, name="quickstart").plaintext
    codes = {}
    for code in blocks.evaluate_all("blocks => blocks.map(block => block.textContent)"):
        assert DOCS_HOST in code and DOCS_KEY in code
        code = code.replace(DOCS_HOST, live_server.url).replace(DOCS_KEY, key)
        codes["python" if "import httpx" in code else "curl"] = code
    assert set(codes) == {"curl", "python"}
    return codes


def run(command, tmp_path):
    done = subprocess.run(  # noqa: S603 (the docs page's own code, run as a reader would)
        command, cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_the_curl_quickstart_makes_and_downloads_a_picture(
    quickstarts, tmp_path, user, celery_worker
):
    printed = run(["bash", "-e", "-c", quickstarts["curl"]], tmp_path).split()

    assert printed == ["succeeded", "3"]  # the status; then POST, download, the usage call
    assert (tmp_path / "picture.png").read_bytes().startswith(PNG)
    assert Generation.objects.get(user=user, via="api").status == Status.SUCCEEDED


def test_the_python_quickstart_makes_and_downloads_a_picture(
    quickstarts, tmp_path, user, celery_worker
):
    printed = run([sys.executable, "-c", quickstarts["python"]], tmp_path)

    output = Generation.objects.get(user=user, via="api").outputs.get()
    assert f"saved cartonify-{output.pk}.png" in printed
    assert (tmp_path / f"cartonify-{output.pk}.png").read_bytes() == output.file.read()
    assert printed.strip().endswith("3 calls today")  # POST, download, the usage call
