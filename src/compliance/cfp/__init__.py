"""Carbon footprint (CFP) calculator."""
