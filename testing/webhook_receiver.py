"""A customer's webhook endpoint on loopback: records what it gets, answers as scripted."""

import base64
import hashlib
import hmac
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]  # lower-cased names
    body: bytes
    at: float  # time.time()


@dataclass
class WebhookReceiver:
    """`script` holds the answers to give, in order, then 200s: a status code, "hang"
    (say nothing for `hang_seconds`), "close" (hang up without answering), or
    ("redirect", url)."""

    script: list = field(default_factory=list)
    hang_seconds: float = 3.0
    received: list[Received] = field(default_factory=list)
    base_url: str = ""

    def url(self, path: str = "/hook") -> str:
        return self.base_url + path

    def requests_to(self, path: str) -> list[Received]:
        return [r for r in self.received if r.path == path]

    def _next_answer(self):
        return self.script.pop(0) if self.script else 200

    @contextmanager
    def running(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                headers = {k.lower(): v for k, v in self.headers.items()}
                receiver.received.append(Received(self.path, headers, body, time.time()))
                self._answer(receiver._next_answer())

            def _answer(self, answer):
                if answer == "close":
                    self.close_connection = True
                    return
                if answer == "hang":
                    time.sleep(receiver.hang_seconds)
                    answer = 200
                if isinstance(answer, tuple):
                    self.send_response(302)
                    self.send_header("Location", answer[1])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                text = b"ok" if answer < 400 else b"receiver error " * 100
                self.send_response(answer)
                self.send_header("Content-Length", str(len(text)))
                self.end_headers()
                self.wfile.write(text)

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{server.server_address[1]}"
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            server.shutdown()
            server.server_close()


def replicate_style_valid(secret: str, headers: dict, body: bytes) -> bool:
    """Replicate's documented check, written out here rather than borrowed from our code:
    base64 HMAC-SHA256 of "{id}.{timestamp}.{body}" keyed by the decoded `whsec_` secret,
    compared with each space-separated `v1,<signature>` of the header."""
    key = base64.b64decode(secret.split("_", 1)[1])
    content = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.{body.decode()}"
    expected = base64.b64encode(hmac.new(key, content.encode(), hashlib.sha256).digest())
    given = [part.split(",", 1)[1] for part in headers["webhook-signature"].split(" ")]
    return any(hmac.compare_digest(expected.decode(), sig) for sig in given)
