"""Keys limited to scopes: `read` lists, gets, downloads and reports usage; `generate`
creates jobs; `manage` cancels and deletes. A missing scope is a 403 naming it."""

import pytest
from django.urls import reverse

from apikeys import services
from apikeys.models import ApiKey, Scope
from generation.models import Generation, Output
from generation.tests.factories import GenerationFactory, OutputFactory

pytestmark = pytest.mark.django_db

IMAGE = {"prompt": "a fox reading a map"}


def key_with(user, *scopes):
    return services.api_key_create(user=user, name="scoped", scopes=list(scopes)).plaintext


@pytest.fixture(params=["bearer", "x-api-key"])
def call(request, client):
    """Call /api/v1 with a key sent either way the API accepts."""

    def send(method, path, key, data=None):
        header = {"Authorization": f"Bearer {key}"} if request.param == "bearer" else {}
        header = header or {"X-API-Key": key}
        kwargs = {"headers": header}
        if data is not None:
            kwargs |= {"data": data, "content_type": "application/json"}
        return getattr(client, method)(f"/api/v1{path}", **kwargs)

    return send


def assert_refused_for(response, scope):
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "insufficient_scope" and body["required_scope"] == scope
    assert f"`{scope}`" in body["message"]
    assert f'scope="{scope}"' in response["WWW-Authenticate"]


def test_a_read_key_reads_but_cannot_generate_or_manage(call, user):
    key = key_with(user, Scope.READ)
    job = GenerationFactory(user=user, status="running")
    image = OutputFactory(generation__user=user)

    for path in ["/me", "/usage", "/generations", f"/generations/{job.pk}", "/images"]:
        assert call("get", path, key).status_code == 200, path
    assert call("get", f"/outputs/{image.pk}/file", key).status_code == 200

    assert_refused_for(call("post", "/images", key, IMAGE), Scope.GENERATE)
    assert_refused_for(call("post", "/prompts/enhance", key, IMAGE), Scope.GENERATE)
    assert_refused_for(call("post", f"/generations/{job.pk}/cancel", key, {}), Scope.MANAGE)
    assert_refused_for(call("delete", f"/images/{image.pk}", key), Scope.MANAGE)
    job.refresh_from_db()
    assert job.status == "running" and Output.objects.filter(pk=image.pk).exists()
    assert not Generation.objects.filter(via="api").exists()


def test_a_generate_key_creates_jobs_but_reads_nothing(call, user):
    key = key_with(user, Scope.GENERATE)

    assert call("post", "/images", key, IMAGE).status_code == 202
    assert_refused_for(call("get", "/generations", key), Scope.READ)
    assert_refused_for(call("get", "/me", key), Scope.READ)


def test_a_manage_key_cancels_and_deletes(call, user):
    key = key_with(user, Scope.MANAGE)
    job = GenerationFactory(user=user, status="queued")
    image = OutputFactory(generation__user=user)

    assert call("post", f"/generations/{job.pk}/cancel", key, {}).json()["status"] == "canceled"
    assert call("delete", f"/images/{image.pk}", key).status_code == 204
    assert_refused_for(call("post", "/images", key, IMAGE), Scope.GENERATE)


def test_the_originals_transform_needs_the_generate_scope(client, user):
    key = key_with(user, Scope.READ, Scope.MANAGE)

    answer = client.post(reverse("api_transform"), IMAGE, headers={"X-API-Key": key})

    assert answer.status_code == 403
    assert "`generate`" in answer.json()["error"]
    assert not Generation.objects.exists()


def test_keys_get_every_scope_unless_told_otherwise(user):
    api_key = services.api_key_create(user=user, name="all").api_key

    assert ApiKey.objects.get(pk=api_key.pk).scope_names == ["read", "generate", "manage"]


@pytest.mark.parametrize("scopes", [[], ["admin"]])
def test_a_key_without_known_scopes_is_refused_at_creation(user, scopes):
    with pytest.raises(services.InvalidScopes):
        services.api_key_create(user=user, name="none", scopes=scopes)
    assert not ApiKey.objects.exists()
