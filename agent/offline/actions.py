"""The offline action-item extractor, with no network (the ratio is in :mod:`.ratio`).

Three parts, each doing what it does best:

* **Layout** (:mod:`agent.offline.segments`): notes in any common format become candidate
  sentences with exact spans, a speaker, the section they sit in and any table or checkbox state.
* **Meaning** (learned, :mod:`agent.offline.action_lines`): a softmax over MiniLM sentence
  vectors and a few grammatical cues labels each sentence a *commitment*, *done*, *dropped* or
  *discussion*. Checked boxes, struck-through text, a table's status column and "Done" /
  "Parked" sections overrule it; an "Action items" section lowers the bar.
* **Slots** (rules): the owner from names, initials, minutes markers ("Ben: ...", "Ben to ...",
  "AI Ben:", "(Ben)"), first person (the speaker, else the notes' ``author``) and "you" (the
  other person); due dates from :mod:`agent.offline.dates`; the action as an imperative that
  keeps its object and addresses the owner as "you". Anyone named can own an item (a label
  word such as "Prep:" is no name: :func:`~agent.offline.people.looks_like_name`); an owner
  who did not attend is kept and flagged (``owner_known=False``). "We" items have no owner.

A request accepted by the other person ("Could you ...?" / "Sure, I'll do that") is the
accepter's item, with evidence spanning both; a dropped sentence removes an earlier item it
names; items restated later are merged. Evidence is a verbatim slice of the notes; notes are
text, never instructions; notes that do not read as English give no items.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from agent.models import ActionItem
from agent.offline.action_items import Item, dated_again, restates, similar, stems
from agent.offline.action_lines import (
    ACTION_LINES,
    classify_lines,
    imperative_first,
    in_context,
    line_features,
)
from agent.offline.action_owners import Owners
from agent.offline.action_patterns import (
    _ACCEPT,
    _ALSO,
    _DATE_FILLER,
    _DONE_STATUS,
    _DROP_STATUS,
    _FAREWELL,
    _HEDGE,
    _HEDGED,
    _INJECTION,
    _INNER,
    _LATE_SUBJECT,
    _LATE_WILL,
    _LATER_CLAUSE,
    _LEAD,
    _LEADING_CHATTER,
    _MODAL,
    _NOT_A_PROMISE,
    _PROMISED,
    _PRONOUN_ONLY,
    _REQUEST,
    _SAID,
    _SPEECH_TAG,
    _STUTTER,
    _SUBJECT,
    _SUBJECT_BEFORE,
    _TAG,
    _TAIL,
    _VAGUE,
    _and_clauses,
    _unfill,
)
from agent.offline.action_wording import Wording
from agent.offline.dates import DueMatch, find_all_due
from agent.offline.language import is_probably_english
from agent.offline.people import INITIALS, NAME, People
from agent.offline.records import readable_text
from agent.offline.segments import Segment, Sentence, split_notes
from agent.offline.words import gerund, to_base

__all__ = [
    "ACTION_LINES",
    "classify_lines",
    "extract_actions_offline",
    "is_probably_english",
    "line_features",
    "notes_in_english",
    "sentence_kinds",
]


class _Extractor(Owners, Wording):
    def __init__(
        self, notes: str, people: People, session: date, next_session: date | None
    ) -> None:
        self.notes, self.people = notes, people
        self.session, self.next_session = session, next_session
        self.clean, self.sentences = split_notes(notes, people.is_person)
        self.items: list[Item] = []

    def dues(self, text: str) -> list[DueMatch]:
        # A date mention ("by @January 21, 2028" in Notion) is a date; same length, same spans.
        return find_all_due(text.replace("@", " "), self.session, self.next_session)

    # -- what kind of sentence -------------------------------------------------------------------
    def kinds(self) -> list[str]:
        # The main clause carries the meaning ("... once it's done" is not a done item).
        texts = [re.sub(_LATER_CLAUSE, "", _unfill(s.text)) or s.text for s in self.sentences]
        before = [self._previous(i) for i in range(len(self.sentences))]
        probs = classify_lines([in_context(t, b) for t, b in zip(texts, before, strict=True)])
        # A minutes line is read by its task: the owner marker as written ("BEN:", "Ben
        # (mentee):", "Ben —") is layout, not meaning.
        tasks = {i: t for i, s in enumerate(self.sentences) if (t := self._task_part(s, texts[i]))}
        packed = [in_context(t, before[i]) for i, t in tasks.items()]
        for i, p in zip(tasks, classify_lines(packed), strict=True):
            if p["commitment"] > probs[i]["commitment"]:
                probs[i] = p
        return [self._kind(s, p) for s, p in zip(self.sentences, probs, strict=True)]

    def _previous(self, index: int) -> str:
        """The other speaker's turn just before a sentence that opens a turn ("" if none)."""
        s, before = self.sentences[index], self.sentences[index - 1] if index else None
        if (
            before is None
            or not s.segment.speaker
            or before.segment.speaker in (None, s.segment.speaker)
            or before.segment is s.segment
        ):
            return ""
        return before.text

    def _task_part(self, s: Sentence, text: str) -> str | None:
        """The task part of a line, when layout or grammar wraps it.

        After a minutes owner marker ("Ben (mentee): book ..." -> "book ...") or a request to
        the writer ("Priya asked me to send ...", "she suggested I ...").
        """
        asked = _ALSO.search(text)
        if asked and (asked.group("c") or asked.group("d")):
            task = text[asked.end() :].strip()
            # Only a plain request is re-read: what follows it may answer it ("..., and I
            # rewrote it on Tuesday", "... - I'm treating that as a suggestion", "but I said no").
            done = re.search(r"[,;:—–]|\s-\s|\b(?:but|and\s+I|which)\b", task)
            return task if imperative_first(task) and not done else None
        if s.start != s.segment.start:
            return None
        body = _TAG.sub("", text, count=1)
        bare = self._bare_owner(body)
        if bare is not None and bare["o"].islower():
            return body[bare.end() :]
        lead = _LEAD.match(body)
        if not (lead and lead.group("sep") and self._is_name(lead.group("o"), True)):
            return None
        task = body[lead.end() :].strip()
        return task if re.match(r"[a-z]", task) and imperative_first(task) else None

    def _kind(self, s: Sentence, p: dict[str, float]) -> str:
        seg, status = s.segment, s.segment.fields.get("status", "")
        if _INJECTION.search(s.text):
            return "ignore"
        if seg.struck or _DROP_STATUS.search(status):
            return "dropped"
        if seg.checked or _DONE_STATUS.search(status):
            return "done"
        if seg.section in {"done", "dropped"}:
            return str(seg.section)
        best = max(p, key=lambda k: p[k])
        if _NOT_A_PROMISE.search(s.text):
            return "dropped" if best == "dropped" else "discussion"
        # A row of an action table: its status column decides. A table under a discussion
        # heading ("Time | Item | Who | Notes") records talk; its rows read as any line.
        if "action" in seg.fields and seg.section != "discussion":
            return "commitment"
        # Layout that says "task": an action section, an open box, a minutes label.
        listed = seg.section == "actions" or seg.checked is False
        listed = listed or (seg.task_label and s.start == seg.start)  # "My next step: ..."
        body = _TAG.sub("", s.text, count=1)
        lead = _LEAD.match(body)
        # Minutes owner markers: "PC to check with finance", "AI Kofi: ...", "Kofi -> ...".
        to_verb = bool(lead and re.match(r"to\s+[a-z]", body[lead.end() :]))
        marker = bool(
            lead
            and (lead.group("sep") or to_verb or body != s.text)
            and self._is_name(lead.group("o"), True)
        )
        # "Ben — ask for the criteria": a dash or arrow before a lowercase task marks it too.
        dashed = bool(
            lead
            and re.search(r"[-–—>→]", lead.group("sep") or "")
            and re.match(r"[a-z]", body[lead.end() :])
        )
        # "carla review it after": an attendee's name in lowercase before a bare verb is a
        # minutes line (capitalised, "Will you ..." or "Mark said", it is often not).
        bare = bool((m := self._bare_owner(body)) and m["o"].islower())
        minutes = (marker and (body != s.text or to_verb or dashed)) or bare
        owner_label = seg.label_owner is not None and s.start == seg.start  # "For you: ..."
        group = bool(_SHARED_LABEL.match(body))  # "Both: agree the agenda"
        listed = listed or self._bracket_task(s, body)
        marker, minutes = marker or group, minutes or group
        if seg.section == "decisions" and not (marker or minutes or listed):
            return "discussion"  # "Decisions: keep the beta behind a flag" is settled, not a task
        labelled = (
            (seg.label_in_span and s.start == seg.start and seg.section != "discussion")
            or minutes
            or owner_label
        ) and p["commitment"] >= (0.25 if bare else 0.35)
        if (
            (listed or labelled)
            and p["done"] < 0.7
            and p["dropped"] < 0.7
            and (p["commitment"] >= 0.15 or (listed and marker))
        ):
            return "commitment"
        if s.text.rstrip().endswith("?"):
            return "question"
        # "We agreed you'd read chapter 3": a reported promise, which the vectors read as past
        # ("agreed"); its grammar says it is still to do.
        agreed = _ALSO.search(s.text)
        if (
            agreed
            and agreed.group("a")
            and p["commitment"] >= 0.2
            and p["dropped"] < 0.5
            and not _HEDGED.search(s.text)
        ):
            return "commitment"
        # The vectors blur a plain promise ("Amélie will ask Corentin ...", "for the talk, I'll
        # leave comments"); its grammar is unambiguous, so a weaker score is enough.
        if (
            best == "discussion"
            and p["commitment"] >= 0.2
            and _PROMISED.search(_unfill(s.text))
            and not _HEDGED.search(s.text)
        ):
            return "commitment"
        # "You should send Omar the deck", "maybe you could ask Dana": the listener's task. The
        # vectors read the modal as opinion; a task verb after it and a fair score say task
        # ("you should feel proud" scores near zero).
        hedge = _HEDGE.match(_unfill(s.text))
        if (
            best == "discussion"
            and hedge
            and p["commitment"] >= 0.2
            and imperative_first(_unfill(s.text)[hedge.end() :])
        ):
            return "commitment"
        return best

    # -- the run ---------------------------------------------------------------------------------
    def run(self) -> list[ActionItem]:
        kinds = self.kinds()
        for index, s in enumerate(self.sentences):
            speaker = s.segment.speaker
            if (
                kinds[index] != "commitment"
                and _ACCEPT.match(s.text)
                and speaker
                and self._request(index, speaker, strict=True) is not None
            ):
                kinds[index] = "commitment"  # "Yep, on it." after "Can you ...?"
        for index, (s, kind) in enumerate(zip(self.sentences, kinds, strict=True)):
            if kind == "dropped":
                self._retract(s)
            elif kind == "commitment":
                self._commitment(index, s, kinds)
            else:
                self._date_only(s)
        merged: list[Item] = []
        for item in self.items:
            same = next((m for m in merged if similar(m, item)), None)
            if same is None and item.owner is None:
                # "you'll send me the draft" / "yes I'll send it" in captions without speakers:
                # an unowned restatement of an owned item is that item.
                same = next(
                    (
                        m
                        for m in merged
                        if similar(replace(m, owner=None), item)
                        and m.action.split()[0].casefold() == item.action.split()[0].casefold()
                    ),
                    None,
                )
            if same is None and item.due is not None:
                same = next((m for m in merged if m.due is None and dated_again(m, item)), None)
            restated = [m for m in merged if restates(item, m)]
            if same is None and len(restated) >= 2:
                continue  # a recap line naming several earlier items at once
            if same is None:
                merged.append(item)
            elif same.due is None:
                same.due = item.due
        return [
            ActionItem(
                owner=i.owner,
                action=i.action,
                due=i.due,
                evidence=self.notes[i.start : i.end],
                owner_known=i.known,
            )
            for i in merged
        ]

    def _retract(self, s: Sentence) -> None:
        words = stems(s.text)
        # Only a sentence that names most of an item retracts it ("forget the blog post"), or
        # names its task ("Shadow the on-call" / "the shadowing won't happen").
        self.items = [
            i
            for i in self.items
            if 2 * len(i.stems() & words) < len(i.stems())
            and not re.search(rf"\bthe\s+{re.escape(gerund(i.action.split()[0]))}\b", s.text, re.I)
        ]

    def _commitment(self, index: int, s: Sentence, kinds: list[str]) -> None:
        # "Ana will write the guide, and Ben will drop it in the channel": two owners, two items.
        promise = rf"(?=(?:{NAME}|I|you|he|she|they)\s*(?:will|'ll|is\s+going\s+to|to)\b)"
        # "She wants to present better: she'll join Toastmasters": the topic is context.
        task_at = s.segment.task_at
        said = s.text
        if task_at is not None and s.start <= task_at < s.end:
            said = " ".join(self.clean[task_at : s.end].split())  # the label is not the task
        text = re.split(rf":\s+{promise}", _unfill(said), maxsplit=1)[-1]
        clauses = _and_clauses(text, promise)
        # "Runbook out of date → Ethan to update it", "LB asked; TW to check": the owned part.
        marked = rf"\W*(?:{NAME}|{INITIALS})\s*(?:to\s|will\b|'ll\b|:)"
        parts = [p for c in clauses for p in re.split(rf"\s*(?:;|→|->|=>)\s*(?={marked})", c)]
        if len(parts) > len(clauses):
            clauses = [p for p in parts if re.match(marked, p) or _MODAL.search(p)]
        for clause in clauses:
            self._clause(index, s, kinds, clause)

    def _clause(self, index: int, s: Sentence, kinds: list[str], text: str) -> None:
        seg = s.segment
        speaker, speaker_known = self.people.resolve(seg.speaker) if seg.speaker else (None, True)
        writer = speaker if speaker and not seg.label_in_span else self.people.author
        if seg.label_in_span and speaker and re.search(r"\b(?:I|i|I'll|I'm|me|my|you)\b", text):
            writer = speaker  # "Rohan Mehta: and i will send you ...": the label is the speaker
        tag = _SPEECH_TAG.search(text)  # "I'll book the room, says Lea": Lea's "I"
        if tag and self._is_name(tag.group("a") or tag.group("b"), True):
            writer = self.people.resolve(tag.group("a") or tag.group("b"))[0]
        owner, known, body = self._owner(text, s, writer)
        if owner and owner[0] != "?" and self.people.resolve(owner) == (owner, False):
            known = False  # "He'll update it" about Marco, who did not attend
        asked = _ALSO.search(text)
        if (
            writer is None
            and owner is not None
            and asked
            and (asked.group("c") or asked.group("d"))
        ):
            writer = owner  # "Priya asked me to send her my portfolio": "me" is the owner
        if owner is not None and owner == speaker:
            known = speaker_known
        if owner == "?imperative" and not _ACCEPT.match(text):
            return  # a bare instruction in a conversation is a request, not yet anyone's item
        if owner == "?imperative":
            owner = None
        shared, owner = (owner[7:], None) if owner and owner[:7] == "?shared" else (None, owner)
        marked = body != text and not _SAID.match(text)
        marked = marked or bool(seg.fields) or seg.group_owner is not None
        action = self._predicate(body, marked)
        if re.search(r"\b(?:scratch\s+that|instead|change\s+of\s+plan)\b", text, re.I):
            taken = stems(action)
            self.items = [i for i in self.items if i.owner != owner or len(i.stems() & taken) < 2]
        due_text = seg.fields.get("due", "") if "due" in seg.fields else text
        if "due" in seg.fields and due_text and not self.dues(due_text):
            due_text = f"by {due_text}"
        dues = self.dues(due_text)
        ev_start, ev_end = s.start, s.end
        bare = re.sub(
            r",?\s*\b(?:once|when|after|as\s+soon\s+as|if)\b.*$", "", self._strip_dates(action)
        )
        bare = re.sub(r"[^\w\s'.,;:!?()-]+", "", bare).strip()  # "will do 👍" is "will do"
        for _ in range(2):
            bare = _TAIL.sub("", bare)  # "do, at the latest" is "do"
        if _FAREWELL.match(bare):
            return  # "I'll see you next week": a sign-off
        ready = re.match(
            r"^have\s+(?P<o>.+?)\s+(?:ready|done|finished|sorted|drafted)\b", bare, re.I
        )
        if ready:
            earlier = [i for i in self.items if stems(ready.group("o")) & i.stems()]
            if earlier:
                earlier[-1].due = earlier[-1].due or next((d.due for d in dues if d.due), None)
                return
        if _VAGUE.match(bare) or (
            owner is None and seg.speaker and not seg.label_in_span and not seg.bullet
        ):
            request = self._request(index, seg.speaker)
            if request is None:
                if _VAGUE.match(bare):
                    self._lend_due(owner, dues)
                    return
            else:
                mine = [i for i in self.items if i.owner == speaker]
                obj = re.match(
                    r"\s*\w+\s+(?:(?:me|us|him|her|them)\s+)?(?P<o>.+?)(?=\s+(?:of|for|to|by|on|in|at"
                    r"|with|whenever|when|so|and)\b|[,.;!?]|$)",
                    request[1],
                )
                said = stems(obj.group("o")) if obj else set()
                if _VAGUE.match(bare) and mine and said and said <= mine[-1].stems():
                    self._lend_due(speaker, dues)  # "Send me the rubric" / "Will do, by Monday"
                    return
                action, ev_start = request[1], request[0].start
                dues = dues or self.dues(request[0].text)
                owner, known = speaker, True
                writer = self.people.resolve(request[0].segment.speaker)[0]  # the asker's "me"
        elif request := self._suggestion(index, seg.speaker, bare):
            action, ev_start = request[1], request[0].start
            writer = self.people.resolve(request[0].segment.speaker)[0]
        if not dues and index + 1 < len(self.sentences):
            after = self.sentences[index + 1]
            later = self.dues(after.text)
            if (
                after.segment is seg
                and kinds[index + 1] != "commitment"
                and later
                and later[0].due
                and re.search(
                    r"\b(?:target|deadline|aim\w*|by|due|until|latest)\b", after.text, re.I
                )
            ):
                dues, ev_end = later, after.end
        parts = self._split(action)
        for part in parts:
            due = next((d.due for d in self.dues(part) if d.due), None)
            if due is None and len(parts) == 1:
                due = next((d.due for d in dues if d.due), None)
            at = self.clean.find(text[:24], s.start, s.end)  # a later clause looks back to it
            final = self._finish(part, owner, writer, at if at > s.start else s.start)
            if final is not None and due is None and re.match(r"(?i)bring\b", final):
                due = self.next_session  # what a mentee brings, they bring to the next session
            if final is not None:
                who = [(owner, known)] if shared is None else self.people.share(shared, writer)
                self.items += [Item(w, k, final, due, ev_start, ev_end) for w, k in who]

    def _date_only(self, s: Sentence) -> None:
        """A date said alone ("Probably Monday.") just after an item dates the last item."""
        if not s.segment.speaker:
            return  # in minutes a lone date ("Next: Tue 8 Dec") is the next meeting's
        dues = [d for d in self.dues(s.text) if d.due]
        rest = re.sub(rf"^\s*(?:{NAME})\s*:", "", s.text) if s.segment.label_in_span else s.text
        for d in dues:
            rest = rest.replace(d.phrase, " ")
        if not dues or re.sub(_DATE_FILLER, "", rest).strip(" ,.!?-–—()"):
            return
        speaker = self.people.resolve(s.segment.speaker)[0]
        near = [i for i in self.items if 0 <= s.start - i.end <= 300]
        mine = [i for i in near if i.owner == speaker]
        if mine and mine[-1].due is None:
            mine[-1].due = dues[0].due

    def _lend_due(self, owner: str | None, dues: list[DueMatch]) -> None:
        """A date said after an item ("I'll do it by Friday") belongs to that item."""
        due = next((d.due for d in dues if d.due), None)
        mine = [i for i in self.items if i.owner == owner]
        if owner is None and not mine and self.items:
            mine = self.items[-1:]  # "I'll send him the postings. Do this tomorrow."
        if due and mine and mine[-1].due is None:
            mine[-1].due = due

    def _owner(self, text: str, s: Sentence, writer: str | None) -> tuple[str | None, bool, str]:
        seg, people = s.segment, self.people
        # In a discussion table the "Who" cell led the topic; a task in the notes cell that
        # names its own owner ("...; Ines to draft the impact section") is that person's.
        led = seg.section == "discussion" and _INNER.search(text)
        if seg.fields.get("owner", "").strip() and not led:
            cell = seg.fields["owner"]
            if re.search(r"&|\+|\band\b|,|/|^\W*(?:both|all|everyone|we|us|team)\W*$", cell, re.I):
                return f"?shared{cell}", True, text
            return (*people.resolve(cell), text)
        body, named = text, None
        shared = _SHARED_LABEL.match(body)
        if shared:  # "Both: agree the agenda", "we both need to ...": each attendee's item
            return "?shared", True, body[shared.end() :]
        # Reported speech: "Tomasz says I should ..." (the writer's "I"); "Ana said she'll ...".
        said = _SAID.match(body)
        if said and self._is_name(said.group("n"), False):
            body = body[said.end() :]
            pronoun = re.match(r"(?:he|she)\b\s*", body)
            if pronoun:
                named, body = said.group("n"), body[pronoun.end() :]
        again = _RESTATED.match(body) if named is None else None
        if again and self._is_name(again.group("n"), False):  # "Priya she will ask ..."
            named, body = again.group("n"), body[again.end() :]
        hedge = _HEDGE.match(body) if not seg.fields else None
        if hedge and named is None:  # "I think you should send the deck": the listener's
            rest, vocative = body[hedge.end() :], hedge.group("v")
            if vocative and self._is_name(vocative, True):
                return (*people.resolve(vocative), rest)
            return self._addressee(s, writer), True, rest
        asked = _ALSO.search(body)
        if named is None and asked and (asked.group("c") or asked.group("d")):
            # "Priya asked me to send her my portfolio": the writer's task, not Priya's; with
            # nobody named as the writer, of a mentor and mentee it is the one not asking.
            askers = [m.group(0) for m in re.finditer(NAME, body[: asked.start()])]
            asker = people.resolve(askers[-1])[0] if askers else None
            me = writer or people.other(asker)
            return self._pronoun_owner("me", me, s), True, body[asked.end() :].lstrip()
        tag = _TAG.match(body)
        if tag and tag.end() > 0:
            named, body = tag.group("t"), body[tag.end() :]
        lead = _LEAD.match(body)
        marked = bool(
            lead
            and (lead.group("sep") or lead.group("at") or not re.match(r"to\b", body[lead.end() :]))
        )
        if lead and lead.group("vs") and people.resolve(lead.group("o"))[0] not in people.attendees:
            lead = None  # "Finish modules 4 and 5" is a task, not Finish's
        if lead and self._is_name(lead.group("o"), marked):
            named, body = lead.group("o"), body[lead.end() :]
            if lead.group("vs"):  # "writes up the timeline" -> "write up the timeline"
                verb = lead.group("vs").split()[0]
                body = to_base(verb) + body[len(verb) :]
        turn = named is not None and seg.label_in_span and named == seg.speaker
        bare = self._bare_owner(body) if named is None or turn else None
        if bare and people.resolve(bare["o"])[0] != people.resolve(named or "")[0]:
            named, body = bare["o"], body[bare.end() :]
        if named is None:
            inner = _INNER.search(body) or _ALSO.search(body)
            who = inner.group(inner.lastgroup or "o") or "" if inner else ""
            if inner and (who in {"he", "she", "me", "I", "you"} or self._is_name(who, False)):
                named = who
                body = body[inner.end() :] if inner.re is _ALSO else body[inner.start("o") :]
                body = body[len(named) :] if body.startswith(named) else body
        trail = self._trailing_owner(body)
        if trail and self._marks_owner(trail):
            marker = trail.group("a") or trail.group("b")
            body = body.replace(trail.group(0).strip(), "", 1)
            arrow = re.search(r"→|->", trail.group(0))  # "TW: cut it → LB": LB's
            if (named is None or arrow) and marker.upper() != "TBD":
                named = marker
        if named is not None:
            if People.JOINED.search(named):
                return f"?shared{named}", True, body  # "Ben & Ana: ..."
            if named.casefold() in {"me", "i", "he", "she", "you"}:
                return self._pronoun_owner(named, writer, s), True, body
            if seg.label_in_span and named == seg.speaker:  # "Priya: can you send me ...?"
                return self._label_owner(s, named, body)
            return (*people.resolve(named), body)
        if seg.speaker and seg.label_in_span:  # "Prep: slides for the demo" is the author's
            return self._label_owner(s, seg.speaker, body)
        # A date said first ("Until end of November I will ...") does not hide the subject.
        lead_date = next((d for d in self.dues(body) if body[: d.start].strip(" ,") == ""), None)
        subject = _SUBJECT.match(body[lead_date.end :].lstrip(" ,") if lead_date else body)
        who = subject.group("s").casefold() if subject else ""
        if who in _PRONOUN_SUBJECTS:
            return self._pronoun_owner(who, writer, s), True, body
        if who:
            return None, True, body
        # "👍 and for the GSoC thing, I'll leave comments": the subject comes after a lead-in.
        late = _LATE_SUBJECT.search(body)
        bare_will = _LATE_WILL.search(body)
        if bare_will and not late:  # "the template is on my old laptop, will post it Monday"
            return writer, True, body[bare_will.end() :]
        if late:
            # "ok Ben so you'll send me the draft": the name said just before "you" is who.
            called = re.match(
                rf"^\W*(?:{_CHAT}\W+)*(?P<n>{NAME})\W+(?:{_CHAT}\W+)*$", body[: late.start("p")]
            )
            if (
                late.group("p").casefold() == "you"
                and called
                and self._is_name(called.group("n"), True)
                and self.people.resolve(called.group("n"))[0] in self.people.attendees
            ):
                return self.people.resolve(called.group("n"))[0], True, body[late.start("p") :]
            return self._pronoun_owner(late.group("p"), writer, s), True, body[late.start("p") :]
        if seg.group_owner:
            return (*people.resolve(seg.group_owner), body)
        if seg.label_owner == "me":
            return writer, True, body
        if seg.label_owner == "you":
            return self._addressee(s, writer), True, body
        if seg.label_owner:
            return (*people.resolve(seg.label_owner), body)
        if re.match(r"(?:will|gonna|going\s+to|i'll|need\s+to|have\s+to)\b", body, re.I):
            return writer, True, body  # a subjectless "gonna finish the course" is the writer's
        if seg.section_owner == "you":
            return people.other(people.author), True, body
        if seg.section_owner == "me" or (seg.section == "actions" and seg.speaker is None):
            return people.author, True, body
        if seg.speaker and not seg.bullet and seg.section != "actions":
            if self._answers_prompt(s):
                return writer, True, body  # "What will you do next? Draft the plan."
            return "?imperative", True, body
        if people.author and re.match(r"\W*(?:also\s+)?please\b", body, re.I):
            return self._addressee(s, people.author), True, body  # a recap's "Please also ..."
        return writer if seg.bullet and seg.speaker else None, True, body

    def _answers_prompt(self, s: Sentence) -> bool:
        """Whether the sentence before, in the same turn, is a repeated prompt for one's plan.

        A standup bot's or a 1:1 template's "What will you do next?" is answered by the person
        whose turn it is, so the bare task after it is theirs, not a request to the listener.
        """
        at = self.sentences.index(s)
        if at == 0:
            return False
        before = self.sentences[at - 1]
        turn = (before.segment.speaker, before.segment.turn)
        if turn != (s.segment.speaker, s.segment.turn) or not _PROMPT.match(before.text):
            return False
        # A template asks each person the same; a chat's "What will you show next week? Send
        # me the slides." asked once is a request to the listener.
        prompt = before.text.casefold()
        return sum(p.text.casefold() == prompt for p in self.sentences) >= 2

    def _predicate(self, body: str, marked: bool = False) -> str:
        text = _unfill(body)
        for _ in range(2):
            text = _STUTTER.sub(r"\1", text)
        text = _REQUEST.sub("", _LEADING_CHATTER.sub("", text))
        quoted = [q.span() for q in re.finditer(r"\"[^\"]*\"|“[^”]*”", text)]
        for match in _MODAL.finditer(text[:160]):
            if any(a < match.start() < b for a, b in quoted):
                continue  # 'a one-page "what I want to own" note': a title, not the speaker's plan
            before = _LEADING_CHATTER.sub("", text[: match.start()]).strip(" ,")
            if marked and before and not _PRONOUN_ONLY.fullmatch(before):
                break  # "Ben: ask whether Omar can join": the task is the whole line
            if len(before.split()) <= 12 and (
                _SUBJECT_BEFORE.search(before)
                or match.group(0)
                .lower()
                .lstrip()
                .startswith(
                    (
                        "homework",
                        "plan",
                        "goal",
                        "target",
                        "task",
                        "next",
                        "action",
                        "for me",
                        "to-do",
                        "todo",
                    )
                )
            ):
                return text[match.end() :].strip()
        # A summary in the present tense: "you apply to 3 roles", "I intro you to Tomás".
        bare = re.match(
            r"(?:I|you|we)\s+(?!(?:am|are|was|were|have|had|do|did|think|thought|feel|felt|know"
            r"|knew|guess|hope|said|agreed|also)\b)(?=[a-z]+\b)",
            text.strip(),
        )
        return text.strip()[bare.end() :] if bare and not marked else text.strip()

    def _request(
        self, index: int, speaker: str | None, strict: bool = False
    ) -> tuple[Sentence, str] | None:
        """The request or suggestion another speaker made just before this acceptance."""
        turn: Segment | None = None
        for back in range(index - 1, max(-1, index - 9), -1):
            prev = self.sentences[back]
            if prev.segment.speaker in (None, speaker):
                if turn is None and back <= index - 4:
                    return None
                continue
            if turn is not None and prev.segment is not turn:
                return None
            turn = prev.segment
            body = _LEADING_CHATTER.sub("", prev.text)
            label = re.match(rf"^(?:{NAME})\s*:\s*", body) if prev.segment.label_in_span else None
            body = _LEADING_CHATTER.sub("", body[label.end() :]) if label else body
            vocative = re.match(rf"^(?:{NAME}),\s*", body)
            body = body[vocative.end() :] if vocative else body
            # "before we meet again please write up ...": the date is kept from the sentence.
            said_first = next((d for d in self.dues(body) if not body[: d.start].strip(" ,")), None)
            if said_first:
                body = _LEADING_CHATTER.sub("", body[said_first.end :].lstrip(" ,"))
            hedge = _HEDGE.match(body)  # "I think you should ping Dana": a request too
            body = body[hedge.end() :] if hedge and not hedge.group("v") else body
            imperative = not strict and (imperative_first(body) or bool(hedge))
            # "you wanted to ...?" recalls; "you'll book the slot by Wednesday?" asks.
            asks = re.match(r"(?i)you(?:'ll|\s+will)\s+(?!be\b|have\b)", body)
            recall = re.match(r"(?:you|he|she|they|we|I)\b", body, re.I) and not asks
            if _REQUEST.match(body) or (prev.text.endswith("?") and not recall) or imperative:
                body = body[asks.end() :] if asks else body
                action = _unfill(_REQUEST.sub("", _unfill(body))).rstrip("?.! ")
                if re.match(
                    r"^(?:can|could|would|will|do|did|are|is|have|what|how|why)\b", action, re.I
                ) or re.match(r"(?:the|a|an|this|that|it|my|your|our|their)\b", action, re.I):
                    return None  # a question, not a request: "Right, the checkout one?"
                return prev, action
            if not prev.clause:
                return None  # a caption turn cut into clauses: its request may come earlier
        return None

    def _suggestion(
        self, index: int, speaker: str | None, bare: str
    ) -> tuple[Sentence, str] | None:
        """An acceptance ("Sure, I'll ping her") of a request ("You should ping Dana")."""
        found = self._request(index, speaker) if speaker else None
        if found is None:
            return None
        verb = bare.split()[0].casefold() if bare.split() else ""
        theirs = found[1].split()[0].casefold() if found[1].split() else ""
        short = len(bare.split()) <= 3 and re.search(r"\b(?:it|him|her|them|that)\b", bare)
        return found if verb == theirs and short else None

    def _strip_dates(self, text: str, keep_case: bool = False) -> str:
        for d in reversed(self.dues(text)):
            text = text[: d.start] + text[d.end :]
        text = re.sub(r"\(\s*[,;]?\s*\)|\[\s*\]|(?<!\S)@(?=[\s,;.!?]|$)", "", text)
        text = re.sub(r"\s+([,;.!?])", r"\1", text)
        return " ".join(text.split()).strip(" ,;.!?-–—") if not keep_case else text.rstrip(" ,;-–—")

    def _split(self, action: str) -> list[str]:
        dues = self.dues(action)
        if len(dues) >= 2:
            joint = re.match(r"\s*,?\s*and\s+(?:then\s+)?", action[dues[0].end :])
            if joint and dues[1].start > dues[0].end + joint.end():
                return [action[: dues[0].end], action[dues[0].end + joint.end() :]]
        return [action]


