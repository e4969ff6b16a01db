"""Topic phrases: a clean noun phrase (or a person's role) taken from the input, or nothing.

A phrase goes into a bank question's slot only when it is provably safe: a short noun phrase
taken verbatim from the input (pronouns turned to the listener), naming a thing rather than a
person, a time or a vague "the way", in plain English, with no judging word in it: the listed
labels, the learned word model (``blame_words``, rebuilt by ``python -m agent.offline.train
blame_words``) and the judgement detector on the phrase. Describing words stay only when they
name what the thing is ("the unit tests"), never how good it is ("the rushed migration").
"""

from __future__ import annotations

import calendar
import re
from functools import cache

from agent.offline.judgement import is_judgemental
from agent.offline.language import is_english
from agent.offline.learned import LabelledText, data_dir, embed, load_model, read_labelled
from agent.offline.topic_words import TOKEN, in_noun_phrase, noun_probabilities
from agent.offline.train import TrainingSpec
from agent.offline.words import KNOWN_VERBS, article, gerund, to_base, word_set
from knowledge.minilm import whole_words

__all__ = [
    "BLAME_SPEC",
    "BLAME_WORDS",
    "NOUN_VERBS",
    "activity_phrases",
    "clean_topic",
    "labels_word",
    "model_phrases",
    "person_phrases",
    "topic_phrases",
]

_DETERMINERS = word_set("the a an this that these those your my our his her their")
_PREPOSITIONS = word_set("without with on in to about for of from into at during after before")
_CLOSED = _PREPOSITIONS | word_set(
    """
    i me you u ya he she it we they him us them myself yourself mine yours ours theirs
    and or but nor so yet if then than because as while though although since until unless
    am is are was were be been being do does did doing done have has had having get gets got
    will would shall should can could may might must ought wont cant dont didnt isnt
    not no never always ever even still just only also too very really actually seriously
    literally clearly obviously honestly basically simply totally quite rather pretty again
    once twice already almost enough much many more most less least few lot lots some any
    all every each both either neither other another such same what which who whom whose
    where when why how there here now today tonight tomorrow yesterday up down out off over
    under away back around like ok okay yes yeah please thanks thank sorry well oh hey lol
    by via across against between through within per towards toward onto upon among behind
    beyond near instead whether one two three four five six seven eight nine ten eleven twelve
    twenty thirty fifty hundred hundreds thousand thousands dozen half sooner later earlier
    halfway anyway anyways everywhere together straight somewhere nowhere elsewhere none
    nothing something anything everything
    """
)
_CLOSED_SUFFIX = re.compile(r"^(?:.+'(?:s|re|ve|ll|d|t|m)|.+n't)$")
# Heads that say nothing on their own or only with what follows ("the way you...").
_VAGUE = word_set(
    """
    way ways thing things stuff bit point points reason reasons kind sort sorts fact facts time
    times one ones rest part parts end matter matters deal case cases idea ideas place world
    earth hell heck minute minutes second seconds hour hours day days week weeks month months
    year years morning afternoon evening night moment moments pace speed effort attitude
    behaviour behavior tone level levels standard standards clue middle beginning
    age scratch life head mind face act problem problems front row word words fight
    evenings weekends nights weekend purpose
    """
)
# People, not things: the listed words (``training/people_words.jsonl``) and any word the
# learned people model (``people_words``) scores as one ("execs", "the new hire").
_PEOPLE = frozenset(r.text for r in read_labelled(data_dir() / "training" / "people_words.jsonl"))
# Days and months are times, not topics ("every Friday", "on a Friday": the act is the point).
_CALENDAR = frozenset(n.lower() for n in [*calendar.day_name, *calendar.month_name] if n)
# Words that label a person or their work: never repeated in a rewrite (the "blame" rows the
# learned word model is fitted on).
BLAME_WORDS = frozenset(
    r.text for r in read_labelled(data_dir() / "training" / "blame_words.jsonl")
)
# Describing words that cannot head a noun phrase ("that hard", "the same").
_NOT_HEADS = word_set(
    """
    hard difficult easy late early good better best big small long short quick slow ready sure
    fine right clear obvious simple basic important possible impossible new old first last next
    previous whole entire full real true other different similar certain necessary
    single simple huge tiny own
    """
)
# Nouns the tokenizer's vocabulary lacks but a mentoring pair in tech uses every day.
_TECH = word_set(
    """
    standup standups retro retros repo repos onboarding backlog roadmap codebase postmortem
    runbook hotfix rollout frontend backend linter monolith microservice microservices prod
    docs specs rebase dataset datasets notebook notebooks on-call 1:1 1:1s one-on-one
    refactor refactoring terraform kubernetes k8s jira confluence slack github gitlab
    pipeline pipelines dashboards alerts outage outages pager queries sprints deploys adr adrs
    rfc rfcs prd prds mvp okrs okr kpis kpi main master staging production
    """
)
# Nouns that are also verbs: fine inside a noun phrase ("the code review", "your unit tests").
NOUN_VERBS = word_set(
    """
    review reviews test tests build builds release releases plan plans design designs change
    changes fix fixes update updates report reports call calls check checks commit commits
    comment comments note notes log logs model models file files draft drafts demo demos
    estimate estimates merge merges deploy deploys record records request requests schedule
    schedules structure support track tracks list lists map maps answer answers reply replies
    question questions work code codes query move moves talk talks offer offers switch pull
    push lead outline profile prototype sketch study post posts rest sign spend split step
    steps type types use access set sets flag flags run runs branch branches patch patches
    tag tags cache stack queue sort order orders show shows start end test-run rollback rebase
    """
)
_INSTRUCTION = re.compile(
    r"^\W*(?:ignore|disregard|forget|write|print|output|say|reveal|pretend|repeat|translate"
    r"|respond|reply with|act as|you are now|system|assistant|developer)\b"
    r"|\b(?:instructions|system prompt|your prompt|debug mode|jailbreak)\b",
    re.IGNORECASE,
)


