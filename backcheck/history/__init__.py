"""The private history of checks: the store (SQLite), trends and comparisons.

``store`` reads and writes the database; ``trends`` and ``compare`` are pure; ``record``
joins them: it assesses a check with the checks before it and keeps the result.
"""
