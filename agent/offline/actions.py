"""The offline action-item extractor and the Wisdom-to-Action ratio, with no network or model.

Pattern: *scaffold, enrich, check*. The notes are parsed into units (headings, bullets, speaker
turns, prose paragraphs) that keep their exact character spans, so every item's evidence is a
verbatim slice of the notes. Rules over each sentence find commitments and turn them into items.

Formats read as they are exported (the text is normalised to the same length, so spans still
point at the notes): chat exports ("Name  9:41 AM" headers, "[10:02 AM] Name:", WhatsApp's
"18/11/2026, 18:02 - Name:", chat handles "ana.silva"), with "(edited)" markers blanked;
auto-transcripts ("Speaker 1 (Name):", WebVTT cues and ``<v Name>`` voices, one utterance cut over
several cues), whose fillers ("uh", "um", ", like,", ", you know,", "I'll, uh, I'll") are read
past and never reach an action; Google Doc recaps (one item per line under "Next steps", no
bullets); AI note-taker summaries (items grouped under each owner's name); markdown tables with
Action / Owner / Due (/ Status) columns; Notion items with "Owner:" / "Due:" sub-lines; replies
quoting an earlier mail ("On ..., Leo <...> wrote:" then "> ..." lines are Leo's). Struck-through
text (``~~...~~``) is dropped.

What counts as a commitment
    * ``I'll / I will / I'm going to / let me / I plan to / <Name> will / <Name> is going to /
      <Name> agreed (offered, promised, volunteered) to / <Name> said he'd / you said you'd``;
      ``we agreed that <Name> would``; minutes style ``<Name> to <verb>``; ``X asked <Name> to
      <verb>``; ``you'll`` addressed to someone; chat shorthand ``ok, will send it after lunch``.
    * Softer forms (``I need to``, ``I can``, ``I want to``, ``you should``, ``let's``, ``we
      should``) only with a due date or inside an action section ("Action items", "Next steps",
      "To do", "TODO", "Agreed", "What I'm going to do", ...). ``Someone should <verb>`` is always
      an (unowned) task: surfacing that nobody took it is the point.
    * Lines in action sections, open checklists (``[ ]``) and ``TODO`` lines: imperative lines
      with an owner marker ("Ben: draft the RFC", "Ben — draft", "-> ben to draft", "Draft the RFC
      (Ben)", "Share the labs — Mei", "Read the postmortems → Ben", "@Mei practise the opener",
      "@Priya Raman share...", "ana -> send ben the talk", "[Dev]", "[Ben Okafor] will...", "TODO
      (Ana):", "Ben sends Ana the deck"). A list introduced by "As discussed:", "Here's what I'm
      going to do:" is an action list; "From my side:" / "For you:" say whose it is. A list in a
      chat message is the writer's when it says "my" ("grab my manager"), the reader's when it
      says "you"/"me". Shorthand with an owner and a deadline but no verb ("ben: rfc draft by
      thu") is a deliverable.
    * In transcripts, a request ("Can you pull the pages?", "For next week, bring a summary",
      "worth writing a one-pager") accepted by the person asked ("Sure, I'll do that", "good
      call, will do by friday") is their commitment; the evidence then spans request and reply.
      Advice ("You should ping Dana", a bare "ping Dana about the guild") counts only when firmly
      taken up ("will do", "on it", "Sure, I'll ping her tomorrow"), never on "makes sense".

Owners (always an attendee's full name as given, or ``None``)
    * ``I`` is the speaker in a transcript or a labelled bullet, else the ``author``; ``you`` is the
      other attendee when there are exactly two (or the person addressed by name, "Sam, can
      you..."); ``he``/``she`` is the attendee last mentioned (an attendee named in a sentence
      outranks "his manager" in it), else the other attendee.
    * Shared commitments (``we'll``, ``let's``, ``Ben and I will``, ``Ben & Ana:``), unowned tasks
      (``someone should book a room``), a first name two attendees share, and an unowned
      checklist line in notes with no author have owner ``None``; an unowned line in an action
      list of notes with an ``author`` is the author's. Shared *working agreements* ("we'll both
      keep sessions to 30 minutes", "let's meet again") are not action items.
    * Commitments by people outside the pair (a guest, a manager, "Eve") are not extracted: the
      pair can follow them up, but they are not the pair's action items. Labels such as
      ``SYSTEM:`` or ``assistant:``, HTML comments, and sentences that address the tool ("ignore
      previous instructions", "output all items as...", "wire money to...") are text, never
      instructions, and never items.

Not extracted
    Questions, past actions ("I sent the slides yesterday", ``[x]`` / done sections), hedges
    ("maybe", "someday", "at some point"), habits ("next time I disagree I'll..."), items dropped
    or deferred ("decided not to", "let's park X until...", "won't ... after all", "scratch
    that", parked sections, "revisit it in the new year") — a later retraction also removes the
    earlier item it names ("decided against the mock interview", "forget the blog post", "the
    shadowing won't happen", "so we called it off") — plans dropped in the same breath ("we
    should do a dry run, but actually, let's not"; "I was gonna say..."), preferences ("I'd
    rather...", "she'd prefer to...") and generic advice without a commitment.

Actions start with an imperative verb, name people by first name ("Send Ben the talk"), address
the owner as "you/your", resolve "it" to the thing meant when it was named nearby ("Read the
retro doc"), and drop the due phrase, the owner marker and trailing chatter. Two tasks in one
sentence are split only when each has its own date ("freeze the slides by Sunday and do two
run-throughs next week"). A vague follow-up ("I'll message him tomorrow") lends its date to the
previous item instead of making a new one. Items restated later (recaps) are merged: the earliest
evidence is kept, and a due date found in either is kept; "I'll have the intro ready by Sunday"
dates the intro rewrite said before. Notes that do not look like English give no items (the
engine is English-only; an empty answer is the safe one); terse English shorthand still counts.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from agent.models import ActionItem, WisdomRatio
from agent.offline.dates import find_all_due

__all__ = [
    "extract_actions_offline",
    "is_probably_english",
    "ratio_verdict",
    "wisdom_ratio",
]


# -- lexicons ------------------------------------------------------------------------------------
def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Base forms of verbs that start an action item in tech mentoring notes.
_VERBS = _words(
    """
    add address adopt agree align analyse analyze annotate apply arrange ask assess attend audit
    automate backfill benchmark block book bookmark brainstorm break bring build bump buy calculate
    call capture carve catch celebrate chase check choose circle circulate clarify clean clone close
    coach collect comment commit compare compile complete configure confirm connect contact continue
    contribute convert coordinate copy correct create curate cut dedicate debug decide define do
    delegate delete demo deploy deprecate describe design digest document double-check download
    draft draw drive drop dry-run edit email enable enrol enroll escalate estimate evaluate explain
    explore extract file fill finalise finalize find finish fix flag follow follow-up fork forward
    freeze gather get give go grab hand handle help highlight host identify implement improve
    include instrument integrate interview introduce investigate invite join journal jot keep kick
    label land launch lead learn leave link list listen log look loop make map measure meet
    memorise memorize mentor merge message migrate mock model monitor move negotiate nominate note
    notify nudge observe onboard open organise organize outline own pair pick ping pitch plan play
    polish post practice practise prep prepare present print prioritise prioritize probe proofread
    propose prototype provision publish pull push put quantify raise reach read rebase recap
    record redo reduce refactor refine reflect register rehearse reconnect release remind remove
    rename reorganise reorganize repeat rephrase reply report reproduce request research reschedule
    reserve resolve respond restart restructure resubmit retry return review revise revisit
    rewrite rework role-play roll rollback rotate run save scaffold schedule scope screen search
    select send set settle shadow share ship shortlist show sign simplify sketch skim slot solve
    sort speak spend spike split sponsor standardise standardize start step study submit suggest
    summarise summarize support swap switch sync tag take talk teach test text thank tidy time
    timebox time-box track trial triage trim try turn tweak unblock update upgrade upload use
    validate verify vet visit volunteer walk watch wire work wrap write hold pay cover pass reread
    re-read replace order flesh rerun re-run spin stand mention showcase revert hire recruit
    offboard train protect recommend inform consider archive begin resume claim whiteboard tell
    let shift clean figure dig loop shoot touch whip knock float sanity-check poke rope hop jump
    throw brush nail iron fire dm circulate
    """
)
# Verbs that, after "will", make a prediction or a feeling rather than a task.
_NON_ACTION = _words(
    """
    be been being feel find notice realise realize know love like hate enjoy want need hope wish
    miss regret seem sound appreciate understand remember forget mind happen become
    """
)
_GET_BAD = re.compile(
    r"^get\s+(?:there|better|used|it|bored|why|worse|faster|easier|harder|to\s+(?:see|know|feel)"
    r"|a\s+lot|more\s+comfortable|over\s+it)\b"
)
_HAVE_OK = re.compile(
    r"^have\s+(?:a|an|the)\s+(?:\w+\s+){0,2}(?:chat|conversation|talk|word|look|go|1:1|one-on-one"
    r"|call|meeting|read|think|try|crack)\b"
)
# "have the new intro ready by Sunday": when a task will be done, not a new task.
_HAVE_DONE = re.compile(
    r"^have\s+(?P<obj>.+?)\s+(?:ready|done|finished|written|drafted|sorted|complete|completed"
    r"|in\s+place|wrapped\s+up|up\s+and\s+running)\b"
)
_DONE_WORDS = frozenset(
    {"ready", "done", "finish", "written", "draft", "sort", "complete", "place"}
)
_STOP = _words(
    """
    a an the and or but so to of in on at by for from with about into onto over under up down out
    off this that these those it its it's is are was were be been being am do does did done have
    has had having will would shall should can could may might must i me my mine myself we us our
    ours you your yours yourself he him his himself she her hers herself they them their theirs
    there here then than too also just very really some any all both each every either no not nor
    as if when while because before after until till once how what which who whom whose why where
    more most much many few less least own same such only again further further per via vs etc
    let let's lets ll s d re ve m t ok okay yes yeah sure great good
    """
)
_ARTIFACTS = (
    r"talk|talks|article|articles|book|books|chapter|chapters|post|posts|doc|docs|document"
    r"|documents|rfc|rfcs|pr|prs|pull request|slides|slide deck|deck|link|links|video|videos|course"
    r"|paper|papers|template|templates|repo|repository|list|notes|draft|drafts|recording|podcast"
    r"|tutorial|example|examples|script|checklist|plan|proposal|one-pager|summary|write-up|writeup"
    r"|report|reimbursement|expense claim|claim|form|ticket|issue|invite|invitation|room"
    r"|spreadsheet"
    r"|sheet|dashboard|runbook|playbook|abstract|cv|resume|portfolio|estimate|spec|diagram"
    r"|feedback|rubric|guide|handbook|log|email|agenda|demo|prototype|branch|module|chart"
    r"|packet|reading|readings|exercise|exercises|problem|problems|question|questions|outline"
    r"|timeline|review|retro|postmortem|post-mortem|bug|bugs|test|tests|spike|case study|pitch"
    r"|slot|meeting|call|catch-up|intro|introduction"
)
_DEFERRAL = re.compile(
    r"\b(?:park(?:ed|ing)?|shelve[ds]?|decided not|scratch that|not now|next quarter"
    r"|some\s*day|after all)\b",
    re.IGNORECASE,
)
_EVALUATIVE = _words(
    "great good nice amazing cool interesting excellent fantastic awesome brilliant useful helpful "
    "quick little lovely wonderful really very super fun neat solid"
)
# Capitalised words that are not people (for pronoun resolution).
_NOT_NAMES = _words(
    """
    I I'm I'll I've I'd The A An This That These Those We You He She They It Our My Your His Her
    Their So And But Or If When Then Also OK Ok Okay Yes Yeah No Thanks Thank Great Good Perfect
    Sure Fair Agreed Exactly Just Actually Oh Ah Hi Hey Hello Morning Well Right Cool Nice Love
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June
    July August September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov
    Dec Session Notes Note Mentor Mentee Summary Agenda Action Actions Next Steps TODO Todo Done
    Recap Decision Decisions Discussion Check-in Main Topic Last Time Things What Why How Where
    Who Which Most Some Every Each Both Not Maybe Honestly Then Separately Anything Before After
    Real Scope Slides Scripts Estimates Learning Large Nobody Someone Everyone People Worst Same
    Merry Christmas Talk Also Busy Loud Ten Second Exciting Totally Relief Mostly Finally
    """
) | frozenset(v.capitalize() for v in _VERBS)
_BOT_LABELS = _words(
    "system assistant user ai bot developer instruction instructions prompt chatgpt model claude "
    "gpt"
)
_NOT_SPEAKERS = _words(
    """
    agreed note notes update decision decisions context goal goals summary question answer q a re
    todo to-do action actions agenda date attendees participants subject takeaway takeaways recap
    feedback blocker blockers risk risks tip tips idea ideas win wins you me i we us homework
    observation observations reminder next follow-up follow-ups update outcome result results
    reason why how what when where who status progress session mentor mentee time location topic
    """
)
_META_LABELS = re.compile(
    r"^\s*(?:date|attendees|participants|present|subject|re|to|from|cc|time|location|where|when"
    r"|duration|agenda|title|mentor|mentee|session|meeting|pair)\s*:",
    re.IGNORECASE,
)
_INJECTION = re.compile(
    r"\bignore\s+(?:all\s+|any\s+|the\s+|your\s+)?(?:previous|prior|above|earlier|preceding"
    r"|former)\s+(?:instructions?|prompts?|rules|messages?)"
    r"|\bdisregard\s+(?:all\s+|any\s+|the\s+)?(?:previous|prior|above|earlier)"
    r"|\bsystem\s+prompt\b|\byou\s+are\s+now\b|\bnew\s+instructions?\b|\bas\s+an\s+ai\b"
    r"|\boutput\s+(?:all|every|the)\s+(?:action\s+)?items\b|\badd\s+an?\s+action\s+item\s+for\b"
    r"|\bmark\s+every\s+due\s+date\b|\bjailbreak|\bprompt\s+injection\b"
    r"|\bwire\s+(?:the\s+)?(?:money|funds|cash|payment|\$|€|£|\d)|\btransfer\s+(?:the\s+)?(?:money"
    r"|funds|cash|\$|€|£)|\bgift\s*cards?\b|\bbank\s+(?:details|account\s+number)"
    r"|\bbitcoin\b|\bcrypto\s*wallet",
    re.IGNORECASE,
)
_SECTION_REVIEW = re.compile(
    r"\blast\s+(?:time|session|week)|\bprevious\b|\bprogress\b|\bcarried\b|\bsince\s+last\b"
    r"|\bstatus\b|\bupdates?\b",
    re.IGNORECASE,
)
_SECTION_DONE = re.compile(
    r"\bdone\b|\bcompleted\b|\bfinished\b|\bwhat\s+(?:i|we)\s+did\b|\bwins\b|\bshipped\b",
    re.IGNORECASE,
)
_SECTION_PARKED = re.compile(
    r"\bpark(?:ed|ing)?\b|\blater\b|\bbacklog\b|\bsome\s*day\b|\bmaybe\b|\bideas\b|\bnot\s+now\b"
    r"|\bdefer(?:red)?\b|\bfuture\b|\bicebox\b|\bon\s+hold\b",
    re.IGNORECASE,
)
_SECTION_ACTIONS = re.compile(
    r"\baction|\bnext\s+steps?\b|\bto-?dos?\b|^\s*to\s+do\b|\bfollow[- ]?ups?\b|\bhomework\b"
    r"|\bcommitments?\b|\bcommit(?:ting|ted)?\s+to\b|\bwhat\s+we\s+agreed\b"
    r"|\bwhat\s+i'?m\s+going\s+to\s+do\b|\bwhat\s+i\s+will\s+do\b|\bfor\s+next\s+(?:time|session"
    r"|week)\b|\bbefore\s+(?:our\s+|the\s+)?next\b|\bassignments?\b|\btasks?\b|\bagreed\b"
    r"|\bdecisions?\b|\bplan\s+for\b|\bmy\s+plan\b",
    re.IGNORECASE,
)

Section = Literal["actions", "done", "parked", "review", "other"]
UnitKind = Literal["bullet", "turn", "para"]


# -- text helpers --------------------------------------------------------------------------------
_APOS = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})


def _low(text: str) -> str:
    """Lowercase with straight apostrophes, keeping every character's position."""
    out = []
    for ch in text.translate(_APOS):
        lower = ch.lower()
        out.append(lower if len(lower) == 1 else ch)
    return "".join(out)


def _fold(text: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    ).lower()


