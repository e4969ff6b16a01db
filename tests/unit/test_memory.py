"""Pair records in a LangGraph store: validation, ids, items, forgetting everything."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.store.memory import InMemoryStore

from agent.errors import NotFoundError, UserInputError
from agent.memory import PairStore, parse_pair_input
from agent.stores import open_sqlite


@pytest.fixture(params=["memory", "sqlite"])
def pairs(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[PairStore]:
    """The same behaviour over the in-memory store and the default SQLite one."""
    if request.param == "memory":
        yield PairStore(InMemoryStore(), InMemorySaver())
        return
    saver, store, conn = open_sqlite(tmp_path / "coach.sqlite")
    yield PairStore(store, saver)
    conn.close()


def test_ids_fold_accents_and_stand_in_for_names_without_ascii_letters(pairs: PairStore) -> None:
    accented = pairs.add(parse_pair_input(mentor="José Ñúñez", mentee="Zoë O'Brien-Smith"))
    cyrillic = pairs.add(parse_pair_input(mentor="Анна Петрова", mentee="Ben Lee"))
    han = pairs.add(parse_pair_input(mentor="李雷", mentee="韩梅梅"))
    assert (accented.id, cyrillic.id, han.id) == ("jose-zoe", "mentor-ben", "mentor-mentee")


def test_ids_use_the_name_prose_uses_and_stored_ids_never_change(pairs: PairStore) -> None:
    # An id made by the earlier rule (first word of each name) stays as it was stored.
    old = pairs.add(parse_pair_input(mentor="Wu Fang", mentee="Kim Lee"))
    record = pairs.store.get(PairStore.PAIRS, old.id)
    assert record is not None
    pairs.store.delete(PairStore.PAIRS, old.id)
    pairs.store.put(PairStore.PAIRS, "pair-obrien-o", {**record.value, "id": "pair-obrien-o"})
    surname_first = pairs.add(parse_pair_input(mentor="李 伟", mentee="O'Brien-Ó Sé, Seán"))
    vietnamese = pairs.add(parse_pair_input(mentor="Carla Núñez", mentee="Đặng Minh"))
    preferred = pairs.add(
        parse_pair_input(mentor="Ana Silva", mentee="Nguyễn Thị Lan", mentee_short="Lan")
    )
    assert (surname_first.id, vietnamese.id, preferred.id) == (
        "mentor-sean",
        "carla-dang-minh",
        "ana-lan",
    )
    assert pairs.get("pair-obrien-o").mentor == "Wu Fang"
    assert next(p.id for p in pairs.all()) == "pair-obrien-o"


def test_a_directory_style_name_is_stored_as_it_is_said() -> None:
    flipped = parse_pair_input(mentor="O'Connor, Siobhán", mentee="Ann Lee, PhD")
    assert (flipped.mentor, flipped.mentee) == ("Siobhán O'Connor", "Ann Lee, PhD")
    assert flipped.called("mentor") == "Siobhán"


def test_goals_given_twice_are_kept_once_and_cadence_ignores_case(pairs: PairStore) -> None:
    pair = pairs.add(
        parse_pair_input(
            mentor="Ada",
            mentee="Grace",
            goals=["Lead a review", "lead a  review", "Ship the RFC"],
            cadence=" Monthly",
        )
    )
    assert pair.goals == ["Lead a review", "Ship the RFC"] and pair.cadence == "monthly"


def test_add_get_list_with_readable_unique_ids(pairs: PairStore) -> None:
    first = pairs.add(
        parse_pair_input(
            mentor="Ada Lovelace", mentee="Grace Hopper", goals=["Lead a design review", " "]
        )
    )
    second = pairs.add(parse_pair_input(mentor="Ada King", mentee="Grace Brewster"))
    assert first.id == "ada-grace" and second.id == "ada-grace-2"
    assert first.goals == ["Lead a design review"]
    assert first.start == first.created_at.date()
    assert pairs.get("ada-grace").mentee == "Grace Hopper"
    assert [p.id for p in pairs.all()] == ["ada-grace", "ada-grace-2"]
    assert pairs.find("ada lovelace", "GRACE HOPPER") == first


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"mentor": "", "mentee": "B"}, "mentor must not be empty"),
        ({"mentor": "A", "mentee": "A"}, "the mentor and the mentee must be different people"),
        ({"mentor": "A", "mentee": "B", "mentor_email": "not-an-email"}, "is not an email"),
        ({"mentor": "A", "mentee": "B", "mentee_email": "x@y.com\r\nBcc: z@q.com"}, "not an email"),
        # Stored, then refused by every `coach email` run: the rule is the sending rule now.
        ({"mentor": "A", "mentee": "B", "mentee_email": "kwämé@example.org"}, "plain ASCII"),
        ({"mentor": "A", "mentee": "B", "mentee_email": "k@exämple.org"}, "xn-- form"),
        ({"mentor": "A", "mentee": "B", "minutes": 20}, "minutes must be at least 30, got 20"),
        ({"mentor": "A", "mentee": "B", "programme_weeks": 0}, "programme_weeks"),
        ({"mentor": "A", "mentee": "B", "cadence": "daily"}, "cadence"),
        ({"mentor": "A\nB", "mentee": "C"}, "on one line"),
    ],
)
def test_bad_fields_are_one_line_user_errors(fields: dict[str, object], message: str) -> None:
    with pytest.raises(UserInputError, match=message) as info:
        parse_pair_input(**fields)
    assert "\n" not in str(info.value)


def test_items_open_and_done(pairs: PairStore) -> None:
    pair = pairs.add(parse_pair_input(mentor="Ana", mentee="Ben"))
    stored = pairs.add_items(
        pair.id,
        [
            {
                "owner": "Ben",
                "action": "Write the design doc",
                "due": date(2026, 12, 1),
                "evidence": "Ben will write the design doc",
            },
            {"owner": None, "action": "Book a room", "evidence": "someone books a room"},
        ],
    )
    assert [i.action for i in pairs.items(pair.id, "open")] == [
        "Write the design doc",
        "Book a room",
    ]
    pairs.set_item_status(pair.id, stored[0].id, "done")
    assert [i.action for i in pairs.items(pair.id, "open")] == ["Book a room"]
    with pytest.raises(NotFoundError):
        pairs.set_item_status(pair.id, "nope", "done")


def test_forget_removes_record_items_and_threads(pairs: PairStore) -> None:
    pair = pairs.add(
        parse_pair_input(mentor="Ana", mentee="Ben", next_session=datetime(2026, 12, 1, 9))
    )
    other = pairs.add(parse_pair_input(mentor="Cy", mentee="Di"))
    pairs.add_items(pair.id, [{"owner": "Ben", "action": "Read chapter 3"}])
    pairs.add_items(other.id, [{"owner": "Di", "action": "Ship the fix"}])
    saver = pairs.checkpointer
    config = {"configurable": {"thread_id": "chat-1", "checkpoint_ns": ""}}
    from langgraph.checkpoint.base import empty_checkpoint

    saver.put(config, empty_checkpoint(), {}, {})
    pairs.register_thread(pair.id, "chat-1", "chat")
    assert saver.get_tuple({"configurable": {"thread_id": "chat-1"}}) is not None

    report = pairs.forget(pair.id)
    assert (report.records, report.items, report.threads) == (1, 1, 1)
    with pytest.raises(NotFoundError):
        pairs.get(pair.id)
    assert saver.get_tuple({"configurable": {"thread_id": "chat-1"}}) is None
    assert pairs.store.search(("pair", pair.id), limit=100) == []
    assert [i.action for i in pairs.items(other.id)] == ["Ship the fix"]


class CountingStore(InMemoryStore):
    """An in-memory store that counts the operations each call makes."""

    def __init__(self) -> None:
        super().__init__()
        self.ops: Counter[str] = Counter()

    def batch(self, ops: Iterable[Any]) -> list[Any]:
        ops = list(ops)
        self.ops.update(type(op).__name__ for op in ops)
        return super().batch(ops)


def _add_like_the_api(pairs: PairStore, index: int) -> None:
    # Coach.add_pair: the duplicate check, then the add. Same first names on purpose: the
    # readable ids all share one base, the worst case for finding a free one.
    data = parse_pair_input(mentor=f"Ada {index}", mentee=f"Grace {index}")
    assert pairs.find(data.mentor, data.mentee) is None
    pairs.add(data)


def test_adding_a_pair_costs_the_same_at_300_pairs_as_at_10() -> None:
    store = CountingStore()
    pairs = PairStore(store)
    costs = []
    for index in range(300):
        store.ops.clear()
        _add_like_the_api(pairs, index)
        costs.append(dict(store.ops))
    assert costs[10] == costs[299]
    assert "SearchOp" not in costs[299]  # no scan of the pairs
    assert pairs.get("ada-grace-300").mentor == "Ada 299"


def test_pairs_stored_before_the_index_are_found_and_keep_their_ids() -> None:
    store = InMemoryStore()
    legacy = PairStore(store)
    for index, pair_id in enumerate(["ada-grace", "ada-grace-2"]):
        record = parse_pair_input(mentor=f"Ada {index}", mentee=f"Grace {index}")
        store.put(
            PairStore.PAIRS,
            pair_id,
            record.model_dump(mode="json") | {"id": pair_id, "created_at": "2026-01-05T09:00:00"},
        )
    found = legacy.find("ada 1", "GRACE  1")
    assert found is not None and found.id == "ada-grace-2"
    added = legacy.add(parse_pair_input(mentor="Ada New", mentee="Grace New"))
    assert added.id == "ada-grace-3"


def test_forgetting_a_pair_frees_its_names_but_not_its_id() -> None:
    pairs = PairStore(InMemoryStore(), InMemorySaver())
    first = pairs.add(parse_pair_input(mentor="Ada L", mentee="Grace H"))
    pairs.forget(first.id)
    assert pairs.find("Ada L", "Grace H") is None
    again = pairs.add(parse_pair_input(mentor="Ada L", mentee="Grace H"))
    # A new pair never inherits an old id that a stale draft or log line may still name.
    assert again.id == "ada-grace-2"
    assert pairs.find("ada l", "grace h") == again


def test_an_item_is_found_by_the_start_of_its_id(pairs: PairStore) -> None:
    pair = pairs.add(parse_pair_input(mentor="Ada L", mentee="Grace H"))
    first, second = pairs.add_items(
        pair.id, [{"owner": "Grace H", "action": "Draft the RFC"}, {"owner": None, "action": "X"}]
    )
    done = pairs.set_item_status(pair.id, first.id[:4], "done")
    assert done.id == first.id and pairs.items(pair.id, "done") == [done]
    assert pairs.remove_item(pair.id, second.id[:5]).id == second.id
    with pytest.raises(NotFoundError):
        pairs.set_item_status(pair.id, first.id[:3], "open")  # too short to be an id
    clash = [pairs.put_item(pair.id, f"abcd{n}000", {"owner": None, "action": "Y"}) for n in (1, 2)]
    with pytest.raises(UserInputError, match="starts 2 item ids"):
        pairs.remove_item(pair.id, "abcd")
    assert len(pairs.items(pair.id)) == 1 + len(clash)  # nothing removed by the refused call


def test_names_typed_without_accents_find_the_stored_pair(pairs: PairStore) -> None:
    pair = pairs.add(parse_pair_input(mentor="Carla Núñez", mentee="Đặng Minh"))
    # Typed on an English keyboard: a second pair for the same people was created.
    assert pairs.find("carla nunez", "Dang Minh") == pair
    assert pairs.find("Carla Nunez", "Dang Minha") is None
    # A store indexed before accents were folded (version 1) is re-indexed on first use.
    pairs.store.put(PairStore.META, "names", {"version": 1})
    for entry in pairs.store.search(PairStore.NAMES, limit=100):
        pairs.store.delete(PairStore.NAMES, entry.key)
    assert pairs.find("Carla Nunez", "Dang Minh") == pair


def test_a_line_break_in_a_name_is_named_as_such() -> None:
    # It was reported as "must be a plain name of at most 80 characters" for 17 characters.
    with pytest.raises(ValueError, match="mentor must be on one line"):
        parse_pair_input(mentor="X\nInjected: yes", mentee="Zoe Park")
