"""Heading-aware chunking: sections by heading path, lists kept with their lead-in."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

MAX_CHUNK_CHARS = 1200

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_FENCE = re.compile(r"^\s*(```|~~~)")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9“\"'(])")


@dataclass(frozen=True)
class Chunk:
    """A retrievable passage: its section path, text and content-derived id."""

    id: str
    section: tuple[str, ...]
    text: str
    position: int


def _blocks(lines: list[str]) -> list[str]:
    """Paragraphs, whole lists and whole code fences; a line ending in ':' joins the next list."""
    blocks: list[list[str]] = []
    current: list[str] = []
    kind = ""
    in_fence = False

    def flush() -> None:
        nonlocal current, kind
        if current:
            blocks.append(current)
        current, kind = [], ""

    for line in lines:
        if in_fence:
            current.append(line)
            if _FENCE.match(line):
                in_fence = False
                flush()
            continue
        if _FENCE.match(line):
            flush()
            current, kind, in_fence = [line], "code", True
            continue
        if not line.strip():
            if kind != "list":
                flush()
            continue
        is_item = bool(_LIST_ITEM.match(line))
        continuation = kind == "list" and line.startswith((" ", "\t"))
        if is_item or continuation:
            if kind != "list":
                lead = blocks.pop() if (not current and blocks and _is_lead(blocks[-1])) else []
                if current and _is_lead(current):
                    lead, current = current, []
                flush()
                current, kind = lead, "list"
            current.append(line)
        else:
            if kind == "list":
                flush()
            current.append(line)
            kind = "para"
    flush()
    return ["\n".join(block).strip() for block in blocks if "".join(block).strip()]


def _is_lead(block: list[str]) -> bool:
    return bool(block) and block[-1].rstrip().endswith(":") and not _LIST_ITEM.match(block[-1])


def _split_oversized(block: str) -> list[str]:
    if len(block) <= MAX_CHUNK_CHARS:
        return [block]
    lines = block.splitlines()
    units = lines if len(lines) > 1 else _SENTENCE.split(block)
    joiner = "\n" if len(lines) > 1 else " "
    parts: list[str] = []
    current = ""
    for unit in units:
        if len(unit) > MAX_CHUNK_CHARS:
            if current:
                parts.append(current)
                current = ""
            parts.extend(
                unit[i : i + MAX_CHUNK_CHARS] for i in range(0, len(unit), MAX_CHUNK_CHARS)
            )
            continue
        candidate = f"{current}{joiner}{unit}" if current else unit
        if len(candidate) > MAX_CHUNK_CHARS and current:
            parts.append(current)
            current = unit
        else:
            current = candidate
    if current:
        parts.append(current)
    return parts


def _pack(blocks: list[str]) -> list[str]:
    pieces = [piece for block in blocks for piece in _split_oversized(block)]
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        candidate = f"{current}\n\n{piece}" if current else piece
        if len(candidate) > MAX_CHUNK_CHARS and current:
            chunks.append(current)
            current = piece
        else:
            current = candidate
    if current:
        chunks.append(current)
    return chunks


def chunk_id(source_key: str, section: tuple[str, ...], text: str) -> str:
    """A stable id from the chunk's source, section path and text."""
    digest = hashlib.sha256("\x1f".join((source_key, *section, text)).encode()).hexdigest()
    return digest[:24]


def chunk_markdown(body: str, title: str, source_key: str) -> list[Chunk]:
    """Split a Markdown body into chunks that never cross a heading or break a list."""
    sections: list[tuple[tuple[str, ...], list[str]]] = []
    path: list[tuple[int, str]] = []
    lines: list[str] = []
    in_fence = False

    def close() -> None:
        names = tuple(name for _, name in path)
        sections.append((names or (title,), lines))

    for line in body.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
        match = None if in_fence else _HEADING.match(line)
        if match:
            close()
            lines = []
            level = len(match.group(1))
            path = [(lvl, name) for lvl, name in path if lvl < level]
            path.append((level, match.group(2).strip()))
        else:
            lines.append(line)
    close()

    chunks: list[Chunk] = []
    seen: set[str] = set()
    for section, section_lines in sections:
        for text in _pack(_blocks(section_lines)):
            cid = chunk_id(source_key, section, text)
            if cid in seen:
                continue
            seen.add(cid)
            chunks.append(Chunk(id=cid, section=section, text=text, position=len(chunks)))
    return chunks