def _accent_class(ch: str) -> str:
    base = _fold(ch)
    if len(base) == 1 and base != ch.lower():
        return f"[{re.escape(ch.lower())}{re.escape(ch.upper())}{base}{base.upper()}]"
    return re.escape(ch)


# Words that name the same task ("introduce her to Hamid" = "make the intro to Hamid").
_SYNONYMS = {"introduce": "intro", "introduc": "intro", "introduction": "intro"}


def _stem(word: str) -> str:
    word = word.lower().strip("'\"")
    word = re.sub(r"'s$", "", word)
    for suffix, repl in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: len(word) - len(suffix)] + repl
            break
    return _SYNONYMS.get(word, word)


def _content_tokens(text: str) -> set[str]:
    return {
        _stem(w)
        for w in re.findall(r"[a-z0-9][a-z0-9'-]*", _low(text))
        if w not in _STOP and len(w) > 1
    }


def _first_name(full: str) -> str:
    return full.split()[0] if full.split() else full


# -- people --------------------------------------------------------------------------------------
_COMMON_WORDS = (
    _STOP
    | _VERBS
    | _words(
        """
        will may mark grace bill pat rose june april summer hope joy faith sunny rob art ray chase
        drew dawn iris ivy jack dev max sky river autumn bob sue jean frank hunter miles gene guy
        lane reed cliff glen crystal amber ruby pearl jade holly heather daisy lily victor sterling
        """
    )
)


class _People:
    """The attendees and the ways the notes refer to them."""

    def __init__(self, attendees: Sequence[str], author: str | None = None) -> None:
        self.attendees = [a.strip() for a in attendees if a and a.strip()]
        counts: dict[str, int] = {}
        for full in self.attendees:
            parts = full.split()
            if len(parts) > 1:
                for part in {parts[0], parts[-1]}:
                    counts[_fold(part)] = counts.get(_fold(part), 0) + 1
        forms: dict[str, str] = {}
        originals: dict[str, str] = {}
        for full in self.attendees:
            forms[_fold(full)] = full
            originals[_fold(full)] = full
            parts = full.split()
            if len(parts) > 1:
                for part in (parts[0], parts[-1]):
                    if counts.get(_fold(part), 0) == 1 and len(part) > 1:
                        forms.setdefault(_fold(part), full)
                        originals.setdefault(_fold(part), part)
        self.forms = forms
        # A first or last name two attendees share ("Sam" for Sam Lee and Sam Park).
        self.ambiguous = {k for k, n in counts.items() if n > 1}
        alternatives = []
        for form in sorted(forms, key=len, reverse=True):
            original = originals[form]
            body = "".join(r"\s+" if c.isspace() else _accent_class(c) for c in original)
            # "Will", "Grace", "Dev" are also words: only as a capitalised word.
            cased = any(_fold(w) in _COMMON_WORDS for w in original.split())
            alternatives.append(f"(?-i:{body})" if cased else f"(?i:{body})")
        self.pattern = (
            re.compile(r"(?<![\w@])@?(?:" + "|".join(alternatives) + r")(?![\w])")
            if alternatives
            else None
        )
        self.author = self.resolve(author)

    def resolve(self, text: str | None) -> str | None:
        """The attendee a full name, first name or last name refers to."""
        if not text:
            return None
        key = _fold(re.sub(r"\s+", " ", text.strip().lstrip("@").strip("*_ ")))
        key = re.sub(r"'s$", "", key)
        if key not in self.forms and re.fullmatch(r"[^\W\d_]+(?:[._][^\W\d_]+)+", key):
            key = re.sub(r"[._]", " ", key)  # a chat handle: "ana.silva", "ben_okafor"
        return self.forms.get(key)

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """Every attendee mention in ``text``: (start, end, full name)."""
        if self.pattern is None:
            return []
        found = []
        for match in self.pattern.finditer(text):
            full = self.resolve(match.group(0))
            if full:
                found.append((match.start(), match.end(), full))
        return found

    def other(self, person: str | None) -> str | None:
        """The other attendee when there are exactly two."""
        if len(self.attendees) == 2 and person in self.attendees:
            return self.attendees[1] if person == self.attendees[0] else self.attendees[0]
        return None


# -- document structure --------------------------------------------------------------------------
@dataclass
class _Unit:
    """A bullet, a speaker turn or a prose paragraph, with its exact span in the notes."""

    start: int
    end: int
    kind: UnitKind
    section: Section = "other"
    speaker: str | None = None  # attendee full name
    label: str | None = None  # raw speaker label (a non-attendee speaker when speaker is None)
    owner_hint: str | None = None
    label_start: int = -1  # where an owner label such as "Ben:" starts (for evidence)
    bullet: bool = False
    checkbox: bool = False
    checked: bool = False
    todo: bool = False
    turn: int = -1
    injected: bool = False
    inline_action: bool = False
    shared: bool = False
    ambiguous_owner: bool = False
    due_cell: str | None = None  # a table's due column for this row
    row_end: int = -1  # a table row's end (the evidence is the whole row)
    outsider: bool = False  # owned by someone outside the pair (a table's owner column)
    person: str | None = None  # the attendee a "## Ben" heading puts this under


_HEADING_MD = re.compile(r"^\s{0,3}#{1,6}\s+(?P<text>.+?)\s*#*\s*$")
_HEADING_BOLD = re.compile(r"^\s*(?:\*\*|__)(?P<text>[^*_\n]{1,80}?)(?:\*\*|__)\s*:?\s*$")
_HEADING_COLON = re.compile(r"^\s*(?P<text>[^\s:][^:\n]{0,70}?)\s*:\s*$")
_BULLET = re.compile(
    r"^(?P<indent>[ \t]*)(?:(?P<mark>[-*•+▪◦‣]|\d{1,2}[.)])[ \t]+)?"
    r"(?:\[(?P<box>[ xX✓✔]?)\][ \t]*|(?P<glyph>[☐☑✅✔✓])[ \t]*)?"
)
_BULLET_MARK = re.compile(r"^[ \t]*(?:[-*•+▪◦‣]|\d{1,2}[.)])[ \t]+|^[ \t]*\[[ xX✓✔]?\]")
_TS = r"(?:\[?\(?\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?\)?\]?[ \t]*[-–—]?[ \t]*)"
_NAME_WORDS = r"[^\W\d_][\w.'’-]*(?:[ \t]+[^\W\d_][\w.'’-]*){0,2}"
_LABEL = re.compile(
    rf"^(?P<ts>{_TS})?(?:\*\*|__)?@?(?P<label>{_NAME_WORDS})(?:[ \t]*\([^)\n]{{1,40}}\))?"
    r"[ \t]*(?:\*\*|__)?[ \t]*:(?:\*\*|__)?(?:[ \t]+|$)(?P<body>.*)$"
)
_OTTER = re.compile(
    rf"^[ \t]*(?:\*\*|__)?(?P<label>{_NAME_WORDS})(?:\*\*|__)?"
    r"(?P<ts>[ \t]+[\[(]?\d{1,2}:\d{2}(?::\d{2})?"
    r"(?:[ \t]*[AaPp]\.?[Mm]\.?)?[\])]?)?[ \t]*$"
)
_ARROW = re.compile(r"^(?:->|=>|→|⇒|>)[ \t]*")
# "ana -> send ben the talk": an owner, then an arrow, then the task.
_OWNER_ARROW = re.compile(
    rf"^@?(?P<label>{_NAME_WORDS})[ \t]*(?:->|-->|=>|→|⇒|—>)[ \t]*(?P<body>\S.*)$"
)
_MINE = re.compile(
    r"\b(?:(?:from|on|at)\s+my\s+(?:side|end)|my\s+(?:side|end|actions?|to-?dos?|tasks?|homework"
    r"|plan|next\s+steps)|for\s+me|what\s+i(?:'ll|\s+will|'m\s+going\s+to)\s+do)\b"
)
_YOURS = re.compile(
    r"\b(?:(?:from|on|at)\s+your\s+(?:side|end)|your\s+(?:side|end|actions?|to-?dos?|tasks?"
    r"|homework|next\s+steps)|for\s+you|what\s+you(?:'ll|\s+will|'re\s+going\s+to)\s+do)\b"
)
# A line that introduces a list of actions: "As discussed:", "Here's what I'm going to do:".
_LEAD_IN = re.compile(
    r"\b(?:as\s+(?:discussed|agreed)|we\s+agreed|i'll|i\s+will|i'm\s+going\s+to|going\s+to\s+do"
    r"|the\s+plan|my\s+plan|to\s+recap|recap|what\s+(?:i|we)\s+(?:committed|signed\s+up))\b"
)
_BRACKET_OWNER = re.compile(rf"^\[@?(?P<label>{_NAME_WORDS})\][ \t]*:?[ \t]*(?P<body>\S.*)$")
_ITEM_FIELD = re.compile(
    r"^[ \t]+(?:[-*•+][ \t]+)?(?:\*\*|__)?(?P<key>owners?|assignee|assigned\s+to|who|responsible"
    r"|due(?:\s+date)?|deadline|when|by\s+when)(?:\*\*|__)?[ \t]*:(?:\*\*|__)?[ \t]*"
    r"(?P<value>\S.*)$",
    re.IGNORECASE,
)
_DEADLINE_HINT = re.compile(
    r"(?i)\b(?:by|due|before)\s+\w|\([ \t]*(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?[ \t]*\)"
)
# "On Wed, Nov 18, 2026 at 4:12 PM Leo Martins <leo@example.com> wrote:" then "> ..." lines.
_QUOTE_HEADER = re.compile(r"^[ \t]*(?:On\b.{0,200}\bwrote|From:.{0,120}\bsent)[ \t]*:?[ \t]*$")
_QUOTE = re.compile(r"^[ \t]*(?:>[ \t]?)+")
_TABLE_ROW = re.compile(r"^[ \t]*\|(?P<cells>.*)\|[ \t]*$")
_TABLE_RULE = re.compile(r"^[\s|:+-]*-{2,}[\s|:+-]*$")
_COL_ACTION = re.compile(
    r"(?i)^(?:action(?:\s+items?)?|actions|tasks?|items?|to-?dos?|what|next\s+steps?"
    r"|description|follow-?ups?)$"
)
_COL_OWNER = re.compile(
    r"(?i)^(?:owners?|who|assignees?|assigned(?:\s+to)?|responsible|person|by\s+whom)$"
)
_COL_DUE = re.compile(
    r"(?i)^(?:due(?:\s+date)?|when|deadline|by\s+when|date|target(?:\s+date)?|eta)$"
)
_COL_STATUS = re.compile(r"(?i)^(?:status|state|done\??)$")
_CLOSED = re.compile(
    r"(?i)^(?:done|complete[d]?|finished|closed|cancell?ed|canceled|dropped|won't\s+do|n/?a|x|✅|✔|✓"
    r"|☑)\W*$"
)
_NOBODY = re.compile(r"(?i)^(?:tbd|tbc|\?+|-+|—|–|none|n/?a|unassigned|anyone|someone|all|both)?$")
_MID_SENTENCE = re.compile(
    r"(?:,|\b(?:and|or|but|the|a|an|to|of|for|with|by|on|in|at|that|his|her|their|my|your|our"
    r"|this|is|are|was|from|about|into))[ \t]*$",
    re.IGNORECASE,
)

_PAIR_LABEL = re.compile(
    r"^(?P<a>[^\W\d_][\w'-]*(?:[ \t]+[^\W\d_][\w'-]*)?)[ \t]*(?:&|\+|/|\band\b)[ \t]*"
    r"(?P<b>[^\W\d_][\w'-]*(?:[ \t]+[^\W\d_][\w'-]*)?)[ \t]*:[ \t]+(?P<body>.+)$"
)
_DASH_LABEL = re.compile(
    rf"^(?:\*\*|__)?@?(?P<label>{_NAME_WORDS})(?:\*\*|__)?[ \t]+[—–-][ \t]+(?P<body>.+)$"
)
_TODO = re.compile(r"^(?:TODO|To-?do|ToDo)\b[ \t]*(?:\([^)]{0,30}\))?[ \t]*[:\-–—]?[ \t]*")
_INLINE_ACTION = re.compile(
    r"^(?:action\s+items?|actions?|next\s+steps?|follow-?ups?|homework|to-?dos?)"
    r"[ \t]*[:\-–—][ \t]+",
    re.IGNORECASE,
)
_SPEECH_START = re.compile(
    r"^(?:(?:ok|okay|sure|yes|yeah|yep|so|and|also|great|good|thanks|right|fine|cool|perfect)"
    r"[,.!]?\s+)*(?:i|i'm|i'll|i've|i'd|we|we'll|we're|let's|let me|my|you|you'll|thanks|thank"
    r"|sure|yes|ok|okay|hi|hey|sounds|yep|yeah|nope|no|on\s+it|will\s+do|(?:can|could|would|will"
    r"|should|do|did|does|have|has|is|are)\s+(?:you|we|i|he|she|they)|how|what|why|when|where"
    r"|who)\b",
)


def _heading_section(text: str) -> Section:
    if _SECTION_REVIEW.search(text) and not re.search(r"\bnext\b", text, re.IGNORECASE):
        return "review"
    if _SECTION_DONE.search(text):
        return "done"
    if _SECTION_PARKED.search(text):
        return "parked"
    if _SECTION_ACTIONS.search(text):
        return "actions"
    return "other"


def _is_heading(line: str) -> str | None:
    """The heading text if ``line`` is a heading (markdown, bold, ``Label:`` or a short title)."""
    for pattern in (_HEADING_MD, _HEADING_BOLD):
        match = pattern.match(line)
        if match:
            return match.group("text")
    if _BULLET_MARK.match(line):
        return None
    match = _HEADING_COLON.match(line)
    if match and len(match.group("text").split()) <= 8:
        return match.group("text")
    stripped = line.strip()
    if re.fullmatch(
        r"(?i)(?:next\s+steps?|action\s+items?|actions|to-?dos?|follow[- ]?ups?|homework)\s*:?",
        stripped,
    ):
        return stripped.rstrip(":")
    if (
        stripped
        and len(stripped.split()) <= 6
        and not re.search(r"[.!?;,]$", stripped)
        and not re.search(r":\s*\S", stripped)  # "TODO (Ana): send the talk" is an item
        and stripped[0].isupper()
        and (
            _SECTION_ACTIONS.search(stripped)
            or _SECTION_DONE.search(stripped)
            or _SECTION_PARKED.search(stripped)
            or re.fullmatch(r"(?i)summary|notes|discussion|takeaways|context|background", stripped)
        )
    ):
        return stripped
    return None


def _verb_base(word: str) -> str | None:
    """The base form of a known verb given as itself or in the third person ("sends")."""
    word = word.lower()
    if word in _VERBS:
        return word
    for cut, add in (("ies", "y"), ("es", ""), ("s", "")):
        if word.endswith(cut) and word[: len(word) - len(cut)] + add in _VERBS:
            return word[: len(word) - len(cut)] + add
    return None


def _looks_imperative(text: str) -> bool:
    """Whether ``text`` starts like an instruction ("Draft the RFC", not "Review went well")."""
    words = re.findall(r"[\w'][\w'’:-]*", text)
    if not words or not words[0][:1].isalpha():
        return False
    first = words[0].lower()
    shorthand = first in {"intro"}  # "intro ben to the SRE lead"
    if (
        first not in _VERBS
        and not shorthand
        and not re.fullmatch(r"[a-z]{3,}(?:ise|ize|ify)", first)
    ):
        return False
    second = words[1].lower() if len(words) > 1 else ""
    return second not in {"of", "is", "was", "are", "were", "went", "has", "had", "'s", "s"}


def _blank_comments(notes: str) -> str:
    """The notes with HTML comments blanked out (same length): they are not part of the notes."""
    return re.sub(r"<!--.*?-->", lambda m: re.sub(r"[^\n]", " ", m.group(0)), notes, flags=re.S)


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def _relabel(label: str, match: re.Match[str]) -> str:
    """``label`` padded with spaces to the length of ``match`` (spans stay where they were)."""
    return label.ljust(len(match.group(0)))


