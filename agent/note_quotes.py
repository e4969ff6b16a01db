"""Session notes are private to whoever wrote them: their words are not mailed to anyone.

An agenda may quote the last session's notes ("From the last session's notes: ...") when it is
shown to the person who runs ``coach agenda``. A prep email goes to both people, and notes such
as a mentor's reflection ("He seemed tired") must not reach the mentee. The items extracted
from the notes stay: they are shared commitments, not the notes' words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from agent.models import Agenda

__all__ = ["quotes_notes", "without_note_quotes"]

_QUOTED = re.compile(r"[“\"]([^”\"]+)[”\"]")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# Four words in the notes' order: enough to be their words, not a shared phrase ("the design
# review") that a goal or an item also uses.
_RUN = 4


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


def _runs(words: Sequence[str], size: int) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def _note_runs(notes: Sequence[str]) -> dict[int, set[tuple[str, ...]]]:
    """The notes' runs of three and of four words, read once for every item checked."""
    words = [_words(note) for note in notes]
    return {size: set().union(*(_runs(w, size) for w in words)) for size in (3, _RUN)}


def _quotes(text: str, note_runs: dict[int, set[tuple[str, ...]]]) -> bool:
    for span in _QUOTED.findall(text):
        words = _words(span)
        size = min(_RUN, len(words))
        if size >= 3 and _runs(words, size) & note_runs[size]:
            return True
    return False


def quotes_notes(text: str, notes: Sequence[str]) -> bool:
    """Whether a quoted span of ``text`` repeats the notes' words in order.

    Four words in a row, or the whole of a three-word quote ("He seemed tired").
    """
    return _quotes(text, _note_runs(notes))


def without_note_quotes(agenda: Agenda, notes: Sequence[str]) -> Agenda:
    """The agenda without the items that quote the notes (a block never ends up empty)."""
    if not notes:
        return agenda
    note_runs = _note_runs(notes)
    blocks = []
    for block in agenda.blocks:
        kept = [item for item in block.items if not _quotes(item, note_runs)]
        if not kept:
            kept = ["Look back at what you agreed last time."]
        blocks.append(block.model_copy(update={"items": kept}))
    return agenda.model_copy(update={"blocks": blocks})
