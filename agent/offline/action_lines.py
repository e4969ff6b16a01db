"""The learned part of action extraction: what kind of line of notes a sentence is.

A softmax over the local MiniLM sentence vector, the vector of the task's first word when it
may be an imperative (is it a verb a task starts with?) and a few grammatical cues the
vectors blur (tense, modality, negation, a question, a due phrase, a minutes owner marker, an
imperative verb first) labels a line *commitment*, *done*, *dropped* or *discussion*, and reads
an answer in the light of the turn before it (:func:`in_context`: "can you do v2 by Friday?" ->
"yes can do" is a promise). Fitted on ``agent/data/training/action_lines*.jsonl`` (rows may carry
the ``previous`` turn); ``python -m agent.offline.train action_lines`` rebuilds
``agent/data/models/action_lines.json`` exactly.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from agent.offline.learned import (
    LabelledText,
    LinearModel,
    Matrix,
    embed,
    fit,
    load_model,
    training_rows,
)
from agent.offline.people import NOT_NAMES, STOPWORDS
from agent.offline.train import TrainingSpec

__all__ = [
    "ACTION_LINES",
    "classify_lines",
    "first_word",
    "imperative_first",
    "in_context",
    "line_features",
]

_SEP = "\u241f"  # packs the turn before a line into its row (:func:`in_context`)
# A turn that asks its listener to do something, or asks who will.
_ASKS = re.compile(
    r"\b(?:can|could|would|will)\s+(?:you|u)\b|\bwho\s+(?:can|could|will|wants)\b"
    r"|\bare\s+you\s+(?:able|ok|happy)\b",
    re.I,
)
_PROMISE = re.compile(r"\b(?:will|going\s+to|gonna|shall)\b|['’]ll\b", re.I)
# Features fitted on top of the line model (last in a row): the turn before asked; it asked and
# this is short; the line opens on thanks or praise and promises nothing ("Thanks to Kenji for
# reviewing the deck", not "Thanks, I'll send it tonight").
_CONTEXT = 3
_THANKS = re.compile(
    r"^\W*(?:(?:big|many|huge|special|a\s+big)\s+)?(?:thanks|thank\s+(?:you|u)|thx|ty|thanked"
    r"|kudos|shout-?outs?|props|appreciated?|really\s+appreciate|grateful|well\s+done"
    r"|nice\s+work|great\s+(?:job|work))\b",
    re.I,
)


def in_context(text: str, previous: str = "") -> str:
    """A line packed with the other speaker's turn just before it (the line alone without one)."""
    return f"{previous}{_SEP}{text}" if previous else text


def _context_features(rows: Sequence[str]) -> Matrix:
    """Whether the turn before asked for a task, this line is short, it opens on thanks.

    "can you do v2 by Friday?" -> "yes can do" is an answer that promises; "Thanks to Kenji for
    reviewing the deck" names a task done, not one to do (the vectors read its verb).
    """
    out = np.zeros((len(rows), _CONTEXT))
    for i, row in enumerate(rows):
        previous, _, text = row.rpartition(_SEP)
        asked = previous.rstrip().endswith("?") and bool(_ASKS.search(previous))
        thanks = bool(_THANKS.search(text)) and not _PROMISE.search(text)
        out[i] = [asked, asked and len(text.split()) <= 6, thanks]
    return out


