"""Enough English for the offline engine: verb forms, gerunds, a stable hash, grammar checks."""

from __future__ import annotations

import hashlib
import itertools
import re


def stable_int(*parts: str) -> int:
    """A process-independent integer from ``parts`` (``hash()`` is salted per process)."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


def word_set(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text`` (word lists kept compact in the source)."""
    return frozenset(text.split())


def pairs(text: str) -> dict[str, str]:
    """``"a:b c:d"`` -> ``{"a": "b", "c": "d"}``."""
    return dict(pair.split(":", 1) for pair in text.split())


KNOWN_VERBS: frozenset[str] = word_set(
    """
    accept add address adjust agree analyse analyze announce answer apply approve archive
    arrive ask assign attend automate avoid book break bring build bump call cancel catch
    change chase chat check choose clarify clean clear close code collect come comment
    commit communicate compare compile complete configure confirm connect consider contact
    continue contribute copy cover create debug decide define delete deliver demo deploy
    describe design develop document do draft draw drop edit email estimate explain explore
    feel figure file fill find finish fix flag focus follow forget format get give go grab
    handle help highlight hold identify implement improve include install integrate
    introduce investigate join keep kick know land launch lead learn leave let list listen
    log look make manage map mark measure meet mention merge migrate miss model move name
    note notify offer open organise organize outline own pair pass pay pick ping plan play
    post practise practice prepare present prioritise prioritize profile propose prototype
    publish pull push put raise reach read rebase record reduce refactor reflect release
    remember remind remove rename reply report request research reserve reset resolve
    respond rest restart return review revise rewrite run save schedule scope search see
    send set settle share ship show sign sit skip sketch slow solve sort speak spend split
    start stay step stop structure study submit suggest summarise summarize support switch
    sync take talk teach tell test think tidy track train translate try turn type understand
    update upgrade upload use validate verify visit wait walk want warn watch work wrap
    write become grow gain master transition earn mentor
    """
)

_IRREGULAR: dict[str, str] = pairs(
    """
    was:be were:be been:be had:have did:do done:do made:make went:go gone:go got:get
    gotten:get took:take taken:take gave:give given:give began:begin begun:begin broke:break
    broken:break forgot:forget forgotten:forget left:leave brought:bring thought:think
    told:tell said:say saw:see seen:see came:come ran:run kept:keep found:find built:build
    rebuilt:rebuild spent:spend met:meet understood:understand chose:choose chosen:choose
    drew:draw drawn:draw knew:know known:know wrote:write written:write rewrote:rewrite
    rewritten:rewrite sent:send spoke:speak spoken:speak felt:feel heard:hear held:hold
    led:lead lost:lose paid:pay sat:sit shown:show stood:stand taught:teach threw:throw
    thrown:throw won:win slept:sleep overslept:oversleep fell:fall fallen:fall dealt:deal
    bought:buy caught:catch sought:seek sold:sell hid:hide hidden:hide became:become
    stuck:stick woke:wake woken:wake drove:drive driven:drive meant:mean learnt:learn
    lent:lend wore:wear worn:wear tore:tear torn:tear shook:shake froze:freeze frozen:freeze
    overcame:overcome undertook:undertake mistook:mistake forgave:forgive withdrew:withdraw
    ate:eat eaten:eat rode:ride rose:rise risen:rise sang:sing sung:sing hung:hang
    swore:swear struck:strike flew:fly flown:fly has:have does:do goes:go is:be are:be am:be
    're:be
    """
)
_SAME_FORMS = word_set(
    """
    set put let cut hit shut quit spread split cast read upset reset bet cost hurt
    """
)
# Multi-syllable verbs that double their last consonant (commit -> committing).
_DOUBLING = word_set(
    """
    commit submit admit omit permit begin forget regret upset refer prefer occur control
    patrol compel rebut debug unplug rerun reset offset equip quiz quit format overlap
    transfer recur incur embed refit input output babysit overrun unwrap unzip program
    """
)
_CVC = re.compile(r"^[^aeiou]*[aeiou][^aeiouwxy]$")
_E_ENDINGS = re.compile(
    r"(?:[^aeiou]at|iz|yz|ys|[^aeiou]us|v|[^aeiou]c|[^aeiou]ur|[^aeiou]ir|[bpdtkgzf]l|rg|dg"
    r"|[^o]ng|[^aeiou]id|[^aeiou]in|[^aeiou]ot|[^aeiou]os|[^aeiou]ok|[^aeiou]ib|[^aeiou]ar"
    r"|[^aeiou]am|[^aeiou]ut|uc|[^aeiou]ag)$"
)


def gerund(base: str) -> str:
    """The -ing form of a base verb: write -> writing, commit -> committing, tie -> tying."""
    verb = base.lower()
    if verb in {"be", "see", "flee", "agree", "free", "guarantee"}:
        return base + "ing"
    if verb.endswith("ie"):
        return base[:-2] + "ying"
    if verb.endswith(("ee", "ye", "oe")):
        return base + "ing"
    if verb.endswith("e") and len(verb) > 2:
        return base[:-1] + "ing"
    if verb in _DOUBLING or (_CVC.match(verb) and len(verb) <= 4):
        return base + base[-1] + "ing"
    if _SINGLE_L.search(verb):
        return base + "ling"  # British: cancelling, travelling, labelling
    return base + "ing"


