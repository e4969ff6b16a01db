"""Training spec of the situation classifier the question bank retrieves with.

Kept out of :mod:`agent.offline.questions` so the engine does not import the trainer.
Rebuild with ``python -m agent.offline.train situations``.
"""

from __future__ import annotations

from agent.offline.learned import LabelledText
from agent.offline.questions import reframe_rows
from agent.offline.train import TrainingSpec


class _SituationSpec(TrainingSpec):
    """The situation classifier learns from example inputs and from the bank's own questions."""

    def rows(self) -> list[LabelledText]:
        """Labelled example inputs plus every rewrite question labelled with its situation."""
        bank = [LabelledText(q.plain, q.situation, q.id) for q in reframe_rows()]
        return [*super().rows(), *bank]


# Example inputs (agent/data/training/situations.jsonl) plus the bank's questions; fewer
# steps than the default, as the classes are many and the rows few.
SITUATION_SPEC = _SituationSpec("situations", ("situations.jsonl",), fit_args={"steps": 1500})
