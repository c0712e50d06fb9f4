"""An S3-compatible server on loopback for tests: moto's S3 over real HTTP, which the
real boto3 client (django-storages) talks to.

moto accepts any request; a private bucket does not. In front of it, this server checks
what AWS checks on a download link: an anonymous request is refused, and a presigned
one must carry a valid SigV4 query signature and must not have expired (403 as S3).
Requests signed in the Authorization header (boto3's API calls) go straight to moto.

Use it through the `fake_s3` fixture (the root conftest.py): `env()` gives the
settings' environment variables for processes, `object_names()` what the bucket holds,
`stop()`/`start()` take the store down and bring it back on the same port.
"""

import hashlib
import hmac
import secrets
import threading
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, quote, urlsplit

import boto3
from botocore.config import Config
from moto.server import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import make_server

REGION = "us-east-1"
ACCESS_KEY = "AKIAFAKES3TESTKEY000"
SECRET_KEY = "fake-s3-secret-key-for-tests-only"
DENIED = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    "<Error><Code>AccessDenied</Code><Message>{}</Message></Error>"
)


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def _query_signature(method: str, raw_path: str, query: list, host: str) -> str:
    """The SigV4 signature of a presigned URL, as S3 computes it (for header `host` only)."""
    params = dict(query)
    canonical_query = "&".join(
        f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}"
        for k, v in sorted(query)
        if k != "X-Amz-Signature"
    )
    canonical = "\n".join(
        [method, raw_path, canonical_query, f"host:{host}\n", "host", "UNSIGNED-PAYLOAD"]
    )
    scope = params["X-Amz-Credential"].split("/", 1)[1]
    to_sign = "\n".join(
        [
            "AWS4-HMAC-SHA256",
            params["X-Amz-Date"],
            scope,
            hashlib.sha256(canonical.encode()).hexdigest(),
        ]
    )
    key = ("AWS4" + SECRET_KEY).encode()
    for part in scope.split("/"):
        key = _hmac(key, part)
    return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()


def _refusal(environ) -> str | None:
    """Why S3 would refuse this request, or None."""
    if "HTTP_AUTHORIZATION" in environ:
        return None
    query = parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    params = dict(query)
    if "X-Amz-Signature" not in params:
        return "Anonymous access to a private bucket is refused."
    raw_path = urlsplit(environ.get("RAW_URI") or environ["PATH_INFO"]).path
    signature = _query_signature(environ["REQUEST_METHOD"], raw_path, query, environ["HTTP_HOST"])
    if not hmac.compare_digest(signature, params["X-Amz-Signature"]):
        return "The request signature we calculated does not match the signature you provided."
    signed_at = datetime.strptime(params["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    if datetime.now(UTC) > signed_at + timedelta(seconds=int(params["X-Amz-Expires"])):
        return "Request has expired"
    return None


def _as_header(environ) -> str:
    params = dict(parse_qsl(environ.get("QUERY_STRING", "")))
    return (
        f"AWS4-HMAC-SHA256 Credential={params['X-Amz-Credential']}, "
        f"SignedHeaders=host, Signature={params['X-Amz-Signature']}"
    )


def private_bucket_gate(app):
    def gate(environ, start_response):
        refusal = _refusal(environ)
        if refusal is None:
            # Checked here: moto sees it as the signed request it is, and answers as S3
            # does to a caller allowed to list the bucket (a deleted key is a 404).
            if "HTTP_AUTHORIZATION" not in environ:
                environ["HTTP_AUTHORIZATION"] = _as_header(environ)
            return app(environ, start_response)
        start_response("403 Forbidden", [("Content-Type", "application/xml")])
        return [DENIED.format(refusal).encode()]

    return gate


class FakeS3:
    def __init__(self):
        self.bucket = f"cartonify-test-{secrets.token_hex(4)}"
        self.port = 0
        self._server = None
        self._thread = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        app = private_bucket_gate(DomainDispatcherApplication(create_backend_app))
        self._server = make_server("127.0.0.1", self.port, app, threaded=True)
        self.port = self._server.server_port
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Down like a dead host: the port refuses connections until `start()`."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.url,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            config=Config(s3={"addressing_style": "path"}, signature_version="s3v4"),
        )

    def create_bucket(self) -> None:
        self.client().create_bucket(Bucket=self.bucket)

    def object_names(self) -> list[str]:
        listed = self.client().list_objects_v2(Bucket=self.bucket)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client().get_object(Bucket=self.bucket, Key=key)["Body"].read()

    def env(self) -> dict[str, str]:
        """The settings' environment for a process that keeps its media here."""
        return {
            "AWS_STORAGE_BUCKET_NAME": self.bucket,
            "AWS_S3_ENDPOINT_URL": self.url,
            "AWS_S3_REGION_NAME": REGION,
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        }
