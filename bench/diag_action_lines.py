"""Which stage loses a gold action line, and which stage makes a spurious item (dev sets only).

Run: ``python -m bench.diag_action_lines [-v] tests/data/actions_round12.jsonl ...``.
For a gold item no output item shares a keyword with, the stage is: ``no_candidate`` (no
sentence holds its keywords: segmentation or filters), ``model`` (the classifier's best label
is not commitment and no layout rule rescued it), ``rule_overruled`` (the model said
commitment, ``_kind`` said otherwise) or ``slots`` (kind commitment, then dropped while
filling owner/action). A spurious item is put down to ``model`` (the model's best label was
commitment) or to the rule that turned it into one.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from agent.offline import actions as A
from agent.offline.people import People
from agent.offline.segments import Sentence


class _Probe(A._Extractor):
    def kinds(self) -> list[str]:
        self.seen: list[tuple[dict[str, float], str]] = []
        return super().kinds()

    def _kind(self, s: Sentence, p: dict[str, float]) -> str:
        kind = super()._kind(s, p)
        self.seen.append((p, kind))
        return kind


def _stage(p: dict[str, float], kind: str) -> str:
    best = max(p, key=lambda k: p[k])
    if kind == "commitment":
        return "model" if best == "commitment" else f"rule_yes({best})"
    return f"rule_no({kind})" if best == "commitment" else f"model({best})"


def run(path: Path, base: Path, show: bool) -> Counter[str]:
    c: Counter[str] = Counter()
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        spec = row["input"]
        nxt = spec.get("next_session")
        notes = (base / spec["notes_file"]).read_text(encoding="utf-8")
        if not notes.strip() or not A.is_probably_english(notes):
            continue
        ex = _Probe(
            notes,
            People(spec["attendees"], spec.get("author"), notes),
            date.fromisoformat(spec["session_date"]),
            date.fromisoformat(nxt) if nxt else None,
        )
        items: list[dict[str, Any]] = [i.model_dump(mode="json") for i in ex.run()]
        sents = ex.sentences
        seen = ex.seen
        for g in row["target"]:
            kws = [k.lower() for k in g.get("action_keywords", [])]
            if any(any(k in i["action"].lower() for k in kws) for i in items):
                continue
            hits = [j for j, s in enumerate(sents) if all(k in s.text.lower() for k in kws)]
            if not hits:
                stage = "no_candidate"
            else:
                p, kind = seen[hits[0]]
                stage = "slots" if kind == "commitment" else _stage(p, kind)
            c[f"missed:{stage}"] += 1
            if show:
                txt = sents[hits[0]].text[:90] if hits else "-"
                print(f"  MISS {row['id']} {stage:22} {kws} | {txt}")
        for i in items:
            a = i["action"].lower()
            gold = row["target"]
            if any(any(k.lower() in a for k in g.get("action_keywords", [])) for g in gold):
                continue
            ev = i["evidence"]
            at = next(
                (j for j, s in enumerate(sents) if s.text[:20] in ev or ev[:20] in s.text), None
            )
            stage = _stage(*seen[at]) if at is not None else "unknown"
            c[f"spurious:{stage}"] += 1
            if show:
                print(f"  SPUR {row['id']} {stage:22} | {ev[:90]!r}")
    return c


def main() -> None:
    show = "-v" in sys.argv
    total: Counter[str] = Counter()
    for arg in sys.argv[1:]:
        if arg == "-v":
            continue
        path = Path(arg)
        base = Path("tests/data") if "tests/data" in arg else Path("evals/datasets")
        c = run(path, base, show)
        total += c
        print(path.name, dict(sorted(c.items())))
    print("TOTAL", dict(sorted(total.items())))


if __name__ == "__main__":
    main()
