"""Task records in what a tool exports: tables, CSV/TSV, JSON, YAML, org-mode, inline fields.

Fixed-width text tables (a tracker's plain-text export, columns lined up with spaces) are read
by the header's column starts.

One reader for every structured format: real parsers (``csv`` for comma, tab and semicolon
rows, Markdown and wiki pipes, ``json``, ``yaml.safe_load``, org headlines and checkbox lines
with inline fields) turn the notes into records of key/value pairs, and each key is mapped to a
role (task, owner, due, status, done) by *meaning*: the MiniLM similarity of its name to a few
role descriptions, plus what its values hold (names, dates, long text, a few repeated words).
So "Responsible", "Assigned to", "Assignee Email" or "Verantwortlich" (a column of names) need
no list. Each record keeps the span of its original text, so evidence stays a verbatim quote.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from itertools import pairwise
from typing import Any

__all__ = ["Record", "column_roles", "read_records"]

ROLES = {
    "task": "the task: what to do, action item, to-do, title, name of the task, summary",
    "owner": "the person responsible: owner, assignee, assigned to, who does it",
    "due": "the due date: deadline, when it is due, due by, target date",
    "status": "the status: state, whether it is done, completed, open or cancelled",
    "done": "when it was finished: completed at, completed on, closed at, resolved at",
    "other": "other details: id, key, created at, date created, last modified, updated at, "
    "start date, priority, tags, labels, notes, description, project, reporter, email, estimate",
}
# What a column's values say of its role (added to the name's similarity).
_KIND_ROLE = {"text": "task", "person": "owner", "date": "due", "short": "status"}
_BONUS = 0.5
_BAR = 0.45  # a role needs this much evidence (name and values together)
_NAMED = 0.25  # or a name this close to the role and to no other
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
# A tool's dates the due-date rules (dates.py) don't read: "18/Dec/26", "2026-12-01T10:00".
_DATE = re.compile(
    rf"\d{{4}}-\d\d-\d\d|\d{{1,2}}[/ -]{_MONTH}[/ -]\d{{2,4}}|\bnext\s+sprint\b", re.I
)
_EMPTY = {"", "-", "–", "—", "n/a", "none", "null"}
_FULL_NAME = re.compile(r"[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+){1,2}")


@dataclass(frozen=True)
class Record:
    """One task of an export: the span of its original text and its fields by role."""

    start: int
    end: int
    fields: dict[str, str]  # "action", and "owner" / "due" / "status" when the record has them


Block = tuple[int, int, list["Record"]]  # a structured part's span and its task records


@lru_cache(maxsize=1)
def _role_vectors() -> Any:
    from agent.offline.learned import embed

    return embed(list(ROLES.values()))


@lru_cache(maxsize=512)
def _name_similarity(name: str) -> tuple[float, ...]:
    from agent.offline.learned import embed

    return tuple(float(x) for x in (embed([name]) @ _role_vectors().T)[0])


def _owner_text(cell: str) -> str:
    """A person as a tool writes them, as a name: "omar.haddad@acme.io" is "omar.haddad"."""
    return re.sub(r"@[\w.-]+\.\w+$", "", cell.strip().strip("[]@ "))


def _is_date(cell: str) -> bool:
    """A tool's date ("18/Dec/26") or a due phrase the due-date rules read ("Wed", "next week")."""
    from agent.offline.dates import find_all_due

    day = date(2000, 1, 3)
    return bool(_DATE.search(cell) or find_all_due(f"by {cell}", day, day + timedelta(7)))


def _kind(values: list[str], person: Callable[[str], bool]) -> str:
    """What a column holds: dates, people, task text, short labels, or ids."""
    cells = [v.strip() for v in values if v.strip() not in _EMPTY]
    if not cells:
        return "empty"

    def share(test: Callable[[str], bool]) -> float:
        return sum(map(test, cells)) / len(cells)

    if share(_is_date) >= 0.6:
        return "date"
    # Names: mostly full names, at least one of them someone at the session ("To Do", "In
    # Progress" are capitalised too).
    if share(lambda c: person(_owner_text(c)) or bool(_FULL_NAME.fullmatch(c))) >= 0.6 and any(
        person(_owner_text(c)) for c in cells
    ):
        return "person"
    if share(lambda c: " " not in c and bool(re.search(r"\d", c))) >= 0.6:
        return "id"
    words = sum(len(c.split()) for c in cells) / len(cells)
    return "text" if words >= 3 else "short"


