"""respond: turn the checked draft into the turn's result and a readable reply."""

from __future__ import annotations

import re
from typing import Any

from agent.models import (
    ActionExtraction,
    Agenda,
    AnswerDraft,
    Citation,
    GuideAnswer,
    NotAvailable,
    QuestionsDraft,
    QuestionSuggestions,
    ReframeDraft,
    ReframeResult,
)
from agent.nodes.common import passages_of
from agent.offline.judgement import detect_markers
from agent.offline.judgement_model import is_judgemental_utterance
from agent.offline.language import ENGLISH_ONLY, is_english
from agent.state import ELSEWHERE, NEEDS_PAYLOAD, State
from knowledge.models import Passage

HELP = (
    "I coach mentoring pairs. Try: a question you want to ask your partner (I'll make it "
    "curious rather than judgemental), “what questions should I ask at our next session?”, "
    "or any mentoring situation, like “my mentee nods along but nothing sticks”."
)
_HOW_TO = {
    "agenda": "To draft an agenda I need a pair: use /agenda in `coach chat --pair ID`, or "
    "`coach agenda --pair ID` (or `--context FILE` for a pair that is not stored).",
    "actions": "To pull action items out of notes I need the notes: use /actions FILE in "
    "`coach chat --pair ID`, or `coach actions FILE --pair ID`.",
}
_ELSEWHERE = {
    "simulate": "The “Years of Experience in Months” simulation runs as its own exercise: use "
    "/simulate in `coach chat --pair ID`, or `coach simulate start --pair ID`.",
    "email": "Prep emails are written for a stored pair: use /email in `coach chat --pair ID`, "
    "or `coach email --pair ID` (add --send to send them).",
}
# In a chat that is on a pair already, "coach chat --pair ID" would send the user in a circle.
_ELSEWHERE_ON_PAIR = {
    "simulate": "The “Years of Experience in Months” simulation runs as its own exercise: type "
    "/simulate to start it for {pair}.",
    "email": "Type /email to write {pair}'s prep emails as drafts (or `coach email --pair "
    "{pair} --send` to send them).",
    "agenda": "Type /agenda to draft the agenda for {pair}'s next session.",
    # "What does Ben still owe me?" asks for the items kept, not for notes to read.
    "actions": "Type /items to see {pair}'s open action items (overdue ones are flagged; "
    "/items NAME for one person's). To pull new ones out of notes, save them to a file and "
    "type /actions FILE (a pasted chat is read line by line, as separate messages).",
}


# A short thank-you or goodbye is courtesy, not a request: answering it with the help text
# ("I coach mentoring pairs. Try: ...") reads as if the coach had not understood.
_THANKS = re.compile(r"\b(?:thanks?|thank you|thx|ty|cheers|appreciated?)\b", re.I)
_BYE = re.compile(r"\b(?:bye|goodbye|see you|see ya|good night|later)\b", re.I)


def _courtesy(text: str) -> str | None:
    """A short friendly reply to a short thank-you or goodbye, else None."""
    if len(text.split()) > 5:
        return None
    if _THANKS.search(text):
        return (
            "You're welcome! Ask any time you want a question reworded or a situation "
            "thought through."
        )
    if _BYE.search(text):
        return "Bye for now, and good luck with your next session."
    return None


def _citations(passages: list[Passage], cited: list[str]) -> list[Citation]:
    wanted = set(cited)
    return [Citation.of(p) for p in passages if p.id in wanted]


def _questions_reply(lead: str, questions: list[Any]) -> str:
    lines = [lead] + [
        f"  {i}. {q.question}\n     ({q.rationale})" for i, q in enumerate(questions, 1)
    ]
    return "\n".join(lines)


def _explained(markers: list[str]) -> str:
    """The phrases behind a verdict, or the tone when no listed phrase explains it."""
    return f" ({', '.join(markers)})" if markers else " in its tone"


