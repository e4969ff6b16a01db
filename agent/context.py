"""Run-time context: configuration and injected clients, read by nodes via ``Runtime[Context]``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from agent.llm import ChatClient
    from knowledge.store import KnowledgeBase


@dataclass(frozen=True)
class Context:
    """What every node may use; never stored in state or checkpoints."""

    knowledge: KnowledgeBase
    engine: Literal["offline", "llm"] = "offline"
    chat: ChatClient | None = None
    top_k: int = 5