def column_roles(
    names: list[str] | None, columns: list[list[str]], person: Callable[[str], bool]
) -> dict[str, int]:
    """Which column is the task, owner, due date, status and completion date (by index).

    A column's score for a role is its name's similarity to the role description plus a bonus
    when its values are of the role's kind (weighted by how many are filled); the best pairs
    are taken first, one column per role, and a name closer to "other details" takes none.
    """
    roles = list(ROLES)
    scores: list[tuple[float, int, str]] = []
    for i, values in enumerate(columns):
        sims = _name_similarity(names[i]) if names and names[i].strip() else (0.0,) * len(roles)
        kind = _kind(values, person)
        fill = sum(1 for v in values if v.strip()) / max(len(values), 1)
        best = max(range(len(roles) - 1), key=lambda r: sims[r])
        for r, role in enumerate(roles[:-1]):
            # A few names or dates type a column; a few words do not say it is the task. A
            # column named for another role ("Who" holding "Both") gets no bonus for this one.
            weight = 1.0 if kind in {"date", "person"} else fill
            weight = 0.0 if sims[best] >= _NAMED and best != r else weight
            score = sims[r] + (_BONUS * weight if _KIND_ROLE.get(kind) == role else 0.0)
            if role == "done":  # a completion date (mostly empty): a date column named for it
                score += _BONUS if kind == "date" and sims[r] >= _BAR else 0.0
            if kind in {"date", "person"} and _KIND_ROLE[kind] != role and role != "done":
                score -= _BONUS  # names and dates are never the task or the status
            if names and sims[r] < sims[-1] - 0.05:
                continue  # "Created", "List Name": the name says it is some other detail
            named = sims[r] >= _NAMED and sims[r] == max(sims)  # "Who", "When": the name says
            scores.append((max(score, _BAR) if named else score, i, role))
    found: dict[str, int] = {}
    for score, i, role in sorted(scores, reverse=True):
        if score >= _BAR and role not in found and i not in found.values():
            found[role] = i
    return found


def _record(
    start: int, end: int, values: list[str], roles: dict[str, int], orders: dict[int, str]
) -> Record:
    fields = {"action": values[roles["task"]].strip()}
    if "owner" in roles and values[roles["owner"]].strip() not in _EMPTY:
        fields["owner"] = _owner_text(values[roles["owner"]])
    if "due" in roles and values[roles["due"]].strip() not in _EMPTY:
        fields["due"] = _iso(values[roles["due"]], orders.get(roles["due"]))
    status = values[roles["status"]].strip() if "status" in roles else ""
    status = {"true": "done", "false": "open"}.get(status.lower(), status)
    if "done" in roles and values[roles["done"]].strip().lower() not in {"", "false", "none"}:
        status = "done"
    if status:
        fields["status"] = status
    return Record(start, end, fields)


def _iso(cell: str, order: str | None) -> str:
    """A date cell as ISO (the column's day/month order decides "12/1/2026"); else as is."""
    if not re.search(r"\d{4}|\d[/.-]\w+[/.-]\d\d\b", cell) or not _is_date(cell):
        return cell.strip()  # a date without a year is left to the due-date rules
    import dateparser

    settings: Any = {"DATE_ORDER": order} if order else {}
    found = dateparser.parse(cell.strip(), languages=["en"], settings=settings)
    return found.date().isoformat() if found else cell.strip()


def _date_order(values: list[str]) -> str | None:
    for v in values:
        m = re.match(r"\s*(\d{1,2})[/.](\d{1,2})[/.]\d{2,4}", v)
        if m and int(m.group(1)) > 12:
            return "DMY"
        if m and int(m.group(2)) > 12:
            return "MDY"
    return "DMY" if any(re.match(r"\s*\d{1,2}\.\d{1,2}\.", v) for v in values) else None