_CHAT = r"(?i:ok|okay|so|and|right|well|hey|yeah|yes|alright|then|now)"


# A template's or standup bot's prompt for the speaker's own plan ("What will you work on?").
_PROMPT = re.compile(
    r"(?i)^\W*(?:what|which|any|anything)\b(?=[^?]*\byour?\b)"
    r"(?=[^?]*\b(?:will|next|plan\w*|going|goals?|focus\w*|work\w*\s+on|commit\w*)\b)"
    r"[^?]*\?\s*$"
)
# A label giving a task to everyone present: "Both:", "Both of us -", "Everyone:", "All:".
_SHARED_LABEL = re.compile(
    r"^\W*(?i:both(?:\s+of\s+(?:us|you))?|all(?:\s+of\s+(?:us|you))?|everyone|everybody"
    r"|we\s+both)[ \t]*(?::|[-–—]+(?=\s)|->|→)[ \t]*"
    r"|^\W*(?i:we\s+both|both\s+of\s+us)\s+(?=(?:need|have|will|should|must|are\s+going)\b)"
)

# A subject named, then restated as a pronoun (non-native English): "Priya she will ask ...".
_RESTATED = re.compile(
    rf"^\W*(?P<n>{NAME})[ \t]*,?[ \t]+(?i:he|she|they)(?=['’]ll\b|\s+(?:will|is\s+going\s+to"
    r"|are\s+going\s+to|would|should|must|can|has\s+to|have\s+to|needs?\s+to)\b)"
)