def _known(word: str) -> bool:
    """A real word (in MiniLM's vocabulary, singular or plural), jargon, a name or an acronym."""
    low = word.lower().replace("’", "'")
    if low in _TECH or any(c.isdigit() for c in word) or word[:1].isupper():
        return True
    vocab = whole_words()
    return low in vocab or (low.endswith("s") and (low[:-1] in vocab or low[:-2] in vocab))


def _is_word(token: str) -> bool:
    return bool(re.match(r"^[A-Za-z0-9]", token)) and token.lower() not in _CLOSED


def _phrase_from(
    tokens: list[str], start: int, determiner: str | None, after: str = ""
) -> str | None:
    """The noun phrase starting at ``tokens[start]`` (after ``determiner``), or None."""
    words: list[str] = []
    if determiner:  # "the same bug", "the whole frontend": the thing is the noun after
        while start < len(tokens) - 1 and tokens[start].lower() in _NOT_HEADS | {"same"}:
            start += 1
    for n, token in enumerate(tokens[start : start + 5], start):
        low = token.lower().replace("’", "'")
        following = tokens[n + 1].lower() if n + 1 < len(tokens) else ""
        if _possessive_noun(low, following):
            words.append(token)  # "a master's degree", "the team's backlog"
            continue
        if not _is_word(token) or low in _DETERMINERS or _CLOSED_SUFFIX.match(low):
            break
        if len(low) == 1 and token.islower():
            break  # chat shorthand ("ur PRs r always..."): "r", "n", "w" are not nouns
        # Read in the sentence: "the instances expire" ends at "instances"; an "-ing" word
        # needs more ("the load testing", not "the instances running"), and where the model is
        # unsure a verb form ends the phrase ("the team knows") and a noun continues it.
        verb = to_base(low) in KNOWN_VERBS and low not in NOUN_VERBS
        bar = 0.8 if low.endswith("ing") and to_base(low) != low else 0.5 if verb else 0.2
        if words and not in_noun_phrase(tokens, n, bar):
            if low in _PEOPLE | _VAGUE:
                return None  # "the tech lead", "a Friday evening": a person or a time
            break
        words.append(token)
    # Describing words after the noun are not part of it ("the CI pipeline red"), unless the
    # sentence reads them as a noun ("the production table").
    while len(words) > 1 and (
        (last := words[-1].lower()) in _NOT_HEADS
        or (
            _ADJECTIVE.search(last)
            and not _known_noun(last)
            and (labels_word(last) or not in_noun_phrase(tokens, start + len(words) - 1))
        )
    ):
        words.pop()
    # A trailing misspelt little word ("the mock interview agian") is not part of the phrase.
    while len(words) > 1 and not _known(words[-1]) and _near_closed(words[-1].lower()):
        words.pop()
    while words and "'" in words[-1]:
        words.pop()  # "the code's fine": a contraction, not a possessive
    if not words:
        return None
    head_noun = in_noun_phrase(tokens, start + len(words) - 1)
    head = words[-1].lower()
    if _no_head(head):
        return None
    if head.isdigit():
        return None  # "another 2,000-line PR" is not about "the 2"
    if _ADJECTIVE.search(head) and not _known_noun(head) and not head_noun:
        return None
    if determiner in {"this", "that"} and head.endswith("s") and not head.endswith("ss"):
        return None  # "so careless that bugs get through": a conjunction, not a determiner
    if determiner is None and (
        not all(_known(w) or _gerund_topic(w, after) for w in words)
        or (
            after == "to"
            and not (words[0] in _TECH or words[0][:1].isupper() or _NOUN_SUFFIX.search(head))
        )
        or (words[0].lower().endswith("ing") and not _gerund_topic(words[0], after))
        or (len(words) == 1 and head in {"call", "track", "time", "hold", "board", "top"})
        or (len(words) == 1 and not _bare_alone(words[0], after))
        or (any(c.isdigit() for c in head) and head not in _TECH)
        or words[0].isdigit()  # "left 40 idle instances": a count
        or words[0].lower() in _NOT_HEADS
        or (words[0].lower() in KNOWN_VERBS and words[0].lower() not in NOUN_VERBS)  # "to spend"
    ):
        return None
    return " ".join(([determiner] if determiner else []) + words)


