"""Benchmark scenarios, one module per scenario (or family); each registers with ``harness.scenario``."""
