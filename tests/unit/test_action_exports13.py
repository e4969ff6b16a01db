"""Action items, round thirteen: notes exported from real tools, labelled before the reader.

``tests/data/actions_exports13.jsonl`` holds tab rows pasted from a spreadsheet (with and
without a header), Asana, Jira, Linear, ClickUp and monday.com CSV exports, a German semicolon
CSV, JSON and YAML task lists, org-mode TODOs, Obsidian Tasks, Todoist lines, a Microsoft To Do
list, a Trello checklist, Jira comments, an IRC log, a Confluence table and Apple Reminders,
with done and cancelled rows as negatives. Dev material, not blind.
"""

from __future__ import annotations

from agent.offline.records import column_roles, read_records
from tests.action_notes import item_tuples, note_f1s

FLOOR = 0.8  # 0.098 before the records reader, 0.837 after it


def _attendee(name: str) -> bool:
    return name.casefold() in {"ana souza", "ben walker", "ana", "ben", "ben.walker"}


def test_exported_notes_score_at_their_floor() -> None:
    f1s = note_f1s("actions_exports13.jsonl")
    assert len(f1s) == 19
    assert sum(f1s) / len(f1s) >= FLOOR, f1s


def test_tracker_column_names_map_by_meaning() -> None:
    names = ["Issue key", "Summary", "Assigned to", "Priority", "State", "Created", "Deadline"]
    columns = [
        ["OPS-1", "OPS-2"],
        ["Write the runbook for the cache", "Review the runbook"],
        ["Ben Walker", "Ana Souza"],
        ["High", "Low"],
        ["Open", "Closed"],
        ["2026-12-01", "2026-12-02"],
        ["2026-12-18", "2026-12-21"],
    ]
    assert column_roles(names, columns, _attendee) == {
        "task": 1,
        "owner": 2,
        "due": 6,
        "status": 4,
    }


def test_a_completion_date_column_marks_rows_done_not_due() -> None:
    names = ["Name", "Responsible", "Completed At", "Created At"]
    columns = [
        ["Draft the plan for Q1", "Book the room"],
        ["Ana", "Ben"],
        ["", "2026-12-09"],
        ["2026-12-01", "2026-12-01"],
    ]
    roles = column_roles(names, columns, _attendee)
    assert roles["done"] == 2 and "due" not in roles and roles["owner"] == 1


def test_foreign_headers_map_by_what_the_columns_hold() -> None:
    names = ["Aufgabe", "Verantwortlich", "Fällig am"]
    columns = [
        ["Prepare the talk outline", "Send feedback on it"],
        ["Ana", "Ben"],
        ["18.12.2026", ""],
    ]
    assert column_roles(names, columns, _attendee) == {"task": 0, "owner": 1, "due": 2}


def test_headerless_tab_rows_are_read_by_their_content() -> None:
    notes = (
        "Write the FAQ\tBen Walker\t2026-12-17\topen\nReview the FAQ\tAna Souza\t2026-12-21\tdone\n"
    )
    [(start, end, records)] = read_records(notes, _attendee)
    assert (start, end) == (0, len(notes) - 1)
    assert [r.fields for r in records] == [
        {"action": "Write the FAQ", "owner": "Ben Walker", "due": "2026-12-17", "status": "open"},
        {"action": "Review the FAQ", "owner": "Ana Souza", "due": "2026-12-21", "status": "done"},
    ]
    assert notes[records[0].start : records[0].end] == notes.splitlines()[0]


def test_a_prose_line_with_commas_is_no_export() -> None:
    notes = "Ben said, quietly, that he would, maybe, write it.\nAna, Ben, Tom, and Ola agreed.\n"
    assert read_records(notes, _attendee) == []


