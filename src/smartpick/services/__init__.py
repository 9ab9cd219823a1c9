"""Use-cases: compose the pure domain with files, storage and data (one module per user task)."""
