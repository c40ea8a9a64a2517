"""The hook file named in mkdocs.yml: MkDocs loads it by path; the hooks live in symmle.site."""

from symmle.site import on_files, on_post_page

__all__ = ["on_files", "on_post_page"]