def _no_head(head: str) -> bool:
    """A word no topic phrase ends in: vague, a person, a closed-class word, or a past verb.

    "how long this took": a verb in the past, not a noun.
    """
    base = to_base(head)
    if head in _CALENDAR or head[:-1] in _CALENDAR:
        return True  # "a Friday", "on Mondays": when, not what
    return head in _VAGUE | _PEOPLE | _NOT_HEADS | _CLOSED or (
        base != head and base in KNOWN_VERBS and not head.endswith(("s", "ing"))
    )


# Verbs whose object is followed by what it becomes ("make the sprint easier").
_CAUSATIVES = word_set("make makes made making keep keeps kept keeping get gets getting render")


def _without_complement(phrase: str) -> str:
    """The object after "make/keep/get" without what it should become: "the sprint easier"."""
    *words, last = phrase.split()
    low = last.lower()
    stems = {low[:-2], low[:-1]} if low.endswith("er") else set()
    if low.endswith("er") and low[-3:-2] == low[-4:-3]:
        stems.add(low[:-3])  # "bigger"
    if low.endswith("ier"):
        stems = {low[:-3] + "y"}  # "easier"
    adjectives = whole_words() - KNOWN_VERBS - NOUN_VERBS | _NOT_HEADS  # "smooth"; not "run"
    comparative = bool(stems & adjectives) and not _known_noun(low) and not last[:1].isupper()
    least = 1 if words and words[0].lower() in _DETERMINERS else 0  # a noun must be left
    return " ".join(words) if comparative and len(words) > least else phrase


def _subject_start(tokens: list[str], i: int) -> bool:
    """A capitalised common noun opening a sentence with no determiner ("Deadline missed")."""
    word = tokens[i]
    low = word.lower()
    return (
        (i == 0 or tokens[i - 1] in {".", "?", "!"})
        and word[:1].isupper()
        and not word.isupper()
        and _is_word(word)
        and low not in _DETERMINERS | _NOT_HEADS | _VAGUE | _PEOPLE
        and _known(low)
        and (to_base(low) not in KNOWN_VERBS or low in NOUN_VERBS)
        and not _ADJECTIVE.search(low)
        and not _CLOSED_SUFFIX.match(low)
        and not labels_word(low)
    )


def _before_a_verb(tokens: list[str], last: int) -> bool:
    """The phrase ending at ``last`` is a subject: a verb or a preposition follows it."""
    if last + 1 >= len(tokens):
        return False
    low = tokens[last + 1].lower()
    return (
        low in _PREPOSITIONS | _COPULAS
        or low in {"has", "have", "will", "would", "can", "could", "should"}
        or (
            _is_word(tokens[last + 1])
            and low not in _DETERMINERS
            and not in_noun_phrase(tokens, last + 1)
        )
    )


def _bare_alone(word: str, after: str, strict: bool = False) -> bool:
    """One word with no determiner that reads as a topic ("tests", "Java"); not "line"."""
    low = word.lower()
    return (
        (low.endswith("s") and not low.endswith("ss"))
        or (word[:1].isupper() and not strict)
        or low in _TECH
        or low in NOUN_VERBS
        or _gerund_topic(word, after)
        or len(low) >= 7
    )


def _gerund_topic(word: str, after: str) -> bool:
    """An activity after "at/about/on/without" ("bad at estimating"); not after "for"."""
    low = word.lower()
    verb = {to_base(low), low[:-3] + "e"} & KNOWN_VERBS
    return after in {"at", "about", "on", "without", "with", "in"} and bool(verb)


