"""Eval harness in the style of inspect_ai: JSONL samples, pure scorers, a thresholded runner."""
