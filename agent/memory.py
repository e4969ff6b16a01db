"""Pair records, their action items and threads, kept in a LangGraph BaseStore."""

from __future__ import annotations

import hashlib
import re
import uuid
from calendar import monthrange
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from agent.errors import NotFoundError, UserInputError, user_input_error
from agent.text import (
    FOLD_LETTERS,
    ascii_words,
    clean_value,
    is_printable_name,
    names_person,
    short_name,
    strip_accents,
)

if TYPE_CHECKING:  # langgraph is heavy to import; commands that only read settings skip it
    from langgraph.store.base import BaseStore, PutOp

Cadence = Literal["weekly", "fortnightly", "monthly"]
_PAGE = 500


_SUFFIX = re.compile(r"(?i)(?:jr|sr|ii|iii|iv|phd|md|esq|mba|msc|bsc)\.?")


def _clean_name(value: str, what: str, limit: int = 80) -> str:
    name = " ".join(value.split())
    if not name:
        raise ValueError(f"{what} must not be empty")
    if "\r" in value or "\n" in value:
        raise ValueError(f"{what} must be on one line")
    if len(name) > limit or any(ch in value for ch in "<>"):
        raise ValueError(f"{what} must be a plain name of at most {limit} characters")
    if not is_printable_name(name):
        raise ValueError(f"{what} must not contain invisible or control characters")
    return name


def item_key(owner: str | None, action: str) -> tuple[str, str]:
    """What makes two items the same item word for word: owner and wording, case aside."""
    return ((owner or "").casefold(), action.casefold())


def _clean_action(value: str) -> str:
    action = " ".join(value.split())
    if not any(ch.isalnum() for ch in action):
        raise ValueError("action must not be empty")
    if len(action) > 300:
        raise ValueError(f"action must be at most 300 characters, got {len(action)}")
    return action[0].upper() + action[1:]


