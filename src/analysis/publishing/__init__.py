"""publishing layer."""