def _records(
    names: list[str] | None,
    rows: list[tuple[int, int, list[str]]],
    person: Callable[[str], bool],
) -> list[Record]:
    if not rows:
        return []
    width = max(len(r[2]) for r in rows)
    grid = [r[2] + [""] * (width - len(r[2])) for r in rows]
    columns = [[row[i] for row in grid] for i in range(width)]
    roles = column_roles(names, columns, person)
    task_name = names[roles["task"]] if names and roles.get("task", width) < len(names) else ""
    named_task = bool(task_name) and _name_similarity(task_name)[0] >= 0.3
    if "task" not in roles or not ({"owner", "due", "status", "done"} & set(roles) or named_task):
        return []  # a table of text is a task list when a column says so
    orders = {i: o for i, col in enumerate(columns) if (o := _date_order(col))}
    return [_record(s, e, v, roles, orders) for (s, e, _), v in zip(rows, grid, strict=True)]


# -- delimited rows: CSV, TSV, semicolons, Markdown and wiki pipes ------------------------------


def _split(line: str) -> tuple[str, list[str]] | None:
    text = line.strip()
    if text.startswith("|") and text.endswith("|") and len(text) > 1:
        return "|", [c.strip() for c in re.split(r"\|\|?", text.strip("|"))]
    # Markdown without the outer pipes ("Task | Owner | Due", "---|---|---").
    if text.count(" | ") >= 2 or re.fullmatch(r":?-{3,}:?(?:[ \t]*\|[ \t]*:?-{3,}:?)+", text):
        return "|", [c.strip() for c in text.split("|")]
    for delimiter in ("\t", ";", ","):
        if delimiter in text:
            cells = next(csv.reader([text], delimiter=delimiter))
            if len(cells) >= (2 if delimiter == "\t" else 3):
                return delimiter, [c.strip() for c in cells]
    return None


def _lines(notes: str) -> Iterator[tuple[int, int, str]]:
    for m in re.finditer(r"^.*$", notes, re.M):
        yield m.start(), m.end(), m.group(0)


def _header(cells: list[str], person: Callable[[str], bool]) -> bool:
    return all(
        len(c.split()) <= 4 and not _is_date(c) and not person(_owner_text(c)) for c in cells
    ) and any(c.strip() for c in cells)


def _tables(notes: str, person: Callable[[str], bool]) -> list[Block]:
    blocks: list[list[tuple[int, int, list[str]]]] = []
    shape: tuple[str, int] | None = None
    for start, _end, line in _lines(notes):
        split = _split(line)
        key = (split[0], len(split[1])) if split else None
        if key is None or key != shape:
            blocks.append([])
        shape = key
        rule = split and all(re.fullmatch(r":?-{2,}:?", c) for c in split[1] if c)
        if split and not rule:
            lead = len(line) - len(line.lstrip())
            blocks[-1].append((start + lead, start + len(line.rstrip()), split[1]))
    out = []
    for rows in blocks:
        if len(rows) < 2:
            continue
        names = rows[0][2] if _header(rows[0][2], person) else None
        body = rows[1:] if names else rows
        first = notes[rows[0][0] : rows[0][1]]
        if names is None and "\t" not in first and "|" not in first:
            continue  # commas and semicolons run through prose: an export has a header
        found = _records(names, body, person)
        if found:
            out.append((rows[0][0], rows[-1][1], found))
    return out


# -- fixed-width text: columns lined up with spaces under a header -------------------------------


def _starts(header: str) -> list[int]:
    """Where each header cell starts, when the cells are set apart by two spaces or more."""
    cells = list(re.finditer(r"\S+(?: \S+)*", header))
    gaps = [b.start() - a.end() for a, b in pairwise(cells)]
    return [c.start() for c in cells] if len(cells) >= 3 and min(gaps) >= 2 else []


def _cut(line: str, starts: list[int]) -> list[str] | None:
    """The line's cells at those starts, or None when a word runs across a column's start."""
    if not starts or any(0 < at < len(line) and line[at - 1] != " " for at in starts[1:]):
        return None
    ends = [*starts[1:], len(line)]
    return [line[a:b].strip() for a, b in zip(starts, ends, strict=True)]


