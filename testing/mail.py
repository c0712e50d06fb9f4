"""The one-time code allauth mails for sign-up and password reset, read as a person would."""

import re

# allauth's default user codes look like "BCDF-GHJK".
CODE_IN_MAIL = re.compile(r"^\s*([A-Z0-9]{4}-?[A-Z0-9]{4})\s*$", re.MULTILINE)


def code_from_mail(message) -> str:
    match = CODE_IN_MAIL.search(message.body)
    assert match, f"no verification code in: {message.body!r}"
    return match.group(1)
