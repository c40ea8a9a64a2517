"""The names of the output formats, apart from their printers: the CLI's options name them
without importing what prints them."""

FORMATS = ("text", "markdown", "latex", "json")
"""A derivation's formats (symmle.render.formats prints each), and a comparison's."""
FIT_FORMATS = ("text", "json")
"""The formats of a fit's estimates (symmle.render.fit)."""