# Endings only nouns have ("management", "documentation", "ownership").
_NOUN_SUFFIX = re.compile(r"(?:ment|tion|sion|ity|ness|ship|ance|ence|ism)$")
# A bare noun after a preposition or a quantifier ("without tests", "no motivation").
_BEFORE_BARE = _PREPOSITIONS | word_set("no any more enough zero")
_COPULAS = word_set("is was are were be been being 's 're it's that's")
# Words after which a noun-like word is a verb ("you freeze", "going to interview").
_SUBJECTS = word_set("i you u we they he she it to will would can could should did do does")


def _possessive_noun(low: str, following: str) -> bool:
    """A noun's possessive inside a phrase ("master's"), not "it's" or "that's"."""
    stem = low[:-2]
    return (
        low.endswith("'s")
        and len(stem) > 2
        and stem not in _CLOSED
        and stem not in _DETERMINERS
        and bool(re.match(r"^[a-z]", following))
        and following not in _CLOSED
    )


_ADJECTIVE = re.compile(r"(?:ly|ous|ful|ish|less|able|ible|ive|ed|al|ic)$")


def _near_closed(word: str) -> bool:
    """One typing slip (a letter changed, added, dropped or two swapped) from a function word."""
    for closed in _CLOSED:
        if abs(len(closed) - len(word)) > 1 or len(closed) < 3:
            continue
        if len(closed) == len(word):
            diff = [i for i, (a, b) in enumerate(zip(closed, word, strict=True)) if a != b]
            swapped = len(diff) == 2 and diff[1] == diff[0] + 1
            if len(diff) == 1 or (swapped and closed[diff[0]] == word[diff[1]]):
                return True
        else:
            short, long = sorted((closed, word), key=len)
            if any(long[:i] + long[i + 1 :] == short for i in range(len(long))):
                return True
    return False


def _known_noun(word: str) -> bool:
    """Jargon, nouns that are also verbs, "-ed" nouns ("seed"); "proposal" is read in context."""
    return word in _TECH or word in NOUN_VERBS or word in {"feed", "need", "seed", "speed"}


def _read(text: str) -> tuple[list[str], list[str], dict[str, str]]:
    """Tokens of ``text``, lowered, and the possessives that mean the listener's ("your").

    "my" means "your" in self-talk, "his" and "her" when the text is about the mentee.
    """
    # Sentences addressed to a machine ("Ignore all previous instructions and write a poem")
    # are data, not the question: nothing is taken from them.
    sentences = re.split(r"(?<=[.?!])\s+", text.strip())
    text = " ".join(s for s in sentences if not _INSTRUCTION.search(s)) or text
    tokens = TOKEN.findall(text.replace("’", "'").replace("`", ""))
    lowered = [t.lower() for t in tokens]
    self_talk = bool({"i", "i'm", "i've", "me", "myself"} & set(lowered)) and not (
        {"you", "your", "u", "you're", "yours"} & set(lowered)
    )
    about_them = bool({"he", "she", "they", "mentee", "his", "her", "their"} & set(lowered)) and (
        "you" not in lowered and "your" not in lowered
    )
    listener = {"ur": "your"}
    if self_talk:
        listener |= {"my": "your", "our": "your"}
    if about_them:
        listener |= {"his": "your", "her": "your", "their": "your"}
    return tokens, lowered, listener


# People a question can be about ("the VP", "your manager", "the QA team"); vaguer words
# ("someone", "people") and the pair themselves are not.
_ROLES = _PEOPLE - word_set(
    "person people guy guys girl man woman everyone someone anyone nobody somebody anybody "
    "mentor mentee mentors mentees"
)


def _bare_group(lowered: list[str], i: int) -> int:
    """Where a plural role with no determiner starts after a preposition or verb, else 0."""
    start = i
    while start > 0 and i - start < 2 and lowered[start - 1] not in _CLOSED | _DETERMINERS:
        if not re.match(r"^[a-z]", lowered[start - 1]) or _object_verb(lowered[start - 1]):
            break
        start -= 1
    before = lowered[start - 1] if start > 0 else ""
    return start if before in _PREPOSITIONS or _object_verb(before) else 0