class PairInput(BaseModel):
    """What a user gives to create a mentoring pair."""

    mentor: str
    mentee: str
    mentor_email: str | None = None
    mentee_email: str | None = None
    # The names prose addresses them by ("Minh" for "Đặng Minh"); unset, text.short_name.
    mentor_short: str | None = None
    mentee_short: str | None = None
    goals: list[str] = Field(default_factory=list, max_length=20)  # as in an agenda context
    programme_weeks: int = Field(default=12, ge=1, le=104)
    start: date | None = None
    minutes: int = Field(default=60, ge=30, le=120)
    cadence: Cadence = "weekly"
    next_session: datetime | None = None

    @field_validator("mentor", "mentee")
    @classmethod
    def _names(cls, value: str, info: Any) -> str:
        name = _clean_name(value, str(info.field_name))
        family, comma, given = (part.strip() for part in name.partition(","))
        # A directory's "O'Connor, Siobhán" is said, greeted and matched as "Siobhán O'Connor";
        # "Ann Lee, PhD" keeps its suffix where it is.
        if comma and family and given and "," not in given and not _SUFFIX.fullmatch(given):
            return f"{given} {family}"
        return name

    @field_validator("mentor_short", "mentee_short")
    @classmethod
    def _short(cls, value: str | None, info: Any) -> str | None:
        if value is None:
            return None
        if not value.strip():
            return None  # "" clears it: back to the name's own rule
        length = len(" ".join(value.split()))
        if length > 40:
            raise ValueError(f"{info.field_name} must be at most 40 characters, got {length}")
        return _clean_name(value, str(info.field_name), limit=40)

    @property
    def people(self) -> tuple[tuple[str, str | None], tuple[str, str | None]]:
        """(full name, stored short name) of the mentor, then of the mentee."""
        return ((self.mentor, self.mentor_short), (self.mentee, self.mentee_short))

    def members_named(self, text: str) -> list[str]:
        """The full names of the pair's members ``text`` names ("tomek" -> Tomasz's), in order.

        By any name an item may use: full, stored short, given (:func:`names_person`).
        """
        return [name for name, short in self.people if names_person(text, name, short)]

    def called(self, role: Literal["mentor", "mentee"]) -> str:
        """How prose addresses the mentor or the mentee ("Hi Minh,")."""
        if role == "mentor":
            return short_name(self.mentor, self.mentor_short)
        return short_name(self.mentee, self.mentee_short)

    @field_validator("mentor_email", "mentee_email")
    @classmethod
    def _emails(cls, value: str | None, info: Any) -> str | None:
        if value is None:
            return None
        value = value.strip()
        if "@" not in value:
            raise ValueError(f"{info.field_name} {value!r} is not an email address")
        # The rule the prep emails are sent under, so an address stored is one that can be used.
        from agent.mail import UnsafeHeaderError, check_address

        try:
            check_address(str(info.field_name), value)
        except UnsafeHeaderError:
            hint = "" if value.isascii() else " (an international domain in its xn-- form)"
            raise ValueError(
                f"{info.field_name} {value!r} is not an email address the prep emails can "
                f"use: give a plain ASCII one like user@example.org{hint}"
            ) from None
        return value

    @field_validator("goals")
    @classmethod
    def _goals(cls, value: list[str]) -> list[str]:
        goals = [" ".join(g.split()) for g in value if g.strip()]
        if any(len(g) > 300 for g in goals):
            raise ValueError("each goal must be at most 300 characters")
        firsts = {g.casefold(): g for g in reversed(goals)}  # a goal given twice is kept once
        return list(dict.fromkeys(firsts[g.casefold()] for g in goals))

    @field_validator("cadence", mode="before")
    @classmethod
    def _cadence(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("next_session")
    @classmethod
    def _pinned(cls, value: datetime | None) -> datetime | None:
        # A time without a zone is the local time of whoever sets it, pinned there as an
        # offset: the same stored session is then one instant for a run from any zone (read
        # as local on each run, a run from Madrid sent a "New time" update for 08:30 UTC).
        return value.astimezone() if value is not None and value.tzinfo is None else value

    @model_validator(mode="after")
    def _distinct(self) -> PairInput:
        if self.mentor.casefold() == self.mentee.casefold():
            raise ValueError("the mentor and the mentee must be different people")
        return self


class Pair(PairInput):
    """A stored mentoring pair."""

    id: str
    created_at: datetime


ItemStatus = Literal["open", "done"]


class StoredItem(BaseModel):
    """An action item kept on a pair."""

    id: str
    owner: str | None
    action: str
    due: date | None = None
    evidence: str = ""
    status: ItemStatus = "open"
    session: int | None = None
    created_at: datetime
    done_at: datetime | None = None


class ForgetReport(BaseModel):
    """What ``forget`` removed."""

    id: str
    records: int
    items: int
    threads: int
    drafts: int = 0


def _slug(text: str) -> str:
    return "-".join(ascii_words(text))[:24].strip("-")


def pair_id_base(data: PairInput) -> str:
    """A new pair's id before any number is added: each person as prose addresses them.

    "Ana Silva" / "O'Brien-Ó Sé, Seán" -> "ana-sean" (the given name, in ASCII); "Carla Núñez"
    / "Đặng Minh" -> "carla-dang-minh" (a name kept whole is whole here too), or "carla-minh"
    with the mentee's short name "Minh" stored. A name with no Latin letters ("李 伟") gives
    its role instead: "mentor-sean". Only new pairs get ids this way; stored ids never change.
    """
    mentor = _slug(data.called("mentor")) or "mentor"
    mentee = _slug(data.called("mentee")) or "mentee"
    return f"{mentor}-{mentee}"


_NAME_INDEX_VERSION = 2


def _name_key(mentor: str, mentee: str) -> str:
    """The name index key: case- and accent-insensitive, and no raw names in a key.

    "Carla Nunez" typed on an English keyboard is the stored "Carla Núñez", not a new pair.
    """

    def fold(name: str) -> str:
        return strip_accents(" ".join(name.split()).casefold().translate(FOLD_LETTERS))

    joined = f"{fold(mentor)}\x1f{fold(mentee)}"
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:32]