def respond(state: State) -> dict[str, Any]:
    """Build the result model for this turn's intent and the text shown in chat."""
    intent = state.get("intent", "other")
    text = state.get("text") or ""
    notes = list(state.get("notes") or [])
    draft = state.get("draft") or {}
    engine = draft.get("engine") or state.get("engine") or "offline"
    passages = passages_of(state)
    result: Any
    pair = state.get("pair_id")
    if intent in NEEDS_PAYLOAD and not draft:
        message = _ELSEWHERE_ON_PAIR[intent] if pair else _HOW_TO[intent]
        result = NotAvailable(intent=intent, message=message.format(pair=pair))
        reply = result.message
    elif intent in ELSEWHERE:
        message = _ELSEWHERE_ON_PAIR[intent] if pair else _ELSEWHERE[intent]
        result = NotAvailable(intent=intent, message=message.format(pair=pair))
        reply = result.message
    elif intent == "other":
        result, reply = None, _courtesy(text) or HELP
    elif intent == "reframe":
        data = ReframeDraft.model_validate(draft["data"])
        english = bool(data.questions) or is_english(text)
        # One verdict for both engines: the learned detector's; phrases only explain it.
        judgemental = english and is_judgemental_utterance(text)
        lowered = text.lower().replace("’", "'")
        markers = (
            list(
                dict.fromkeys(
                    detect_markers(text)
                    + [m.lower() for m in data.markers if m.lower().replace("’", "'") in lowered]
                )
            )
            if judgemental
            else []
        )
        result = ReframeResult(
            input=text,
            judgemental=judgemental if english else None,
            markers=markers,
            topic=data.topic,
            questions=data.questions,
            citations=_citations(passages, data.cited_ids),
            engine=engine,
            notes=notes,
            language="English" if english else "non-English",
        )
        if not english:
            lead = ENGLISH_ONLY
        elif result.judgemental:
            lead = f"That reads as judgemental{_explained(markers)}. Curious ways to ask it:"
        elif text.rstrip().endswith("?"):
            lead = "That question is already curious. Optional refinements:"
        else:
            lead = "That isn't judgemental. To ask it as a curious question:"
        reply = _questions_reply(lead, result.questions)
    elif intent == "suggest_questions":
        qdata = QuestionsDraft.model_validate(draft["data"])
        result = QuestionSuggestions(
            pair_id=state.get("pair_id"),
            questions=qdata.questions,
            citations=_citations(passages, qdata.cited_ids),
            engine=engine,
            notes=notes,
        )
        reply = _questions_reply("Questions for your next session:", result.questions)
    elif intent == "agenda":
        agenda = Agenda.model_validate(draft["data"])
        kept = [n for n in agenda.notes if "was not retrieved" not in n]
        result = agenda.model_copy(update={"engine": engine, "notes": kept + notes})
        reply = "\n".join(
            f"{b.name} ({b.minutes} min): " + "; ".join(b.items[:3]) for b in result.blocks
        )
    elif intent == "actions":
        from agent.nodes.actions import ActionsDraft, notes_input
        from agent.offline.ratio import wisdom_ratio

        found = ActionsDraft.model_validate(draft["data"])
        payload = notes_input(state)
        result = ActionExtraction(
            items=found.items,
            ratio=wisdom_ratio(payload["notes"]),
            citations=_citations(passages, found.cited_ids),
            engine=engine,
            notes=notes,
        )
        reply = (
            "\n".join(
                f"- {i.owner or 'unassigned'}: {i.action}" + (f" (due {i.due})" if i.due else "")
                for i in result.items
            )
            or "No action items found in these notes."
        )
    else:
        adata = AnswerDraft.model_validate(draft["data"])
        result = GuideAnswer(
            question=text,
            answer=adata.answer,
            citations=_citations(passages, adata.cited_ids),
            engine=engine,
            notes=notes,
        )
        reply = result.answer
    if notes:
        reply += "\n" + "\n".join(f"(note: {n})" for n in notes)
    return {
        "reply": reply,
        "result": result.model_dump(mode="json") if result is not None else None,
        "engine": engine,
        "notes": notes,
        "retrieved": [p.id for p in passages],
        "history": [{"role": "coach", "content": reply}],
    }
