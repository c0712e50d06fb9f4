"""What the generator page and the account's defaults page post, as a browser sends them
(every value a string), so each test names only the fields it is about."""

# The picture's choices both forms ask for.
CHOICES = {"style": "cartoon", "color": "vibrant", "size": "512", "count": "1"}


def generator_form(**fields: str) -> dict[str, str]:
    """A one-image text-to-image request for "a fox", with `fields` changed or added."""
    return {"kind": "image", "prompt": "a fox", **CHOICES, **fields}


def defaults_form(**fields: str) -> dict[str, str]:
    """The defaults page's fields (the choices, a shape and a quality), with `fields` changed."""
    return {**CHOICES, "shape": "square", "quality": "best", **fields}
