"""Renderers of an assessment for people: the short summary and the full one."""
