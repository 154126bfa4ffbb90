"""Allow ``python -m backcheck``."""

from backcheck.cli import main

main()