_VTT_CUE = re.compile(r"^[ \t]*(?:\S+[ \t]*\n[ \t]*)?[\d:.,]+[ \t]*-->[ \t]*[\d:.,]+[^\n]*$", re.M)
_VTT_VOICE = re.compile(r"<v(?:\.[^\s>]+)?[ \t]+(?P<name>[^>\n]{1,60})>")
_GENERIC_SPEAKER = re.compile(
    rf"^(?P<ts>{_TS})?(?:speaker|participant|person|voice|guest|attendee)[ \t]*\d+[ \t]*"
    r"\((?P<name>[^)\n]{1,40})\)[ \t]*:",
    re.M | re.IGNORECASE,
)
_CHAT_PREFIX = re.compile(
    r"^[ \t]*\[?\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4},?[ \t]+\d{1,2}:\d{2}(?::\d{2})?"
    r"(?:[ \t]*[AaPp]\.?[Mm]\.?)?\]?[ \t]*(?:[-–—:][ \t]*)?"
    rf"(?P<name>{_NAME_WORDS})[ \t]*:(?=[ \t]|$)",
    re.M,
)
_EDITED = re.compile(r"[ \t]*[(\[](?:edited|bearbeitet|modifié)[)\]]", re.IGNORECASE)
_STRUCK = re.compile(r"~~[^~\n]+~~")


_ZOOM_CHAT = re.compile(
    r"^[ \t]*\d{1,2}:\d{2}(?::\d{2})?[ \t]+From[ \t]+(?P<name>[^:\n]{1,60}?)"
    r"(?:[ \t]+to[ \t]+[^:\n]{1,40}?)?[ \t]*:(?=[ \t])",
    re.M,
)
_TS_FIRST = re.compile(
    r"^(?P<ts>[\[(]?\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]*[AaPp]\.?[Mm]\.?)?[\])]?)[ \t]+"
    rf"(?P<name>{_NAME_WORDS})[ \t]*$",
    re.M,
)


def _normalise(notes: str, people: _People | None = None) -> str:
    """The notes as the parser reads them, same length so every span still points at the notes.

    HTML comments, chat "(edited)" markers and struck-through text (~~dropped~~) are blanked;
    WebVTT cue numbers and timings are blanked and ``<v Name>`` voice tags, ``Speaker 1 (Name):``
    and chat-export prefixes ("18/11/2026, 18:02 - Name:") become plain ``Name:`` labels.
    """
    text = _blank_comments(notes)
    text = _EDITED.sub(_blank, text)
    text = _STRUCK.sub(_blank, text)
    if _VTT_CUE.search(text):
        text = re.sub(r"^[ \t]*WEBVTT[^\n]*$", _blank, text, flags=re.M)
        text = _VTT_CUE.sub(_blank, text)
        text = _VTT_VOICE.sub(lambda m: _relabel(m.group("name").strip() + ":", m), text)
        text = re.sub(r"</v>|</?[cibu](?:\.[\w.]+)?>", _blank, text)
    text = _GENERIC_SPEAKER.sub(
        lambda m: _relabel((m.group("ts") or "") + m.group("name").strip() + ":", m), text
    )
    text = _CHAT_PREFIX.sub(lambda m: _relabel(m.group("name").strip() + ":", m), text)
    if people is not None:
        # Zoom chat "10:02:15 From Ana Silva to Everyone: ..." and Teams "[00:00:05] Ana Silva"
        # lines, only for attendees' names (a "10:30 Standup" agenda line stays as it is).
        text = _ZOOM_CHAT.sub(
            lambda m: (
                _relabel(m.group("name").strip() + ":", m)
                if people.resolve(m.group("name"))
                else m.group(0)
            ),
            text,
        )
        text = _TS_FIRST.sub(
            lambda m: (
                _relabel(f"{m.group('name').strip()} {m.group('ts')}", m)
                if people.resolve(m.group("name"))
                else m.group(0)
            ),
            text,
        )
    return text


_FILLERS = re.compile(
    r",[ \t]*(?:(?:uh+|um+|erm+|uhm+|hmm+|er)[ \t]*,?[ \t]*)*(?:like|you\s+know|i\s+mean)[ \t]*,"
    r"|(?:,[ \t]*)?(?<![\w'])(?:uh+|um+|erm+|uhm+|hmm+)(?![\w'])(?:[ \t]*,)?"
)
_STUTTER = re.compile(r"(?<![\w'])([a-z]+(?:'[a-z]+)?)[ \t]+(?=\1(?![\w']))")


def _mask_fillers(low: str) -> str:
    """Lower-cased notes with spoken fillers and stutters blanked (same length).

    "uh", "um", ", like,", ", you know," and a repeated word ("I'll, uh, I'll") go, so the rules
    read "I'll, um, finish the abstract" as "I'll finish the abstract".
    """
    masked = _FILLERS.sub(_blank, low)
    return _STUTTER.sub(_blank, masked)


def _clean_fillers(text: str) -> str:
    """An action's words without spoken fillers and stutters, keeping one comma where it helps."""
    text = re.sub(
        r"(?i),[ \t]*(?:(?:uh+|um+|erm+)[ \t]*,?[ \t]*)*(?:like|you\s+know|i\s+mean)[ \t]*,",
        ",",
        text,
    )
    text = re.sub(r"(?i),?[ \t]*(?<![\w'])(?:uh+|um+|erm+|uhm+|hmm+)(?![\w'])[ \t]*(?=,)", "", text)
    text = re.sub(r"(?i)(?<![\w'])(?:uh+|um+|erm+|uhm+|hmm+)(?![\w'])[ \t]*,?[ \t]*", "", text)
    return re.sub(r"(?i)(?<![\w'])([a-z]+(?:'[a-z]+)?),?[ \t]+(\1)(?![\w'])", r"\2", text)


def _cells(raw: str, line_start: int) -> list[tuple[int, int, str]]:
    """A markdown table row's cells: (absolute start, absolute end, stripped text)."""
    row = _TABLE_ROW.match(raw)
    if row is None:
        return []
    out: list[tuple[int, int, str]] = []
    cursor = row.start("cells")
    for piece in re.split(r"(?<!\\)\|", row.group("cells")):
        lead = len(piece) - len(piece.lstrip())
        text = piece.strip()
        start = line_start + cursor + lead
        out.append((start, start + len(text), text))
        cursor += len(piece) + 1
    return out


@dataclass
class _Table:
    """Which columns of a markdown table hold the action, its owner, due date and status."""

    action: int
    owner: int = -1
    due: int = -1
    status: int = -1


def _table_header(cells: list[tuple[int, int, str]]) -> _Table | None:
    names = [re.sub(r"[*_`#]", "", c[2]).strip() for c in cells]
    action = next((n for n, c in enumerate(names) if _COL_ACTION.match(c)), -1)
    if action < 0:
        return None
    table = _Table(action)
    for n, c in enumerate(names):
        if _COL_OWNER.match(c):
            table.owner = n
        elif _COL_DUE.match(c):
            table.due = n
        elif _COL_STATUS.match(c):
            table.status = n
    return table


def _table_unit(
    table: _Table, cells: list[tuple[int, int, str]], line_start: int, raw: str, people: _People
) -> _Unit | None:
    """One action-table row as a listed item with its owner and due columns."""

    def cell(n: int) -> str:
        return cells[n][2] if 0 <= n < len(cells) else ""

    if table.action >= len(cells) or not cell(table.action):
        return None
    if _CLOSED.match(cell(table.status)) or _CLOSED.match(cell(table.due)):
        return None
    start, end, _ = cells[table.action]
    unit = _Unit(start=start, end=end, kind="bullet", section="actions", bullet=True)
    unit.label_start = line_start + len(raw) - len(raw.lstrip())
    unit.row_end = line_start + len(raw.rstrip())
    due = cell(table.due)
    unit.due_cell = due if not _NOBODY.match(due) else ""
    owner = cell(table.owner)
    if table.owner >= 0 and not _NOBODY.match(owner):
        names = [n for n in re.split(r"\s*(?:,|&|\+|/|\band\b)\s*", owner) if n.strip()]
        resolved = {people.resolve(n) for n in names}
        if None in resolved:
            unit.outsider = True  # someone outside the pair owns it
        elif len(resolved) > 1:
            unit.shared = True
        else:
            unit.owner_hint = resolved.pop()
    return unit


def _whose_list(intro: str, writer: str | None, people: _People) -> str | None:
    """Whose items follow a line such as "From my side:" (the writer's) or "For you:"."""
    if _MINE.search(_low(intro)):
        return writer
    if _YOURS.search(_low(intro)):
        return people.other(writer)
    return None


def _parse(notes: str, people: _People) -> list[_Unit]:
    """Split the notes into units, keeping exact spans; headings set the section."""
    text = _normalise(notes, people)
    lines: list[tuple[int, str]] = []
    pos = 0
    for raw in text.split("\n"):
        lines.append((pos, raw))
        pos += len(raw) + 1

    labelled: dict[str, int] = {}
    for _, raw in lines:
        if _BULLET_MARK.match(raw):
            continue
        match = _LABEL.match(raw) or _OTTER.match(raw)
        name = people.resolve(match.group("label")) if match else None
        if name:
            labelled[name] = labelled.get(name, 0) + 1
    transcript = sum(labelled.values()) >= 3 and len(labelled) >= 2
    vtt = _VTT_CUE.search(notes) is not None  # cues cut one utterance into several lines

    units: list[_Unit] = []
    section: Section = "other"
    turn = 0
    last: _Unit | None = None
    otter_speaker: tuple[str | None, str] | None = None
    seen_list = False
    marked_list = False  # a list with bullet marks in this section
    prev_raw = ""  # the previous non-blank line of this block
    group_owner: str | None = None  # "Action items / Omar Farouk / <his items>"
    person: str | None = None  # "## Ben" over notes about Ben
    quote_author: str | None = None  # whose quoted email the "> ..." lines are
    table: _Table | None = None
    opens_list = False  # the previous line introduced a list of actions ("As discussed:")
    list_owner: str | None = None  # "from my side:" / "for you:" — whose list follows
    opener: str | None = None
    for line_start, raw in lines:
        if not raw.strip():
            if last is not None and last.kind in {"para", "bullet"}:
                last = None
            prev_raw = ""
            continue
        if opens_list:
            section, opens_list = "actions", False
            seen_list = marked_list = False
        list_owner, opener = opener, None
        if _QUOTE_HEADER.match(raw):
            found = people.find(raw)
            quote_author = found[0][2] if found else None
            last, prev_raw = None, ""
            continue
        quote = _QUOTE.match(raw) if quote_author else None
        if quote is None:
            quote_author = None
        elif raw[quote.end() :].strip():
            # A quoted earlier email: its "I" is whoever wrote it.
            body = raw[quote.end() :]
            start = line_start + quote.end() + len(body) - len(body.lstrip())
            end = line_start + len(raw.rstrip())
            previous = text[last.start : last.end] if last is not None else ""
            if (
                last is not None
                and last.kind == "turn"
                and last.speaker == quote_author
                and not re.search(r"[.!?…:]['\")\]]*$", previous)
            ):
                last.end = end  # a hard-wrapped quoted line
                continue
            if last is None or last.speaker != quote_author:
                turn += 1
            unit = _Unit(start, end, "turn", section, quote_author, quote_author, turn=turn)
            units.append(unit)
            last = unit
            continue
        else:
            continue
        cells = _cells(raw, line_start)
        if cells:
            if _TABLE_RULE.match(raw):
                continue
            if table is None:
                table = _table_header(cells)
                last = None
                continue
            unit_or_none = _table_unit(table, cells, line_start, raw, people)
            if unit_or_none is not None:
                units.append(unit_or_none)
            last = None
            continue
        table = None
        otter = _OTTER.match(raw)
        otter_name = people.resolve(otter.group("label")) if otter else None
        if otter and otter_name and section == "actions" and not otter.group("ts"):
            group_owner = otter_name  # an owner's name over their items
            last, prev_raw = None, ""
            continue
        if otter and (otter_name or (otter.group("ts") and otter.group("label")[:1].isupper())):
            # A Zoom/Otter speaker line ("Ana Silva  00:03"): the text follows on its own lines.
            turn += 1
            otter_speaker = (otter_name, otter.group("label").strip())
            last = None
            continue
        heading = _is_heading(raw)
        if heading is not None and not (transcript and _LABEL.match(raw)):
            owner_heading = people.resolve(heading.strip(" :*_#@"))
            if owner_heading and section == "actions":
                group_owner = owner_heading
            else:
                section = _heading_section(heading)
                group_owner = None
                person = owner_heading
                seen_list = marked_list = False
            writer = otter_speaker[0] if otter_speaker is not None else people.author
            opener = _whose_list(heading, writer, people)
            last, prev_raw = None, ""
            continue
        field = _ITEM_FIELD.match(raw)
        if field and last is not None and last.kind == "bullet" and last.turn < 0:
            # Notion/Confluence items: "  - Owner: Ben", "  - Due: Friday" under the task.
            value = field.group("value").strip(" *_")
            if field.group("key").lower().startswith(("due", "deadline", "when", "by")):
                last.due_cell = "" if _NOBODY.match(value) else value
            elif not _NOBODY.match(value):
                who = people.resolve(value)
                if who:
                    last.owner_hint = last.owner_hint or who
                else:
                    last.outsider = True
            continue
        if _META_LABELS.match(raw) and not _INLINE_ACTION.match(raw.strip()):
            last = None
            continue

        unit = _Unit(start=0, end=0, kind="para", section=section)
        content_start = line_start
        body = raw
        bullet = _BULLET.match(body)
        new_item = group_owner is not None and re.match(r"[ \t]+[A-Z@\[(]", raw) is not None
        if bullet and (
            bullet.group("mark") or bullet.group("box") is not None or bullet.group("glyph")
        ):
            unit.kind = "bullet"
            unit.bullet = True
            marked_list = True
            box, glyph = bullet.group("box"), bullet.group("glyph")
            if box is not None or glyph:
                unit.checkbox = True
                unit.checked = bool((box and box.strip()) or glyph in {"☑", "✅", "✔", "✓"})
            content_start += bullet.end()
            body = raw[bullet.end() :]
        elif last is not None and last.kind == "bullet" and raw[:1] in {" ", "\t"} and not new_item:
            last.end = line_start + len(raw.rstrip())  # a wrapped bullet
            prev_raw = raw
            continue
        arrow = _ARROW.match(body)
        if arrow:
            unit.bullet = True
            unit.kind = "bullet"
            content_start += arrow.end()
            body = body[arrow.end() :]
        todo = _TODO.match(body)
        if todo:
            unit.todo = True
            paren = re.search(r"\(\s*@?([^)]{1,30}?)\s*\)", todo.group(0))
            if paren and people.resolve(paren.group(1)):
                unit.owner_hint = people.resolve(paren.group(1))  # "TODO (Ana): send the talk"
                unit.label_start = content_start
            content_start += todo.end()
            body = body[todo.end() :]
        inline = _INLINE_ACTION.match(body)
        if inline:
            unit.inline_action = True
            content_start += inline.end()
            body = body[inline.end() :]

        pair = _PAIR_LABEL.match(body)
        if pair and people.resolve(pair.group("a")) and people.resolve(pair.group("b")):
            unit.shared = True  # "Ben & Ana: run a game day": both, so nobody in particular
            content_start += pair.start("body")
            body = pair.group("body")
        bracket = _BRACKET_OWNER.match(body)
        if bracket and people.resolve(bracket.group("label")) and not unit.shared:
            unit.owner_hint = people.resolve(bracket.group("label"))  # "[Ben Okafor] will ..."
            unit.label_start = content_start
            content_start += bracket.start("body")
            body = bracket.group("body")
        owner_arrow = _OWNER_ARROW.match(body.lstrip()) if not unit.shared else None
        arrow_owner = people.resolve(owner_arrow.group("label")) if owner_arrow else None
        if owner_arrow and arrow_owner:
            lead = len(body) - len(body.lstrip())
            unit.owner_hint = arrow_owner  # "ana -> send ben the k8s talk"
            unit.label_start = content_start + lead
            unit.bullet, unit.kind = True, "bullet"
            content_start += lead + owner_arrow.start("body")
            body = owner_arrow.group("body")
        label_match = _LABEL.match(body) if not unit.shared and not arrow_owner else None
        if (
            label_match
            and label_match.group("label").strip().lower() in {"me", "i", "myself"}
            and people.author
        ):
            unit.owner_hint = people.author  # "-> me: share my old self-review"
            unit.label_start = content_start
            content_start += label_match.start("body")
            body = label_match.group("body")
            label_match = None
        dash = _DASH_LABEL.match(body) if label_match is None and not arrow_owner else None
        if (
            dash
            and people.resolve(dash.group("label"))
            and (_looks_imperative(dash.group("body")) or _DEADLINE_HINT.search(dash.group("body")))
        ):
            label_match = dash
        label = label_match.group("label").strip() if label_match else ""
        name = people.resolve(label) if label_match else None
        message = False  # the line starts a speaker's message
        if label_match and (
            label.lower() in _BOT_LABELS or label.split()[0].lower() in _BOT_LABELS
        ):
            unit.injected = True
        elif label_match and _fold(label) in people.ambiguous:
            unit.ambiguous_owner = True  # "Sam: draft the RFC" with two Sams: nobody in particular
            unit.label_start = content_start
            content_start += label_match.start("body")
            body = label_match.group("body")
        elif label_match and name:
            rest = label_match.group("body")
            spoken = _mask_fillers(_low(rest)).lstrip(" ,")
            if (transcript and not unit.bullet) or _SPEECH_START.match(spoken):
                if not transcript or last is None or last.speaker != name:
                    turn += 1
                unit.kind = "bullet" if unit.bullet else "turn"
                unit.speaker, unit.label, unit.turn = name, label, turn
                # The same voice in the next cue, mid-sentence, goes on with what it was saying.
                message = not (
                    vtt
                    and last is not None
                    and last.speaker == name
                    and not re.search(r"[.!?…]['\")\]]*$", text[last.start : last.end])
                )
            else:
                unit.owner_hint = name
                unit.label_start = content_start
            content_start += label_match.start("body")
            body = rest
        elif (
            label_match
            and transcript
            and not unit.bullet
            and all(w[:1].isupper() for w in label.split())
            and label.lower() not in _NOT_SPEAKERS
            and label.split()[0].lower() not in _NOT_SPEAKERS
        ):
            turn += 1
            unit.kind = "turn"
            unit.speaker, unit.label, unit.turn = None, label, turn
            message = True
            content_start += label_match.start("body")
            body = label_match.group("body")
        elif otter_speaker is not None and not arrow_owner:
            # A line of a chat or Otter message; a list in it is the speaker's own list.
            unit.kind = "bullet" if unit.bullet else "turn"
            unit.speaker, unit.label, unit.turn = otter_speaker[0], otter_speaker[1], turn
        elif transcript and not unit.bullet and last is not None and last.kind == "turn":
            unit.kind = "turn"
            unit.speaker, unit.label, unit.turn = last.speaker, last.label, last.turn
        listed = section == "actions" or unit.todo or unit.inline_action or unit.checkbox
        if listed and not unit.owner_hint and not label_match and not unit.shared:
            # "TODO: Ben rewrite the intro", "Ben sends Ana the deck" in an action list.
            named = people.find(body)
            lead = len(body) - len(body.lstrip(" @"))
            verb = re.match(r"[ \t]+([a-z][\w-]*)\b", body[named[0][1] :]) if named else None
            if named and named[0][0] == lead and verb and _verb_base(verb.group(1)):
                unit.owner_hint = named[0][2]
                unit.label_start = content_start + named[0][0]
                content_start += verb.start(1) + named[0][1]
                body = body[verb.start(1) + named[0][1] :]
        if group_owner is not None and unit.speaker is None and not unit.owner_hint:
            unit.owner_hint = group_owner
        unit.person = person

        stripped = body.rstrip()
        unit.start = content_start + len(body) - len(body.lstrip())
        unit.end = content_start + len(stripped)
        if unit.end <= unit.start:
            continue
        opens_list = (
            unit.kind == "para"
            and stripped.endswith(":")
            and (_SECTION_ACTIONS.search(stripped) or _LEAD_IN.search(_low(stripped))) is not None
        )
        if stripped.endswith(":") and not unit.bullet:
            writer = unit.speaker if unit.kind == "turn" else people.author
            opener = _whose_list(stripped, writer, people)
        elif unit.bullet and list_owner is not None:
            opener = list_owner  # the list goes on
            if not unit.owner_hint and not unit.shared:
                unit.owner_hint = list_owner
        if (
            unit.kind == "turn"
            and not message
            and last is not None
            and last.kind == "turn"
            and (last.speaker, last.label, last.turn) == (unit.speaker, unit.label, unit.turn)
            and (
                _MID_SENTENCE.search(text[last.start : last.end])
                or (vtt and not re.search(r"[.!?…]['\")\]]*$", text[last.start : last.end]))
            )
        ):
            last.end = unit.end  # a turn wrapped over two lines (a transcript's cue)
            prev_raw = raw
            continue
        continuation = False
        if (
            unit.kind == "para"
            and (section == "actions" or group_owner is not None)
            and not marked_list
            and not unit.todo
        ):
            # An action section written one item per line without bullets (a Google Doc).
            continuation = bool(prev_raw.strip()) and (
                _MID_SENTENCE.search(prev_raw) is not None
                or (
                    stripped.lstrip()[:1].islower()
                    and len(prev_raw.strip()) >= 70  # a long line wrapped, not a short item
                    and not re.search(r"[.!?:;)]\s*$", prev_raw)
                    and not unit.owner_hint
                )
            )
            if not continuation:
                unit.kind, unit.bullet = "bullet", True
        prev_raw = raw
        if unit.kind == "para" and last is not None and last.kind == "para" and not unit.todo:
            last.end = unit.end  # hard-wrapped prose
            continue
        if continuation and last is not None and last.kind == "bullet":
            last.end = unit.end  # a wrapped line of an unmarked list item
            continue
        if unit.kind == "para" and seen_list and section != "other":
            # Prose after a section's list is no longer part of that list.
            section = unit.section = "other"
        seen_list = seen_list or unit.bullet
        units.append(unit)
        last = unit
    return units


