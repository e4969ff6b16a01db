"""Samples and datasets: one JSONL file per capability under evals/datasets/."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError


class Sample(BaseModel):
    """One eval case: ``input`` for the solver, ``target`` and/or ``criteria`` for the scorers."""

    id: str
    input: Any
    target: Any = None
    criteria: list[str] = Field(default_factory=list)
    metadata: dict[str, Any] = Field(default_factory=dict)


def datasets_dir() -> Path:
    """Where the shipped datasets live."""
    return Path(str(resources.files("evals") / "datasets"))


def load_dataset(name: str, folder: Path | None = None) -> list[Sample]:
    """Read ``<name>.jsonl``; a malformed line is an error naming its line number."""
    path = (folder or datasets_dir()) / f"{name}.jsonl"
    samples: list[Sample] = []
    seen: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            sample = Sample.model_validate(json.loads(line))
        except (json.JSONDecodeError, ValidationError) as exc:
            raise ValueError(f"{path.name}:{number}: {str(exc).splitlines()[0]}") from exc
        if sample.id in seen:
            raise ValueError(f"{path.name}:{number}: duplicate sample id {sample.id!r}")
        seen.add(sample.id)
        samples.append(sample)
    return samples
