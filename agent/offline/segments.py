"""Split session notes into candidate sentences, whatever the format, keeping exact spans.

This is the part of action extraction that rules do well: the *layout* of notes. Chat exports
(Slack "Name  9:41 AM" headers and "[10:02 AM] Name:", WhatsApp "18/11/2026, 18:02 - Name:",
Zoom "10:02:15 From Name to Everyone:"), transcripts ("Speaker 1 (Name):", WebVTT cues and
``<v Name>`` voices), IRC ``<nick>`` lines, minutes ("Name: task", "AI Name:", "ACTION:"),
bullets and checklists, tools' exports (tables, CSV, JSON, YAML, org: :mod:`.records`),
"Owner:" / "Due:" sub-lines, owner groups, quoted email replies and headings that say what a
list is ("Next steps", "Done", "Parked", "For you:"). Noise (timestamps, cue numbers, voice
tags, "(edited)", quote marks, HTML comments) is blanked in a copy of the notes of the same
length, so every span still points at the notes and evidence stays a verbatim quote. Whether a
sentence is a commitment is not decided here: that is the classifier's job
(:mod:`agent.offline.actions`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from agent.offline.dates import month_name_at
from agent.offline.records import read_records
from agent.offline.words import KNOWN_VERBS

__all__ = ["Segment", "Sentence", "split_notes"]

_NAME = r"[A-Z][\w'’.-]*(?:[ \t]+[A-Z][\w'’.-]*){0,2}"
# "00:12:40 Amira Saleh:" is a stamp and a name, not "AM" and "ira Saleh".
_TIME = r"\d{1,2}:\d\d(?::\d\d)?(?:[ \t]*[AaPp]\.?[Mm]\.?(?![A-Za-z]))?"
_PREFIXES = [
    re.compile(r"^\d{1,2}/\d{1,2}/\d{2,4},?[ \t]+" + _TIME + r"[ \t]+-[ \t]+(?P<n>[^:\n]{1,40}):"),
    # WhatsApp on iOS: "[02/12/2026, 18:03:11] Name:"
    re.compile(
        r"^\[\d{1,2}[/.]\d{1,2}[/.]\d{2,4},?[ \t]+" + _TIME + r"\][ \t]*(?P<n>[^:\n]{1,40}):"
    ),
    re.compile(r"^\d\d:\d\d:\d\d[ \t]+From[ \t]+(?P<n>.{1,40}?)[ \t]+to[ \t]+[^:\n]{1,40}:"),
    re.compile(r"^Speaker[ \t]*\d+[ \t]*\((?P<n>[^)\n]{1,40})\)[ \t]*:?"),
    re.compile(r"^<v[ \t]+(?P<n>[^>\n]{1,40})>"),
    re.compile(r"^SPEAKER_?\d+[ \t]*:"),
    # IRC and Matrix logs: "[14:02] <nick> text", "14:02:11 <nick> text"
    re.compile(r"^(?:[\[(]?" + _TIME + r"[\])]?[ \t]*)?<(?P<n>[\w.|@:-]{1,40})>"),
    re.compile(
        r"^[\[(]?" + _TIME + r"[\])]?[ \t]*(?:-[ \t]*)?(?:\*\*)?(?P<n>[\w.'’ -]{1,40}?)(?:\*\*)?:"
    ),
]
_HEADER = re.compile(
    r"^(?:\*\*)?(?:[\[(]?"
    + _TIME
    + r"[\])]?[ \t]+)?(?P<n>"
    + _NAME
    + r"|[a-z]+\.[a-z]+|Speaker[ \t]*\d+[ \t]*\([^)\n]+\)"
    + r"|[a-z][\w.]{2,30}(?=[ \t]+[—–-][ \t]+(?:Today|Yesterday|\d)))"  # a Discord handle
    + r"(?:\*\*)?(?:[ \t]+[\[(]?"
    + _TIME
    + r"[\])]?"
    # Discord: "Name — Today at 6:03 PM", "Name — 02/12/2026 18:03"
    + r"|[ \t]+[—–-][ \t]+(?:(?:Today|Yesterday)[ \t]+at|\d{1,2}/\d{1,2}/\d{2,4},?)[ \t]+"
    + _TIME
    + r")?[ \t]*$"
)
_LABEL = re.compile(
    r"^(?:\*\*)?@?(?P<n>[\w.'’-]+(?:[ \t]+[A-Z][\w.'’-]*){0,2})(?:\*\*)?(?:[ \t]*\([^)\n]{1,30}\))?"
    r"[ \t]*:[ \t]+"
)
# Lines that describe the meeting rather than say anything to act on.
_SKIP_LABEL = re.compile(
    r"^\W*(?:date|attendees|participants|present|subject|re|to|from|cc|time|location|duration"
    r"|agenda|title|context|background|main\s+topic|topics?|summary|feeling|mood|rating|links?"
    r"|resources|observations?|reflection|pattern|insights?|takeaways?|lessons?\s+learned|fyi"
    r"|risks?|wins?|blockers?|open\s+questions|q|a|minutes\s+taken\s+by)\s*:",
    re.I,
)
META_LABEL = re.compile(
    r"^(?:date|attendees|participants|present|subject|re|to|from|cc|time|location|duration|agenda"
    r"|title|session|meeting|pair|status|priority|owner|due|note|notes|context|background|goal"
    r"|goals|summary|decision|decisions|topics?|q|a|tip|takeaway|insight|risk|risks|update"
    r"|progress|link|resources|recommended|feeling|mood|rating|wins?|blockers?|ideas?|wishlist"
    r"|reflection|observation|pattern|lesson learned|discussed|agreed|ps|p\.s|fyi|system"
    r"|assistant|user|ai|bot|action|actions|todo|to-do|next steps?|follow-ups?|homework|me|you"
    r"|for you|mentor|mentee|parked|deferred|dropped|done|completed|open questions)$",
    re.I,
)
_BULLET = re.compile(
    # "1.", "a)", and in minutes "1.2" or "A3." (numbered actions)
    r"^(?P<indent>[ \t]*)(?:(?:[-*•+▪◦‣→]|->|[A-Z]?\d{1,2}(?:\.\d{1,2})?[.)]|\d\.\d{1,2}"
    r"|[a-z][)])[ \t]+)?"
    r"(?:\[(?P<box>[ xX✓✔]?)\][ \t]*|(?P<glyph>[☐☑✅✔✓◯○])[ \t]*)?"
)
_HEADING = re.compile(
    r"^[ \t]*(?:#{1,6}[ \t]+(?P<h>.+?)|\*\*(?P<b>[^*]+)\*\*:?|__(?P<u>[^_]+)__)[ \t]*$"
)
# Words that make a short unpunctuated line a title ("Mentoring call 14 Nov", "Incident write-up").
_TITLE_WORD = re.compile(
    r"notes|recap|summary|transcript|minutes|sync|1:1|session|meeting|call|chat|catch-?up"
    r"|mentoring|write-?up",
    re.I,
)



def _owner_line_task(body: str) -> bool:
    """Whether ``Name: Body`` reads as minutes' owner line: a task verb, no one addressed.

    "Kwame: Write the doc by Friday" gives Kwame a task; "Ana: Send me the link" is Ana
    speaking to someone, as a chat or a transcript would have it.
    """
    first = re.match(r"\s*([A-Za-z]+)\b", body)
    return (
        first is not None
        and first.group(1).lower() in KNOWN_VERBS
        and not re.search(r"\b(?:you|your|me|my|us|our|I)\b|\?", body)
    )

def _has_title_word(text: str) -> bool:
    """Whether a title word stands alone in the text or in a channel or slug ("#mentoring-ben").

    A hyphen makes a compound word of its own: "on-call" and "call-out" are not the word "call".
    """
    for token in text.split():
        word = token.strip(".,;:!?()[]{}'\"“”‘’*_")
        slug = word.startswith("#") or word.count("-") >= 2
        parts = re.split(r"[#/-]", word) if slug else word.split("/")
        if any(_TITLE_WORD.fullmatch(p) for p in parts):
            return True
    return False


# A short label before a colon: "Next step for me:", "Homework for Ben:", "For you:".
_INLINE_LABEL = re.compile(
    r"^[ \t]*(?P<l>[A-Za-z][\w'’]*(?:[ \t]+[\w'’]+){0,4}?)[ \t]*:[ \t]+(?=\S)"
)
# What labels a task (not a decision or a plan, which record what was settled).
_TASK_LABEL = re.compile(r"\b(?:action|next step|to-?do|follow-?up|homework|task)s?\b")
_OWNER_MARKER = re.compile(
    r"^\W*(?:(?:AI|A/I|ACTION|TODO)[ \t]+)?(?P<n>" + _NAME + r"|[A-Z]{2,3})"
    r"(?:[ \t]*:|[ \t]+[-–—]+|[ \t]*(?:->|→|=>))[ \t]*(?=[a-z])"
)
_SECTION_WORDS = [
    (
        "other",
        r"^(?:notes|overview|discussion|summary|outline|context|background|agenda|topics"
        r"|what we (?:talked about|discussed)|discussed|highlights|transcript|key points)\b",
    ),
    ("dropped", r"park|defer|on hold|maybe later|ideas|wishlist|dropped|backlog|not doing|later"),
    (
        "done",
        r"(?<!not )\bdone\b|completed|finished|since last|last time|previous|wins"
        r"|(?<!in )progress|last week",
    ),
    (
        "actions",
        r"action|next step|to[- ]?dos?|follow|homework|in progress|doing|ongoing|agreed"
        r"|tasks|for you|my side"
        r"|i'm going to do|i will do|plan|commitments|owners?",
    ),
    # What was settled, not who does what next ("Key decisions"); what was said in thanks.
    ("decisions", r"\bdecisions?\b|\bdecided\b"),
    ("other", r"kudos|shout-?outs?|appreciations?"),
]
_NOISE = [
    re.compile(r"<!--.*?-->", re.S),
    re.compile(r"(?<![\w:]):[a-z0-9_+-]*[a-z_+][a-z0-9_+-]*:(?![\w:])"),  # Slack ":+1:", ":tada:"
    re.compile(r"</v>|</?c(?:\.[\w.]+)?>"),
    re.compile(r"[ \t]*\((?:edited)\)"),
    re.compile(r"\*\*|__"),
    re.compile("[\U0001f4c5\U0001f4c6\U0001f5d3\u23f0]\ufe0f?"),  # a calendar glyph before a date
]
_VTT = re.compile(r"^(?:WEBVTT.*|\d+|\d\d:\d\d(?::\d\d)?[.,]\d+[ \t]*-->.*|NOTE\b.*)$")
# A caption timestamp alone on a line (YouTube's transcript panel: "0:03", then the words).
_CAPTION_TIME = re.compile(r"^\d{1,2}(?::\d\d){1,2}$")
# A run this long with no sentence punctuation is a caption or dictation: split into clauses.
UNPUNCTUATED_WORDS = 18
# A line that stops mid-phrase ("... by Friday and") goes on on the next line.
_WRAPPED = re.compile(r"(?:\b(?:and|or|to|the|a|an|with|of|for|by|on|in|then)|,)\s*$", re.I)
_DUE_WRAP = re.compile(r"(?:by|before|until|till|no\s+later\s+than)\s+\w")
_TERMINAL = re.compile(r"[.!?:]['’\")\]]*\s*$")
_SENTENCE_END = re.compile(
    r"(?<=[.!?])(?<!\bMr\.)(?<!\bMs\.)(?<!\bDr\.)(?<!\bMrs\.)(?<!\bProf\.)(?<!\bSt\.)"
    r"['’\")\]]*\s+(?=[A-Z\"“(@\[])|(?<=[.!?])\s*(?=$)"
    r"|(?<=[a-z]{2}[.!?])(?<!etc\.)(?<!vs\.)\s+(?=[a-z])"  # chat and shorthand write in lowercase
    r"|(?<=[\u2600-\u27bf\U0001f300-\U0001faff])\ufe0f?\s+(?=\S)"  # chat ends a thought on an emoji
)
_FIELD = re.compile(
    r"^[ \t]*(?:[-*•][ \t]+)?(?P<k>owner|who|assignee|due|when|deadline|status):[ \t]*(?P<v>.+)$",
    re.I,
)
_QUOTE_HEAD = re.compile(
    r"^On .{4,80}?,[ \t]*(?P<n>[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*)?)[ \t]*<[^>\n]*>[ \t]*wrote:"
)


@dataclass
class Segment:
    """One bullet, table row, turn or paragraph line (continuation lines joined)."""

    start: int
    end: int
    speaker: str | None = None  # label, header or voice: who wrote or said it
    label_in_span: bool = False  # "Ben: draft the RFC" keeps its owner marker as evidence
    section: str | None = None  # "actions" | "done" | "dropped" | "discussion" | "decisions"
    section_owner: str | None = None  # "for you" / "me" / "mine" as written in the heading
    group_owner: str | None = None  # a name line heading a group of items
    bullet: bool = False
    checked: bool | None = None
    struck: bool = False
    fields: dict[str, str] = field(default_factory=dict)  # table cells or "Owner:" sub-lines
    turn: int = 0
    task_at: int | None = None  # where the task starts after a label ("Next step for me: ...")
    label_owner: str | None = None  # "me", "you" or a name, as the label says
    task_label: bool = False  # the label names a task ("Homework:", "My next step:")


@dataclass(frozen=True)
class Sentence:
    """A candidate: its span in the notes, its cleaned text and the segment it belongs to."""

    start: int
    end: int
    text: str
    segment: Segment
    clause: bool = False  # one clause of an unpunctuated run (see :func:`_clauses`)


def _blank(clean: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        if clean[i] != "\n":
            clean[i] = " "


def _owned_task(text: str) -> bool:
    """Whether a line is a minutes task ("Ben: draft the write-up", "AI Rahul - book the call").

    An owner marker (a name that is no title word, then a colon, dash or arrow) followed by a
    lowercase task is what a title never is ("Sync: weekly call" keeps its title word).
    """
    found = _OWNER_MARKER.match(text)
    if found is None:  # "Kwame: Schedule a call ...": a capitalised task verb after the name
        label = _LABEL.match(text)
        found = label if label and _owner_line_task(text[label.end() :]) else None
    return bool(
        found and not _has_title_word(found.group("n")) and not META_LABEL.match(found.group("n"))
    )


def _heading(line: str, bullet: bool, in_turn: bool = False) -> str | None:
    match = _HEADING.match(line)
    if match:
        return match.group("h") or match.group("b") or match.group("u")
    if in_turn:  # the first line of a chat turn is what was said, never a title
        return None
    text = line.strip()
    words = text.rstrip(":").split()
    if (
        not bullet
        and text.endswith(":")
        and 0 < len(words) <= 7
        and (not _LABEL.match(text + " ") or _section(text) is not None)  # "Decisions:"
    ):
        return text
    if (
        not bullet
        and 0 < len(words) <= 9
        and not _TERMINAL.search(re.sub(r"\d[\d./-]*\.\s*$", "", text))  # "Notes, 18.11."
        and _has_title_word(text)
        and not re.search(r"\b(?:will|to|'ll)\b", text)
        and not _owned_task(text)
    ):
        return text
    if (
        not bullet
        and 0 < len(words) <= 4
        and not _TERMINAL.search(text)
        and any(re.search(p, text, re.I) for _, p in _SECTION_WORDS)
    ):
        return text
    return None


def _heading_owner(low: str) -> str | None:
    """Whose items a heading or label announces: "you" (the other person), "me" or nobody."""
    if re.search(r"\bfor you\b|\byour\b|\byours\b|^you$|\bmentee\b", low):
        return "you"
    if re.search(r"\bmy\b|\bme\b|\bi\b|\bi'm\b|\bmine\b", low):
        return "me"
    return None


def _section(heading: str) -> str | None:
    for name, pattern in _SECTION_WORDS:
        if re.search(pattern, heading.strip(" #*_:"), re.I):
            return "discussion" if name == "other" else name
    return None


def split_notes(notes: str, is_person: object = None) -> tuple[str, list[Sentence]]:
    """The notes with noise blanked (same length) and their candidate sentences in order.

    ``is_person`` (a callable taking a label) says whether a lowercase label such as "ben" is a
    person; capitalised labels that are not headings or field names are taken as names.
    """
    clean = list(notes)
    for pattern in _NOISE:
        for m in pattern.finditer(notes):
            _blank(clean, m.start(), m.end())
    person = is_person if callable(is_person) else (lambda _label: False)
    segments: list[Segment] = []
    speaker: str | None = None
    section: str | None = None
    section_owner: str | None = None
    group_owner: str | None = None
    blocks = read_records(notes, person)
    quoted: str | None = None
    last: Segment | None = None
    turn = 0
    after_header = False
    colon_list = seen_blank = listed = False
    vtt = notes.lstrip().startswith("WEBVTT")
    # Phone-typed notes end no line with a full stop: each line is its own item or remark.
    terse = not re.search(r"[.!?][\"')]?[ \t]*$", notes, re.M)
    roles_talk = _roles_talk(notes, person)
    for m in re.finditer(r"^.*$", notes, re.M):
        ls, raw = m.start(), "".join(clean[m.start() : m.end()])
        text = raw.strip()
        if not text:
            if not vtt:  # a blank line ends a paragraph (WebVTT separates cues with them)
                last = None
            seen_blank = True
            continue
        if _VTT.match(text) or _CAPTION_TIME.match(text):
            vtt = vtt or bool(_CAPTION_TIME.match(text))  # timed captions cut a phrase anywhere
            _blank(clean, ls, m.end())
            continue
        head = _QUOTE_HEAD.match(text)
        if head:
            quoted = head.group("n")
            _blank(clean, ls, m.end())
            continue
        line_speaker: str | None = None
        if raw.lstrip().startswith(">"):
            at = ls + raw.index(">")
            _blank(clean, at, at + 1)
            raw = "".join(clean[ls : m.end()])
            text = raw.strip()
            line_speaker = quoted
            if not text:
                continue
        while blocks and blocks[0][1] <= ls:
            blocks.pop(0)
        if blocks and blocks[0][0] < m.end():  # a line of an export: its records, once
            for record in blocks[0][2] if blocks[0][0] >= ls else []:
                task = record.fields["action"]
                seg = Segment(record.start, record.end, section=section, struck="~~" in task)
                seg.fields = {**record.fields, "action": task.replace("~~", "")}
                segments.append(seg)
            last = None
            continue
        header = _HEADER.match(text)
        if (
            header
            and not META_LABEL.match(header.group("n").strip())
            and (re.search(r"\d:\d\d|\(|\.", text) or person(header.group("n")))
            and not text.endswith(":")
        ):
            name = header.group("n")
            inner = re.search(r"\(([^)]+)\)", name)
            speaker = (inner.group(1) if inner else name).strip()
            if section == "actions" and person(speaker) and not re.search(r"\d:\d\d", text):
                group_owner, speaker = speaker, None  # an owner group heading
            else:
                turn += 1
            _blank(clean, ls, m.end())
            last = None
            after_header = True
            continue
        body_at = ls + len(raw) - len(raw.lstrip())
        label_in_span = prefixed = False
        for prefix in _PREFIXES:
            found = prefix.match(raw.lstrip())
            if found:
                prefixed = True  # a chat line is a turn of its own, never a wrapped line
                who: str | None = found.groupdict().get("n")
                line_speaker = who.strip() if who else "Speaker"
                _blank(clean, body_at, body_at + found.end())
                turn += 1
                break
        fld = _FIELD.match(raw)
        if fld and last is not None and last.bullet:
            last.fields[
                fld.group("k")
                .lower()[:5]
                .replace("who", "owner")
                .replace("assig", "owner")
                .replace("when", "due")
                .replace("deadl", "due")
            ] = fld.group("v").strip()
            _blank(clean, ls, m.end())
            continue
        raw = "".join(clean[ls : m.end()])
        if _SKIP_LABEL.match(raw):
            _blank(clean, ls, m.end())
            last = None
            continue
        bullet = _BULLET.match(raw)
        assert bullet is not None
        is_bullet = bullet.end() > len(bullet.group("indent"))
        rest = raw[bullet.end() :]
        heading = _heading(rest if is_bullet else raw, is_bullet, after_header or prefixed)
        after_header = False
        if heading is not None and not (is_bullet and not heading.endswith(":")):
            section = _section(heading)
            low = heading.lower()
            section_owner = _heading_owner(low)
            if re.search(r"going to do|what i'll do|i will do|my side", low):
                section = "actions"
            group_owner = None
            colon_list = _HEADING.match(rest if is_bullet else raw) is None
            seen_blank = False
            _blank(clean, ls, m.end())
            last = None
            continue
        if not rest.strip():
            continue
        if colon_list and seen_blank and listed and not is_bullet:
            # "What I'm going to do:" heads its list; the prose after a blank line is not in it.
            section, section_owner, colon_list = None, None, False
        listed, seen_blank = is_bullet, False
        label = _LABEL.match(rest)
        role = bool(label and re.fullmatch(r"(?i)ment(?:or|ee)", label.group("n")))
        meta = label and META_LABEL.match(label.group("n")) and not (role and roles_talk)
        if label and not line_speaker and not meta:
            name = label.group("n")
            if name[:1].isupper() or person(name):
                line_speaker = name
                body = rest[label.end() :]
                # Minutes ("Ben: draft the RFC"): the label is the owner marker, part of the quote.
                # A caption cue's label names its speaker, never an owner marker.
                label_in_span = (
                    body[:1].islower() or is_bullet or _owner_line_task(body)
                ) and not vtt
                if not label_in_span:
                    at = ls + bullet.end()
                    _blank(clean, at, at + label.end())
                turn += 1
        # "Next step for me: book ...", "Homework for Ben: read ...": a label that says whose
        # task follows; the task starts after it.
        said_at = label.end() if label and line_speaker and label.group("n") == line_speaker else 0
        inline = _INLINE_LABEL.match(rest[said_at:])
        task_at: int | None = None
        label_owner: str | None = None
        task_label = False
        if inline:
            words = inline.group("l").lower()
            named = re.search(r"\bfor\s+(?:the\s+)?(?P<n>[\w'’-]+)$", inline.group("l"))
            whose = _heading_owner(words)
            if person(inline.group("l")):  # "Mentee: send the CV", "Mentor: book the room"
                label_owner = inline.group("l")
            elif (
                named and named.group("n").lower() not in {"me", "you"} and person(named.group("n"))
            ):
                label_owner = named.group("n")
            elif whose is not None:
                label_owner = whose
            task_label = bool(_TASK_LABEL.search(words))
            if label_owner is not None or task_label:
                task_at = ls + bullet.end() + said_at + inline.end()
        start = ls + bullet.end() + (len(rest) - len(rest.lstrip()))
        end = ls + len(raw.rstrip())
        indented = bool(re.match(r"[ \t]+\S", notes[ls : m.end()]))
        previous = "".join(clean[last.start : last.end]) if last is not None else ""
        long_line = len(previous.split("\n")[-1]) >= 60
        continues = (
            last is not None
            and not is_bullet
            and not (prefixed and not vtt)  # WebVTT cuts one utterance over several cues
            and (line_speaker is None or line_speaker == last.speaker)
            and not _TERMINAL.search(previous)
            and (
                bool(_WRAPPED.search(previous))  # "... by" / "Jan 8."
                # "she'll submit the abstract / by the end of the week.": in punctuated prose
                # a line opening on a due word is the date of the line before.
                or (not terse and speaker is None and bool(_DUE_WRAP.match(rest.lstrip())))
                # "* Sipho to check whether ... a second / <indent>CI runner": a long bullet
                # wrapped at its width, or a short one whose clause goes on.
                or (
                    indented
                    and last.bullet
                    and (len(previous) >= 50 or not _clause_ends_at(previous, rest, 0.35))
                )
                or (
                    (rest.lstrip()[:1].islower() or rest.lstrip()[:1].isdigit())
                    and (
                        vtt  # one utterance cut over several cues
                        or indented
                        # Typed prose wraps anywhere ("Mariam said she would / send the
                        # rubric"): the learned boundary model tells a wrap from a new clause.
                        or (
                            speaker is None
                            and (
                                (long_line and not _clause_ends_at(previous, rest))
                                if terse
                                else (long_line or not _clause_ends_at(previous, rest, 0.35))
                            )
                        )
                    )
                )
            )
        )
        if continues and last is not None:
            last.end = end
            continue
        if line_speaker is None and not is_bullet and speaker is not None:
            line_speaker = speaker
        box = bullet.group("box")
        glyph = bullet.group("glyph")
        checked = (box.strip() != "") if box is not None else (glyph in "☑✅✔✓" if glyph else None)
        seg = Segment(
            start,
            end,
            speaker=line_speaker or (speaker if is_bullet and section is None else None),
            label_in_span=label_in_span,
            section=section,
            section_owner=section_owner,
            group_owner=group_owner,
            bullet=is_bullet or box is not None,
            checked=checked,
            struck=bool(re.fullmatch(r"\s*~~.*~~.*", notes[start:end])),
            turn=turn,
            task_at=task_at,
            label_owner=label_owner,
            task_label=task_at is not None and task_label,
        )
        segments.append(seg)
        last = seg
    cleaned = "".join(clean)
    return cleaned, [s for seg in segments for s in _sentences(cleaned, seg)]


def _sentences(clean: str, seg: Segment) -> list[Sentence]:
    if "action" in seg.fields:
        return [Sentence(seg.start, seg.end, seg.fields["action"], seg)]
    out: list[Sentence] = []
    start = seg.start
    for m in _SENTENCE_END.finditer(clean, seg.start, seg.end):
        if re.search(r"(?<![\w.])\d{1,2}\.$", clean[start : m.start()]) and month_name_at(
            clean, m.end()
        ):
            continue  # "bis 3. Dezember": a day-first date, not the end of a sentence
        out.extend(_sentence(clean, start, m.start(), seg))
        start = m.end()
    out.extend(_sentence(clean, start, seg.end, seg))
    return out


def _sentence(clean: str, start: int, end: int, seg: Segment) -> list[Sentence]:
    while start < end and clean[start].isspace():
        start += 1
    while end > start and clean[end - 1].isspace():
        end -= 1
    text = " ".join(clean[start:end].replace("~~", "").split())
    if not re.search(r"\w", text):
        return []
    if _unpunctuated(text) and not seg.bullet:  # a typed bullet is one task, however long
        return [
            Sentence(a, b, " ".join(clean[a:b].split()), seg, clause=True)
            for a, b in _clauses(clean, start, end)
        ]
    cut = _later_promise(clean, start, end, seg.label_in_span and start == seg.start)
    if cut is not None:  # "sorry I was late, my train was delayed, anyway I'll send ..."
        return [*_sentence(clean, start, cut[0], seg), *_sentence(clean, cut[1], end, seg)]
    return [Sentence(start, end, text, seg)]


# A promise in a later clause ("..., so I'll write it up", "... - will post it after lunch").
_PROMISE_CLAUSE = re.compile(
    r"(?:[,;]|\s[-–—]|\s(?=(?:so|and|anyway)\s))\s*(?:(?:so|and|anyway|but|then|btw|also|ok|okay)\s+)*"
    r"(?=(?:I|i|we)\s*(?:['’]ll|will|am\s+going\s+to|['’]m\s+(?:going\s+to|gonna))\s+[a-z]"
    r"|will\s+(?!be\b|have\b)[a-z])"
)
# What an earlier clause says when the later one is its rest, not a new promise.
_NOT_BEFORE = re.compile(
    r"\b(?:will|would|'ll|’ll|going\s+to|gonna|can|could|should|need|needs|have\s+to|must|if|when"
    r"|once|after|before|unless|until|said|says|told|mentioned|asked|that)\b|[?:]",
    re.I,
)


def _later_promise(clean: str, start: int, end: int, label: bool) -> tuple[int, int] | None:
    """Where a sentence's later promise starts, when what comes before it is no task.

    Chat and transcripts put the commitment after an apology, a past event or thanks ("the
    team liked it, so I'll write up the post-mortem"): the line model and the owner rules
    read a sentence from its start, so the promise is a sentence of its own. The earlier
    part must say nothing of the future, a condition or reported speech.
    """
    text = clean[start:end]
    said = _LABEL.match(text) if label else None  # "Tariq: sorry I missed it, will post ..."
    for m in _PROMISE_CLAUSE.finditer(text):
        before = text[said.end() if said else 0 : m.start()]
        if (
            len(before.split()) >= 3
            and not _NOT_BEFORE.search(before)
            and before.count("(") == before.count(")")
            # "the template is on my old laptop, will post it Monday": "it" is said before
            and not re.search(r"\b(?:it|them|this|that|these|those)\b", text[m.end() :], re.I)
            and _promise_reads_alone(before, text[m.end() :], text[said.end() if said else 0 :])
        ):
            return start + len(before.rstrip()), start + m.end()
    return None


def _promise_reads_alone(before: str, promise: str, line: str) -> bool:
    """Whether the line model reads the earlier part as no task, the promise alone as a task.

    "good, write the plan up and I'll read it" stays whole (its first part is a task); so does
    "for the talk, I'll leave comments", whose promise alone reads less a task than the line.
    """
    from agent.offline.action_lines import classify_lines

    first, alone, whole = (p["commitment"] for p in classify_lines([before, promise, line]))
    return first < 0.5 and alone >= whole


def _unpunctuated(text: str) -> bool:
    """A long run of bare words (auto captions, ASR, dictation): no punctuation at all.

    Typed notes punctuate (a comma, a colon, an arrow, brackets), so they never qualify.
    """
    return len(text.split()) >= UNPUNCTUATED_WORDS and bool(re.fullmatch(r"[\w'’ -]+", text))


def _roles_talk(notes: str, person: Callable[[str], bool]) -> bool:
    """Whether "Mentor:" / "Mentee:" lines are a conversation (labels name who speaks).

    Minutes give each role a task ("Mentee: send the CV"); a transcript's turns say other
    things too ("Mentor: so last time you were going to ...").
    """
    from agent.offline.action_lines import imperative_first

    turns = re.findall(r"^[ \t]*(ment(?:or|ee))[ \t]*:[ \t]*(.+)$", notes, re.M | re.I)
    return person("mentor") and any(not imperative_first(body) for _, body in turns)


def _clause_ends_at(previous: str, line: str, bar: float | None = None) -> bool:
    """Whether a line ends a clause (the next line is not its wrapped rest).

    Phone notes put one item on each line, unpunctuated; the learned boundary model tells
    "... blocked on schema sign-off / he'll chase Ama" from "... we talked about what / the".
    A short line is a wrap only when the model is sure the clause goes on (``bar`` 0.35: item
    lists such as "jm -> send kw the talk (fri) / kw -> fix ..." score 0.45-0.50, wrapped
    prose such as "Mariam said she would / send ..." under 0.3).
    """
    from agent.offline.clauses import boundary_probabilities
    from agent.offline.learned import load_model

    before, after = previous.split(), line.split()
    probs = boundary_probabilities([*before, *after])
    bar = float(load_model("clause_bounds").meta["threshold"]) if bar is None else bar
    return probs[len(before) - 1] >= bar


def _clauses(clean: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the clauses of an unpunctuated run, found by the learned boundary model."""
    from agent.offline.clauses import clause_ends, normalise

    words = [m for m in re.finditer(r"\S+", clean[start:end]) if normalise(m.group(0))]
    if len(words) < UNPUNCTUATED_WORDS:
        return [(start, end)]
    spans: list[tuple[int, int]] = []
    first = 0
    for last in clause_ends([w.group(0) for w in words]):
        spans.append((start + words[first].start(), start + words[last].end()))
        first = last + 1
    return spans
