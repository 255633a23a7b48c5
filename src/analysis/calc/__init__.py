"""calc layer."""
