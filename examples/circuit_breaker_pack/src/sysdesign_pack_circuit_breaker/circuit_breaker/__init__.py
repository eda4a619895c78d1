"""The circuit_breaker exercise: metadata, stub, reference, grading suite and known-wrong variants."""
