"""The offline engine says plainly that it is English-only, in languages its word lists lack too."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.offline.language import is_english, is_probably_english


@pytest.mark.parametrize(
    "text",
    [
        "Proč jsi zase nedokončil ten úkol?",
        "Miksi et taas tehnyt sitä?",
        "Kwa nini hukumaliza kazi tena?",
        "Dlaczego znowu nie skończyłeś zadania?",
        "Neden yine görevi bitirmedin?",
        "Mengapa kamu tidak menyelesaikan tugas itu lagi?",
        "Zašto opet nisi završio zadatak?",
        "Hvorfor fullførte du ikke oppgaven igjen?",
    ],
)
def test_languages_outside_the_word_lists_are_not_english(text: str) -> None:
    assert not is_english(text)


@pytest.mark.parametrize(
    "text",
    [
        "so u skipped the mock interview agian?? whats even the point",
        "r u srsly gonna ship w/o tests lol",
        "What did you learn from the postmortem with Dmitri and Oluwaseun?",
        "Why u no write unit test for this func?",
        "fyi standup moved to 10 tmrw",
        "Pick up the pace.",
    ],
)
def test_informal_english_and_foreign_names_stay_english(text: str) -> None:
    assert is_english(text)


TERSE_MINUTES = """Mentoring 26/10 – IH / OA
- Intro, expectations. 45 min fortnightly, Mondays.
- Seun: 4 yrs QA automation, wants platform eng. Gap: k8s, terraform.
- AI Seun: CKAD study plan -> 2 Nov
- AI Seun: shadow platform on-call rota, talk to Lars
- AI IH: share internal platform onboarding doc
- Next: 9/11
"""


def test_terse_minutes_with_few_function_words_are_english() -> None:
    # A new user's minutes were refused as "not in English" (and their three items lost):
    # 43 words, two of them English function words, none of another language.
    assert is_probably_english(TERSE_MINUTES)


@pytest.mark.parametrize(
    "notes",
    [
        "Riunione del 3 ottobre. Marco: preparare la demo entro venerdì. Giulia manderà il "
        "documento domani. Abbiamo parlato della roadmap e delle priorità del trimestre.",
        "Schůzka 12. 11. Petr připraví prezentaci do pátku. Jana pošle dokumentaci zítra. "
        "Probrali jsme plán na příští čtvrtletí a rozpočet týmu, nic dalšího jsme nerozhodli.",
    ],
)
def test_notes_in_another_language_are_still_told_apart(notes: str) -> None:
    assert not is_probably_english(notes)


def test_notes_in_another_language_are_declined_plainly_not_as_having_no_items(
    tmp_path: Path,
) -> None:
    from agent.api import Coach
    from agent.config import Settings

    italian = (
        "Riunione del 3 ottobre. Marco: preparare la demo entro venerdì. Giulia manderà il "
        "documento domani. Abbiamo parlato della roadmap e delle priorità del trimestre."
    )
    with Coach(Settings(home=tmp_path / "home", engine="offline")) as coach:
        result = coach.extract_actions(italian, mentor="Giulia Russo", mentee="Marco Bianchi")
        assert result.items == []
        assert any("do not read as English" in n for n in result.notes), result.notes
        english = coach.extract_actions(
            "Marco will prepare the demo by Friday.", mentor="Giulia Russo", mentee="Marco Bianchi"
        )
        assert not any("English" in n for n in english.notes), english.notes