def test_a_json_export_gives_owners_dues_and_drops_completed_tasks() -> None:
    notes = (
        '[{"title": "Finish the course", "assignee": "ben.walker@acme.io", "due": "2026-12-21",'
        ' "completed": false},\n {"title": "Send the guide", "assignee": "ana@acme.io",'
        ' "due": "2026-12-15", "completed": true}]\n'
    )
    items = item_tuples(notes, ["Ana Souza", "Ben Walker"])
    assert [(o, a) for o, a, _ in items] == [("Ben Walker", "Finish the course")]


def test_an_org_todo_with_an_owner_property_and_a_deadline() -> None:
    notes = (
        "* TODO Rewrite the incident summary\n  DEADLINE: <2026-12-17 Thu>\n"
        "  :PROPERTIES:\n  :OWNER: Ben\n  :END:\n* DONE Read the guide\n"
    )
    items = item_tuples(notes, ["Ana Souza", "Ben Walker"])
    assert [(o, a, d.isoformat() if d else None) for o, a, d in items] == [
        ("Ben Walker", "Rewrite the incident summary", "2026-12-17")
    ]


def test_a_fixed_width_text_export_reads_by_its_header_columns() -> None:
    """Round fifteen: a tracker's plain-text export lines its columns up with spaces."""
    notes = (
        "Follow-ups (exported 2026-12-10)\n\n"
        "KEY      SUMMARY                              ASSIGNEE     DUE         STATUS\n"
        "OPS-12   Write the ADR for the event bus      Ben Walker   2026-12-17  To Do\n"
        "OPS-9    Pair on the flaky integration test   Ben Walker   2026-12-05  Done\n"
        "OPS-14   Book the architecture guild slot     Ana Souza                To Do\n"
        "\nThanks all.\n"
    )
    items = item_tuples(notes, ["Ana Souza", "Ben Walker"])
    assert [(o, a, d.isoformat() if d else None) for o, a, d in items] == [
        ("Ben Walker", "Write the ADR for the event bus", "2026-12-17"),
        ("Ana Souza", "Book the architecture guild slot", None),
    ]


def test_prose_with_double_spaces_is_no_fixed_width_table() -> None:
    notes = (
        "We talked about the launch.  Ben  was  tired.\n"
        "Ana will send the deck.  Ben will  review it.\n"
        "Next time  we  look at the roadmap.\n"
    )
    assert read_records(notes, _attendee) == []


def test_a_markdown_table_without_outer_pipes_is_a_table() -> None:
    notes = (
        "Task | Owner | Due\n"
        "---|---|---\n"
        "Write the ADR for the event bus | Ben Walker | 2026-12-17\n"
        "Book the architecture guild slot | Ana | -\n"
    )
    items = item_tuples(notes, ["Ana Souza", "Ben Walker"])
    assert [(o, a, d.isoformat() if d else None) for o, a, d in items] == [
        ("Ben Walker", "Write the ADR for the event bus", "2026-12-17"),
        ("Ana Souza", "Book the architecture guild slot", None),
    ]


def test_a_pasted_task_list_keeps_the_full_name_before_a_capitalised_verb() -> None:
    notes = (
        "Action items\n"
        " Ben Walker Draft the impact section of the promotion packet\n"
        " Ana Souza Ask the staff engineers for two more packet examples\n"
    )
    items = item_tuples(notes, ["Ana Souza", "Ben Walker"])
    assert [(o, a) for o, a, _ in items] == [
        ("Ben Walker", "Draft the impact section of the promotion packet"),
        ("Ana Souza", "Ask the staff engineers for two more packet examples"),
    ]


def test_a_discussion_table_records_talk_and_its_notes_name_their_own_owner() -> None:
    """Round fifteen: a "Time | Item | Who | Notes" table under a discussion heading."""
    notes = (
        "Discussion items\n"
        "Time | Item | Who | Notes\n"
        "10 min | Promotion packet | Ana | Examples shared; Ben to draft the impact section\n"
        "15 min | Past incidents | Ben | Reviewed the October outage together\n"
    )
    items = item_tuples(notes, ["Ana Souza", "Ben Walker"])
    assert [(o, a) for o, a, _ in items] == [("Ben Walker", "Draft the impact section")]
