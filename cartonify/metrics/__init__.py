"""Prometheus metrics: what the database and Redis say at scrape time (`state`) and the
token-guarded `/metrics` answer (`views`). What processes count as they work lives in
`core.instruments`, which the apps record into."""
