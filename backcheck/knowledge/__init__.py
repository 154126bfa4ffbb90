"""The knowledge: its model, the `when` rule language, validation, loading and the cache."""
