"""Every page fits a 390 px wide phone: no sideways scroll (asserted, and screenshotted)."""

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from apikeys import services as apikeys
from e2e.helpers import log_in
from e2e.phone import overflow
from generation.models import Kind
from generation.tests.factories import GenerationFactory, OutputFactory

LONG_PROMPT = "a lighthouse on a cliff at dusk, " * 12


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_signed_in_page_fits_a_phone(phone, user, password, scheme):
    output = OutputFactory(generation__user=user, generation__prompt=LONG_PROMPT)
    edit = GenerationFactory(
        user=user, kind=Kind.EDIT, edit_operation="sepia", source_output=output
    )
    OutputFactory(generation=edit)
    GenerationFactory(user=user, status="running", prompt=LONG_PROMPT)
    key = apikeys.api_key_create(user=user, name="a script with a rather long name").api_key
    phone.emulate_media(color_scheme=scheme)
    log_in(phone, user.email, password)
    pages = {
        "home": "/",
        "generator": reverse("generation:generate"),
        "jobs": reverse("generation:jobs"),
        "gallery": reverse("generation:gallery"),
        "output": reverse("generation:output_detail", args=[output.pk]),
        "output-edit": reverse("generation:output_edit", args=[output.pk]),
        "output-delete": reverse("generation:output_delete", args=[output.pk]),
        "api-keys": reverse("apikeys:key_list"),
        "api-key-revoke": reverse("apikeys:key_revoke", args=[key.pk]),
        "api-usage": reverse("apikeys:usage"),
        "premium": reverse("billing:premium"),
        "account-password": reverse("account_change_password"),
        "account-email": reverse("account_email"),
        "account-defaults": reverse("accounts:defaults"),
    }
    too_wide = {}
    for name, url in pages.items():
        phone.goto(url)
        too_wide[name] = overflow(phone, f"{name}-{scheme}")

    assert {name: width for name, width in too_wide.items() if width} == {}


def test_every_signed_out_page_fits_a_phone(phone, user):
    too_wide = {}
    for name, url in {
        "log-in": reverse("account_login"),
        "sign-up": reverse("account_signup"),
        "password-reset": reverse("account_reset_password"),
    }.items():
        phone.goto(url)
        too_wide[name] = overflow(phone, name)

    phone.goto(reverse("account_reset_password"))
    phone.locator("input[name=email]").fill(user.email)
    phone.locator("form button[type=submit]").click()
    expect(phone.locator("input[name=code]")).to_be_visible()
    too_wide["password-reset-code"] = overflow(phone, "password-reset-code")

    phone.goto(reverse("account_signup"))
    phone.locator("input[name=email]").fill("new.phone.user@example.com")
    phone.locator("input[name=password1]").fill("a long and unusual passphrase 7")
    phone.locator("input[name=password2]").fill("a long and unusual passphrase 7")
    phone.locator("form button[type=submit]").click()
    expect(phone.locator("input[name=code]")).to_be_visible()
    assert mail.outbox
    too_wide["sign-up-code"] = overflow(phone, "sign-up-code")

    assert {name: width for name, width in too_wide.items() if width} == {}


def test_the_menu_opens_on_a_phone_and_reaches_every_page(phone, user, password):
    log_in(phone, user.email, password)
    menu = phone.get_by_role("button", name="Menu")
    expect(phone.get_by_role("link", name="Gallery")).to_be_hidden()

    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    phone.get_by_role("link", name="Gallery").click()

    expect(phone).to_have_url(reverse("generation:gallery"))
    box = phone.get_by_role("button", name="Search").bounding_box()
    assert box["height"] >= 44


# The widest option's text against the room a select leaves for it (minus its arrow).
SELECTS_CUT_OFF = """() => {
  const context = document.createElement("canvas").getContext("2d");
  const shown = [...document.querySelectorAll("select")].filter((select) => select.offsetParent);
  return shown.flatMap((select) => {
    const style = getComputedStyle(select);
    context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
    const room = select.clientWidth - padding - 20;
    const widest = Math.max(...[...select.options].map((o) => context.measureText(o.text).width));
    return widest > room ? [`${select.name}: ${Math.round(widest)} > ${Math.round(room)}`] : [];
  });
}"""


@pytest.mark.parametrize("width", [360, 430, 800, 1024, 1280])
def test_no_select_is_cut_off_at_any_width(page, user, password, width):
    OutputFactory(generation__user=user)
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, user.email, password)
    cut_off = []
    for url in [reverse("generation:generate"), reverse("generation:gallery")]:
        page.goto(url)
        cut_off += page.evaluate(SELECTS_CUT_OFF)

    assert cut_off == []