# British spelling doubles a final "l" after one unstressed vowel: cancel -> cancelling,
# travel -> travelled, label -> labelling (but feel -> feeling, install -> installing).
_DOUBLED_L_STEM = re.compile(r"[aeiou][^aeiou]+[eiou]ll$")
_SINGLE_L = re.compile(r"[aeiou][^aeiou]*[^aeiou][aeiou]l$")


def to_base(word: str) -> str:
    """The base form of a verb in any common inflection: pushed -> push, writing -> write."""
    w = word.lower()
    if w in KNOWN_VERBS or w in _SAME_FORMS:
        return w
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if w.endswith("ied") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("ying") and len(w) > 5:
        return w[:-4] + ("ie" if w[:-4] in {"t", "d", "l"} else "y")
    for suffix in ("ed", "ing"):
        if w.endswith(suffix) and len(w) > len(suffix) + 2:
            stem = w[: -len(suffix)]
            if stem in KNOWN_VERBS:
                return stem
            if stem + "e" in KNOWN_VERBS:
                return stem + "e"
            if _DOUBLED_L_STEM.search(stem):
                return stem[:-1]  # cancelling -> cancel, travelled -> travel
            if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "lsfz":
                return stem[:-1]  # stopped -> stop, committed -> commit
            return stem + "e" if _E_ENDINGS.search(stem) else stem
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("ches", "shes", "sses", "xes", "zes")) and len(w) > 4:
        return w[:-2]
    if w.endswith("s") and not w.endswith("ss") and len(w) > 3 and w[:-1] in KNOWN_VERBS:
        return w[:-1]
    return w


def is_verb_form(word: str) -> bool:
    """Whether ``word`` looks like a verb we can inflect (known, or a regular -ed/-ing form)."""
    w = word.lower()
    return (
        w in KNOWN_VERBS
        or w in _SAME_FORMS
        or w in _IRREGULAR
        or to_base(w) in KNOWN_VERBS
        or (w.endswith("ed") and len(w) > 4)
    )


def capitalise(text: str) -> str:
    """The text with its first letter upper-cased (the rest untouched: "PR" stays "PR")."""
    return text[:1].upper() + text[1:]


_DANGLING = re.compile(
    r"\b(?:that much|(?<!in )the way|so much|the point)\s*(?:[?.!,]|$)", re.IGNORECASE
)
_MID_CAPITAL = re.compile(
    r"(?<=[a-z,;:] )(?:Your|My|The|His|Her|Their|Our|This|That|These|Those|A|An|You|I'm)(?= )"
)


def article(word: str) -> str | None:
    """The article for ``word`` by its first sound ("an update", "a one-on-one", "an SLA").

    None for a longer acronym, which may be said as a word ("a FAANG offer") or spelt out.
    """
    low = word.lower()
    if len(word) > 1 and word.isupper():  # a short acronym is spelt out: "an SLA", "a PR"
        return None if len(word) > 3 else "an" if word[0] in "AEFHILMNORSX" else "a"
    if low.startswith(("one", "once", "uni", "use", "usu", "uti", "eu")):
        return "a"
    return "an" if low[:1] in "aeiou" or low.startswith(("hour", "honest", "honour")) else "a"


def grammar_problems(text: str) -> list[str]:
    """What makes ``text`` read as a garbled question (heuristics, not a parser); [] if none."""
    problems: list[str] = []
    stripped = text.strip()
    if not stripped:
        return ["empty"]
    if not stripped[0].isupper():
        problems.append("does not start with a capital letter")
    if not stripped.endswith("?"):
        problems.append("does not end with a question mark")
    words = re.findall(r"[A-Za-z']+", stripped.lower())
    doubled = [a for a, b in itertools.pairwise(words) if a == b and a != "that"]
    if doubled:
        problems.append(f"doubled word {doubled[0]!r}")
    if _DANGLING.search(stripped):
        problems.append("dangling phrase such as 'that much' or 'the way'")
    if re.search(r"(?:^|\s)i(?:\s|'|$)", stripped):
        problems.append("lowercase 'i'")
    if _MID_CAPITAL.search(stripped):
        problems.append("capitalised word mid-sentence (copied from the input)")
    if "{" in stripped or "}" in stripped:
        problems.append("unfilled slot")
    if stripped.count('"') % 2 or stripped.count("“") != stripped.count("”"):
        problems.append("unbalanced quotes")
    if stripped.count("(") != stripped.count(")"):
        problems.append("unbalanced brackets")
    if re.search(r"\s[?.,!;:]|\s{2,}|[?!.]{2,}|,\?", stripped):
        problems.append("stray spacing or punctuation")
    for det, word in re.findall(r"\b([Aa]n?) ([A-Za-z][\w-]*)", stripped):
        if article(word) not in {det.lower(), None}:
            problems.append(f"'{det.lower()}' before {word!r}")
            break
    return problems