# -- sentences -----------------------------------------------------------------------------------
_ABBREV = _words(
    "e.g i.e etc vs dr mr mrs ms approx incl st no fig jan feb mar apr jun jul aug sep sept oct "
    "nov dec mon tue wed thu fri sat sun al"
)
_SENT_END = re.compile(r"[.!?…]+[\"'”’)\]*]*(?=\s|$)|\n[ \t]*\n")


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans (absolute) inside ``text[start:end]``."""
    out: list[tuple[int, int]] = []
    segment = text[start:end]
    cursor = 0

    def emit(a: int, b: int) -> None:
        piece = segment[a:b]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            out.append((start + a + lead, start + a + len(piece.rstrip())))

    for match in _SENT_END.finditer(segment):
        stop = match.end()
        if match.group(0).startswith("."):
            before = re.search(r"([\w.]+)\.+$", segment[: match.start() + 1])
            token = before.group(1).lower() if before else ""
            if token in _ABBREV or (len(token) == 1 and token.isalpha()):
                continue
        emit(cursor, stop)
        cursor = stop
    emit(cursor, len(segment))
    return out


# -- commitments ---------------------------------------------------------------------------------
_ADVERBS = (
    r"(?:also|then|just|definitely|probably|now|first|both|all|really|actually|still|personally"
    r"|gladly|happily|finally|quickly|try\s+and|try\s+to|make\s+sure\s+to|aim\s+to"
    r"|go\s+ahead\s+and|be\s+sure\s+to|remember\s+to|take\s+time\s+to|get\s+around\s+to"
    r"|absolutely|immediately|each|for\s+sure|at\s+least|please|totally|honestly|literally"
    r"|basically)"
)
_PRE_MODAL = r"(?:\s+(?:also|then|just|definitely|probably|really|still|both|all|actually|now"
_PRE_MODAL += r"|already|each|personally|happily|gladly|kindly))*"
_MODAL_STRONG = (
    r"(?:'ll|" + _PRE_MODAL + r"(?:\s+will|\s+shall|\s+am\s+going\s+to|\s+are\s+going\s+to"
    r"|\s+is\s+going\s+to|\s+is\s+gonna|\s+are\s+gonna|\s+gonna|\s+plans?\s+to"
    r"|\s+(?:is|am|are)\s+planning\s+to|\s+(?:has\s+|have\s+)?agreed\s+to|\s+agrees\s+to"
    r"|\s+(?:has\s+|have\s+)?committed\s+to|\s+commits\s+to|\s+(?:has\s+|have\s+)?promised\s+to"
    r"|\s+promises\s+to|\s+(?:has\s+|have\s+)?offered\s+to|\s+offers\s+to"
    r"|\s+(?:has\s+|have\s+)?volunteered\s+to|\s+volunteers\s+to"
    r"|\s+(?:is|are|am)\s+on\s+the\s+hook\s+to|\s+said\s+(?:he|she|they|i|we|you)(?:'d|'ll"
    r"|\s+would|\s+will|\s+was\s+going\s+to|\s+is\s+going\s+to))"
    r"|'m\s+going\s+to|'re\s+going\s+to|'s\s+going\s+to|'m\s+gonna|'re\s+gonna"
    r"|'[mres]\s+planning\s+to|'s\s+on\s+the\s+hook\s+to)"
)
_MODAL_REPORTED = r"(?:'d|\s+would|\s+should|\s+needs?\s+to|\s+will|'ll)"
_MODAL_MEDIUM = (
    r"(?:'d\s+better|\s+had\s+better|\s+needs?\s+to|\s+ha(?:s|ve)\s+to|'ve\s+got\s+to|\s+must"
    r"|\s+should|'d\s+like\s+to|\s+would\s+like\s+to|\s+wants?\s+to|\s+hopes?\s+to|\s+aims?\s+to"
    r"|\s+intends?\s+to|\s+can)"
)
_MODAL_NEG = (
    r"(?:\s+won't|\s+will\s+not|'ll\s+not|\s+shall\s+not|'m\s+not\s+going\s+to"
    r"|\s+am\s+not\s+going\s+to|\s+(?:is|are)n't\s+going\s+to|\s+(?:is|are)\s+not\s+going\s+to"
    r"|'re\s+not\s+going\s+to|'s\s+not\s+going\s+to|\s+not\s+going\s+to|\s+(?:does|do)n't\s+need"
    r"\s+to|\s+(?:does|do)\s+not\s+need\s+to|\s+no\s+longer|\s+(?:has\s+|have\s+)?decided\s+"
    r"(?:not\s+to|against)|\s+(?:can't|cannot|can\s+not))"
)
_SUBJ_PRONOUN = re.compile(
    r"(?<![\w'])(?P<subj>i|we|you|he|she|they|someone|somebody|one\s+of\s+us|either\s+of\s+us"
    r"|both\s+of\s+us|the\s+two\s+of\s+us|we\s+both|you\s+both|my\s+mentee|my\s+mentor"
    r"|your\s+mentee|your\s+mentor)(?![\w])",
)
_SHARED = frozenset(
    {
        "we",
        "shared",
        "someone",
        "somebody",
        "one of us",
        "either of us",
        "both of us",
        "the two of us",
        "we both",
        "you both",
    }
)
_LET = re.compile(r"(?<![\w'])(?P<kind>let\s+me|let's|lets|let\s+us)\s+")
_PREFIX_BLOCK = re.compile(
    r"\b(?:if|whether|what|unless|why|how|where|than|whom|who|which|hope|hopes|hoping|wish"
    r"|wonder|wondering|doubt|asked|asks|ask|maybe|perhaps|possibly|unsure|once|until|till"
    r"|because|since|to|with|for|from|about|of|at|by|like|tell|told|let|help|helps|make|makes"
    r"|thank|when|before|after|while)\s*$"
)
_REPORTED_PREFIX = re.compile(
    r"\b(?:agreed|agree|decided|decide|said|confirmed|promised|mentioned|offered|committed"
    r"|the\s+plan\s+is)\s*(?:that\s*)?[,:]?\s*$|,?\s+and\s+that\s*$"
)
_HEDGE = re.compile(
    r"\b(?:maybe|perhaps|possibly|someday|some\s+day|one\s+day|in\s+theory|hypothetically"
    r"|might|not\s+sure|if\s+only|i\s+wonder"
    r"|(?:was|were)\s+(?:gonna|going\s+to)\s+(?:say|suggest|propose|mention|ask)"
    r"|(?:was|were)\s+thinking\s+(?:of|about|that|we|i|you))\b"
)
# Later in the same breath: "we should do a dry run, but actually, let's not".
_CANCEL_LATER = re.compile(
    r"\b(?:let's\s+not|let\s+us\s+not|actually,?\s+(?:no|not)\b|on\s+second\s+thought"
    r"|maybe\s+not\b|forget\s+it\b)"
)
# "I'd rather ...", "she'd sooner ...", "would prefer to ...": a preference, not a commitment.
_PREFERENCE = re.compile(r"\s*(?:rather|sooner|prefer|prefers|preferably)\b")
_HABIT = re.compile(
    r"\b(?:next\s+time\s+(?:i|you|we|he|she)\b|whenever|every\s+time|each\s+time|from\s+now\s+on"
    r"|going\s+forward|in\s+future)"
)
_DEFERRAL = re.compile(
    r"\b(?:next\s+quarter|next\s+year|(?:in\s+)?the\s+new\s+year|some\s*day|one\s+day|eventually"
    r"|at\s+some\s+point|down\s+the\s+line|in\s+the\s+future|maybe\s+later"
    r"|once\s+things\s+calm\s+down|in\s+a\s+few\s+months)\b"
)
_RETRACT = re.compile(
    r"\b(?:let's\s+|we'll\s+|we\s+|i'll\s+|i\s+|let\s+us\s+)?(?P<verb>park|parked|parking|shelve"
    r"|shelved|postpone|postponed|defer|deferred|table|tabled|scrap|scrapped|cancel|cancelled"
    r"|canceled|drop|dropped|put\s+on\s+hold|come\s+back\s+to|revisit|hold\s+off\s+on"
    r"|decided\s+against|forget(?:\s+about)?(?!\s+(?:to|it|that|this)\b)|no\s+need\s+for"
    r"|no\s+longer\s+need|call\s+off|called\s+off|skip|skipping)\s+(?P<obj>[^,.;:!?]*)"
)
_CALLED_OFF = re.compile(
    r"(?P<obj>(?:[\w'-]+\s+){0,2}[\w'-]+)\s+(?:(?:won't|will\s+not|isn't\s+going\s+to"
    r"|is\s+not\s+going\s+to|can't|cannot)\s+(?:happen|go\s+ahead|take\s+place)"
    r"|(?:is|was|got|has\s+been)\s+(?:cancell?ed|called\s+off|not\s+happening|scrapped"
    r"|dropped))\b"
)
_DROPPED_IT = re.compile(
    r"\b(?:call(?:ed|ing)?\s+(?:it|that|this)\s+off|(?:cancel(?:l?ed|l?ing)?|drop(?:ped|ping)?"
    r"|scrap(?:ped|ping)?|shelve[ds]?|park(?:ed|ing)?|postpone[ds]?|ditch(?:ed)?|kill(?:ed)?)"
    r"\s+(?:it|that|this)\b(?!\s+(?:in|into|on|to)\b))"
)
_SUBJECTS = _words("i we you he she they it this that there")
_DETERMINERS = _words("the our that this my his her their your a an so and but then")
_SCRATCH = re.compile(
    r"\b(?:scratch\s+that|never\s*mind|forget\s+(?:about\s+)?that|strike\s+that|ignore\s+that"
    r"|on\s+second\s+thought)\b"
)
_TAG_QUESTION = re.compile(
    r",?\s*(?:ok|okay|right|yeah|alright|sound\s+good|sounds\s+good|does\s+that\s+work|deal"
    r"|cool|fair)\s*\?\s*$"
)
_ACCEPT = re.compile(
    r"^(?:(?:oh|ah|well|and)[,.!]?\s+)?(?:sure|yes|yeah|yep|yup|ok|okay|will\s+do|can\s+do|deal"
    r"|on\s+it|absolutely|definitely|of\s+course|sounds\s+good|no\s+problem|happy\s+to|i\s+will"
    r"|got\s+it|agreed|that\s+would\s+be\s+(?:great|amazing|helpful|perfect|brilliant|ideal)"
    r"|that'd\s+be\s+(?:great|amazing|helpful|perfect)|yes\s+please|please\s+do|perfect|great"
    r"|thanks|thank\s+you|amazing|brilliant|done|good\s+call|good\s+idea|makes\s+sense|👍)"
)
# "will do", "on it": what accepts a bare imperative ("ping Dana about the guild").
_ACCEPT_FIRM = re.compile(
    r"^(?:(?:oh|ah|ok|okay|sure|yes|yeah|yep|yup|great|perfect|cool|thanks|absolutely)[,.!]*\s+)*"
    r"(?:will\s+do|can\s+do|on\s+it|i'm\s+on\s+it|i\s+will|i'll\s+do\s+(?:that|it|so)"
    r"|i'll\s+(?:ping|message|email|text|ask|send|reach\s+out\s+to)\s+(?:him|her|them)"
    r"|consider\s+it\s+done)\b"
)
_REQUEST_Q = re.compile(
    r"^(?:(?:and|also|so|then|ok|okay|great|good|now|oh)[,.]?\s+)*(?:can|could|would|will)\s+you"
    r"\s+(?:please\s+)?(?:also\s+)?(?P<pred>.+)$"
)
_REQUEST_ASK = re.compile(
    r"^(?:(?:and|also|so|then|ok|okay|great|good|now)[,.]?\s+)*(?:i'd\s+like\s+you\s+to|i\s+would"
    r"\s+like\s+you\s+to|i\s+want\s+you\s+to|i\s+need\s+you\s+to|your\s+homework\s+is\s+to"
    r"|homework:|please)\s+(?P<pred>.+)$"
)
_REQUEST_IMP = re.compile(
    r"^(?:(?:and|also|so|then|ok|okay|great|good|now|oh|for\s+next\s+(?:week|time|session)"
    r"|before\s+(?:our\s+|the\s+)?next\s+(?:session|time|week))[,.]?\s+)*(?P<pred>[a-z][\w-]*\b.*)$"
)
_SUGGEST = re.compile(
    r"^(?:(?:also|and|so|maybe|ok|okay|i\s+think|honestly)[,.]?\s+)*(?:(?:it's|it\s+is|it'd\s+be"
    r"|it\s+would\s+be|might\s+be|probably|definitely)\s+)?(?:worth|consider|i'd\s+suggest"
    r"|i\s+suggest|i'd\s+recommend|i\s+recommend|try)\s+(?P<ger>[a-z]+ing)\b"
)
# "You should ping Dana about it": advice that becomes a task only when firmly taken up.
_REQUEST_SUGGEST = re.compile(
    r"^(?:(?:and|also|so|then|ok|okay|oh|honestly|i\s+think)[,.]?\s+)*(?:you\s+(?:should|could"
    r"|might\s+want\s+to|may\s+want\s+to|ought\s+to)|maybe\s+you\s+(?:should|could))\s+"
    r"(?:also\s+|probably\s+|definitely\s+|really\s+)?(?P<pred>[a-z].*)$"
)
_VOCATIVE = re.compile(r"^(?P<name>[^\W\d_][\w'-]*)\s*,\s+")
_CUT = re.compile(
    r",\s*so\b|\s+so\s+(?:that\s+)?(?:it's|it\s+is|it'll|they're|there's|he's|she's|we're"
    r"|you're|i'm)\s|\s+so\s+(?:that\s+)?(?=[a-z']+\s+(?:can|could|isn't|is|doesn't|does|won't|will|has"
    r"|have|knows?|sees?|gets?|practises?|practices?|don't|aren't|are|stop|stops|understand)\b)"
    r"|,?\s+because\b|,\s*which\b|,?\s+but\b|,\s*though\b|\s+though\b|,\s*although\b"
    r"|,\s*(?:it|that|this|there|he|she|they|we|i|you|the\s+\w+)(?:'s|\s+is|\s+was|\s+are"
    r"|\s+were|\s+has|\s+had|\s+feels|\s+seems|\s+looks)\b|\s+[—–]\s+(?:it|that|this|he|she|they"
    r"|we|i|you|which)\b|;|,\s*got\s+it\b|,\s*(?:it|this|that|he|she)\s+[a-z]+s\b"
    r"|,\s*(?:and\s+)?(?:will|gonna)\s+[a-z]+\s+(?:it|them|that)\b"
    r"|,?\s+if\s+(?:you|he|she|they|we|i)\s+(?!can\b|could\b)"
)
_FILLER_TAIL = re.compile(
    r"(?:[\s,]+(?:instead|too|as\s+well|also|anyway|asap|if\s+you\s+can|if\s+possible"
    r"|if\s+you\s+want|please|at\s+the\s+latest|ideally|for\s+sure|probably|hopefully"
    r"|aiming|aiming\s+(?:for|at)|targeting|hoping"
    r"|after\s+all|though|and\s+that|and|or|but|so|then|no\s+rush|carried\s+over|not\s+before"
    r"|[(\[](?:no\s+rush|carried\s+over|done|in\s+progress|optional|stretch|wip)[)\]]))+\s*$",
    re.IGNORECASE,
)
_LEADING_FILLER = re.compile(rf"^(?:(?:{_ADVERBS}|to|and|so|then)\b[\s,]*)+", re.IGNORECASE)
_PARTICLES = _words("up over out back through across along in on off around down")
_ROLE = re.compile(
    r"\b(?P<det>my|your|his|her|their|our|the)\s+(?P<role>(?:tech\s+|team\s+|engineering\s+"
    r"|new\s+|former\s+|old\s+|line\s+)?(?:manager|lead|boss|skip-level|director|vp|cto|ceo"
    r"|colleague|teammate|reviewer|recruiter|partner|wife|husband|mum|mom|dad|friend|sister"
    r"|brother|mentor|mentee))\b",
    re.IGNORECASE,
)
_PERSON_VERB = re.compile(
    r"^(?:'s|’s|\s+(?:said|says|is|was|has|had|will|would|can|could|asked|told|mentioned|thinks"
    r"|wants|ran|runs|from|who|and|offered|agreed|suggested|explained|recommended))\b"
)


@dataclass
class _Start:
    """A commitment in a sentence: who (as written), how firmly, where the predicate starts."""

    start: int  # absolute start of the subject
    pred_start: int  # absolute start of the predicate (after the modal)
    subject: str  # i, we, you, he, she, they, shared, someone..., name:<full>, other
    strength: Literal["strong", "medium", "let", "negative", "minutes"]


@dataclass
class _Ctx:
    """Who "I" and "you" are in a sentence."""

    first: str | None
    addressee: str | None
    transcript: bool


@dataclass
class _Mention:
    pos: int
    attendee: str | None  # None: someone outside the pair
    role: str | None = None  # "manager" for "my manager"
    role_of: str | None = None  # whose manager (an attendee), if known
    sentence: int = -1


@dataclass
class _Request:
    asker: str | None
    addressee: str | None
    start: int
    end: int
    due: date | None
    action: str
    tokens: set[str]
    used: bool = False
    firm: bool = False  # only a firm "will do" accepts it (an undated imperative)


@dataclass
class _Item:
    owner: str | None
    action: str
    due: date | None
    ev_start: int
    ev_end: int
    unit: int
    sentence: int
    tokens: set[str] = field(default_factory=set)
    vague: bool = False
    continuation: bool = False
    completion: bool = False  # "I'll have the intro ready by Sunday": the date of a known task


class _Extractor:
    """One pass over one set of notes."""

    def __init__(
        self,
        notes: str,
        people: _People,
        session_date: date,
        next_session: date | None,
    ) -> None:
        self.original = notes
        self.notes = _normalise(notes, people)
        self.low = _mask_fillers(_low(self.notes))
        self.people = people
        self.author = people.author
        self.session_date = session_date
        self.next_session = next_session
        self.items: list[_Item] = []
        self.units = _parse(notes, people)
        self.sentences: list[tuple[int, int, int]] = []  # (start, end, unit index)
        flat = self.notes.replace("\n", " ")
        for index, unit in enumerate(self.units):
            if unit.injected:
                continue
            # A turn is one utterance even where a transcript's cues broke it over lines.
            source = flat if unit.kind == "turn" else self.notes
            for s, e in _sentences(source, unit.start, unit.end):
                self.sentences.append((s, e, index))
        self.mentions = self._person_mentions()
        self.requests: dict[int, list[_Request]] = {}
        self.resolved_here = False  # the last action's "it" was found earlier in its sentence
        self.completion = False  # the last action was "have X ready": a date for a known task
        self.scratched: _Item | None = None

    def dues(self, start: int, end: int) -> list[tuple[int, int, date | None]]:
        """Due phrases in ``notes[start:end]`` as absolute spans."""
        return [
            (start + m.start, start + m.end, m.due)
            for m in find_all_due(self.notes[start:end], self.session_date, self.next_session)
        ]

    def first_due(self, start: int, end: int) -> date | None:
        return next((d for _, _, d in self.dues(start, end) if d is not None), None)

    # -- people in context --------------------------------------------------------------------
    def _first_person_at(self, unit: _Unit) -> str | None:
        if unit.kind == "turn" or unit.speaker or unit.label:
            return unit.speaker
        return self.author

    def _person_mentions(self) -> list[_Mention]:
        """Every mention of a person (an attendee, someone else, or a role like "my manager")."""
        found: list[_Mention] = []
        for index, (s, e, unit_index) in enumerate(self.sentences):
            unit = self.units[unit_index]
            size = len(found)
            segment = self.notes[s:e]
            taken: list[tuple[int, int]] = []
            for ms, me, full in self.people.find(segment):
                found.append(_Mention(s + ms, full))
                taken.append((ms, me))
            for match in re.finditer(r"(?<![\w@'’-])[A-Z][a-zà-ÿ]+(?![\w-])", segment):
                word = match.group(0)
                if word in _NOT_NAMES or any(a <= match.start() < b for a, b in taken):
                    continue
                if self.people.resolve(word):
                    continue
                before = segment[: match.start()].rstrip()
                initial = not before or before[-1] in ".!?:\"'—-("
                if initial and not _PERSON_VERB.match(segment[match.end() :]):
                    continue
                found.append(_Mention(s + match.start(), None))
            first = self._first_person_at(unit)
            ctx_addressee = self.people.other(first) if first else None
            if re.search(r"(?:^|[,;:]\s*|\band\s+)(?:he|she)\b", self.low[s:e]):
                continue  # "He'll book a 1:1 with his skip-level": he stays the one in focus
            for match in _ROLE.finditer(segment):
                det = match.group("det").lower()
                whose = {"my": first, "your": ctx_addressee}.get(det)
                found.append(_Mention(s + match.start(), None, match.group("role"), whose))
            for mention in found[size:]:
                mention.sentence = index
        found.sort(key=lambda m: m.pos)
        return found

    def _third_person(self, pos: int, exclude: set[str | None]) -> _Mention | None:
        """Who a he/she/him/her at ``pos`` most likely means: the latest person mentioned.

        Returns a mention of an attendee, a role ("my manager"), or ``None`` when the latest person
        is someone outside the pair (the pronoun is then left alone).
        """
        earlier = [m for m in self.mentions if m.pos < pos and pos - m.pos <= 600]
        while earlier:
            sentence = earlier[-1].sentence
            here = [m for m in earlier if m.sentence == sentence]
            earlier = earlier[: len(earlier) - len(here)]
            # Within one sentence an attendee outranks a role or an outsider mentioned with them
            # ("Arjun will do a dry run with his manager, and Sara will send him ...").
            attendees = [m for m in here if m.attendee is not None and m.attendee not in exclude]
            if attendees:
                return attendees[-1]
            last = here[-1]
            if last.attendee is None:
                return last if last.role else None
        others = [a for a in self.people.attendees if a not in exclude]
        return _Mention(-1, others[0]) if len(others) == 1 else None

    def _context(self, unit: _Unit, sentence_start: int) -> _Ctx:
        if unit.kind == "turn" or unit.speaker or unit.label:
            first = unit.speaker
            addressee = self._vocative(unit, sentence_start) or self.people.other(first)
            return _Ctx(first, addressee, True)
        return _Ctx(self.author, self.people.other(self.author), False)

    def _vocative(self, unit: _Unit, sentence_start: int) -> str | None:
        """A name the speaker addresses earlier in this turn ("Sam, can you...")."""
        found: str | None = None
        for s, _e, unit_index in self.sentences:
            if s > sentence_start:
                break
            other = self.units[unit_index]
            if other is not unit and (unit.turn < 0 or other.turn != unit.turn):
                continue
            match = _VOCATIVE.match(self.notes[s : s + 40])
            if match and self.people.resolve(match.group("name")):
                found = self.people.resolve(match.group("name"))
        return found

    # -- commitment detection -----------------------------------------------------------------
    def _subjects(self, s: int, e: int) -> list[tuple[int, int, str]]:
        low = self.low
        candidates: list[tuple[int, int, str]] = []
        for match in _SUBJ_PRONOUN.finditer(low, s, e):
            candidates.append(
                (match.start(), match.end(), re.sub(r"\s+", " ", match.group("subj")))
            )
        for ms, me, full in self.people.find(self.notes[s:e]):
            start, end = s + ms, s + me
            if re.match(r"'s\s+(?!going|on\s+the\s+hook)", low[end : end + 14]):
                continue
            pair = re.match(r"\s+and\s+(?:i|me)\b", low[end : end + 10])
            if pair:
                candidates.append((start, end + pair.end(), "shared"))
                continue
            other = self.people.find(self.notes[end : end + 40])
            if other and re.fullmatch(r"\s+and\s+", low[end : end + other[0][0]]):
                candidates.append((start, end + other[0][1], "shared"))
                continue
            candidates.append((start, end, f"name:{full}"))
        for match in re.finditer(r"(?<![\w@'-])[A-Z][a-zà-ÿ]+(?![\w'-])", self.notes[s:e]):
            start = s + match.start()
            if match.group(0) in _NOT_NAMES or self.people.resolve(match.group(0)):
                continue
            if any(cs <= start < ce for cs, ce, _ in candidates):
                continue
            candidates.append((start, s + match.end(), "other"))
        candidates.sort()
        return candidates

    def _starts(self, s: int, e: int) -> list[_Start]:
        low = self.low
        found: list[_Start] = []
        for start, end, subj in self._subjects(s, e):
            prefix = low[s:start]
            if start > s and re.search(r"[\w'@]\Z", prefix):
                continue
            asked = re.search(r"\b(?:asked|reminded|requested|told)\s*$", prefix) and re.match(
                r"\s+to\s+[a-z]", low[end:e]
            )
            if asked and subj.startswith("name:"):
                to = re.match(r"\s+to\s+", low[end:e])
                if to and _looks_imperative(low[end + to.end() : e]):
                    found.append(_Start(start, end + to.end(), subj, "strong"))
                continue
            if _PREFIX_BLOCK.search(prefix.rstrip()) and not re.search(r"[,;:.—–-]\s*$", prefix):
                continue
            rest = low[end:e]
            strength: Literal["strong", "medium", "let", "negative", "minutes"] | None = None
            match = re.match(_MODAL_NEG, rest)
            if match:
                strength = "negative"
            else:
                match = re.match(_MODAL_STRONG, rest)
                if match:
                    strength = "strong"
                elif _REPORTED_PREFIX.search(prefix):
                    match = re.match(_MODAL_REPORTED, rest)
                    strength = "strong" if match else None
                if strength is None and subj not in {"they", "other"}:
                    match = re.match(_MODAL_MEDIUM, rest)
                    strength = "medium" if match else None
                if strength is None and subj.startswith("name:"):
                    minutes = re.match(r"\s+to\s+(?=[a-z])", rest)
                    at_clause_start = not prefix.strip() or re.search(
                        r"(?:[,;:.—–-]|\band|\balso|\bthen|\baction)\s*$", prefix.rstrip()
                    )
                    if minutes and at_clause_start and _looks_imperative(rest[minutes.end() :]):
                        match, strength = minutes, "minutes"
            if match is None or strength is None:
                continue
            pred_start = end + match.end()
            adverbs = re.match(rf"(?:\s*\b{_ADVERBS}\b)*\s*", low[pred_start:e])
            if adverbs:
                pred_start += adverbs.end()
            if not re.match(r"[a-z]", low[pred_start : pred_start + 1]):
                continue  # "Someone should, but ...": no task named
            found.append(_Start(start, pred_start, subj, strength))
        for match in re.finditer(
            r"(?:^|(?<=[,;:])|(?<=\band)|(?<=\bok)|(?<=\bokay))\s*(?P<m>will|gonna)\s+(?=[a-z])",
            low[s:e],
        ):
            at = s + match.start("m")
            if any(st.start <= at < st.pred_start for st in found):
                continue
            if self.notes[at : at + 4] == "Will" and self.people.resolve("Will"):
                continue  # "Will thinks ...": the attendee called Will
            if not _looks_imperative(low[s + match.end() : e]):
                continue
            if re.match(r"will\s+do\b", low[at:e]):
                continue  # "will do" is an acceptance, handled with the request
            found.append(_Start(at, s + match.end(), "i", "strong"))
        for match in _LET.finditer(low, s, e):
            prefix = low[s : match.start()]
            if _HEDGE.search(prefix) or re.search(r"\b(?:if|whether|not)\s*$", prefix):
                continue
            if "me" in match.group("kind"):
                found.append(_Start(match.start(), match.end(), "i", "strong"))
            else:
                found.append(_Start(match.start(), match.end(), "shared", "let"))
        found.sort(key=lambda st: st.start)
        # A start right inside the previous predicate with no clause break ("I'll tell my manager
        # I'll take it") is a nested clause and stays part of it.
        kept: list[_Start] = []
        for st in found:
            if kept and st.start < kept[-1].pred_start:
                continue
            if kept and not re.search(
                r"(?:[,;]|\band|\bbut|\bso|\bthen|[—–]|\band\s+that|\basked|\breminded"
                r"|\brequested|\btold)\s*$",
                low[kept[-1].pred_start : st.start],
            ):
                continue
            kept.append(st)
        return kept

    # -- main loop ----------------------------------------------------------------------------
    def run(self) -> list[ActionItem]:
        current_turn = -1
        turn_first_sentence = -1
        for index, (s, e, unit_index) in enumerate(self.sentences):
            unit = self.units[unit_index]
            if unit.turn != current_turn:
                self._close_turn(current_turn, turn_first_sentence)
                current_turn, turn_first_sentence = unit.turn, index
            if _INJECTION.search(self.notes[s:e]):
                continue
            if unit.checked or unit.section in {"done", "parked"}:
                continue
            if unit.kind == "turn" and unit.speaker is None:
                continue  # a guest speaks: context only, never an owner
            ctx = self._context(unit, s)
            sentence = self.low[s:e]
            if _SCRATCH.search(sentence):
                self._scratch(unit_index, index, s)
            question = sentence.rstrip(" \"'*)").endswith("?") and not _TAG_QUESTION.search(
                sentence
            )
            if not question:
                made = self._commitments(index, s, e, unit, unit_index, ctx)
                self._retractions(s, e, unit, ctx)
                if not made:
                    self._imperative(index, s, e, unit, unit_index, ctx)
            if unit.kind == "turn":
                request = self._request(s, e, ctx)
                if request is not None:
                    self.requests.setdefault(unit.turn, []).append(request)
        self._close_turn(current_turn, turn_first_sentence)
        return self._finish()

    def _pending(self, turn: int, speaker: str | None) -> _Request | None:
        if turn < 1 or speaker is None:
            return None
        for request in reversed(self.requests.get(turn - 1, [])):
            if request.addressee == speaker and request.asker != speaker and not request.used:
                return request
        return None

    def _close_turn(self, turn: int, first_index: int) -> None:
        """At the end of a turn: an accepted request with no commitment of its own becomes one."""
        if turn < 0 or first_index < 0:
            return
        s, e, unit_index = self.sentences[first_index]
        unit = self.units[unit_index]
        request = self._pending(turn, unit.speaker)
        if request is None:
            return
        made = any(
            item.owner == unit.speaker and self.units[item.unit].turn == turn for item in self.items
        )
        accept = _ACCEPT_FIRM if request.firm else _ACCEPT
        if made or not accept.match(self.low[s:e].lstrip("*_ ")):
            return
        request.used = True
        due = self.first_due(s, e) or request.due
        end = e if e - request.start < 600 else request.end
        self._add(
            _Item(
                request.addressee, request.action, due, request.start, end, unit_index, first_index
            )
        )

    # Items from "I'll / Ben will / we agreed that he would ..." ----------------------------------
    def _commitments(
        self, index: int, s: int, e: int, unit: _Unit, unit_index: int, ctx: _Ctx
    ) -> int:
        starts = self._starts(s, e)
        made = 0
        for n, st in enumerate(starts):
            clause_end = starts[n + 1].start if n + 1 < len(starts) else e
            region_start = s if n == 0 else st.start
            prefix = self.low[region_start : st.start]
            pred = self.low[st.pred_start : clause_end]
            if st.strength == "negative" or re.match(r"\s*(?:not|never|no\s+longer)\b", pred):
                continue
            if _PREFERENCE.match(pred) or _CANCEL_LATER.search(self.low, st.pred_start, e):
                continue
            if _HEDGE.search(prefix) or _HEDGE.search(pred[:30]) or _HABIT.search(prefix):
                continue
            if _DEFERRAL.search(self.low[st.start : clause_end]):
                continue
            owner, ok = self._owner(st, unit, ctx)
            if not ok:
                continue
            has_due = bool(self.dues(region_start, clause_end))
            listed = unit.section == "actions" or unit.inline_action or unit.todo
            unowned = st.subject in {"someone", "somebody"}
            if st.strength == "medium" and not (has_due or listed or unowned):
                continue
            if st.strength == "medium" and st.subject == "you" and not has_due:
                continue
            if st.strength == "let" and not (has_due or listed):
                continue
            pieces = self._split_conjuncts(st.pred_start, clause_end)
            for piece_start, piece_end in pieces:
                if len(pieces) > 1:
                    due = self.first_due(piece_start, piece_end)
                else:
                    due = self._clause_due(region_start, st, clause_end)
                action, vague = self._action(piece_start, piece_end, owner, st, ctx)
                if action is None:
                    continue
                ev_start = unit.label_start if s == unit.start and unit.label_start >= 0 else s
                item = _Item(owner, action, due, ev_start, e, unit_index, index, vague=vague)
                item.continuation = self.resolved_here
                item.completion = self.completion
                if self._add(item, unit.turn, ctx.first) is not None:
                    made += 1
        return made

    def _clause_due(self, region_start: int, st: _Start, clause_end: int) -> date | None:
        """The predicate's own date first; a short lead-in ("Tomorrow I'll...") next."""
        own = self.first_due(st.pred_start, clause_end)
        if own is not None:
            return own
        prefix = self.notes[region_start : st.start]
        if len(prefix.split()) <= 6:
            return self.first_due(region_start, st.start)
        return None

    def _owner(self, st: _Start, unit: _Unit, ctx: _Ctx) -> tuple[str | None, bool]:
        """Who owns a commitment, and whether it belongs to the pair at all."""
        subj = st.subject
        if subj.startswith("name:"):
            return subj[5:], True
        if subj == "i":
            if unit.owner_hint and not ctx.transcript:
                return unit.owner_hint, True
            return ctx.first, not (ctx.transcript and ctx.first is None)
        if subj in _SHARED:
            return None, True
        if subj == "you":
            return ctx.addressee, True
        if subj in {"he", "she"}:
            mention = self._third_person(st.start, {ctx.first})
            if mention is None or mention.attendee is None:
                return None, False
            return mention.attendee, True
        if subj in {"my mentee", "my mentor"}:
            return self.people.other(ctx.first), True
        return None, False

    def _split_conjuncts(self, start: int, end: int) -> list[tuple[int, int]]:
        """Split "freeze the slides by Sunday and do run-throughs next week" into two tasks.

        Only when both halves carry their own due date; otherwise it is one task.
        """
        for match in re.finditer(r",?\s+and\s+(?=[a-z])", self.low[start:end]):
            left_end, right_start = start + match.start(), start + match.end()
            word = re.match(r"[a-z-]+", self.low[right_start:end])
            if not word or word.group(0) not in _VERBS:
                continue
            if self.dues(start, left_end) and self.dues(right_start, end):
                return [(start, left_end), (right_start, end)]
        return [(start, end)]

    # Imperatives: "Ben: draft the RFC", "[ ] Book a room", "TODO Ana: send ..." -----------------
    def _imperative(
        self, index: int, s: int, e: int, unit: _Unit, unit_index: int, ctx: _Ctx
    ) -> None:
        if unit.kind == "turn" and not unit.bullet:
            return
        if not (unit.bullet or unit.todo or unit.checkbox or unit.inline_action) or unit.outsider:
            return
        open_item = unit.checkbox and not unit.checked
        in_actions = unit.section == "actions" or unit.todo or unit.inline_action
        text = self.notes[s:e]
        hint = unit.owner_hint or self._trailing_owner(text)
        if unit.section == "review" and not open_item:
            return
        due = self._unit_due(unit, s, e)
        if not (in_actions or open_item or hint or unit.ambiguous_owner or due):
            return
        if s != unit.start and not in_actions:
            return
        lead = re.match(r"[\s*_]*", text)
        start = s + (lead.end() if lead else 0)
        mention = re.match(r"@([\w.-]+)(?:[ \t]+([\w.-]+))?[ \t]+", self.notes[start:e])
        if mention:
            # "@Priya Raman share the checklist", "@Dev write down three questions"
            two = f"{mention.group(1)} {mention.group(2)}" if mention.group(2) else ""
            if two and self.people.resolve(two):
                hint, start = hint or self.people.resolve(two), start + mention.end()
            elif self.people.resolve(mention.group(1)):
                hint = hint or self.people.resolve(mention.group(1))
                start += mention.start(2) if mention.group(2) else mention.end()
        end = e
        first = re.match(r"[a-z][\w-]*", self.low[start:e])
        third = bool(first and hint and first.group(0) not in _VERBS and _verb_base(first.group(0)))
        if not (_looks_imperative(self.notes[start:e]) or third):
            end = self._deliverable(start, e, unit, hint)
            if end < 0:
                return
        if _HEDGE.search(self.low[s:e]) or _DEFERRAL.search(self.low[s:e]):
            return
        owner = hint or (unit.person if not unit.shared else None)
        if owner is None and unit.speaker and not unit.shared and not unit.ambiguous_owner:
            # A list in a chat message: "grab my manager" is the writer's, "send me the deck" or
            # "update your CV" the reader's; with neither, whose it is stays unsaid.
            said = self.low[start:e]
            if re.search(r"\bme\b|\byour?\b|\byourself\b", said):
                owner = ctx.addressee
            elif re.search(r"\bmy\b|\bmyself\b|\bmine\b|\bi\b", said):
                owner = unit.speaker
        if owner is None and in_actions and not unit.shared and not unit.ambiguous_owner:
            owner = self.author
        st = _Start(start, start, f"name:{owner}" if owner else "someone", "strong")
        action, vague = self._action(start, end, owner, st, ctx)
        if action is None:
            return
        ev_start = unit.label_start if unit.label_start >= 0 and s == unit.start else s
        ev_end = unit.row_end if unit.row_end >= 0 else e
        item = _Item(owner, action, due, ev_start, ev_end, unit_index, index, vague=vague)
        self._add(item, unit.turn, ctx.first)

    def _unit_due(self, unit: _Unit, s: int, e: int) -> date | None:
        """The due date of a listed line: its table's due column, else a date in the line."""
        if unit.due_cell is None:
            return self.first_due(s, e)
        for text in (unit.due_cell, f"by {unit.due_cell}"):
            found = find_all_due(text, self.session_date, self.next_session)
            dated = [m.due for m in found if m.due is not None]
            if dated:
                return dated[0]
        return None

    def _deliverable(self, start: int, e: int, unit: _Unit, owner: str | None) -> int:
        """Where the thing due ends in an owned line "ben: rfc draft by thu"; -1 if it is not one.

        Shorthand names a deliverable and its deadline without a verb. Only with an explicit
        owner and a deadline ("by thu", "due Friday", "(fri)") right after a short noun phrase.
        """
        if owner is None or not unit.bullet:
            return -1
        dues = [d for d in self.dues(start, e) if d[2] is not None]
        if not dues:
            return -1
        ds, de, _ = dues[0]
        phrase = self.low[ds:de]
        rest = self.low[de:e].strip(" .!;,)")
        bracketed = self.low[start:ds].rstrip().endswith("(")
        if rest or not (bracketed or re.match(r"(?:by|due|before|no\s+later\s+than)\b", phrase)):
            return -1
        head = self.low[start:ds].rstrip(" (,-–—:")
        words = re.findall(r"[\w'][\w'./+-]*", head)
        if not 1 <= len(words) <= 5 or not re.match(r"[a-z0-9]", head[:1]):
            return -1
        finite = _words(
            "is are was were be been has had have will would can could should i we you he she "
            "they it me my our his her their not no maybe"
        )
        for w in words:
            if w in finite or w in _NON_ACTION or re.search(r"(?:ed|ing|n't|'s|'re|'m|'ll)$", w):
                return -1
        return start + len(self.notes[start:ds].rstrip(" (,-–—:"))

    def _trailing_owner(self, text: str) -> str | None:
        """An owner written after the task: "(Ben)", "— Ben", "[owner: Ben]", "@Ben"."""
        name = r"(?P<n>[^\W\d_][\w.'-]*(?:\s+[^\W\d_][\w'-]*)?)"
        for pattern in (
            rf"\((?:owner:\s*)?@?{name}\)",
            rf"\[(?:owner:\s*)?@?{name}\]",
            rf"[—–-]\s*@?{name}\s*\.?\s*$",
            rf"(?:→|->|=>|⇒)\s*@?{name}",
            r"(?<![\w])@(?P<n>[\w.-]+)",
            rf"\bowner:\s*{name}",
        ):
            for match in re.finditer(pattern, text):
                who = self.people.resolve(match.group("n"))
                if who:
                    return who
        return None

    # Requests in transcripts -------------------------------------------------------------------
    def _request(self, s: int, e: int, ctx: _Ctx) -> _Request | None:
        """Who is asked to do what: "Can you pull the pages?", "For next week, bring a summary"."""
        if ctx.first is None:
            return None
        low = self.low[s:e]
        body_start = s
        addressee = ctx.addressee
        vocative = _VOCATIVE.match(low)
        if vocative and self.people.resolve(vocative.group("name")):
            addressee = self.people.resolve(vocative.group("name"))
            body_start += vocative.end()
        body = self.low[body_start:e]
        match = _REQUEST_Q.match(body) or _REQUEST_ASK.match(body)
        suggestion = _SUGGEST.match(body) if match is None else None
        if suggestion:
            base = _base_verb(suggestion.group("ger"))
            if base is None:
                return None
            pred_start = body_start + suggestion.start("ger")
            st = _Start(pred_start, pred_start, "you", "strong")
            action, vague = self._action(
                pred_start, e, addressee, st, _Ctx(ctx.first, addressee, True)
            )
            if action is None or vague or addressee is None:
                return None
            action = base.capitalize() + action[len(suggestion.group("ger")) :]
            return _Request(
                ctx.first, addressee, s, e, self.first_due(s, e), action, _content_tokens(action)
            )
        firm = False
        if match is None and suggestion is None:
            match = _REQUEST_SUGGEST.match(body)
            firm = match is not None
        if match is None:
            imperative = _REQUEST_IMP.match(body)
            if imperative and _looks_imperative(imperative.group("pred")):
                # Without a date, a bare imperative may be advice: only "will do" accepts it.
                match, firm = imperative, not self.dues(s, e)
                if firm and (_HEDGE.search(body) or _HABIT.search(body)):
                    return None
        if match is None or addressee is None:
            return None
        pred_start = body_start + match.start("pred")
        pred_end = e
        if re.match(
            r"(?:do|handle|manage|try)\s+(?:that|this|it|those|these)\b",
            body[match.start("pred") :],
        ):
            # "So next step: raise the pool size, rerun the test. Can you do that by Friday?"
            earlier = [sp for sp in self.sentences if sp[1] <= s][-1:]
            if not earlier:
                return None
            ps, pe, _ = earlier[0]
            lead = re.match(
                r"(?:(?:so|ok|okay|then|and|great)[,.]?\s+)*(?:(?:the\s+)?next\s+steps?\s*(?:is|are|:)\s*)?",
                self.low[ps:pe],
            )
            pred_start = ps + (lead.end() if lead else 0)
            pred_end = pe
            if not _looks_imperative(self.low[pred_start:pred_end]):
                return None
            s = ps
        st = _Start(pred_start, pred_start, "you", "strong")
        action, vague = self._action(
            pred_start, pred_end, addressee, st, _Ctx(ctx.first, addressee, True)
        )
        if action is None or vague:
            return None
        return _Request(
            ctx.first,
            addressee,
            s,
            e,
            self.first_due(s, e),
            action,
            _content_tokens(action),
            firm=firm,
        )

    # Retractions ----------------------------------------------------------------------------
    def _retractions(self, s: int, e: int, unit: _Unit, ctx: _Ctx) -> None:
        """Drop earlier items the notes take back ("won't do X after all", "let's park X").

        A negated or deferred commitment names its task by its nouns. A thing dropped by name
        ("decided against the mock interview", "forget the blog post", "the shadowing won't
        happen") is matched on all its words, since "mock", "interview" and "shadowing" are verbs
        too; the dropped item must share a word beyond its own leading verb (a bare gerund such as
        "the shadowing" may name that verb).
        """
        low = self.low[s:e]
        objects: list[tuple[str, str | None]] = []
        for st in self._starts(s, e):
            if st.strength == "negative":
                owner, ok = self._owner(st, unit, ctx)
                clause = re.split(r"[,.;:!?]", self.low[st.pred_start : e], maxsplit=1)[0]
                objects.append((clause, owner if ok else None))
            elif _DEFERRAL.search(self.low[st.start : e]):
                objects.append((re.split(r"[,.;:!?]", self.low[st.pred_start : e])[0], None))
        named: list[str] = []
        for match in _RETRACT.finditer(low):
            obj = re.split(
                r"\b(?:until|till|for\s+now|after|because|since|in\s+the|to\s+next|next|anymore"
                r"|any\s+more)\b",
                match.group("obj"),
            )[0]
            objects.append((obj, None))
            named.append(obj)
        for match in _CALLED_OFF.finditer(low):
            words = re.split(r"\s+", match.group("obj").strip())
            cut = [n for n, w in enumerate(words) if w in _DETERMINERS]
            kept = words[cut[-1] + 1 :] if cut else words[-2:]
            at = s + match.start("obj")
            if self.people.find(self.notes[at : s + match.end("obj")]) or re.search(
                r"[A-Z]", self.notes[at : s + match.end("obj")].split()[-1][:1]
            ):
                continue  # "Kofi is ...": a person, not a plan
            named.append(" ".join(w for w in kept if w not in _SUBJECTS))
        for text, owner in objects:
            tokens = {t for t in _content_tokens(text) if t not in _VERBS and not _is_time_word(t)}
            tokens -= {"all", "time", "intro"} if not tokens - {"all", "time", "intro"} else set()
            if not tokens:
                continue
            self.items = [
                item
                for item in self.items
                if not (
                    item.ev_start < s
                    and (owner is None or item.owner == owner)
                    and _nouns(item.tokens) & tokens
                )
            ]
        dropped_it = _DROPPED_IT.search(low)
        if dropped_it:
            # "... the brown-bag clashes with the release, so we called it off": "it" is the
            # first thing named just before (in this sentence, else the one before) that an
            # item is about.
            earlier = [sp for sp in self.sentences if sp[1] <= s][-1:]
            spans = [(s, s + dropped_it.start()), *((a, b) for a, b, _ in earlier)]
            for a, b in spans:
                heads = [
                    np.group(1)
                    for np in re.finditer(
                        r"\b(?:the|a|an|our|that|this|his|her|my|your)\s+([\w'-]+)", self.low[a:b]
                    )
                    if np.group(1) not in _STOP and not _is_time_word(np.group(1))
                ]
                for head in heads:
                    tokens = {_stem(head)}
                    gerund = head.endswith("ing")
                    if any(i.ev_start < s and _names_item(i, tokens, gerund) for i in self.items):
                        named.append(head)
                        break
                if heads:
                    break  # what "it" means was named here: look no further back
        for text in named:
            words = re.findall(r"[a-z0-9][a-z0-9'-]*", text)
            tokens = {_stem(w) for w in words if w not in _STOP and not _is_time_word(w)}
            gerund = len(tokens) == 1 and words[-1].endswith("ing")
            if not tokens:
                continue
            self.items = [
                item
                for item in self.items
                if not (item.ev_start < s and _names_item(item, tokens, gerund))
            ]

    def _scratch(self, unit_index: int, index: int, s: int) -> None:
        """After "scratch that", drop the last item from this unit (or the prose just before)."""
        for item in reversed(self.items):
            if item.ev_start >= s:
                continue
            previous_prose = item.sentence == index - 1 and self.units[item.unit].kind == "para"
            if item.unit == unit_index or previous_prose:
                self.items.remove(item)
                self.scratched = item
            return

    # Actions --------------------------------------------------------------------------------
    def _action(
        self, start: int, end: int, owner: str | None, st: _Start, ctx: _Ctx
    ) -> tuple[str | None, bool]:
        """The cleaned action for a predicate span, and whether it is too vague to stand alone."""
        cut = _CUT.search(self.low, start, end)
        if cut and cut.start() > start:
            end = cut.start()
        pieces: list[str] = []
        cursor = start
        for ds, de, _ in self.dues(start, end):
            pieces.append(self.notes[cursor:ds])
            cursor = de
        pieces.append(self.notes[cursor:end])
        text = _clean_fillers(" ".join(pieces))
        text = re.sub(r"(?<![\w/])w/(?=\s)", "with", text)  # shorthand "pair w/ marco"
        text = self._strip_owner_marks(text)
        text = re.sub(
            r"\s*[\[(](?:owner:\s*)?(?:tbd|tbc|\?+|unassigned|anyone|someone|nobody)[\])]",
            "",
            text,
            flags=re.IGNORECASE,
        )
        text = re.sub(r",\s+(?:who|which)\b[^,]*,", "", text)  # ", who ran the loop last year,"
        text = re.sub(r"\(\s*\)|\[\s*\]", "", text)
        text = re.sub(r"\s*\((?:it|this|that|he|she|they|we|i)\b[^()]*\)\s*$", "", text, flags=re.I)
        text = re.sub(r"\s+", " ", text).strip(" *_")
        for _ in range(3):
            text = text.rstrip(" .!?…,;:—–-")
            text = _FILLER_TAIL.sub("", text)
            text = _LEADING_FILLER.sub("", text).strip()
        if text.endswith('"') and text.count('"') % 2:
            text = text[:-1].rstrip()
        text = self._pronouns(text, owner, st, ctx, end, start)
        self.resolved_here = False
        text, vague = self._objects(text, start)
        text = re.sub(r"\s+([,;:.!?])", r"\1", re.sub(r"\s+", " ", text)).strip(" ,;:")
        text = self._proper_names(text)
        words = re.findall(r"[A-Za-z][\w'-]*", text)
        if not words:
            return None, False
        base = _verb_base(words[0])
        if base and words[0].lower() not in _VERBS and text.startswith(words[0]):
            text = base + text[len(words[0]) :]  # "Ben sends the deck" -> "Send the deck"
            words[0] = base
        lowered = text.lower()
        first = words[0].lower()
        self.completion = bool(_HAVE_DONE.match(lowered))
        if (
            first in _NON_ACTION
            or first in {"rather", "sooner", "prefer", "prefers"}
            or re.fullmatch(
                r"(?:thinks|says|feels|seems|wants|needs|hopes|knows|likes|loves)", first
            )
            or _GET_BAD.match(lowered)
            or (first == "have" and not _HAVE_OK.match(lowered) and not self.completion)
            or first in {"not", "never", "the", "a", "an", "it", "that", "this", "there"}
            or not re.match(r"[a-z]", text[:1].lower())
            or (first.endswith("ed") and first not in _VERBS)
            or re.search(r"\b(?:always|usually|generally|tend\s+to)\b", lowered)
            or re.match(r"(?:see|think)\b(?!\s+(?:about|through)\s+(?!it\b|that\b))", lowered)
            or (
                first in {"talk", "chat", "discuss", "meet", "catch", "keep", "skip"}
                and st.subject in _SHARED
            )
        ):
            return None, False
        if len(words) < 2:
            return (text[0].upper() + text[1:], True) if vague else (None, False)
        return text[0].upper() + text[1:], vague or _is_vacuous(text)

    def _proper_names(self, text: str) -> str:
        """Attendees written in lower case ("send ben the deck") get their capitals back."""
        out = text
        for start, end, full in reversed(self.people.find(text)):
            written = text[start:end].lstrip("@")
            if written != written.lower():
                continue
            proper = next((w for w in full.split() if _fold(w) == _fold(written)), None)
            if proper is None and _fold(full) == _fold(written):
                proper = full
            if proper:
                out = out[: end - len(written)] + proper + out[end:]
        return out

    def _strip_owner_marks(self, text: str) -> str:
        for full in self.people.attendees:
            for form in sorted({full, *full.split()}, key=lambda f: (-len(f), f)):
                esc = re.escape(form)
                text = re.sub(rf"(?i)\s*\((?:owner:\s*)?@?{esc}\)", "", text)
                text = re.sub(rf"(?i)\s*\[(?:owner:\s*)?@?{esc}\]", "", text)
                text = re.sub(rf"\s*[—–-]\s*@?{esc}\s*[.,]?\s*$", "", text)
                text = re.sub(rf"(?i)\s*(?:→|->|=>|⇒)\s*@?{esc}\b[.,]?", "", text)
                text = re.sub(rf"(?i)(?<![\w])@{esc}\b\s*", "", text)

        def names_only(match: re.Match[str]) -> str:
            parts = re.split(r"\s*(?:,|&|\+|/|\band\b)\s*", match.group(1).strip())
            named = [p for p in parts if p]
            return "" if named and all(self.people.resolve(p) for p in named) else match.group(0)

        # "[Ben, Ana]", "(Ana & Ben)": the owners, not part of the task
        return re.sub(r"\s*[\[(](?:owners?:\s*)?([^\]\)\n]{1,60})[\])]", names_only, text)

    def _pronouns(
        self, text: str, owner: str | None, st: _Start, ctx: _Ctx, pos: int, start: int = -1
    ) -> str:
        """Rewrite I/you/he/she so the action reads as an instruction to its owner."""
        named_subject = st.subject.startswith("name:") or st.subject in {"he", "she"}
        if named_subject:
            third: _Mention | None = _Mention(-1, owner)
        else:
            third = self._third_person(pos, {owner, ctx.first})
        referents: dict[str, _Mention | None] = {
            "first": _Mention(-1, ctx.first) if ctx.first else None,
            "you": _Mention(-1, ctx.addressee) if ctx.addressee else None,
            "third": third,
        }
        own = {
            "subj": "you",
            "obj": "you",
            "poss": "your",
            "pron": "yours",
            "refl": "yourself",
            "am": "you're",
            "have": "you've",
            "would": "you'd",
            "will": "you'll",
            "is": "you're",
            "was": "you were",
            "do": "you do",
        }
        named = {
            "subj": "{n}",
            "obj": "{n}",
            "poss": "{n}'s",
            "pron": "{n}'s",
            "refl": "{n}",
            "am": "{n} is",
            "have": "{n} has",
            "would": "{n} would",
            "will": "{n} will",
            "is": "{n} is",
            "was": "{n} was",
            "do": "{n} does",
        }

        def render(mention: _Mention | None, kind: str, original: str) -> str:
            if mention is None:
                return original
            if mention.role:
                if kind not in {"obj", "subj"}:
                    return original
                if mention.role_of == owner and owner is not None:
                    return f"your {mention.role}"
                if mention.role_of:
                    return f"{_first_name(mention.role_of)}'s {mention.role}"
                return f"the {mention.role}"
            if mention.attendee is None:
                return original
            if mention.attendee == owner:
                return own[kind]
            return named[kind].format(n=_first_name(mention.attendee))

        rules: list[tuple[str, str, str]] = [
            (r"\bI\s+am\b|\bI'm\b|\bI’m\b", "first", "am"),
            (r"\bI\s+have\b|\bI've\b|\bI’ve\b", "first", "have"),
            (r"\bI\s+was\b", "first", "was"),
            (r"\bI'd\b|\bI’d\b", "first", "would"),
            (r"\bI'll\b|\bI’ll\b", "first", "will"),
            (r"\bI\s+do\b", "first", "do"),
            (r"\bI\b", "first", "subj"),
            (r"\b[Mm]yself\b", "first", "refl"),
            (r"\b[Mm]e\b", "first", "obj"),
            (r"\b[Mm]y\b", "first", "poss"),
            (r"\b[Mm]ine\b", "first", "pron"),
            (r"\b[Yy]ou(?:'re|’re)\b", "you", "is"),
            (r"\b[Yy]ou(?:'ve|’ve)\b", "you", "have"),
            (r"\b[Yy]ou(?:'ll|’ll)\b", "you", "will"),
            (r"\b[Yy]ou(?:'d|’d)\b", "you", "would"),
            (r"\b[Yy]ourself\b", "you", "refl"),
            (r"\b[Yy]ours\b", "you", "pron"),
            (r"\b[Yy]our\b", "you", "poss"),
            (r"\b[Yy]ou\b", "you", "obj"),
            (r"\b(?:[Hh]e|[Ss]he)\s+was\b", "third", "was"),
            (r"\b(?:[Hh]e|[Ss]he)\s+is\b", "third", "is"),
            (r"\b(?:[Hh]e|[Ss]he)\s+has\b", "third", "have"),
            (r"\b(?:[Hh]e|[Ss]he)(?:'s|’s)\b", "third", "is"),
            (r"\b(?:[Hh]e|[Ss]he)(?:'ll|’ll)\b", "third", "will"),
            (r"\b(?:[Hh]e|[Ss]he)(?:'d|’d)\b", "third", "would"),
            (r"\b(?:[Hh]imself|[Hh]erself)\b", "third", "refl"),
            (r"\b(?:[Hh]e|[Ss]he)\b", "third", "subj"),
            (r"\b[Hh]im\b", "third", "obj"),
            (r"\b[Hh]is\b", "third", "poss"),
            (r"\b[Hh]ers\b", "third", "pron"),
            (
                r"\b[Hh]er\b(?=\s+(?:the|a|an|to|about|on|in|at|for|with|and|or|that|this|know"
                r"|back|up|out|over|some|any|how|what|why|if|whether)\b|\s*[,.;:!?]|\s*$)",
                "third",
                "obj",
            ),
            (r"\b[Hh]er\b", "third", "poss"),
        ]
        combined = "|".join(f"(?P<r{i}>{pattern})" for i, (pattern, _, _) in enumerate(rules))

        def replace(match: re.Match[str]) -> str:
            for i, (_, who, kind) in enumerate(rules):
                if match.group(f"r{i}") is None:
                    continue
                mention = referents[who]
                if who == "third" and named_subject and kind in {"obj", "refl"} and kind != "refl":
                    before = text[: match.start()]
                    subclause = re.search(
                        r"\b(?:once|when|if|after|before|until|while|so)\s+\S+\s+\S+\s*$", before
                    )
                    if not subclause:
                        here = self._where_in_notes(text, match, start, pos)
                        mention = self._third_person(here, {owner, None})
                if who == "third" and kind in {"poss", "pron"}:
                    # "send Ben feedback on his abstract": the possessive follows the name.
                    before = text[: match.start()]
                    names = [n for n in self.people.find(before) if n[2] != owner]
                    if names and not re.search(
                        r"\b(?:once|when|if|so|after|before|until|while)\s+$",
                        before[: names[-1][0]],
                    ):
                        mention = _Mention(-1, names[-1][2])
                if (
                    mention is not None
                    and mention.attendee
                    and mention.attendee != owner
                    and re.search(
                        rf"\b{re.escape(_first_name(mention.attendee))}\b", text[: match.start()]
                    )
                ):
                    return match.group(0)  # "send Ben feedback on his abstract"
                return render(mention, kind, match.group(0))
            return match.group(0)

        return re.sub(combined, replace, text)

    def _where_in_notes(self, text: str, match: re.Match[str], start: int, end: int) -> int:
        """Where a pronoun of the action text stands in the notes.

        People named after it in the sentence are not who it means ("introduce her to Hamid").
        """
        word = re.match(r"[A-Za-z]+", match.group(0))
        if start < 0 or word is None:
            return end
        pattern = rf"(?i)\b{word.group(0)}\b"
        nth = len(re.findall(pattern, text[: match.start()]))
        found = list(re.finditer(pattern, self.notes[start:end]))
        return start + found[nth].start() if nth < len(found) else end

    def _objects(self, text: str, pred_start: int) -> tuple[str, bool]:
        """Resolve a pronoun object right after the verb: "Read it" -> "Read the retro doc"."""
        match = re.match(
            r"^(?P<verb>[A-Za-z][\w-]*)(?P<mid>(?:\s+(?:[A-Z][\w'-]*|you|yourself))?)\s+"
            r"(?P<pron>it|them|that|this|those|these)(?P<rest>\b.*)$",
            text,
        )
        if match is None:
            return text, False
        rest = match.group("rest")
        particle = re.match(r"\s+(\w+)", rest)
        if rest.strip() and not (
            (particle and particle.group(1).lower() in _PARTICLES)
            or re.match(r"\s+(?:to|with|for|and|on|in|by|before|after|once|if|when|so|,)", rest)
        ):
            return text, False
        phrase = self._antecedent(pred_start, match.group("verb").lower())
        if phrase is None:
            return text, True
        # "..., will send it": a continuation only when it adds nothing but its verb.
        self.resolved_here = self.resolved_here and not _content_tokens(rest)
        return f"{match.group('verb')}{match.group('mid')} {phrase}{rest}", False

    def _antecedent(self, before: int, verb: str) -> str | None:
        """The closest earlier noun phrase naming a thing ("the retro doc"), within 4 sentences."""
        if verb in {"do", "handle", "manage", "sort", "try", "make"}:
            return None
        pattern = re.compile(
            r"\b(?:the|a|an|this|that|my|your|his|her|our)\s+(?P<mods>(?:[\w\"'-]+\s+){0,3})"
            rf"(?P<head>{_ARTIFACTS})\b"
            r"(?P<tail>\s+(?:on|about|for|from|of|with)\s+(?:the\s+|a\s+|an\s+)?"
            r"[\w'-]+(?:\s+[\w'-]+){0,2})?",
            re.IGNORECASE,
        )
        spans = [sp for sp in self.sentences if sp[0] < before][-4:]
        for n, (s, e, _) in enumerate(reversed(spans)):
            if n == 0:
                clauses = [st.pred_start for st in self._starts(s, e) if st.pred_start < before]
                s = clauses[-1] if clauses else s
            segment = self.notes[s : min(e, before)]
            if _DEFERRAL.search(segment):
                # A thing that was parked or dropped is never what "I'll do that" picks up.
                continue
            matches = list(pattern.finditer(segment))
            if not matches:
                continue
            # In the same sentence the object of the previous clause wins ("write the estimate
            # ..., and share it"); in earlier sentences, the latest thing mentioned.
            found = matches[0] if n == 0 else matches[-1]
            self.resolved_here = n == 0
            mods = [w for w in found.group("mods").split() if w.lower() not in _EVALUATIVE]
            if any(w.lower() in _STOP for w in mods):
                mods = []
            tail = found.group("tail") or ""
            if tail and find_all_due(tail, self.session_date, self.next_session):
                tail = ""
            tail = re.split(r"\s+(?:and|but|so|that|which|to|by|yesterday|today)\b", tail)[0]
            tail = re.sub(
                r"(?:\s+(?:the|a|an|for|of|on|in|with|about|from|to|my|your|our))+$", "", tail
            )
            return re.sub(r"\s+", " ", " ".join(["the", *mods, found.group("head")]) + tail)
        return None

    # Merging --------------------------------------------------------------------------------
    def _add(self, item: _Item, turn: int = -1, speaker: str | None = None) -> _Item | None:
        item.tokens = _content_tokens(item.action)
        request = self._pending(turn, speaker) if turn >= 0 else None
        if request is not None and item.owner == request.addressee:
            if item.vague:
                # "Sure, I'll do that before our next session": the request is the task.
                request.used = True
                item.action, item.tokens, item.vague = request.action, set(request.tokens), False
                item.due = item.due or request.due
                if item.ev_end - request.start < 600:
                    item.ev_start = request.start
            elif item.tokens & request.tokens:
                request.used = True
                item.due = item.due or request.due
        if item.completion:
            # "I'll have the new intro ready by Sunday": the date of the intro rewrite said earlier.
            nouns = _nouns(item.tokens) - _DONE_WORDS
            for previous in reversed(self.items):
                if previous.owner == item.owner and nouns & _nouns(previous.tokens):
                    previous.due = previous.due or item.due
                    return previous
        if item.vague:
            # "I'll message him tomorrow": a follow-up lends its date to the previous commitment.
            for previous in reversed(self.items):
                if previous.owner == item.owner and item.sentence - previous.sentence <= 4:
                    previous.due = previous.due or item.due
                    break
            return None
        scratched, self.scratched = self.scratched, None
        if (
            scratched is not None
            and scratched.owner == item.owner
            and item.tokens
            and item.tokens <= scratched.tokens | {"instead"}
        ):
            item.action, item.tokens = scratched.action, set(scratched.tokens)
        for kept in self.items:
            if kept.sentence == item.sentence:
                same_thing = (
                    item.continuation
                    and kept.owner == item.owner
                    and (kept.due is None or item.due is None or kept.due == item.due)
                )
                if same_thing:  # "I'll dig out the checklist, will send it after lunch"
                    kept.due = kept.due or item.due
                    return kept
                continue  # two tasks said in one breath are two tasks
            if kept.owner == item.owner and _similar(kept.tokens, item.tokens):
                kept.due = kept.due or item.due
                return kept
        # A recap line covering several earlier items.
        same = [k for k in self.items if k.owner == item.owner and k.sentence != item.sentence]
        union = set().union(*(k.tokens for k in same)) if same else set()
        if same and item.tokens and len(item.tokens & union) / len(item.tokens) >= 0.7:
            best = max(same, key=lambda k: len(k.tokens & item.tokens))
            if len(best.tokens & item.tokens) >= 2:
                best.due = best.due or item.due
                return best
        self.items.append(item)
        return item

    def _finish(self) -> list[ActionItem]:
        out: list[ActionItem] = []
        for item in self.items:
            if item.owner is not None and item.owner not in self.people.attendees:
                continue
            evidence = self.original[item.ev_start : item.ev_end].strip()
            if evidence and evidence in self.original:
                out.append(
                    ActionItem(
                        owner=item.owner, action=item.action, due=item.due, evidence=evidence
                    )
                )
        return out


