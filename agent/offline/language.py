"""Whether a text is English: the offline engine understands English only and says so.

A cheap check over common function words rather than a language model: it only has to tell
English from the languages mentees write in most.
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
_NOTES_ENGLISH = frozenset(
    "the and to of a in is it you that i for on with we he she be this will at have are was my "
    "your our by about from as so but not can what all do if me his her they an or up".split()
)
# Very common words of other languages the notes might be in (none of them English words).
_NOTES_FOREIGN = frozenset(
    """de la en un una el los las que y por con para es del lo se su como más pero sus ya este sí
    porque esta entre cuando muy sin sobre también hasta hay donde desde todo nos durante uno les
    ni otros eso ellos esto antes algunos qué unos yo otro él tanto esa estos mucho nada muchos
    ella estar estas algo nosotros le des du et une est qui dans pour pas sur au avec ce il elle
    vous ils sont mais je tu der die das und ist nicht ein eine zu den mit von sich auf für im dem
    auch es werden aus er hat dass sie nach wird bei einer um sind noch wie einem über einen zum
    war haben nur oder aber vor zur bis mehr durch sehr os da em um uma não mais dos mas ao ele
    das seu sua ou quando muito já eu só pelo pela até isso depois sem mesmo você essa nem meu
    minha il di che è per una sono gli della con non si lo ha le ma anche het een van ik dat niet
    zijn op voor met als maar om aan er ook nog bij uit wel naar kan dan jij wij hij zij ze mijn
    je deze dit wordt worden zal heeft hebben och att det som på är av för med till har inte ett
    han men var jag sig från vi så ska hon nu jeg og ikke af til er hun""".split()
)


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
