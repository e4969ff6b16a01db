"""Heading-aware chunking: sections, lists with their lead-in, stable ids, size limits."""

from __future__ import annotations

from knowledge.chunking import MAX_CHUNK_CHARS, chunk_markdown

BODY = """# Guide

Intro paragraph.

## Before the meeting
The mentee prepares:

- progress since last time
- specific challenges
- questions for the mentor

## During
### Check-in
Five to ten minutes of updates.

```
code: stays
together: yes
```
"""


def test_sections_follow_headings_and_lists_stay_with_their_lead_in() -> None:
    chunks = chunk_markdown(BODY, "Guide", "src")
    sections = [c.section for c in chunks]
    assert ("Guide",) in sections
    assert ("Guide", "Before the meeting") in sections
    assert ("Guide", "During", "Check-in") in sections
    before = next(c for c in chunks if c.section == ("Guide", "Before the meeting"))
    assert before.text.startswith("The mentee prepares:")
    assert "- questions for the mentor" in before.text
    check_in = next(c for c in chunks if c.section[-1] == "Check-in")
    assert "code: stays\ntogether: yes" in check_in.text
    assert not any(c.text.startswith("#") for c in chunks)


def test_ids_are_stable_and_change_only_with_content() -> None:
    first = chunk_markdown(BODY, "Guide", "src")
    again = chunk_markdown(BODY, "Guide", "src")
    assert [c.id for c in first] == [c.id for c in again]
    edited = chunk_markdown(BODY.replace("Five to ten", "Ten"), "Guide", "src")
    changed = {c.id for c in first} ^ {c.id for c in edited}
    assert len(changed) == 2  # only the edited section's chunk is replaced
    other_source = chunk_markdown(BODY, "Guide", "elsewhere")
    assert not {c.id for c in first} & {c.id for c in other_source}


def test_long_sections_split_under_the_limit_without_losing_text() -> None:
    sentences = " ".join(f"Sentence number {i} talks about mentoring." for i in range(120))
    chunks = chunk_markdown(f"# Long\n\n{sentences}\n", "Long", "src")
    assert len(chunks) > 1
    assert all(len(c.text) <= MAX_CHUNK_CHARS for c in chunks)
    assert " ".join(c.text for c in chunks) == sentences


def test_heading_inside_code_fence_is_not_a_heading() -> None:
    chunks = chunk_markdown("# T\n\n```\n# not a heading\n```\n", "T", "s")
    assert [c.section for c in chunks] == [("T",)]