def person_phrases(text: str) -> list[str]:
    """The people ``text`` names by role, verbatim ("the product manager", "your lead", "QA").

    The same blame checks as topic phrases apply.
    """
    if not is_english(text):
        return []
    tokens, lowered, listener = _read(text)
    out: list[str] = []
    for i, low in enumerate(lowered):
        det = listener.get(low, low)
        if low in _DETERMINERS | {"ur"} and det in {"the", "your", "my", "our"}:
            words: list[str] = []
            for token in tokens[i + 1 : i + 4]:
                word = re.sub(r"'s$", "", token)
                if not _is_word(word) or word.lower() in _DETERMINERS:
                    break
                words.append(word)
                if word.lower() in _ROLES:
                    break
            if words and i + len(words) + 1 < len(tokens):
                after = tokens[i + len(words) + 1]
                if after.lower() in _ROLES and words[-1] == tokens[i + len(words)]:
                    words.append(after)  # "the QA team"
            if not words or words[-1].lower() not in _ROLES:
                continue
            phrase = _without_labels(" ".join([det, *words]))
        elif tokens[i].isupper() and low in _ROLES and lowered[i - 1 : i] != ["the"]:
            phrase = tokens[i]  # "You never listen to QA."
        elif low in _ROLES and low.endswith("s") and _bare_group(lowered, i):
            # "arguing with principal engineers": the group, as said
            start = _bare_group(lowered, i)
            phrase = _without_labels(" ".join(tokens[start : i + 1]))
        else:
            continue
        if phrase and clean_topic(phrase) and phrase not in out:
            out.append(phrase)
    return out


def topic_phrases(text: str) -> list[str]:
    """Clean noun phrases of ``text``, best first (verbatim, pronouns turned to the listener).

    A determiner or possessive with one to four nouns ("your design doc"), or a bare noun after
    a preposition ("without tests"); never people, times, vague things or blame.
    """
    if not is_english(text):
        return []
    tokens, lowered, listener = _read(text)
    found: list[tuple[int, int, str]] = []
    for i, low in enumerate(lowered):
        if low in _DETERMINERS or low == "ur":
            det = listener.get(low, low)
            phrase = _phrase_from(tokens, i + 1, det)
            if phrase and i and lowered[i - 1] in _CAUSATIVES:
                phrase = _without_complement(phrase)
            said = [w for w in lowered[max(0, i - 2) : i] if w not in _CLOSED - _COPULAS]
            wish = i > 1 and (lowered[i - 2].endswith("'d") or lowered[i - 2] in _SUBJECTS)
            simile = lowered[i - 1 : i] == ["like"] and not wish  # not "I'd like a review"
            copula = said[-1:] and (said[-1] in _COPULAS or said[-1].endswith(("'re", "'s")))
            if det in {"a", "an"} and (copula or simile):
                phrase = None  # "was a waste", "reads like a diary": what it is called
            # The listener's own things first ("your design doc" before "my comments").
            rank = 1 if det in {"a", "an", "my", "our"} else 0
        elif _subject_start(tokens, i):
            # "Deadline missed again", "Code reviews from you take forever": "the deadline"
            phrase = _phrase_from([*tokens[:i], low, *tokens[i + 1 :]], i, "the")
            if phrase and not (
                _before_a_verb(tokens, i + len(phrase.split()) - 2)
                and _bare_alone(phrase.split()[-1], "", strict=True)
            ):
                phrase = None
            rank = 1
        elif (
            low in {"another", "one", "every", "each"}
            and i + 1 < len(tokens)
            and (low != "one" or lowered[i - 1] in _PREPOSITIONS or _object_verb(lowered[i - 1]))
        ):
            # "another flaky test", "write one unit test", "every review" -> "the test", "the
            # unit test", "the review"; other counts are quantities ("two lines", "just one
            # line"), not things
            phrase = _phrase_from(tokens, i + 1, "the")
            rank = 1
        elif (
            i > 0
            and (lowered[i - 1] in _BEFORE_BARE or _object_verb(lowered[i - 1]))
            and (i < 2 or lowered[i - 2] not in _DETERMINERS)
            and (lowered[i - 1] in _BEFORE_BARE or _verb_starts_clause(tokens, i - 1))
        ):
            phrase = _phrase_from(tokens, i, None, lowered[i - 1])
            if phrase and lowered[i - 1] in _CAUSATIVES:
                phrase = _without_complement(phrase)
            # A named thing ("pick Java", "write docs") is as good as a determiner phrase, and
            # so is what is missing ("zero unit tests in this PR": the tests are the point).
            named = tokens[i][:1].isupper() or low in _TECH or lowered[i - 1] in {"no", "zero"}
            rank = 1 if named else 2
        else:
            continue
        if phrase:
            before = lowered[i - 1] if i else ""
            evaluative = low in {"a", "an"} and before in {"such", "what", "quite"}
            phrase = _without_labels(phrase, evaluative)
        if phrase and clean_topic(phrase):
            found.append((rank, i, phrase))
    seen: set[str] = set()
    out: list[str] = []
    if any(rank < 2 for rank, _, _ in found):  # a bare noun only when nothing better exists
        found = [f for f in found if f[0] < 2]
    for _, _, phrase in sorted(found):
        key = phrase.lower().split(" ", 1)[-1]
        if key not in seen and not any(key in s or s in key for s in seen):
            seen.add(key)
            out.append(phrase)
    return out