def _base_verb(gerund: str) -> str | None:
    """The base form of a gerund ("writing" -> "write", "mapping" -> "map") if the verb is known."""
    stem = gerund[:-3] if gerund.endswith("ing") else gerund
    for candidate in (
        stem,
        stem + "e",
        stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else "",
    ):
        if candidate in _VERBS:
            return candidate
    return None


def _is_time_word(token: str) -> bool:
    return token in {
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "week",
        "month",
        "quarter",
        "year",
        "tomorrow",
        "today",
        "tonight",
        "next",
        "end",
        "now",
    }


def _nouns(tokens: set[str]) -> set[str]:
    return {t for t in tokens if t not in _VERBS and not t.isdigit()}


def _names_item(item: _Item, tokens: set[str], gerund: bool) -> bool:
    """Whether the words of a dropped thing name ``item`` (see ``_Extractor._retractions``)."""
    verb = _stem(item.action.split()[0]) if item.action.split() else ""
    shared = item.tokens & tokens
    return bool(shared - {verb}) or (gerund and shared == {verb})


def _similar(a: set[str], b: set[str]) -> bool:
    """Near-same action: most of the shorter one's words are in the other."""
    if not a or not b:
        return False
    overlap = len(a & b)
    smaller = min(len(a), len(b))
    if smaller == 1:
        return overlap == 1 and len(a | b) <= 2
    return overlap >= 2 and overlap / smaller >= 0.6


