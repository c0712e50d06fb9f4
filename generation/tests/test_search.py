"""The gallery's search: every word of the query, in any order, the last one as a prefix."""

import re

import pytest
from django.urls import reverse

from generation.models import Generation, Output, search_words, word_patterns
from generation.tests.factories import OutputFactory

pytestmark = pytest.mark.django_db

LIGHTHOUSE = "a lighthouse on a cliff at dusk"
PROMPTS = [LIGHTHOUSE, "a cliff-top castle", "Lighthouses of Maine, at night"]


@pytest.fixture
def prompts(user):
    return {
        prompt: OutputFactory(generation__user=user, generation__prompt=prompt)
        for prompt in PROMPTS
    }


def found(user, query):
    outputs = Output.objects.search(user=user, prompt=query)
    return sorted((o.generation.prompt for o in outputs), key=str.lower)


SEARCHES = [
    ("cliff lighthouse", [LIGHTHOUSE]),
    ("DUSK, Cliff!", [LIGHTHOUSE]),
    ("lighthouse cli", [LIGHTHOUSE]),
    ("lightho", [LIGHTHOUSE, "Lighthouses of Maine, at night"]),
    ("cliff", [LIGHTHOUSE, "a cliff-top castle"]),
    ("light cliff", []),  # only the last word is a prefix
    ("cliff ocean", []),
    ("at", [LIGHTHOUSE, "Lighthouses of Maine, at night"]),  # stop words are words too
]


@pytest.mark.parametrize("query, expected", SEARCHES)
def test_search_finds_every_word_in_any_order(user, prompts, query, expected):
    assert found(user, query) == sorted(expected, key=str.lower)


def test_search_sees_only_the_users_own_outputs(user, make_user, prompts):
    OutputFactory(generation__user=make_user(), generation__prompt=LIGHTHOUSE)

    assert found(user, "cliff lighthouse") == [LIGHTHOUSE]


def test_gallery_search_for_two_words_of_a_prompt(signed_in, prompts):
    page = signed_in.get(reverse("generation:gallery"), {"q": "cliff lighthouse"}).context["page"]

    assert [o.generation.prompt for o in page] == [LIGHTHOUSE]


@pytest.mark.parametrize(
    "query, message",
    [
        ("x" * 20_000, "Search with up to 200 characters."),
        ("?!… — ***", "Search for a word of a prompt"),
    ],
)
def test_a_search_the_gallery_cannot_run_says_why(signed_in, prompts, query, message):
    response = signed_in.get(reverse("generation:gallery"), {"q": query})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert list(response.context["page"]) == []


@pytest.mark.parametrize("cursor", ["abc", "-1", "9" * 40, "1e9", "0x10", "%00"])
def test_a_tampered_cursor_gives_a_page_not_an_error(signed_in, prompts, cursor):
    response = signed_in.get(reverse("generation:gallery"), {"before": cursor})

    assert response.status_code == 200


@pytest.mark.parametrize("query, expected", SEARCHES)
def test_the_sqlite_word_filter_matches_the_same_prompts(query, expected):
    """SQLite's REGEXP is Python's re, so these patterns are what the embedded mode runs."""
    patterns = word_patterns(search_words(query))
    chosen = [p for p in PROMPTS if all(re.search(pat, p, re.IGNORECASE) for pat in patterns)]

    assert sorted(chosen, key=str.lower) == sorted(expected, key=str.lower)


def test_the_search_can_use_the_prompt_words_index(user, prompts):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a few rows: make the choice visible
    plan = Generation.objects.matching_prompt("cliff lighthouse").explain()

    assert "generation_prompt_words" in plan