# Branches and environments, named like places ("push to main", "deploy to prod").
_PLACES = word_set("main master prod production staging")
# Verbs whose object does not make an activity ("let the architect decide", "want a mentor").
_NOT_ACTS = _CAUSATIVES | word_set(
    "let lets want wants need needs see saw sees think thought believe know knew feel felt clear"
)


def _noun_run(tokens: list[str], start: int) -> list[str]:
    """The words of the noun phrase at ``start`` as the word model reads it (up to three)."""
    words: list[str] = []
    for n in range(start, min(start + 3, len(tokens))):
        low = tokens[n].lower()
        if not _is_word(tokens[n]) or low in _DETERMINERS:
            break
        if words and not in_noun_phrase(tokens, n):
            break
        words.append(tokens[n])
    return words


def activity_phrases(text: str) -> list[str]:
    """What the input is about when an act carries it, as an "-ing" phrase.

    A verb into a branch or environment ("pushing to main"), "get" with a participle ("getting
    promoted"), or a verb whose object is people ("presenting to the execs", "mentoring the new
    grads"): the place, the participle or the people alone would not be the topic. The verb
    must be one the blame word model reads as neutral ("blaming QA" is the judgement itself).
    """
    if not is_english(text):
        return []
    tokens, lowered, listener = _read(text)
    out: list[str] = []
    for i, low in enumerate(lowered[:-2]):
        base, nxt = to_base(low), lowered[i + 1]
        if _DETERMINERS & set(lowered[max(0, i - 2) : i]) or lowered[i - 1 : i] in (["i"], ["we"]):
            continue  # "your snarky reply": a noun; "when I joined the team": the speaker's act
        skip = lowered[i + 2] in {"a", "the"}
        day = lowered[i + 2 + skip] if i + 2 + skip < len(lowered) else ""
        if base == "get" and nxt.endswith("ed") and nxt not in _CLOSED:
            up = lowered[i + 2] in {"up", "out", "off", "down"}  # "getting cleaned up"
            phrase: str | None = " ".join(["getting", nxt, *lowered[i + 2 : i + 2 + up]])
        elif base not in KNOWN_VERBS or base in _NOT_ACTS or low in _CLOSED:
            continue
        elif nxt in {"to", "into", "onto"} and lowered[i + 2] in _PLACES:
            phrase = f"{gerund(base)} {nxt} {tokens[i + 2]}"
        elif nxt == "on" and day in _CALENDAR:  # "deploying on a Friday"
            phrase = " ".join([gerund(base), *tokens[i + 1 : i + 3 + skip]])
        else:
            prep = nxt in {"to", "with", "for"}
            det = lowered[i + 1 + prep] if i + 1 + prep < len(tokens) else ""
            if det not in _DETERMINERS | {"every", "each"}:
                continue
            words = _noun_run(tokens, i + 2 + prep)
            if not words or not _person(words[-1].lower()):
                continue  # the whole noun phrase names people ("the QA team", not "the QA port")
            said = "the" if det in {"every", "each"} else listener.get(det, det)
            object_ = _without_labels(" ".join([said, *words]))
            phrase = object_ and " ".join([gerund(base), *([nxt] if prep else []), object_])
        if not phrase or _label_score(phrase.split()[0]) >= 0.2:
            continue  # "blaming the intern": the act is the judgement
        if clean_topic(phrase) and phrase not in out:
            out.append(phrase)
    return out


