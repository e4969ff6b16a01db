"""The offline engine says plainly that it is English-only, in languages its word lists lack too."""

from __future__ import annotations

import pytest

from agent.offline.language import is_english


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
