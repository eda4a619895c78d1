"""Your implementations, one module per concept (see README.md)."""
