"""The deterministic offline engine: guide-grounded answers with no network and no LLM.

It is the default when no LLM endpoint is configured, and its detector
(:mod:`agent.offline.judgement`) is the guardrail both engines' output must pass. The package
imports nothing itself, so loading one part (the date parser, say) doesn't load the others.
"""
