"""Reading guide files (Markdown, plain text, HTML) into normalised Markdown documents."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ftfy
import yaml

from agent.text import clean_text

# About 2,500 passages: some 6 minutes of embedding at the measured rate (see
# knowledge.progress.MEASURED_RATE). A 4.9 MB file under the old 5 MB limit took over half an
# hour with nothing to show for it.
MAX_FILE_BYTES = 2 * 1024 * 1024
MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdx"}
HTML_SUFFIXES = {".html", ".htm"}
TEXT_SUFFIXES = {".txt", ".text", ""}
SUPPORTED_SUFFIXES = MARKDOWN_SUFFIXES | HTML_SUFFIXES | TEXT_SUFFIXES
VALID_STAGES = {"first-session", "regular", "stale-patch", "stalled", "graduation", "any"}


class SkipFile(Exception):
    """A file that cannot be ingested; the message is the one-line reason."""


@dataclass(frozen=True)
class Document:
    """One source file, normalised to Markdown with its metadata."""

    source_key: str
    source: str
    doc_id: str
    title: str
    body: str
    topics: tuple[str, ...] = ()
    stage: tuple[str, ...] = ("any",)
    fingerprint: str = ""
    url: str = ""  # the source article's web address, when the front matter gives one
    extra: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()  # ingested anyway, but the user should fix these


def text_fingerprint(text: str) -> str:
    """A file's fingerprint as the index stores it: its text changed when this changed."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def read_text(path: Path) -> str:
    """The file's text, repaired of mojibake, or SkipFile with the reason it cannot be read."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SkipFile(f"cannot read: {exc.strerror or exc}") from exc
    if size > MAX_FILE_BYTES:
        raise SkipFile(
            f"too large: {size / 1_048_576:.1f} MB (limit {MAX_FILE_BYTES // 1_048_576} MB, "
            "about 6 minutes of indexing): split it into smaller files"
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SkipFile(f"cannot read: {exc.strerror or exc}") from exc
    # UTF-8 only, as documented: any byte pair decodes as UTF-16, so binary bytes behind a
    # UTF-16 byte-order mark were ingested as a guide of CJK-looking garbage.
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SkipFile(
            "not UTF-8 text (it starts with a UTF-16 byte-order mark); re-save it as UTF-8"
        )
    if b"\x00" in raw[:8192]:
        raise SkipFile("binary file, not text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SkipFile(
            f"not UTF-8 text (undecodable byte at offset {exc.start}); re-save it as UTF-8"
        ) from exc
    # ftfy undoes UTF-8 read as MacRoman/cp1252 ("‚Äò" -> "‘"); keep curly quotes as they are.
    fixed = str(ftfy.fix_text(text, uncurl_quotes=False, normalization="NFC"))
    # The same boundary normalisation as every other input (NFKC, invisible characters out).
    text = clean_text(fixed)
    if not text.strip():
        raise SkipFile("empty file")
    return text


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)
_ADMONITION = re.compile(r"^:::[ \t]*(\w+)[ \t]*(.*?)\n(.*?)^:::[ \t]*$", re.DOTALL | re.MULTILINE)
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_MDX_LINE = re.compile(r"^(import|export)\s.*$", re.MULTILINE)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_BULLET = re.compile(r"^\s*[•▪◦‣∙·]\s+", re.MULTILINE)


# PyYAML's context for a construct left open, as the thing the user has to close.
_UNCLOSED = {
    "while parsing a flow sequence": "a '[' that is not closed with ']'",
    "while parsing a flow mapping": "a '{' that is not closed with '}'",
    "while scanning a quoted scalar": "a quote that is not closed",
}
_QUOTE_HINT = 'put a value with [ ] { } : or # in it in quotes (title: "...")'


def _yaml_problem(exc: yaml.YAMLError) -> str:
    """``" on line N: what is wrong; what to do"`` for a YAML error, lines counted in the file."""
    context = str(getattr(exc, "context", "") or "")
    unclosed = _UNCLOSED.get(context)
    mark = getattr(exc, "context_mark" if unclosed else "problem_mark", None)
    where = f" on line {mark.line + 2}" if mark is not None else ""  # +1: the opening ---
    if unclosed:
        hint = "close it" if "quote" in unclosed else f"close it, or {_QUOTE_HINT}"
        return f"{where}: {unclosed}; {hint}"
    problem = str(getattr(exc, "problem", "") or str(exc).splitlines()[0])
    if problem.startswith("mapping values are not allowed"):
        problem = "a second ': ' in one line"
    return f"{where}: {problem}; {_QUOTE_HINT}"


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """YAML front matter (or {}) and the rest of the text."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        raise SkipFile(f"invalid YAML front matter{_yaml_problem(exc)}") from exc
    if not isinstance(meta, dict):
        raise SkipFile("front matter is not a mapping of keys to values")
    return meta, text[match.end() :]


