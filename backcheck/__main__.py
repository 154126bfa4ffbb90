"""Allow ``python -m backcheck``."""

from backcheck.cli.app import main

main()
