"""Prep sentences are read by a small learned model (training/prep_sentences.jsonl)."""

from __future__ import annotations

from agent.offline.agenda import main_topic


def test_the_challenge_is_the_topic_and_an_apology_is_never_quoted() -> None:
    topic, others = main_topic(
        "Apologies for missing last week. The launch went fine in the end. Not sure how to "
        "handle the on-call handover next week though.",
        ["Lead a design review"],
    )
    assert topic == "Not sure how to handle the on-call handover next week though."
    assert others == ["The launch went fine in the end."]


def test_a_question_after_a_mistake_is_a_challenge_not_self_blame() -> None:
    topic, _ = main_topic(
        "My bad, I didn't finish the course. Also, how do I tell my lead the estimate was too "
        "optimistic?"
    )
    assert topic == "How do I tell my lead the estimate was too optimistic?"


def test_a_challenge_worded_as_criticism_sets_its_topic_not_the_small_talk() -> None:
    from datetime import date

    from agent.agenda import AgendaContext
    from agent.offline.agenda import draft_agenda_offline

    prep = (
        "I got the on-call rota for December. My lead says my code reviews are sloppy and too "
        "slow, how do I get better at them?"
    )
    topic, others = main_topic(prep)
    assert topic is None and others == ["I got the on-call rota for December."]
    ctx = AgendaContext(
        mentor="Ana Silva",
        mentee="Ben Okafor",
        session_number=4,
        session_date=date(2026, 11, 25),
        prep=prep,
    )
    deep_dive = next(b for b in draft_agenda_offline(ctx, []).blocks if b.name == "Deep dive")
    lead = deep_dive.items[0]
    assert lead.startswith("Topic, from Ben's prep: a challenge with code reviews (not quoted")
    assert "sloppy" not in lead and "rota" not in lead


def test_a_quotable_challenge_still_wins_over_a_judged_one() -> None:
    topic, _ = main_topic(
        "People say I'm too slow. How do I get faster at reviewing pull requests?"
    )
    assert topic == "How do I get faster at reviewing pull requests?"


def test_one_goal_is_asked_about_by_name_not_as_a_choice() -> None:
    from datetime import date

    from agent.agenda import AgendaContext
    from agent.offline.agenda import draft_agenda_offline

    def lines(goals: list[str]) -> list[str]:
        ctx = AgendaContext(
            mentor="Ana Silva",
            mentee="Ben Okafor",
            session_number=4,
            session_date=date(2026, 11, 25),
            goals=goals,
            prep="How do I prepare for the staff engineer interview loop?",
        )
        agenda = draft_agenda_offline(ctx, [])
        return next(b for b in agenda.blocks if b.name == "Deep dive").items

    assert "Link it to the goal: does it move “Ship the RFC”, or is it new?" in lines(
        ["Ship the RFC"]
    )
    assert "Link it to a goal: which of “Ship the RFC”, “Mentor a junior” does it move?" in lines(
        ["Ship the RFC", "Mentor a junior"]
    )


def test_a_prep_saying_it_has_no_topic_does_not_set_the_topic() -> None:
    from agent.offline.agenda import main_topic

    prep = (
        "honestly i dont know what to talk about. my manager say i am not visible enough in "
        "meetings and i dont know how to fix it"
    )
    topic, _ = main_topic(prep)
    # The topic was "Honestly i dont know what to talk about." and the concern was left out.
    assert topic is not None and "visible enough in meetings" in topic
    assert main_topic("Not sure what to bring this week. Happy to go wherever it goes.")[0] is None


def test_a_prep_that_states_a_problem_without_a_question_is_quoted_not_called_missing() -> None:
    from datetime import date

    from agent.agenda import AgendaContext
    from agent.offline.agenda import draft_agenda_offline

    def deep_dive(prep: str) -> tuple[str, list[str]]:
        ctx = AgendaContext(
            mentor="Carla Nunez",
            mentee="Minh Dang",
            session_number=4,
            session_date=date(2026, 11, 25),
            prep=prep,
            goals=["Write clearer pull requests"],
        )
        agenda = draft_agenda_offline(ctx, [])
        return next(b for b in agenda.blocks if b.name == "Deep dive").items[0], agenda.notes

    # The agenda said "No prep shared yet" to the mentor of a mentee who had written one.
    lead, notes = deep_dive("we work from lagos and lima so the time zone is hard")
    assert lead.startswith("From Minh's prep: “We work from lagos and lima so the time zone")
    assert "hard”. Start by picking one concrete challenge on “Write clearer" in lead
    assert not any("No prep" in n for n in notes)
    lead, notes = deep_dive("   ")
    assert lead.startswith("No prep shared yet") and any("No prep from Minh" in n for n in notes)


def _blocks(**fields: object) -> dict[str, list[str]]:
    from datetime import date

    from agent.agenda import AgendaContext
    from agent.offline.agenda import draft_agenda_offline

    base: dict[str, object] = {
        "mentor": "Dana Whitlock",
        "mentee": "Tomasz Nowak",
        "session_date": date(2026, 12, 8),
        "goals": [
            "Lead the on-call handover review",
            "Write design docs in English with confidence",
        ],
    }
    agenda = draft_agenda_offline(AgendaContext.model_validate(base | fields), [])
    return {b.name: b.items for b in agenda.blocks} | {"notes": agenda.notes}


def test_a_first_session_quotes_the_informal_challenge_and_the_second_concern() -> None:
    # Only "My english in docs is slow" was quoted; the handover question was dropped.
    blocks = _blocks(
        session_number=1,
        prep="i try write the handover doc but not sure what is important for on-call people. "
        "also my english in docs is slow",
    )
    quoted = [i for i in blocks["Getting Real exchange"] if "prep:" in i]
    assert quoted == [
        "From Tomasz's prep: “I try write the handover doc but not sure what is important for "
        "on-call people.”",
        "Also from Tomasz's prep: “My english in docs is slow”",
    ]


def test_a_labelled_request_for_help_is_the_topic_not_an_update() -> None:
    blocks = _blocks(
        session_number=3,
        open_items=[
            {"owner": "Dana Whitlock", "action": "Ask Marek whether the alert list is current"}
        ],
        prep="old version prep: need help with alert section",
    )
    assert blocks["Deep dive"][0] == "Topic, from Tomasz's prep: “Need help with alert section”"
    assert not any("Update from" in i for i in blocks["Progress review"])
    assert not any("no quotable challenge" in n for n in blocks["notes"])


def test_a_goal_found_only_in_the_notes_is_asked_about_not_asserted() -> None:
    blocks = _blocks(
        session_number=2,
        prep="Draft is done 80%. I dont know how much detail for alerts section.",
        recent_notes=["Tomasz is nervous about writing in English but the draft is solid."],
    )
    deep = blocks["Deep dive"]
    assert deep[0] == "Topic, from Tomasz's prep: “I dont know how much detail for alerts section.”"
    assert not any(i.startswith("Why it matters") for i in deep)
    assert deep[1].startswith("Link it to a goal: which of “Lead the on-call handover review”")
    # A topic that names its goal's words is still tied to it.
    named = _blocks(session_number=2, prep="How do I run the handover review with SRE?")
    assert (
        "Why it matters: it moves the goal “Lead the on-call handover review”."
        in named["Deep dive"]
    )
