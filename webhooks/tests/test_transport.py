"""The sending function connects to the address the guard checked, never to a fresh lookup."""

from webhooks import transport
from webhooks.guard import Target


def test_the_request_goes_to_the_checked_address_with_the_urls_host_header(receiver):
    port = receiver.base_url.rsplit(":", 1)[1]
    # A name no resolver knows: only the pinned address can have carried the request.
    url = f"http://hooks.unresolvable.invalid:{port}/hook"
    target = Target(url=url, host="hooks.unresolvable.invalid", port=int(port), address="127.0.0.1")

    answer = transport.post(target, headers={"webhook-id": "msg_1"}, body=b"{}", timeout=2)

    assert answer.status_code == 200 and answer.excerpt == "ok"
    (received,) = receiver.received
    assert received.headers["host"] == f"hooks.unresolvable.invalid:{port}"
    assert received.headers["webhook-id"] == "msg_1"


def test_a_refused_connection_is_an_answer_without_a_status(receiver):
    target = Target(url="http://127.0.0.1:9/hook", host="127.0.0.1", port=9, address="127.0.0.1")

    answer = transport.post(target, headers={}, body=b"{}", timeout=1)

    assert (answer.status_code, answer.error) == (None, "Could not connect.")


def test_a_connection_closed_without_an_answer_is_told_by_its_kind_not_the_socket_error(
    receiver,
):
    receiver.script = ["close"]
    port = int(receiver.base_url.rsplit(":", 1)[1])
    target = Target(url=receiver.url(), host="127.0.0.1", port=port, address="127.0.0.1")

    answer = transport.post(target, headers={}, body=b"{}", timeout=1)

    assert (answer.status_code, answer.error) == (
        None,
        "The connection ended without a valid answer.",
    )


def test_a_receiver_too_slow_to_answer_is_told_as_timed_out(receiver):
    receiver.script = ["hang"]
    receiver.hang_seconds = 1
    port = int(receiver.base_url.rsplit(":", 1)[1])
    target = Target(url=receiver.url(), host="127.0.0.1", port=port, address="127.0.0.1")

    answer = transport.post(target, headers={}, body=b"{}", timeout=0.2)

    assert (answer.status_code, answer.error) == (None, "Timed out: no answer within 0.2 s.")