def model_phrases(text: str) -> list[str]:
    """Where no determiner marks a phrase, the runs of words the word model reads as nouns.

    "logging passwords", "screen readers", "the onboarding buddy": a run of at least 0.8,
    cut to its known nouns, with the head checks of :func:`topic_phrases`; a singular count
    noun takes "the", plurals, activities, names and abstract nouns are said bare.
    """
    if not is_english(text):
        return []
    tokens, lowered, _ = _read(text)
    probs = noun_probabilities(tokens)
    out: list[tuple[bool, str]] = []
    i = 0
    while i < len(tokens):
        if probs[i] < 0.8 or not _is_word(tokens[i]) or lowered[i] in _DETERMINERS:
            i += 1
            continue
        start, end = i, i
        while start > 0 and probs[start - 1] >= 0.5 and _is_word(tokens[start - 1]):
            start -= 1  # "pair programming": a weaker word joined to a sure noun
        while end + 1 < len(tokens) and probs[end + 1] >= 0.5 and _is_word(tokens[end + 1]):
            end += 1
        i = end + 1
        while probs[end] < 0.8 and (
            to_base(lowered[end]) in KNOWN_VERBS - NOUN_VERBS or lowered[end].endswith("ing")
        ):
            end -= 1  # an unsure verb form ends the run ("idle instances", not "... running")
        before = lowered[start - 1] if start else ""
        if before in _DETERMINERS | _SUBJECTS:
            continue  # a determiner's phrase was judged already; after "you"/"to", a verb
        alone = lowered[start] if start == end and lowered[start] not in _TECH else ""
        if alone.endswith("ing") and before in _CAUSATIVES | _CLOSED - _PREPOSITIONS:
            continue  # "keep hiding", "really trying": a verb
        first = not start or before in ".?!"
        phrase = _run_phrase(tokens[start : end + 1], first)
        if phrase and clean_topic(phrase) and phrase not in [p for _, p in out]:
            out.insert(0, (first, phrase))
    # Objects come late, compounds name more than one word, an opening run may be "Great job".
    out.sort(key=lambda f: (f[0], " " not in f[1].removeprefix("the ")))
    return [p for _, p in out]


def _run_phrase(run: list[str], first: bool) -> str | None:
    """A run of noun-like words as a phrase for a slot, or None (a person, a time, a verb)."""
    words = [w.lower() if first and n == 0 and w[1:].islower() else w for n, w in enumerate(run)]
    while words and words[0].lower() in _NOT_HEADS | _VAGUE | _CLOSED:
        words.pop(0)
    if not words or len(words) > 4 or not all(_known(w) for w in words):
        return None
    words = _without_complement(" ".join(["x", *words])).split()[1:]  # "life harder", "harder"
    if not words:
        return None
    head = words[-1].lower()
    base = to_base(head)
    if (
        _no_head(head)
        or (_ADJECTIVE.search(head) and not _known_noun(head))
        or any(c.isdigit() for c in "".join(words))
        or (len(words) == 1 and head in {"call", "track", "hold", "board", "top"})
        or (
            len(words) == 1
            and base in KNOWN_VERBS
            and head not in NOUN_VERBS | _TECH
            and not head.endswith("ing")
        )
    ):
        return None
    # With no determiner, a describer before the noun is more often how good it is ("stale
    # branches", "giant PRs"): it stays only when the word model finds it clearly neutral.
    *before, last = words
    bars = [0.5 if w[:1].isupper() else _NEUTRAL for w in before]  # a name, or shouting ("SLOPPY")
    words = [w for w, bar in zip(before, bars, strict=True) if _label_score(w.lower()) < bar]
    words.append(last)
    if len(words) == 1 and labels_word(head):
        return None  # a lone noun near the labels ("drama", "chaos") is the judgement itself
    phrase = _without_labels(" ".join(words))
    if not phrase:
        return None
    bare = (
        head.endswith("ing")
        or (head.endswith("s") and not head.endswith("ss"))
        or words[0][:1].isupper()
        or bool(_NOUN_SUFFIX.search(head))
        or head in {"main", "master", "prod", "production", "staging"}  # named like places
    )
    return phrase if bare else f"the {phrase}"


BLAME_MODEL = "blame_words"
_NEUTRAL = 0.08  # a describer scored under this by the word model does not judge


class _WordSpec(TrainingSpec):
    """Listed words (``training/NAME.jsonl``) against the other words of the curious bank."""

    def rows(self) -> list[LabelledText]:
        """One row per word: the listed ones carry their label, the bank's own are "neutral"."""
        from agent.offline.questions import load_bank

        listed = super().rows()
        bank = {w for q in load_bank() for w in re.findall(r"[a-z][a-z-]+", q.question.lower())}
        bank |= _TECH | NOUN_VERBS
        skip = {r.text for r in listed} | _CLOSED
        words = sorted(w for w in bank if len(w) > 2 and w not in skip)
        return [*listed, *(LabelledText(w, "neutral", w) for w in words)]


