"""The worlds several test folders share: builders, steps and sample files (see fixtures.py for
the fixtures over them)."""
