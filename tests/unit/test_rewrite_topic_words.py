"""Topic phrases read in their sentence (round twelve): where a phrase ends, what stays in it.

The sentences are written for this test, not taken from a dev or blind set.
"""

from __future__ import annotations

import pytest

from agent.offline.phrases import topic_phrases
from agent.offline.topic_words import TOKEN, in_noun_phrase


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        # a verb the lexicon lacks, after a plural noun, is not part of the phrase
        ("why the staging certs expire every month and nobody renew", "the staging certs"),
        ("the smoke test results vanish again, are you even looking", "the smoke test results"),
        # a noun of trouble names the thing ("error", "bug"), it does not judge it
        ("Honestly your error budget report is a joke.", "your error budget report"),
        ("Your bug report template is useless.", "your bug report template"),
    ],
)
def test_a_phrase_ends_where_the_sentence_says_and_keeps_its_naming_nouns(
    text: str, phrase: str
) -> None:
    assert topic_phrases(text)[0] == phrase


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Why did you ship such a buggy release?", "a release"),
        ("Your garbage code again.", "your code"),
    ],
)
def test_a_judging_describer_still_goes(text: str, phrase: str) -> None:
    assert topic_phrases(text) == [phrase]


@pytest.mark.parametrize(
    ("text", "not_topic"),
    [
        ("The new API is just a toy to you.", "a toy"),  # what it is called, past an adverb
        ("The page has only one heading, that is lazy.", "the heading"),  # a count
        ("You left 30 spot instances running over the weekend.", "30 spot instances"),
    ],
)
def test_what_a_thing_is_called_and_counts_are_not_topics(text: str, not_topic: str) -> None:
    assert not_topic not in topic_phrases(text)


def test_the_model_reads_the_word_in_its_sentence() -> None:
    tokens = TOKEN.findall("why the reserved nodes expire and nobody renew")
    assert in_noun_phrase(tokens, tokens.index("nodes"))
    assert not in_noun_phrase(tokens, tokens.index("renew"))
    assert not in_noun_phrase(tokens, tokens.index("why"))
