"""A customer's script: a key made in the browser, then plain httpx against the live server."""

import time

import httpx
from playwright.sync_api import expect

from e2e.helpers import log_in

PROMPT = "a red kite over green hills"


def _create_key(page, name: str) -> str:
    page.get_by_role("link", name="API keys").first.click()
    page.locator("input[name=name]").fill(name)
    page.get_by_role("button", name="Create key").click()
    key = page.get_by_test_id("new-key-value").inner_text().strip()
    assert key.startswith("ck_live_")
    page.reload()  # a fresh load of the page never shows it again
    expect(page.get_by_test_id("new-key-value")).to_have_count(0)
    expect(page.get_by_test_id("keys")).to_contain_text(name)
    return key


def _wait_until_finished(api: httpx.Client, url: str) -> tuple[dict, int]:
    """The finished job and how many requests it took to see it finish."""
    for polls in range(1, 61):
        job = api.get(url).raise_for_status().json()
        if job["status"] not in ("queued", "running"):
            return job, polls
        time.sleep(0.5)
    raise AssertionError(f"job still {job['status']} after 30 s")


def test_a_script_generates_with_a_key_and_the_calls_show_on_the_usage_page(
    page, live_server, make_user, password, tmp_path
):
    user = make_user(email="scripter@example.com")
    log_in(page, user.email, password)
    key = _create_key(page, "batch script")

    headers = {"Authorization": f"Bearer {key}"}
    with httpx.Client(base_url=f"{live_server.url}/api/v1", headers=headers, timeout=30) as api:
        started = api.post("/images", json={"prompt": PROMPT, "count": 2, "style": "watercolor"})
        assert started.status_code == 202, started.text
        job, polls = _wait_until_finished(api, started.headers["Location"])
        assert job["status"] == "succeeded", job["error"]
        assert len(job["outputs"]) == 2

        for output in job["outputs"]:
            file = api.get(output["download_url"])
            assert file.status_code == 200
            assert file.headers["content-type"] == output["content_type"]
            assert len(file.content) == output["bytes"] > 0
            (tmp_path / f"{output['id']}.png").write_bytes(file.content)

        assert api.get("/me").json()["credits_remaining"] == 4
        anonymous = httpx.get(f"{live_server.url}/api/v1/me")
        assert anonymous.status_code == 401

    page.get_by_role("link", name="API usage").first.click()
    calls = 1 + polls + 2 + 1  # POST /images, the polls, two downloads, /me
    expect(page.get_by_test_id("usage-total")).to_have_text(str(calls))
    expect(page.get_by_test_id("usage-keys")).to_contain_text("POST /images")
    expect(page.get_by_test_id("usage-keys")).to_contain_text("GET /outputs/{output_id}/file")
    expect(page.get_by_test_id("usage-chart")).to_be_visible()
    page.screenshot(path=tmp_path / "usage.png", full_page=True)


def test_the_interactive_docs_render_offline(page):
    requests = []
    page.on("request", lambda request: requests.append(request.url))

    page.goto("/api/v1/docs")

    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Cartonify API")
    expect(page.locator(".swagger-ui .btn.authorize")).to_be_visible()
    expect(page.get_by_text("Parser error")).to_have_count(0)
    assert all(url.startswith(page.url.split("/api/")[0]) for url in requests), requests
