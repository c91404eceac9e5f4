"""Public checks imported by the notebooks' test cells (no reference solutions live here)."""