class PairStore:
    """Pair records over any LangGraph BaseStore (SqliteStore here, PostgresStore at scale).

    Two small indexes keep every per-pair path free of full scans: ``pair_names`` maps a
    mentor/mentee name pair to its id (for the duplicate check), and ``pair_ids`` remembers
    the next free numeric suffix of each readable id base. Stores written before the indexes
    existed are indexed once, on first use.
    """

    PAIRS = ("pairs",)
    NAMES = ("pair_names",)
    IDS = ("pair_ids",)
    META = ("pair_index",)

    def __init__(self, store: BaseStore, checkpointer: Any = None) -> None:
        self.store = store
        self.checkpointer = checkpointer

    @staticmethod
    def _ns(pair_id: str, kind: str) -> tuple[str, ...]:
        return ("pair", pair_id, kind)

    def _all(self, namespace: tuple[str, ...]) -> list[Any]:
        items: list[Any] = []
        offset = 0
        while True:
            page = self.store.search(namespace, limit=_PAGE, offset=offset)
            items.extend(page)
            if len(page) < _PAGE:
                return items
            offset += _PAGE

    def _ensure_name_index(self) -> None:
        # Version 2 folds accents: an index of version 1 is rebuilt under the new keys (its
        # old entries are never matched again, and find() checks the record's names anyway).
        meta = self.store.get(self.META, "names")
        if meta is not None and meta.value.get("version") == _NAME_INDEX_VERSION:
            return
        for pair in self.all():
            self.store.put(self.NAMES, _name_key(pair.mentor, pair.mentee), {"pair_id": pair.id})
        self.store.put(self.META, "names", {"version": _NAME_INDEX_VERSION})

    def _namespaces(self, prefix: tuple[str, ...]) -> list[tuple[str, ...]]:
        found: list[tuple[str, ...]] = []
        while True:
            page = self.store.list_namespaces(prefix=prefix, limit=_PAGE, offset=len(found))
            found.extend(page)
            if len(page) < _PAGE:
                return found

    # -- pairs ---------------------------------------------------------------------
    def add(self, data: PairInput) -> Pair:
        """Store a new pair; its id is readable and unique."""
        self._ensure_name_index()
        base = pair_id_base(data)
        counter = self.store.get(self.IDS, base)
        number = int(counter.value["next"]) if counter is not None else 1
        # The counter makes this loop one step; it still guards ids taken before it existed.
        while True:
            pair_id = base if number == 1 else f"{base}-{number}"
            if self.store.get(self.PAIRS, pair_id) is None:
                break
            number += 1
        pair = Pair(
            **data.model_dump(),
            id=pair_id,
            created_at=datetime.now(UTC),
        )
        if pair.start is None:
            pair = pair.model_copy(update={"start": pair.created_at.date()})
        self.store.put(self.PAIRS, pair_id, pair.model_dump(mode="json"))
        self.store.put(self.NAMES, _name_key(pair.mentor, pair.mentee), {"pair_id": pair_id})
        self.store.put(self.IDS, base, {"next": number + 1})
        return pair

    def get(self, pair_id: str) -> Pair:
        """The pair, or NotFoundError."""
        item = self.store.get(self.PAIRS, pair_id)
        if item is None:
            raise NotFoundError(f"no pair with id {pair_id!r} (see `coach pair list`)")
        return Pair.model_validate(item.value)

    def update(self, pair: Pair) -> Pair:
        """Replace a stored pair's record.

        A corrected name is carried to the name index and to the items that person owns, in
        one batch, so no item is left under a name the pair no longer has.
        """
        from langgraph.store.base import PutOp

        old = self.get(pair.id)
        ops = [PutOp(self.PAIRS, pair.id, pair.model_dump(mode="json"))]
        if _name_key(old.mentor, old.mentee) != _name_key(pair.mentor, pair.mentee):
            other = self.find(pair.mentor, pair.mentee)
            if other is not None and other.id != pair.id:
                raise UserInputError(f"{pair.mentor} and {pair.mentee} are pair {other.id!r}")
            renamed = {old.mentor: pair.mentor, old.mentee: pair.mentee}
            ops += [
                PutOp(self.NAMES, _name_key(old.mentor, old.mentee), None),
                PutOp(self.NAMES, _name_key(pair.mentor, pair.mentee), {"pair_id": pair.id}),
                *(
                    PutOp(
                        self._ns(pair.id, "items"),
                        item.id,
                        item.model_copy(update={"owner": renamed[item.owner]}).model_dump(
                            mode="json"
                        ),
                    )
                    for item in self.items(pair.id)
                    if item.owner in renamed and renamed[item.owner] != item.owner
                ),
            ]
        self.store.batch(ops)
        return pair

    def all(self) -> list[Pair]:
        """Every stored pair, oldest first."""
        pairs = [Pair.model_validate(item.value) for item in self._all(self.PAIRS)]
        return sorted(pairs, key=lambda p: (p.created_at, p.id))

    def find(self, mentor: str, mentee: str) -> Pair | None:
        """The pair with these names (case-insensitive), if stored."""
        self._ensure_name_index()
        entry = self.store.get(self.NAMES, _name_key(mentor, mentee))
        if entry is None:
            return None
        found = self.store.get(self.PAIRS, str(entry.value.get("pair_id", "")))
        if found is None:
            return None
        pair = Pair.model_validate(found.value)
        if _name_key(pair.mentor, pair.mentee) != _name_key(mentor, mentee):
            return None  # a stale entry (the record was replaced by hand): not this pair
        return pair

    def forget(self, pair_id: str) -> ForgetReport:
        """Remove everything stored about the pair: record, items, sessions, threads."""
        pair = self.get(pair_id)
        threads = [item.key for item in self._all(self._ns(pair_id, "threads"))]
        if self.checkpointer is not None:
            for thread_id in threads:
                self.checkpointer.delete_thread(thread_id)
        removed_items = 0
        for namespace in self._namespaces(("pair", pair_id)):
            for item in self._all(namespace):
                self.store.delete(namespace, item.key)
                removed_items += namespace[-1] == "items"
        self.store.delete(self.NAMES, _name_key(pair.mentor, pair.mentee))
        self.store.delete(self.PAIRS, pair_id)
        return ForgetReport(id=pair_id, records=1, items=removed_items, threads=len(threads))

    # -- threads -------------------------------------------------------------------
    def register_thread(self, pair_id: str, thread_id: str, kind: str) -> None:
        """Remember that a conversation thread belongs to the pair (so forget can remove it)."""
        self.get(pair_id)
        self.store.put(
            self._ns(pair_id, "threads"),
            thread_id,
            {"kind": kind, "created_at": datetime.now(UTC).isoformat()},
        )

    def threads(self, pair_id: str) -> list[str]:
        """Thread ids registered to the pair."""
        return [item.key for item in self._all(self._ns(pair_id, "threads"))]

    # -- action items --------------------------------------------------------------
    def add_items(self, pair_id: str, items: Iterable[dict[str, Any]]) -> list[StoredItem]:
        """Store new open action items on the pair."""
        self.get(pair_id)
        stored: list[StoredItem] = []
        for item in items:
            record = StoredItem(
                id=uuid.uuid4().hex[:8], created_at=datetime.now(UTC), status="open", **item
            )
            self.store.put(self._ns(pair_id, "items"), record.id, record.model_dump(mode="json"))
            stored.append(record)
        return stored

    def new_item(
        self, pair_id: str, *, owner: str | None, action: str, due: date | None
    ) -> StoredItem:
        """Store one open item a user typed, checked as an edit is (a repeat is refused)."""
        try:
            owner = None if owner is None else _clean_name(owner, "owner")
            action = _clean_action(action)
        except ValueError as exc:
            raise UserInputError(str(exc)) from None
        same = item_key(owner, action)
        for open_item in self.items(pair_id, "open"):
            if item_key(open_item.owner, open_item.action) == same:
                raise UserInputError(
                    f"pair {pair_id!r} already has this open item ({open_item.id})"
                )
        return self.add_items(pair_id, [{"owner": owner, "action": action, "due": due}])[0]

    def put_item(self, pair_id: str, item_id: str, item: dict[str, Any]) -> StoredItem:
        """Store an open item under a caller-chosen id (idempotent: a replay rewrites it)."""
        self.get(pair_id)
        existing = self.store.get(self._ns(pair_id, "items"), item_id)
        if existing is not None:
            return StoredItem.model_validate(existing.value)
        record = StoredItem(id=item_id, created_at=datetime.now(UTC), status="open", **item)
        self.store.put(self._ns(pair_id, "items"), item_id, record.model_dump(mode="json"))
        return record

    def items(self, pair_id: str, status: ItemStatus | None = None) -> list[StoredItem]:
        """The pair's action items (optionally only open or done), oldest first."""
        self.get(pair_id)
        found = [StoredItem.model_validate(i.value) for i in self._all(self._ns(pair_id, "items"))]
        found = [i for i in found if status is None or i.status == status]
        return sorted(found, key=lambda i: (i.created_at, i.id))

    def _item(self, pair_id: str, item_id: str) -> StoredItem:
        """The item with this id, or with the only id that starts with it (4+ characters)."""
        self.get(pair_id)
        item_id = item_id.strip()
        current = self.store.get(self._ns(pair_id, "items"), item_id) if item_id else None
        if current is not None:
            return StoredItem.model_validate(current.value)
        matches = [i for i in self.items(pair_id) if len(item_id) >= 4 and i.id.startswith(item_id)]
        if len(matches) > 1:
            raise UserInputError(
                f"{item_id!r} starts {len(matches)} item ids of pair {pair_id!r}; give more of it"
            )
        if not matches:
            raise NotFoundError(f"pair {pair_id!r} has no action item {item_id!r}")
        return matches[0]

    def update_item(self, pair_id: str, item_id: str, changes: dict[str, Any]) -> StoredItem:
        """Change an item's owner, action or due date (a wrong extraction, a new plan)."""
        changes = clean_value(changes)
        try:
            if changes.get("owner") is not None:
                changes["owner"] = _clean_name(changes["owner"], "owner")
            if "action" in changes:
                changes["action"] = _clean_action(changes["action"])
        except ValueError as exc:
            raise UserInputError(str(exc)) from None
        item = self._item(pair_id, item_id).model_copy(update=changes)
        self.store.put(self._ns(pair_id, "items"), item.id, item.model_dump(mode="json"))
        return item

    def remove_item(self, pair_id: str, item_id: str) -> StoredItem:
        """Delete an item that should never have been one; returns what was removed."""
        item = self._item(pair_id, item_id)
        self.store.delete(self._ns(pair_id, "items"), item.id)
        return item

    def set_item_status(self, pair_id: str, item_id: str, status: ItemStatus) -> StoredItem:
        """Mark an item open or done."""
        stored = self._item(pair_id, item_id)
        if stored.status == status:  # done twice keeps the first done_at (progress reads it)
            return stored
        item = stored.model_copy(
            update={"status": status, "done_at": datetime.now(UTC) if status == "done" else None}
        )
        self.store.put(self._ns(pair_id, "items"), item.id, item.model_dump(mode="json"))
        return item