# Grammatical cues the sentence vectors blur (MiniLM encodes topic better than tense or negation).
_CUES = [
    re.compile(p, re.I)
    for p in (
        r"\b(?:i'll|i will|we'll|will|'ll|gonna|going to|to (?!be\b)[a-z]+)\b",
        r"\b(?:already|yesterday|last (?:week|time|night|month)|this morning|just now|done"
        r"|completed|finished|closed)\b|✅|✔|✓|\[x\]",
        r"\b[a-z]+ed\b",
        r"~~|\b(?:not|won't|no longer|never|cancel\w*|park\w*|defer\w*|postpone\w*"
        r"|shelve\w*|forget|scrap|skip(?!-)|hold off|on hold|after all)\b"
        # "drop it in the chat" posts it; "drop the blog post" abandons it
        r"|\bdrop\w*\b(?!(?:\s+\w+){0,3}\s+in(?:to)?\s+(?:the|our|a|my|your)\b)",
        r"\?\s*$",
        r":\s*$",
        r"\b(?:maybe|might|perhaps|someday|some point|possibly|probably|could|would|should)\b",
        r"\b(?:by|before|until|due|on)\s+(?:mon|tue|wed|thu|fri|sat|sun|tomorrow|next|the end"
        r"|eow|eod|\d)",
        r"^\W*[a-z]+\b",
        r"(?:[-–—→>]|->)\s*@?(?:[A-Z][a-z]+|[A-Z]{2,3})\W*$|[(\[]@?(?:[A-Z][a-z]+|[A-Z]{2,3})\b[^)\]]*[)\]]",
        r"^\W*(?:homework|tasks?|todo|to-?do|actions?|ai|follow-?ups?|next\s+steps?|on\s+me|mine"
        r"|yours|for\s+(?:you|me)|target|decision|agreed)\b[^:]{0,24}[:\-–—]",
        r"\b(?:needs?|have|has)\s+to\b|\bmust\b|\bgotta\b|\bwill\s+(?:be|happen|move|go)\b",
        r"\b(?:agreed|decided|promised|offered|volunteered|committed)\s+(?:that\s+)?(?:\w+\s+)?"
        r"(?:would|will|'d|'ll|should|to)\b",
        # Reported speech: "Tom mentioned he will ...", "she said she'd ...", "told us she'll".
        r"\b(?:said|says|mentioned|told(?:\s+\w+)?|confirmed|explained|reckons|let\s+\w+\s+know)"
        r"\s+(?:that\s+)?(?:he|she|they|i|we)(?:\s+(?:would|will|(?:is|was)\s+going\s+to)\b"
        r"|['’](?:d|ll|s\s+going\s+to)\b)(?!\s+(?:been|have|had|love|like|rather)\b)",
    )
]
_NAME_CUE = re.compile(r"^\W*(?:[A-Z][a-z]+|[A-Z]{1,3}\.?)\s*(?::|-|–|—|to\b)")
# What a minutes line says before its task: a label ("AI:", "TODO (Ben):"), an owner marker
# ("Ben:", "KW -", "Ben & Ana:", "Ben to"), a bare "to".
_MARKER = re.compile(
    r"^\W*(?:(?:AI|A/I|ACTION|TODO|Action(?:\s+items?)?|To-?do|Follow-?up)\b[^:\-–—]{0,20}[:\-–—]\s*)?"
    r"(?:@?(?:[A-Z][a-z]+|[A-Z]{1,3}\.?)(?:\s*(?:&|and|/)\s*@?(?:[A-Z][a-z]+|[A-Z]{1,3}\.?))*"
    r"\s*(?::|-|–|—|->|→)\s*|@?(?:[A-Z][a-z]+|[A-Z]{1,3}\.?)\s+(?=to\s))?(?:to\s+)?"
)
# Closed-class words (pronouns, determiners, auxiliaries, conjunctions): never an imperative verb.
_FUNCTION = (
    STOPWORDS
    | NOT_NAMES
    | frozenset(
        """am been being does did has had have having i'm i'll i've i'd we're we'll you're
    you'll he's she's they're it's there's that's what why how who where which whether yet
    still maybe might must shall may very really quite too much many few lot lots bit though
    although because since as while until unless once than like""".split()
    )
)


def first_word(text: str) -> str:
    """The first word of the task part of a line, after any owner marker ("Ben: send" -> send)."""
    found = re.match(r"\W*([A-Za-z][a-z'’]*)\b", _MARKER.sub("", text, count=1))
    return found.group(1).casefold() if found else ""


def imperative_first(text: str) -> bool:
    """Whether the task part of a line starts like an imperative ("send", "book", "ask").

    The first word after any owner marker is not a function word and has no verb or adverb
    ending (-ed, -ing, -s, -ly; short words such as "ping" or "need" excepted).
    """
    word = first_word(text)
    inflected = (
        (re.search(r"(?:ed|ly)$", word) and len(word) > 4)
        or (word.endswith("ing") and len(word) > 5)
        or (word.endswith("s") and not word.endswith("ss") and len(word) > 3)
    )
    return bool(word) and word not in _FUNCTION and not inflected


