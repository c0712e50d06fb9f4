from django.test import Client


class ApiClient:
    """Django's test client with a Bearer key and JSON bodies, like a customer's script."""

    def __init__(self, key: str | None):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {key}"} if key else {}

    def _call(self, method, path, data=None, headers=None):
        kwargs = {"headers": {**self.headers, **(headers or {})}}
        if data is not None:
            kwargs.update(data=data, content_type="application/json")
        return getattr(self.client, method)(f"/api/v1{path}", **kwargs)

    def get(self, path, **kwargs):
        return self._call("get", path, **kwargs)

    def post(self, path, data=None, **kwargs):
        return self._call("post", path, data if data is not None else {}, **kwargs)

    def delete(self, path, **kwargs):
        return self._call("delete", path, **kwargs)