EDITABLE = (
    "mentor",
    "mentee",
    "mentor_email",
    "mentee_email",
    "mentor_short",
    "mentee_short",
    "goals",
    "programme_weeks",
    "start",
    "minutes",
    "cadence",
    "next_session",
)


def after_cadence(when: datetime, cadence: Cadence) -> datetime:
    """The session one cadence step after ``when`` (monthly keeps the day, clamped).

    Stepped on the local wall clock and pinned again, so a session at 17:00 stays at 17:00
    when summer time starts or ends in between (a fixed offset would move it by an hour).
    """
    wall = when.astimezone().replace(tzinfo=None) if when.tzinfo is not None else when
    if cadence == "weekly":
        step = wall + timedelta(days=7)
    elif cadence == "fortnightly":
        step = wall + timedelta(days=14)
    else:
        year, month = (wall.year + 1, 1) if wall.month == 12 else (wall.year, wall.month + 1)
        step = wall.replace(year=year, month=month, day=min(wall.day, monthrange(year, month)[1]))
    return step.astimezone() if when.tzinfo is not None else step


def edit_pair(pair: Pair, changes: dict[str, Any]) -> Pair:
    """The pair with ``changes`` applied, validated like a new pair (one-line errors).

    An empty email clears it. A corrected name keeps the pair's id (ids are handles).
    """
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise UserInputError(f"cannot change {unknown[0]!r}; editable: {', '.join(EDITABLE)}")
    if not changes:
        raise UserInputError("nothing to change: give at least one field to set")
    cleaned = dict(changes)
    for key in ("mentor_email", "mentee_email"):
        value = cleaned.get(key)
        if isinstance(value, str) and not value.strip():
            cleaned[key] = None
    values = pair.model_dump(include=set(PairInput.model_fields)) | cleaned
    checked = parse_pair_input(**values)
    return Pair(**checked.model_dump(), id=pair.id, created_at=pair.created_at)