def duplicate_keys(text: str) -> list[str]:
    """Warnings for front-matter keys given twice: YAML silently keeps the last one."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return []
    try:
        node = yaml.compose(match.group(1), Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return []  # split_front_matter has refused the file already
    if not isinstance(node, yaml.MappingNode):
        return []
    lines: dict[str, list[int]] = {}
    for key, _ in node.value:
        if isinstance(key, yaml.ScalarNode):
            lines.setdefault(str(key.value), []).append(key.start_mark.line + 2)
    return [
        f"front matter gives {key!r} twice (lines {', '.join(map(str, at))}): "
        f"the last one is used"
        for key, at in lines.items()
        if len(at) > 1
    ]


def clean_markdown(body: str) -> str:
    """Markdown with links reduced to their text and Docusaurus admonitions made plain."""

    def admonition(match: re.Match[str]) -> str:
        kind, label, inner = match.group(1), match.group(2).strip(), match.group(3).strip()
        lead = label or kind.capitalize()
        return f"{lead}: {inner}\n"

    body = _HTML_COMMENT.sub("", body)
    body = _MDX_LINE.sub("", body)
    body = _ADMONITION.sub(admonition, body)
    body = _IMAGE.sub("", body)
    body = _LINK.sub(r"\1", body)
    body = _EMPHASIS.sub(r"\2", body)
    body = _BULLET.sub("- ", body)
    return re.sub(r"\n{3,}", "\n\n", body).strip() + "\n"


_SENTENCE_END = (".", ",", ";", "!", "?", ":", '"', "”", ")")


def _looks_like_heading(line: str, next_line: str | None) -> bool:
    stripped = line.strip()
    if not stripped or next_line is None or stripped.startswith(("-", "*", "•")):
        return False
    if re.match(r"^\d+[.)]\s", stripped) or stripped.endswith(_SENTENCE_END):
        return False
    words = stripped.split()
    return len(words) <= 12 and len(stripped) <= 90 and len(next_line.strip()) > 0


_PLACEHOLDER_LINES = {"image", "photo", "figure", "picture"}


def _looks_like_title(line: str) -> bool:
    stripped = line.strip()
    words = stripped.split()
    return (
        3 <= len(words) <= 25
        and not re.search(r"[.!?]\s", stripped)
        and not stripped.endswith((".", "!", "?", ","))
    )


def looks_like_markdown(text: str) -> bool:
    """Whether a .txt file is really Markdown (front matter or ATX headings)."""
    return bool(_FRONT_MATTER.match(text) or re.search(r"^#{1,6}\s+\S", text, re.MULTILINE))


def text_to_markdown(text: str) -> tuple[str, str]:
    """Plain text to (title, Markdown): short unpunctuated lines before text become headings."""
    lines = [line.rstrip() for line in text.splitlines()]
    non_empty = [i for i, line in enumerate(lines) if line.strip()]
    if not non_empty:
        return "", ""
    title_at = next((i for i in non_empty if _looks_like_title(lines[i])), non_empty[0])
    title = lines[title_at].strip()
    out: list[str] = []
    for pos, index in enumerate(non_empty):
        line = lines[index]
        if index == title_at or line.strip().lower() in _PLACEHOLDER_LINES:
            continue
        following = lines[non_empty[pos + 1]] if pos + 1 < len(non_empty) else None
        if _looks_like_heading(line, following):
            out.extend(["", f"## {line.strip()}", ""])
        else:
            out.extend([line.strip() if not line.lstrip().startswith(("•", "-")) else line, ""])
    return title, clean_markdown("\n".join(out))


def html_to_markdown(html: str) -> tuple[str, str]:
    """An HTML page to (title, Markdown): headings, paragraphs and lists; chrome dropped."""
    from bs4 import BeautifulSoup
    from bs4.element import Tag

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "nav", "footer", "header", "aside", "form", "noscript"]):
        tag.decompose()
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    root = soup.find("main") or soup.find("article") or soup.body or soup
    lines: list[str] = []
    if isinstance(root, Tag):
        for element in root.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "pre"]):
            if not isinstance(element, Tag):
                continue
            text = " ".join(element.get_text(" ", strip=True).split())
            if not text:
                continue
            name = element.name
            if name[0] == "h" and name[1:].isdigit():
                if name == "h1" and not title:
                    title = text
                lines.extend(["", "#" * int(name[1]) + " " + text, ""])
            elif name == "li":
                if element.find(["p", "li"]):
                    continue
                lines.append(f"- {text}")
            elif name == "p" and element.find_parent("li") is None:
                lines.extend(["", text, ""])
            elif name == "pre":
                lines.extend(["", "```", element.get_text(), "```", ""])
    return title, clean_markdown("\n".join(lines))


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(",") if v.strip())
    if isinstance(value, list | tuple):
        return tuple(str(v).strip() for v in value if str(v).strip())
    return (str(value),)


def _url_of(meta: dict[str, Any]) -> str:
    """The article URL: ``source_url``, else ``source.url``, else a ``source`` that is a URL."""
    source = meta.get("source")
    candidates = [meta.get("source_url"), source.get("url") if isinstance(source, dict) else source]
    for value in candidates:
        if isinstance(value, str) and re.match(r"https?://\S+$", value.strip()):
            return value.strip()
    return ""


def _source_of(meta: dict[str, Any], fallback: str) -> str:
    """What a passage cites: the URL, a ``source.title``, else the file (never "internal")."""
    source = meta.get("source")
    url = _url_of(meta)
    if isinstance(source, dict):
        return str(url or source.get("title") or fallback)
    return url or fallback


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "document"


def load_document(path: Path, source_key: str) -> Document:
    """Read and normalise one file; SkipFile says why it cannot be ingested."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise SkipFile(f"unsupported file type {suffix!r} (use .md, .txt or .html)")
    text = read_text(path)
    meta: dict[str, Any] = {}
    warnings: list[str] = []
    if suffix in MARKDOWN_SUFFIXES or (suffix in TEXT_SUFFIXES and looks_like_markdown(text)):
        meta, body = split_front_matter(text)
        warnings = duplicate_keys(text)
        body = clean_markdown(body)
        heading = re.search(r"^#\s+(.+)$", body, re.MULTILINE)
        title = str(meta.get("title") or (heading.group(1).strip() if heading else "") or "")
        title = title or str(meta.get("description") or path.stem)
    elif suffix in HTML_SUFFIXES:
        title, body = html_to_markdown(text)
        title = title or path.stem
    else:
        title, body = text_to_markdown(text)
        if not title.strip():
            title = path.stem
    if not body.strip():
        raise SkipFile("no text left after removing markup")
    stage = _as_tuple(meta.get("stage")) or ("any",)
    bad = [s for s in stage if s not in VALID_STAGES]
    if bad:
        raise SkipFile(f"unknown stage {bad[0]!r} in front matter")
    return Document(
        source_key=source_key,
        source=_source_of(meta, str(path)),
        doc_id=str(meta.get("id") or _slug(path.stem)),
        title=" ".join(title.split()),
        body=body,
        topics=tuple(t.lower() for t in _as_tuple(meta.get("topics") or meta.get("tags"))),
        stage=stage,
        fingerprint=text_fingerprint(text),
        url=_url_of(meta),
        warnings=tuple(warnings),
    )
