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


USER_MARKER = "--- user ---"


def delimit(name: str, text: str) -> str:
    """Wrap untrusted text as data; a closing tag inside it cannot end the block early."""
    safe = text.replace("</data", "&lt;/data").replace("<data", "&lt;data")
    return f'<data name="{name}">\n{safe}\n</data>'


def render_messages(name: str, **values: str) -> list[dict[str, str]]:
    """System and user messages from a template split by a ``--- user ---`` line."""
    text = render(name, **values)
    system, _, user = text.partition(USER_MARKER)
    messages = [{"role": "system", "content": system.strip()}]
    if user.strip():
        messages.append({"role": "user", "content": user.strip()})
    return messages