def line_features(rows: Sequence[str]) -> Matrix:
    """The classifier's input: line vector, first word's vector, cue flags, context flags.

    Rows are made by :func:`in_context`. The first word's vector lets the model learn what a
    task verb looks like ("present", "schedule", "chase") from the rows, beyond the words it has
    seen; the sentence vector carries the topic.
    """
    texts = [r.rpartition(_SEP)[2] for r in rows]
    cues = [
        [*(bool(c.search(t)) for c in _CUES), bool(_NAME_CUE.search(t)), imperative_first(t)]
        for t in texts
    ]
    words = [first_word(t) if imperative_first(t) else "" for t in texts]
    sentences = embed(texts)
    unique = sorted({w for w in words if w})
    vectors = dict(zip(unique, embed(unique), strict=True)) if unique else {}
    blank = np.zeros(sentences.shape[1])
    heads = np.vstack([vectors.get(w, blank) for w in words])
    cue_flags = 0.5 * np.asarray(cues, dtype=np.float64)
    return np.hstack([sentences, heads, cue_flags, _context_features(rows)])


class _LineSpec(TrainingSpec):
    """A line model fitted in stages, so a line no later feature fires on reads as before.

    First on the lines alone (``files``); then, for each of ``on_top`` in turn, only the weights
    of its features (columns ``a:b`` of the features fitted on top), on top of the scores so far
    and with no new bias, on its own file: the answer features on round fourteen's answers with
    their question, the thanks feature on round fifteen's lines.
    """

    on_top: tuple[tuple[str, int, int], ...] = (
        ("action_lines_r14.jsonl", 0, 2),
        ("action_lines_r15.jsonl", 2, 3),
    )

    def rows(self) -> list[LabelledText]:
        return [row for name in self.files for row in _rows(name)]

    def train(self) -> LinearModel:
        lines = self.rows()
        base = fit(
            self.name,
            line_features([r.text for r in lines])[:, :-_CONTEXT],
            [r.label for r in lines],
            **self.fit_args,
        )
        extra = np.zeros((_CONTEXT, len(base.labels)))
        for name, a, b in self.on_top:
            rows = _rows(name)
            x = line_features([r.text for r in rows])
            k = x.shape[1] - _CONTEXT
            stage = fit(
                self.name,
                x[:, k + a : k + b],
                [r.label for r in rows],
                classes=base.labels,
                steps=600,
                l2=1e-2,
                offset=x[:, :k] @ base.weights + base.bias + x[:, k:] @ extra,
            )
            extra[a:b] = stage.weights
        meta = {
            "rows": len(lines),
            "files": list(self.files),
            "on_top": [[name, a, b] for name, a, b in self.on_top],
        }
        return LinearModel.from_json(
            LinearModel(
                self.name, base.labels, np.vstack([base.weights, extra]), base.bias, meta
            ).to_json()
        )


def _rows(name: str) -> list[LabelledText]:
    """A file's rows, each line packed with the context its row gives (:func:`in_context`)."""
    return [
        LabelledText(
            in_context(str(r["text"]), str(r.get("previous", ""))),
            str(r["label"]),
            str(r.get("id", n)),
        )
        for n, r in enumerate(training_rows(name), 1)
    ]


ACTION_LINES = _LineSpec(
    "action_lines",
    (
        "action_lines.jsonl",
        "action_lines_formats.jsonl",
        "action_lines_more.jsonl",
        "action_lines_r7.jsonl",
    ),
    featurise=line_features,
    fit_args={"l2": 3e-4, "steps": 600},
)


def classify_lines(texts: Sequence[str]) -> list[dict[str, float]]:
    """Probabilities of commitment / done / dropped / discussion per line of notes."""
    if not texts:
        return []
    model = load_model("action_lines")
    probs = model.probabilities(list(texts), line_features)
    return [dict(zip(model.labels, map(float, row), strict=True)) for row in probs]
