"""The async twins of the Coach API do the same work as the blocking methods."""

from __future__ import annotations

import asyncio
from pathlib import Path

from agent.api import Coach
from tests.unit.test_note_quotes import NOTES, coach  # noqa: F401 (fixture)


def test_the_async_twins_do_the_same_work(coach: Coach, tmp_path: Path) -> None:  # noqa: F811
    async def session() -> None:
        pair = await coach.aupdate_pair("priya-tomasz", goals=["Lead a design review"])
        assert pair.goals == ["Lead a design review"]
        extracted = await coach.aextract_actions(
            NOTES, pair_id="priya-tomasz", author="Priya Raman", save=True
        )
        item = next(i for i in coach.open_items("priya-tomasz") if "dry run" in i.action)
        assert (
            extracted.items
            and (await coach.acomplete_item("priya-tomasz", item.id)).status == "done"
        )
        added = await coach.aadd_item("priya-tomasz", "book the demo room", owner="tomasz")
        assert (added.owner, added.action) == ("Tomasz Nowak", "Book the demo room")
        mailed = await coach.aprep_email("priya-tomasz", out_dir=tmp_path / "outbox")
        assert len(mailed.drafts) == 2
        turn = await coach.astart_simulation("priya-tomasz")
        assert turn.step == "approach" and not turn.done
        again = await coach.aanswer_simulation(turn.thread, "idk")
        assert again.step == "approach"  # not an attempt: asked again, nothing revealed
        gone = await coach.aforget_pair("priya-tomasz")
        assert gone.id == "priya-tomasz" and coach.list_pairs() == []

    asyncio.run(session())
