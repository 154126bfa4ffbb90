"""The command line: the typer app and the interactive prompts (the only users of typer
and questionary)."""

from __future__ import annotations


def main() -> None:
    """Console-script entry point (``backcheck``)."""
    from backcheck.cli.app import main as run_app

    run_app()
