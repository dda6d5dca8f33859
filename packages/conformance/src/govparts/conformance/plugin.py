"""pytest plugin of the govparts conformance kit (filled in by the conformance framework)."""