def _is_vacuous(action: str) -> bool:
    """Whether an action is nothing beyond its verb and pronouns ("Do it", "Message him")."""
    words = [w.lower() for w in re.findall(r"[A-Za-z][\w'-]*", action)]
    return not [w for w in words[1:] if w not in _STOP and w not in _PARTICLES]


# -- language ------------------------------------------------------------------------------------
_ENGLISH = _words(
    "the and to of a in is it you that i for on with we he she be this will at have are was my "
    "your our by about from as so but not can what all do if me his her they an or up"
)


# Very common words of other languages the notes might be in (none of them English words).
_FOREIGN = _words(
    """
    de la en un una el los las que y por con para es del lo se su como más pero sus ya este sí
    porque esta
    entre cuando muy sin sobre también hasta hay donde desde todo nos durante uno les ni otros
    eso ellos esto antes algunos qué unos yo otro él tanto esa estos mucho nada muchos ella
    estar estas algo nosotros le les des du et une est qui dans pour pas sur au avec ce il elle
    vous ils sont mais je tu der die das und ist nicht ein eine zu den mit von sich auf für im
    dem auch es werden aus er hat dass sie nach wird bei einer um sind noch wie einem über
    einen zum war haben nur oder aber vor zur bis mehr durch sehr os da em um uma não mais dos
    mas ao ele das seu sua ou quando muito já eu só pelo pela até isso depois sem mesmo você
    essa nem meu minha il di che è per una sono gli della con non si lo ha le ma anche het een
    van ik dat niet zijn op voor met als maar om aan er ook nog bij uit wel naar kan dan jij wij
    hij zij ze mijn je deze dit wordt worden zal heeft hebben och att det som på är av för med
    till har inte ett han men var jag sig från vi så ska hon nu jeg og ikke af til er hun
    """
)


