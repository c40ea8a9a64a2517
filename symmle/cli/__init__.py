"""The command line: ``symmle derive | loss | fit | compare | regress | examples | list | build |
serve | cache``. Each command imports only what it runs."""

from symmle.cli.main import main

__all__ = ["main"]
