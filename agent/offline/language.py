"""Whether a text is English: the offline engine understands English only and says so.

A cheap check over common function words (and Spanish punctuation, non-Latin scripts) rather
than a language model: it only has to tell English from the languages mentees write in most,
so the engine can decline plainly instead of guessing.
"""

from __future__ import annotations

import re

ENGLISH_ONLY = (
    "The offline engine works in English only; please write the question in English "
    "(or configure an LLM endpoint)."
)
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})
_ENGLISH = frozenset(
    """the a an and or but if of to in on at for with from by about as is are was were be been
    am do does did have has had will would can could should must not no yes you your i me my we
    our us he she it they them their this that these those what why how who when where which
    there here just so very really all any some more most much many get got go going make
    made take time week today again still even ever never always u ur pls thx ok okay""".split()
)
_FOREIGN = (
    frozenset(
        """el la los las un una unos que qué por porque para con sin pero como cómo está estás es
    son fue otra otro vez ya muy también tu tú usted le les del al lo se su sus y o ni
    le les des du une est et ou mais avec sans pour pas ne je tu vous nous il elle qui quoi
    der die das und ist nicht ein eine mit für auf warum du sie wir ich es den dem
    não você por que uma com sem mas também ela eles perché non che della sono ancora""".split()
    )
    - _ENGLISH
)
_NON_LATIN = re.compile(r"[^\W\d_a-zA-Z\u00C0-\u024F]")


def is_english(text: str) -> bool:
    """Whether ``text`` reads as English (the only language the offline engine understands).

    Inverted Spanish punctuation, mostly non-Latin letters, or more common words of Spanish,
    French, German, Portuguese or Italian than of English say it is not.
    """
    if "¿" in text or "¡" in text:
        return False
    letters = [c for c in text if c.isalpha()]
    if letters and sum(bool(_NON_LATIN.match(c)) for c in letters) > len(letters) / 2:
        return False
    words = re.findall(r"[^\W\d_]+", text.lower().translate(_APOSTROPHES))
    english = sum(w in _ENGLISH for w in words)
    foreign = sum(w in _FOREIGN or not w.isascii() for w in words)
    return not (foreign >= 2 and foreign > english)