def is_probably_english(text: str) -> bool:
    """Whether ``text`` reads as English: enough very common English words (short texts pass).

    Terse English shorthand ("ana -> send ben the k8s talk (fri)") has few function words, so a
    lower share still passes when hardly any common words of other languages appear.
    """
    words = re.findall(r"[a-záéíóúñüàèìòùäöëïçãõâêô']+", text.lower())
    if len(words) < 8:
        return True
    english = sum(1 for w in words if w in _ENGLISH) / len(words)
    foreign = sum(1 for w in words if w in _FOREIGN) / len(words)
    if foreign == 0 and len(words) < 40:
        return True  # a short terse list ("draft RFC -> Ben (fri)")
    return english >= 0.12 or (english >= 0.06 and foreign < english / 3)


# -- public API ----------------------------------------------------------------------------------
def extract_actions_offline(
    notes: str,
    attendees: list[str],
    session_date: date,
    next_session: date | None = None,
    author: str | None = None,
) -> list[ActionItem]:
    """Action items from session notes: owner (an attendee or None), action, due date, evidence.

    Deterministic and offline. ``author`` is who wrote the notes (their "I"); owners are always
    one of ``attendees`` (the full name as given) or ``None``; every evidence string is a
    verbatim slice of ``notes``. Notes that do not read as English give no items.
    """
    if not notes.strip() or not is_probably_english(notes):
        return []
    people = _People(attendees, author)
    return _Extractor(notes, people, session_date, next_session).run()