BLAME_SPEC = _WordSpec(BLAME_MODEL, ("blame_words.jsonl",), fit_args={"l2": 1e-3})
PEOPLE_SPEC = _WordSpec("people_words", ("people_words.jsonl",), fit_args={"l2": 1e-5})


@cache
def _person(word: str) -> bool:
    """A word for people ("the execs", "a new hire"): listed, or the people model's >= 0.8."""
    if word in _PEOPLE:
        return True
    model = load_model("people_words")
    return float(model.scores(embed([word]))[0, model.labels.index("person")]) >= 0.8


@cache
def _label_score(word: str) -> float:
    """How close ``word`` is to the labels (1.0 for a listed one), by the learned word model."""
    if word in BLAME_WORDS:
        return 1.0
    model = load_model(BLAME_MODEL)
    return float(model.scores(embed([word]))[0, model.labels.index("blame")])


def labels_word(word: str) -> bool:
    """The word judges: listed, or close to the listed labels ("half-baked", "clumsy")."""
    return _label_score(word) >= 0.5


def _judging_head(word: str) -> bool:
    """A noun that is itself the judgement ("your ego"), or a describing word left as the head.

    Nouns near the labels name ordinary topics too ("the bug", "the outage"), so a noun needs
    a clearly higher score than a describing word.
    """
    low = word.lower()
    score = _label_score(low)
    adjectival = bool(_ADJECTIVE.search(low) or low.endswith("y")) and not _known_noun(low)
    return score >= 0.75 or (adjectival and score >= 0.5)


def _names_a_thing(word: str) -> bool:
    """A describing word that names what the thing is ("unit", "Terraform", "API"), not how good.

    Anything shaped like an adjective or a participle ("rushed", "generic") goes: that is where
    judgement hides inside a noun phrase.
    """
    low = word.lower()
    if word[:1].isupper() or any(c.isdigit() for c in word) or _known_noun(low):
        return True
    if _judging_head(low):  # a noun of trouble names the thing ("the crash reports")
        return False
    last = low.rsplit("-", 1)[-1]
    if "-" in low and (last.endswith("ed") or to_base(last) != last):
        return False  # "half-done", "ill-conceived", "hand-rolled"
    if low.endswith(("able", "ible")):  # "unreadable", "maintainable"; not "variable", "table"
        stem = low[:-4]
        return not (low.startswith(("un", "in", "im", "ir")) or {stem, stem + "e"} & KNOWN_VERBS)
    # An adjective-shaped word the word model finds clearly neutral names a kind ("the final
    # round", "the distributed locks"); the rest may say how good it is.
    return not (_ADJECTIVE.search(low) and not low.endswith("ly")) or _label_score(low) < _NEUTRAL


def _without_labels(phrase: str, evaluative: bool = False) -> str | None:
    """``phrase`` without its judging describers ("this half-baked API" -> "this API").

    None when the noun itself judges ("your mess"), unless a naming word makes it an ordinary
    thing ("the linter warnings"). With ``evaluative`` ("such a vague estimate") the first
    describing word goes too.
    """
    first, *rest = phrase.split()
    det = first if first.lower() in _DETERMINERS else None
    words = rest if det else [first, *rest]
    if evaluative and len(words) > 1 and not words[0][:1].isupper():
        words = words[1:]
    kept = [w for w in words[:-1] if _names_a_thing(w)] + words[-1:]
    named = len(kept) > 1 and _label_score(words[-1].lower()) < 0.9
    if _judging_head(words[-1]) and not named:
        return None
    if det and det.lower() in {"a", "an"}:
        det = article(kept[0]) or det
    return " ".join(([det] if det else []) + kept)


def _verb_starts_clause(tokens: list[str], i: int) -> bool:
    """The verb at ``i`` opens a clause ("you never write docs"), not "another slipped launch"."""
    if i == 0:
        return True
    before = tokens[i - 1].lower().replace("’", "'")
    return not _is_word(tokens[i - 1]) or before in _CLOSED or bool(_CLOSED_SUFFIX.match(before))


def _object_verb(word: str) -> bool:
    """A verb whose bare object can be a topic ("write tests", "explain Git rebase")."""
    return word not in _CLOSED and (word in KNOWN_VERBS or to_base(word) in KNOWN_VERBS)


def clean_topic(phrase: str, max_words: int = 6) -> bool:
    """A phrase may be put in a question: short, no blame word, nothing the detector flags."""
    words = phrase.lower().replace("’", "'").split()
    if not words or len(words) > max_words or "{" in phrase or "}" in phrase:
        return False
    if any(w.strip(".,!?") in BLAME_WORDS for w in words):
        return False
    return not is_judgemental(phrase)