def _fixed_width(notes: str, person: Callable[[str], bool]) -> list[Block]:
    out: list[Block] = []
    lines = list(_lines(notes))
    at = 0
    while at < len(lines):
        start, _end, header = lines[at]
        starts = _starts(header)
        rows: list[tuple[int, int, list[str]]] = []
        for row_start, _row_end, line in lines[at + 1 :]:
            cells = _cut(line, starts) if line.strip() else None
            if cells is None or not cells[0]:
                break
            rows.append((row_start, row_start + len(line.rstrip()), cells))
        names = [c.strip() for c in _cut(header, starts) or []]
        if len(rows) >= 2 and _header(names, person):
            found = _records(names, rows, person)
            if found:
                out.append((start + len(header) - len(header.lstrip()), rows[-1][1], found))
                at += len(rows)
        at += 1
    return out


# -- JSON and YAML: lists of mappings ----------------------------------------------------------


def _mappings(data: Any) -> Iterator[list[dict[str, Any]]]:
    """Every list of two or more mappings (with two keys or more) anywhere in a document."""
    if isinstance(data, dict):
        for value in data.values():
            yield from _mappings(value)
    elif isinstance(data, list):
        maps = [d for d in data if isinstance(d, dict) and len(d) >= 2]
        if len(maps) >= 2 and len(maps) == len(data):
            yield maps
        for value in data:
            yield from _mappings(value)


def _documents(notes: str) -> Any:
    text = notes.strip()
    if text[:1] in "[{":
        try:
            return json.loads(text)
        except ValueError:
            return None
    if not re.search(r"^[ \t]*-[ \t]+[\w ]{1,30}:[ \t]", notes, re.M):
        return None
    import yaml

    try:
        return yaml.safe_load(notes)
    except (yaml.YAMLError, ValueError):  # most notes are no YAML document
        return None


def _structured(notes: str, person: Callable[[str], bool]) -> list[Block]:
    out = []
    for maps in _mappings(_documents(notes)):
        keys = list(dict.fromkeys(k for m in maps for k in m if isinstance(k, str)))
        rows, cursor = [], 0
        for m in maps:
            values = ["" if m.get(k) is None else str(m.get(k)) for k in keys]
            spans = []
            for v in (str(m[k]) for k in keys if k in m and m[k] is not None):
                at = notes.find(v if v not in {"True", "False"} else v.lower(), cursor)
                if at >= 0:
                    spans.append((at, at + len(v)))
                    cursor = at + len(v)
            if not spans:
                return []
            start = notes.rfind("\n", 0, spans[0][0]) + 1
            start += len(notes[start:]) - len(notes[start:].lstrip(" \t"))
            end = notes.find("\n", spans[-1][1])
            rows.append((start, len(notes) if end < 0 else end, values))
        found = _records(keys, rows, person)
        if found:
            json_doc = notes.strip()[:1] in "[{"
            out.append(
                (
                    0 if json_doc else found[0].start,
                    len(notes) if json_doc else found[-1].end,
                    found,
                )
            )
    return out


# -- org headlines and checkbox lines with inline fields ---------------------------------------

_ORG = re.compile(r"^\*+[ \t]+(?P<k>[A-Z]{3,})[ \t]+(?P<t>.+?)(?:[ \t]+:[\w:]+:)?[ \t]*$")
_ORG_FIELD = re.compile(r"(?:^|[ \t])(?P<k>[A-Z]+):[ \t]*[<\[](?P<v>[^>\]]+)[>\]]")
_ORG_PROPERTY = re.compile(r"^[ \t]*:(?P<k>[\w-]+):[ \t]+(?P<v>.+?)[ \t]*$")
_BOX = re.compile(r"^[ \t]*(?:[-*+][ \t]+)?(?:\[(?P<b>[ xX-])\]|(?P<g>[☐☑✅]))[ \t]+")
_INLINE = re.compile(
    r"(?:(?P<due>\U0001f4c5|\U0001f5d3\ufe0f?|\bdue:)[ \t]*(?P<d>\d{4}-\d\d-\d\d|\S+)"
    r"|(?P<end>[\u2705\u274c])[ \t]*\d{4}-\d\d-\d\d"
    r"|[\u23f3\U0001f6eb\u2795][ \t]*\d{4}-\d\d-\d\d"
    r"|\[\[(?P<link>[^\]]+)\]\]|(?<!\S)@(?P<at>[\w.-]+)|(?<!\S)(?:#[\w/-]+|p[1-4]|\+\w+))"
)


