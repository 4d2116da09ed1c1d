"""Forms of the evaluations pages: validation only; the services do the work."""
