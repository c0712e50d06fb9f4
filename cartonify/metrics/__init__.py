"""Prometheus metrics: what processes count as they work (`instruments`), what the database
and Redis say at scrape time (`state`), and the token-guarded `/metrics` answer (`views`)."""