_PRONOUN_SUBJECTS = frozenset(
    [*"i i'm i've i'd me my you your you're he she he's she's".split(), "let me"]
)


# -- public API ----------------------------------------------------------------------------------
def extract_actions_offline(
    notes: str,
    attendees: list[str],
    session_date: date,
    next_session: date | None = None,
    author: str | None = None,
) -> list[ActionItem]:
    """Action items from session notes: owner, action, due date and verbatim evidence.

    Deterministic and offline. ``author`` is who wrote the notes (their "I"). Owners are an
    attendee's full name, ``None`` (shared or unowned), or another person named in the notes,
    kept with ``owner_known=False``. Notes that do not read as English give no items.
    """
    people = People(attendees, author, notes)
    if not notes.strip() or not notes_in_english(notes, people):
        return []
    extractor = _Extractor(notes, people, session_date, next_session)
    return extractor.run()


def notes_in_english(notes: str, people: People) -> bool:
    """Whether the notes read as English once exports are reduced to their tasks."""
    return is_probably_english(readable_text(notes, people.is_person))


def sentence_kinds(notes: str) -> list[tuple[str, str]]:
    """Each candidate sentence of the notes with its kind (commitment, done, dropped, ...)."""
    extractor = _Extractor(notes, People([], None), date(2000, 1, 3), None)
    return [(s.text, k) for s, k in zip(extractor.sentences, extractor.kinds(), strict=True)]
