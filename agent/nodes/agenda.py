"""draft_agenda: a time-boxed session plan; code builds the scaffold, the engine the words."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime
from pydantic import BaseModel

import prompts
from agent.agenda import (
    PROGRESS_REVIEW,
    AgendaContext,
    build_scaffold,
    detect_stage,
    short_names,
)
from agent.context import Context
from agent.models import Agenda, AgendaBlock, Citation
from agent.nodes.common import (
    Drafted,
    format_passages,
    llm_draft,
    llm_update,
    offline_draft,
    passages_of,
    use_llm,
)
from agent.state import State


class BlockFill(BaseModel):
    """The engine's items for one scaffold block."""

    name: str
    items: list[str]
    cited_ids: list[str]


class AgendaFill(BaseModel):
    """What the LLM adds to the scaffold: items per block and a prep checklist."""

    blocks: list[BlockFill]
    prep_checklist: list[str]


def context_of(state: State) -> AgendaContext:
    """The agenda context this turn carries."""
    return AgendaContext.model_validate((state.get("payload") or {})["context"])


def _relists(ctx: AgendaContext, block: str, item: str) -> bool:
    """Whether a model's progress-review line lists an open item again.

    The scaffold lists each open item once, with its stored owner and date; a second line
    in the model's words ("Eli: book the room by Friday") gave it another date.
    """
    said = " ".join(item.casefold().split())
    return block == PROGRESS_REVIEW and any(
        " ".join(i.action.casefold().split()).rstrip(".") in said for i in ctx.open_items
    )


def _merge(ctx: AgendaContext, fill: AgendaFill, passages: list[Any]) -> Agenda:
    """The scaffold's names, minutes and fixed items, with the LLM's items added."""
    by_id = {p.id: p for p in passages}
    fills = {f.name.strip().lower(): f for f in fill.blocks}
    blocks: list[AgendaBlock] = []
    for block in build_scaffold(ctx):
        extra = fills.get(block.name.lower())
        items = list(block.items)
        cites: list[Citation] = []
        if extra:
            items += [
                i
                for i in extra.items
                if i.strip() and i not in items and not _relists(ctx, block.name, i)
            ]
            cites = [Citation.of(by_id[c]) for c in extra.cited_ids if c in by_id]
        blocks.append(block.model_copy(update={"items": items, "citations": cites}))
    overall = {c.id: c for b in blocks for c in b.citations}
    invented = [c for f in fill.blocks for c in f.cited_ids if c not in by_id]
    return Agenda(
        stage=detect_stage(ctx),
        minutes=ctx.minutes,
        blocks=blocks,
        prep_checklist=fill.prep_checklist,
        citations=list(overall.values()),
        engine="llm",
        notes=[f"cited passage {c!r} was not retrieved" for c in invented],
    )


LLM_PASSAGES = 5
_PAIR_FIELDS = {
    "mentor",
    "mentee",
    "mentor_short",
    "mentee_short",
    "goals",
    "prep",
    "recent_notes",
    "session_number",
}


def draft_agenda(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    """Fill the stage's scaffold for this pair's next session."""
    ctx = context_of(state)
    passages = passages_of(state)
    notes = list(state.get("notes") or [])
    # Plain lines rather than JSON: the same content in fewer characters. The fixed items
    # carry the pair's names, so the scaffold is delimited as data like the rest.
    scaffold = "\n".join(
        f'"{b.name}", {b.minutes} min, fixed items:\n' + "\n".join(f"- {i}" for i in b.items)
        for b in build_scaffold(ctx)
    )
    # The LLM sees the best LLM_PASSAGES passages, the budget one retrieval would give a
    # plain agent; the offline engine still draws on every retrieved passage.
    shown = sorted(passages, key=lambda p: -p.score)[:LLM_PASSAGES]
    fill = None
    if use_llm(state, runtime):
        fill = _llm_fill(state, runtime, ctx, notes, scaffold, shown)
    if fill is not None:
        return llm_update(fill, _merge(ctx, fill.value, shown))
    from agent.offline.agenda import draft_agenda_offline  # only this node drafts agendas

    return offline_draft(draft_agenda_offline(ctx, passages), notes)


def _llm_fill(
    state: State,
    runtime: Runtime[Context],
    ctx: AgendaContext,
    notes: list[str],
    scaffold: str,
    shown: list[Any],
) -> Drafted[AgendaFill] | None:
    """The LLM's fill, from the notes the offline agenda could quote and nothing else.

    Prep lines marked private are gone from the context already; of the notes, asides that
    bear on none of the pair's goals, items or prep ("his manager is going through a
    divorce") are left out as well, so neither engine can repeat them in an agenda.
    """
    from agent.offline.agenda import agenda_notes

    # The names prose uses are worked out here, so the model never guesses which word of
    # "Đặng Minh" is the given name.
    mentor, mentee = short_names(ctx)
    shared = ctx.model_copy(
        update={"recent_notes": agenda_notes(ctx), "mentor_short": mentor, "mentee_short": mentee}
    )
    return llm_draft(
        state,
        runtime,
        "draft_agenda",
        AgendaFill,
        notes,
        passages=format_passages(shown),
        stage=detect_stage(ctx),
        scaffold=prompts.delimit("scaffold", scaffold),
        context=prompts.delimit("pair", shared.model_dump_json(include=_PAIR_FIELDS)),
    )
