"""backcheck: an offline command-line symptom checker for back symptoms."""

__version__ = "0.1.0"