def parse_pair_input(**values: Any) -> PairInput:
    """Validate user-given pair fields, turning the first problem into a one-line error."""
    from pydantic import ValidationError

    try:
        return PairInput(**clean_value(values))
    except ValidationError as exc:
        raise user_input_error(exc) from exc


class SessionRecord(BaseModel):
    """One session of a pair: its plan, and afterwards its notes and the items it produced."""

    number: int
    held_on: date | None = None
    agenda: dict[str, Any] | None = None
    # The mentee's prep the agenda was last drafted with; the prep emails use it too.
    prep: str | None = None
    notes: str | None = None
    item_ids: list[str] = Field(default_factory=list)
    progress: bool | None = None
    ratio: dict[str, Any] | None = None
    # When the notes were saved (None in records from before it was kept).
    saved_at: datetime | None = None


def _session_key(number: int) -> str:
    return f"{number:04d}"


def sessions_of(store: BaseStore, pair_id: str) -> list[SessionRecord]:
    """The pair's session records, in order."""
    records = PairStore(store)._all(PairStore._ns(pair_id, "sessions"))
    return sorted(
        (SessionRecord.model_validate(item.value) for item in records), key=lambda s: s.number
    )


def session_op(pair_id: str, record: SessionRecord) -> PutOp:
    """The store write that creates or replaces a session record (for batched writes)."""
    from langgraph.store.base import PutOp

    return PutOp(
        PairStore._ns(pair_id, "sessions"),
        _session_key(record.number),
        record.model_dump(mode="json"),
    )


