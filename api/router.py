from ninja import Router

# One router for every module: ninja gives each router its own URL patterns, so
# GET and POST on the same path (e.g. /images) must be registered on the same one.
router = Router()
