"""Tarn benchmark suite: scenarios, baselines and reporting (stdlib only)."""