def save_session(store: BaseStore, pair_id: str, record: SessionRecord) -> SessionRecord:
    """Create or replace a session record."""
    store.put(
        PairStore._ns(pair_id, "sessions"),
        _session_key(record.number),
        record.model_dump(mode="json"),
    )
    return record


def _drafts_ns(pair_id: str) -> tuple[str, ...]:
    return ("pair", pair_id, "drafts")


def draft_record_ops(pair_id: str, paths: Iterable[Path]) -> list[PutOp]:
    """The store writes recording where the pair's .eml drafts go (any folder), for ``forget``.

    Callers batch them with the pair's other writes: one transaction (and one fsync) per pair.
    """
    from langgraph.store.base import PutOp

    ops = []
    for path in paths:
        where = str(Path(path).resolve())
        key = hashlib.sha256(where.encode()).hexdigest()[:20]
        ops.append(PutOp(_drafts_ns(pair_id), key, {"path": where}))
    return ops


def forget_drafts(store: BaseStore, pair_id: str) -> int:
    """Delete the pair's recorded .eml drafts still on disk; how many were removed.

    Only regular ``.eml`` files are removed (never what a link points to), so a tampered
    record cannot make ``forget`` delete anything else.
    """
    removed = 0
    for item in PairStore(store)._all(_drafts_ns(pair_id)):
        path = Path(str(item.value.get("path", "")))
        if path.suffix == ".eml" and path.is_file() and not path.is_symlink():
            path.unlink(missing_ok=True)
            removed += 1
        store.delete(_drafts_ns(pair_id), item.key)
    return removed
