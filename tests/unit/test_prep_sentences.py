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
