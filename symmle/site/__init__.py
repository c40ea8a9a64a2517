"""The website: the only package that imports MkDocs (build, serve, hooks, the plugin)."""
