"""Whether a text is English: the offline engine understands English only and says so.

A small learned model over hashed character 1-4-grams (``agent/data/models/language.json``),
fitted on ``agent/data/training/language.jsonl`` (short, informal Spanish, German, French,
Portuguese, Dutch and Italian written without accents, plus informal English) and the English
rows of ``judgement.jsonl``; rebuilt by ``python -m agent.offline.train language``. Inverted
Spanish punctuation, mostly non-Latin letters, or more common foreign than English function
words decide on their own; the model only when confident. The engine declines
plainly instead of guessing.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence

import numpy as np

from agent.offline.learned import Matrix, load_model

NAME = "language"
ENGLISH = "english"
ENGLISH_ONLY = (
    "The offline engine works in English only; please write the question in English "
    "(or configure an LLM endpoint)."
)
DIMENSIONS = 4096
FIT_ARGS = {"l2": 1e-3, "steps": 1500}
_ENGLISH = frozenset(
    """the a an and or but if of to in on at for with from by about as is are was were be been
    am do does did have has had will would can could should must not no yes you your i me my we
    our us he she it they them their this that these those what why how who when where which
    there here just so very really all any some more most much many get got go going make
    made take time week today again still even ever never always u ur pls thx ok okay""".split()
)
_FOREIGN = (
    frozenset(
        """el la los las un una unos que por porque para con sin pero como esta estas es son fue
    otra otro vez ya muy tambien tu usted le les del al lo se su sus y ni des du une est et ou
    mais avec sans pour pas ne je vous nous il elle qui quoi der die das und ist nicht ein eine
    mit fur auf warum du sie wir ich es den dem nao voce uma com sem mas ela eles perche non che
    della sono ancora het een niet wat waarom je jij ik wij zijn hoe heb hebt""".split()
    )
    - _ENGLISH
)
_WORD = re.compile(r"[^\W\d_]+")
_NON_LATIN = re.compile(r"[^\W\d_a-zA-Z\u00C0-\u024F]")


def char_ngrams(texts: Sequence[str]) -> Matrix:
    """Character 1-4-grams of each word-padded, lowercased text, hashed; rows of unit length."""
    out = np.zeros((len(texts), DIMENSIONS))
    for row, text in enumerate(texts):
        padded = " " + " ".join(_WORD.findall(text.lower())) + " "
        for n in (1, 2, 3, 4):
            for i in range(len(padded) - n + 1):
                out[row, zlib.crc32(padded[i : i + n].encode()) % DIMENSIONS] += 1.0
        out[row] /= max(float(np.linalg.norm(out[row])), 1.0)
    return out


def english_probability(text: str) -> float:
    """The learned model's probability that ``text`` is English."""
    model = load_model(NAME)
    return float(model.scores(char_ngrams([text]))[0, model.labels.index(ENGLISH)])


def is_english(text: str) -> bool:
    """Whether ``text`` reads as English (the only language the offline engine understands)."""
    if "¿" in text or "¡" in text:
        return False
    letters = [c for c in text if c.isalpha()]
    if letters and sum(bool(_NON_LATIN.match(c)) for c in letters) > len(letters) / 2:
        return False
    words = _WORD.findall(text.lower().replace("’", "'"))
    english = sum(w in _ENGLISH for w in words)
    foreign = sum(w in _FOREIGN or not w.isascii() for w in words)
    if foreign >= 2 and foreign > english:
        return False
    # The learned model decides alone only when confident and the text has a few words: short
    # English ("Move faster.", "Kafka?") is too little evidence to decline.
    return len(words) < 3 or english_probability(text) >= 0.2
