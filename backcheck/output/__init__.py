"""Rendering a result: the summary, Markdown, JSON, reference pages and eval tables.

The only modules that import rich.
"""
