"""Whether a text is English: the offline engine understands English only and says so.

A cheap check over common function words rather than a language model: it only has to tell
English from the languages mentees write in most.
"""

from __future__ import annotations

import re

from agent.offline.learned import word_list

ENGLISH_ONLY = (
    "The offline engine works in English only; please write the question in English "
    "(or configure an LLM endpoint)."
)
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})
# Common English words, and common words of the languages mentees write in most (none English).
_ENGLISH = word_list("language.english")
_FOREIGN = word_list("language.foreign")
_NON_LATIN = re.compile(r"[^\W\d_a-zA-Z\u00C0-\u024F]")


def is_english(text: str) -> bool:
    """Whether ``text`` reads as English (the only language the offline engine understands)."""
    if "¿" in text or "¡" in text:
        return False
    letters = [c for c in text if c.isalpha()]
    if letters and sum(bool(_NON_LATIN.match(c)) for c in letters) > len(letters) / 2:
        return False
    words = re.findall(r"[^\W\d_]+", text.lower().translate(_APOSTROPHES))
    english = sum(w in _ENGLISH for w in words)
    foreign = sum(w in _FOREIGN or not w.isascii() for w in words)
    if foreign >= 2 and foreign > english:
        return False
    # Languages the word lists do not know (Czech, Finnish, Swahili, romaji ...): most of their
    # words are not whole words of the model's English vocabulary, which ships with it.
    # Informal English stays above a third ("fyi standup moved to 10 tmrw": 2 of 5).
    longer = [w for w in words if len(w) > 1]
    if len(longer) < 4:
        return True
    from knowledge.minilm import whole_words

    known = whole_words()
    return sum(w in known for w in longer) * 3 >= len(longer)


# Notes: common English function words against very common words of other languages.
_NOTES_ENGLISH = word_list("language.notes_english")
_NOTES_FOREIGN = word_list("language.notes_foreign")


def is_probably_english(text: str) -> bool:
    """Whether ``text`` reads as English: enough very common English words (short texts pass)."""
    words = re.findall(r"[a-záéíóúñüàèìòùäöëïçãõâêô']+", text.lower())
    if len(words) < 8:
        return True
    english = sum(1 for w in words if w in _NOTES_ENGLISH) / len(words)
    foreign = sum(1 for w in words if w in _NOTES_FOREIGN) / len(words)
    if english >= 0.12 or (english >= 0.06 and foreign < english / 3):
        return True
    # Terse minutes ("AI Seun: CKAD study plan -> 2 Nov", "Gap: k8s, terraform.") have few
    # function words of any language: without words of another one, the vocabulary decides.
    return foreign * 3 <= english and is_english(text)
