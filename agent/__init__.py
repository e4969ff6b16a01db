"""session-coach: a coaching agent for tech mentoring pairs."""

__version__ = "0.1.0"
