"""chapters layer."""