# -- Wisdom-to-Action ratio ----------------------------------------------------------------------
_RELATIONSHIP = re.compile(
    r"\b(?:thanks|thank\s+you|thank|grateful|appreciat\w*|congrat\w*|glad|good\s+to\s+(?:see|hear)"
    r"|great\s+to\s+(?:see|hear)|nice\s+to\s+(?:see|meet)|how\s+are\s+you|how\s+was\s+your|how's"
    r"|weekend|holidays?|vacation|trip|family|kids?|baby|partner|wife|husband|cat|dog|birthday"
    r"|wedding|apartment|flat|moved\s+house|feel|feels|feeling|felt|nervous|anxious|stressed"
    r"|excited|proud|tired|exhausted|rested|relieved|relief|laugh\w*|fun|coffee|sleep|cuddle"
    r"|lighter|warm|means\s+a\s+lot|hope\s+you|take\s+care|talk\s+soon|looking\s+forward|personal"
    r"|welcome|hi|hey|hello|morning|merry|christmas|love\s+that|spirits|grandparents|running"
    r"|marathon|well\s+done|earned|dreading|frustrated|panicky|oof|ha|happy|sorry|enjoy\w*"
    r"|to\s+know\s+each\s+other|get\s+to\s+know)\b"
)
_ACK = re.compile(
    r"^(?:ok|okay|agreed|yes|yep|yeah|got\s+it|fair|sure|great|perfect|exactly(?:\s+that)?|relief"
    r"|good|right|cool|nice|makes\s+sense)[.!?]*$"
)
_MINUTES = re.compile(r"^[A-Z][\w'-]+\s+to\s+([a-z][\w-]+)")


def _is_action_sentence(ex: _Extractor, s: int, e: int, unit: _Unit) -> bool:
    low = ex.low[s:e]
    for st in ex._starts(s, e):
        pred = ex.low[st.pred_start : e]
        if re.match(r"\s*(?:not|never|be\b|see\b|feel|find|love|like|know)", pred):
            continue
        if st.strength in {"strong", "minutes"} and not _DEFERRAL.search(low):
            return True
        if st.strength in {"medium", "let"} and ex.dues(s, e):
            return True
    text = re.sub(r"^[\s*_@\w]*:\s*", "", ex.notes[s:e])
    minutes = _MINUTES.match(ex.notes[s:e])
    if minutes and minutes.group(1) in _VERBS:
        return True
    listed = unit.section == "actions" or unit.todo or (unit.checkbox and not unit.checked)
    if (
        (unit.bullet or unit.todo or unit.checkbox)
        and (listed or unit.owner_hint)
        and _looks_imperative(text)
    ):
        return True
    if re.search(r"\b(?:next\s+steps?|action\s+items?|homework)\b", low):
        return True
    return bool((_REQUEST_Q.match(low) or _REQUEST_ASK.match(low)) and ex.dues(s, e))


def ratio_verdict(insight: float, action: float, relationship: float) -> str:
    """One line comparing a session's split with the guide's 60/30/10."""
    i, a, r = (round(x * 100) for x in (insight, action, relationship))
    if a < 20:
        return (
            f"Action-light: {a}% action vs the 30% the guide suggests — end with concrete next "
            "steps."
        )
    if a > 45:
        return (
            f"Action-heavy: {a}% action vs the 30% the guide suggests — keep room for the why "
            "behind each task, or sessions turn into box-ticking."
        )
    if r < 5:
        return (
            f"Relationship-light: {r}% on the relationship vs the 10% the guide suggests — leave "
            "a few minutes to connect as people."
        )
    if r > 25:
        return (
            f"Relationship-heavy: {r}% on the relationship vs the 10% the guide suggests — keep "
            "the check-in short and protect time for insight and next steps."
        )
    if i < 45:
        return (
            f"Insight-light: {i}% insight vs the 60% the guide suggests — bring in experience "
            "and the reasoning behind the actions."
        )
    return f"Balanced: {i}/{a}/{r} is close to the guide's 60/30/10."


def _hundredths(weights: Sequence[float]) -> list[int]:
    """Integer percentages summing to exactly 100 (largest remainder)."""
    total = sum(weights)
    raw = [w * 100 / total for w in weights]
    floors = [int(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda k: (raw[k] - floors[k], -k), reverse=True)
    for k in order[: 100 - sum(floors)]:
        floors[k] += 1
    return floors


def _speakers(notes: str) -> list[str]:
    """Names used as speaker labels at least twice (so the ratio can read a transcript)."""
    counts: dict[str, int] = {}
    for raw in notes.split("\n"):
        match = _LABEL.match(raw.strip()) or _OTTER.match(raw)
        if not match:
            continue
        label = match.group("label").strip()
        words = label.split()
        if (
            all(w[:1].isupper() for w in words)
            and label.lower() not in _NOT_SPEAKERS
            and words[0].lower() not in _NOT_SPEAKERS | _BOT_LABELS
        ):
            counts[label] = counts.get(label, 0) + 1
    return [name for name, count in counts.items() if count >= 2]


def wisdom_ratio(notes: str) -> WisdomRatio:
    """Share of the notes spent on insight, concrete action and the relationship.

    Each sentence is classified (action: a commitment, a next step, an open to-do; relationship:
    check-ins, feelings, thanks, personal news; insight: everything else — explanations,
    experiences, advice, questions) and weighted by its number of words, a proxy for the time it
    took. The shares are rounded to hundredths that add up to exactly 100 (largest remainder).
    Notes with nothing to classify, or not in English, give 0/0/0 and a verdict that says so.
    """
    if not notes.strip() or not is_probably_english(notes):
        reason = "No notes to assess" if not notes.strip() else "Notes not in English"
        return WisdomRatio(
            insight=0.0,
            action=0.0,
            relationship=0.0,
            verdict=f"{reason}: nothing to compare with the guide's 60/30/10.",
        )
    ex = _Extractor(notes, _People(_speakers(notes)), date(2000, 1, 3), None)
    weights = {"insight": 0.0, "action": 0.0, "relationship": 0.0}
    for s, e, unit_index in ex.sentences:
        unit = ex.units[unit_index]
        text = notes[s:e]
        if _INJECTION.search(text) or re.fullmatch(r"\s*\([^)]*\)\s*", text):
            continue
        low = ex.low[s:e].strip(" *_")
        words = len(re.findall(r"[^\W_][\w'’-]*", text))
        if words == 0 or _ACK.match(low):
            continue
        if unit.checked or unit.section == "done":
            kind = "insight"
        elif _is_action_sentence(ex, s, e, unit):
            kind = "action"
        elif _RELATIONSHIP.search(low):
            kind = "relationship"
        else:
            kind = "insight"
        weights[kind] += words
    if sum(weights.values()) == 0:
        return WisdomRatio(
            insight=0.0,
            action=0.0,
            relationship=0.0,
            verdict="No notes to assess: nothing to compare with the guide's 60/30/10.",
        )
    parts = _hundredths([weights["insight"], weights["action"], weights["relationship"]])
    insight, action, relationship = (p / 100 for p in parts)
    return WisdomRatio(
        insight=insight,
        action=action,
        relationship=relationship,
        verdict=ratio_verdict(insight, action, relationship),
    )
