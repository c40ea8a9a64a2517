"""Printing (LaTeX, Unicode), notation, Jinja2 templates and output formats."""
