import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    "cookie, attribute",
    [("dark", 'data-theme="dark"'), ("light", 'data-theme="light"'), ("", None)],
)
def test_the_chosen_theme_is_on_the_first_paint(client, db, cookie, attribute):
    client.cookies["theme"] = cookie

    page = client.get(reverse("account_login")).content.decode()

    html = page.split("<html", 1)[1].split(">", 1)[0]
    assert (attribute in html) if attribute else ("data-theme" not in html)


@pytest.mark.parametrize("junk", ['"><script>', "x" * 5000, "dark; light", "\\u0000", "DARK"])
def test_a_junk_theme_cookie_follows_the_system(client, db, junk):
    client.cookies["theme"] = junk

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert "data-theme" not in response.content.decode().split("<head", 1)[0]


def test_signing_out_tells_the_browser_to_drop_what_it_kept(client, user):
    client.force_login(user)

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "_auth_user_id" not in client.session


def test_the_service_worker_keeps_only_the_shell_and_the_offline_page(client, db):
    worker = client.get("/sw.js")

    assert worker["Content-Type"].startswith("text/javascript")
    assert '"/offline/"' in worker.content.decode() and "/gallery" not in worker.content.decode()
    assert "no-cache" in worker["Cache-Control"] or "max-age=0" in worker["Cache-Control"]
