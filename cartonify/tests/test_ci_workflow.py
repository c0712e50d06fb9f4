"""The CI workflow parses, builds and starts the image it ships, and pushes only on tags."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings

from testing.browsers import chromium_executable

WORKFLOW = Path(settings.BASE_DIR) / ".github" / "workflows" / "ci.yml"


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())


def commands(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


def test_runs_on_pushes_to_main_version_tags_and_pull_requests(workflow):
    triggers = workflow[True]  # YAML 1.1 reads the bare key `on` as a boolean
    assert triggers["push"] == {"branches": ["main"], "tags": ["v*"]}
    assert "pull_request" in triggers


def test_the_suite_runs_on_playwrights_own_chromium(workflow):
    test = workflow["jobs"]["test"]
    assert test["env"]["CHROMIUM_PATH"] == "playwright"
    assert "playwright install --with-deps chromium" in commands(test)
    assert "make test" in commands(test)


def test_the_image_is_built_then_checked_and_probed_against_real_services(workflow):
    image = workflow["jobs"]["image"]
    assert set(image["services"]) == {"postgres", "redis"}
    uses = [step.get("uses", "") for step in image["steps"]]
    assert any(u.startswith("docker/build-push-action") for u in uses)
    run = commands(image)
    assert "check --deploy --fail-level WARNING" in run
    assert "DEBUG=false" in run
    assert "curl -fsS http://127.0.0.1:8000/healthz" in run


def test_the_image_is_pushed_only_for_version_tags_with_registry_secrets(workflow):
    push = workflow["jobs"]["push"]
    assert push["if"] == "startsWith(github.ref, 'refs/tags/v')"
    assert set(push["needs"]) == {"test", "image"}
    assert push["env"]["DOCKERHUB_TOKEN"] == "${{ secrets.DOCKERHUB_TOKEN }}"
    publishing = [s for s in push["steps"] if "registry" not in s.get("id", "")]
    assert all(s["if"] == "steps.registry.outputs.enabled == 'true'" for s in publishing)
    assert any(s.get("with", {}).get("push") is True for s in publishing)


@pytest.mark.parametrize(
    "chromium_path, executable",
    [
        (None, "/usr/bin/chromium"),
        ("/opt/chromium/chrome", "/opt/chromium/chrome"),
        ("playwright", None),
    ],
)
def test_chromium_path_picks_the_browser_the_fixtures_launch(chromium_path, executable):
    assert chromium_executable(chromium_path) == executable
