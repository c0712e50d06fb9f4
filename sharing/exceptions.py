class ShareRefused(Exception):
    """What was asked of a share its state forbids; the message says why, for people."""
