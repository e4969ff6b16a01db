"""Prompt templates, one Markdown file per LLM task, loaded by name."""

from __future__ import annotations

import string
from functools import cache
from importlib import resources


@cache
def load(name: str) -> str:
    """The template text for ``name`` (``prompts/<name>.md``)."""
    path = resources.files("prompts") / f"{name}.md"
    if not path.is_file():
        raise KeyError(f"no prompt template named {name!r}")
    return path.read_text(encoding="utf-8")


def placeholders(name: str) -> set[str]:
    """The ``{field}`` names a template expects."""
    return {field for _, field, _, _ in string.Formatter().parse(load(name)) if field}


def render(name: str, **values: str) -> str:
    """Fill a template; missing or unexpected values are an error, never a silent blank."""
    expected = placeholders(name)
    if set(values) != expected:
        raise KeyError(f"prompt {name!r} expects {sorted(expected)}, got {sorted(values)}")
    return load(name).format(**values)