def _org(notes: str, person: Callable[[str], bool]) -> list[Block]:
    """Org-mode TODO headlines; their planning lines and properties are keys like a header's."""
    entries: list[tuple[int, int, str, str, dict[str, str]]] = []
    for start, end, line in _lines(notes):
        head = _ORG.match(line)
        if head:
            entries.append((start, end, head.group("t"), head.group("k"), {}))
        elif entries and not line.startswith("*") and line.strip():
            props = entries[-1][4]
            for m in _ORG_FIELD.finditer(line):
                props[m.group("k")] = m.group("v")
            prop = _ORG_PROPERTY.match(line)
            if prop:
                props[prop.group("k")] = prop.group("v")
            s, _, task, key, _p = entries[-1]
            entries[-1] = (s, end, task, key, props)
        elif line.startswith("*"):
            entries.append((start, end, "", "", {}))  # a plain headline ends the entry
    entries = [e for e in entries if e[2]]
    if not entries:
        return []
    keys = ["task", *dict.fromkeys(k for e in entries for k in e[4])]
    rows = [(s, e, [t, *(p.get(k, "") for k in keys[1:])]) for s, e, t, _k, p in entries]
    names = ["task", *keys[1:]]
    records = _records(names, rows, person) if len(keys) > 1 else []
    if not records:
        records = [Record(s, e, {"action": t}) for s, e, t, _k, _p in entries]
    tasks = [
        Record(r.start, r.end, {**r.fields, "status": key})
        for r, (_s, _e, _t, key, _p) in zip(records, entries, strict=True)
    ]
    return [(tasks[0].start, tasks[-1].end, tasks)]


def _inline(notes: str, person: Callable[[str], bool]) -> list[Block]:
    """Checkbox and list lines with inline fields (Obsidian Tasks, Todoist, Taskwarrior)."""
    out = []
    for start, _end, line in _lines(notes):
        if not re.search(r"\U0001f4c5|\U0001f5d3|\bdue:|\[\[", line):
            continue
        box = _BOX.match(line)
        at = box.end() if box else len(line) - len(line.lstrip(" \t-*+"))
        fields: dict[str, str] = {}
        if box and (box.group("b") or box.group("g")) not in " ☐":
            fields["status"] = "cancelled" if box.group("b") == "-" else "done"
        for m in _INLINE.finditer(line):
            if m.group("due"):
                fields["due"] = _iso(m.group("d"), None)
            elif m.group("end"):
                fields["status"] = "done" if m.group("end") == "\u2705" else "cancelled"
            elif (m.group("link") or m.group("at")) and "owner" not in fields:
                who = m.group("link") or m.group("at")
                if person(who) or _FULL_NAME.fullmatch(who):
                    fields["owner"] = who
        task = " ".join(_INLINE.sub(" ", line[at:]).split())
        if task and "owner" in fields:  # else the line is left to the sentence rules
            lead = len(line) - len(line.lstrip())
            span = (start + lead, start + len(line.rstrip()))
            out.append((*span, [Record(*span, {"action": task, **fields})]))
    return out


def read_records(notes: str, person: Callable[[str], bool]) -> list[Block]:
    """The structured parts of the notes (span and task records), in the order of the notes."""
    found: list[Block] = []
    for reader in (_structured, _org, _tables, _fixed_width, _inline):
        for block in reader(notes, person):
            if not any(block[0] < f[1] and f[0] < block[1] for f in found):
                found.append(block)
    return sorted(found, key=lambda b: b[0])


def readable_text(notes: str, person: Callable[[str], bool]) -> str:
    """The notes with each export replaced by its tasks (ids, emails and dates are no words)."""
    parts, at = [], 0
    for start, end, records in read_records(notes, person):
        parts += [notes[at:start], *(r.fields["action"] + "\n" for r in records)]
        at = end
    return "".join([*parts, notes[at:]])
