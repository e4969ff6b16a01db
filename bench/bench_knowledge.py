"""Benchmark: ingestion against the raw model time, and query latency with and without filters.

Run from the repo root: python -m bench.bench_knowledge [--scale 100] [--keep DIR]
[--baseline TREE]   (figures go into docs/BENCHMARKS.md)

- ingest: the shipped corpus, then ``--scale`` shuffled variants of every shipped guide, timed
  end to end; then the same passages embedded by the model alone (the process's vector cache
  cleared first, shortest first in batches of 64), so the ratio is the ingest's overhead;
- queries: 25 rounds of 8 queries, unfiltered, with a stage filter, a topic filter and both;
  the search-result cache is cleared before every query, so each one does the full work;
- ``--keep DIR`` keeps the built store (reused by a later run, and by bench/bench_scale.py);
- ``--baseline TREE`` (an exported older tree) times the same queries with that tree's code
  in a child process, on a copy of the store, for a ratio from one run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

QUERIES = [
    "my mentee keeps not doing what we agreed",
    "our meetings feel like a chore",
    "how do I end the mentoring relationship well",
    "my mentee nods along but nothing sticks",
    "what should we talk about in the first session",
    "I feel like my mentor only cares about progress",
    "how should we split an hour",
    "my mentee is scared to take on the big project",
]
FILTERS: dict[str, dict[str, str]] = {
    "no filter": {},
    "stage": {"stage": "regular"},
    "topic": {"topic": "goals"},
    "stage+topic": {"stage": "regular", "topic": "goals"},
}


def synthesise(target: Path, scale: int, seed: int = 7) -> int:
    """Write ``scale`` shuffled variants of each shipped guide; returns the file count."""
    from knowledge.store import shipped_guides

    rng = random.Random(seed)
    count = 0
    for guide in shipped_guides():
        text = guide.read_text(encoding="utf-8")
        front, _, body_text = text.partition("\n---\n")
        lines = (body_text or text).splitlines()
        for copy in range(scale):
            body = [line for line in lines if line.strip()]
            head = [line for line in body if line.startswith("#")]
            rest = [line for line in body if not line.startswith("#")]
            rng.shuffle(rest)
            # Keep the front matter (topics, stage) so filters select real subsets.
            head_matter = front.replace("\nid: ", f"\nid: v{copy:03d}-", 1)
            text_out = f"{head_matter}\n---\n# {guide.stem} variant {copy}\n\n" + "\n\n".join(
                head[1:2] + rest
            )
            (target / f"{guide.stem}-{copy:03d}.md").write_text(text_out, encoding="utf-8")
            count += 1
    return count


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def query_latencies(kb: Any, rounds: int = 25) -> dict[str, dict[str, float]]:
    """p50/p95 milliseconds per filter, each query uncached."""
    kb.search(QUERIES[0], k=5)  # build the keyword index and load the model first
    figures: dict[str, dict[str, float]] = {}
    for label, where in FILTERS.items():
        times = []
        for _ in range(rounds):
            for query in QUERIES:
                cache = getattr(kb, "_results", None)
                if cache is not None:
                    cache.clear()
                started = time.perf_counter()
                kb.search(query, k=5, **where)
                times.append((time.perf_counter() - started) * 1000)
        figures[label] = {"p50": statistics.median(times), "p95": _pct(times, 0.95)}
    return figures


def ingest_against_model(kb: Any, folder: Path, model: bool = True) -> dict[str, float]:
    """Ingest ``folder``; then (unless ``model`` is false) the model alone on its passages."""
    import knowledge.minilm as minilm
    from knowledge.store import EMBED_BATCH, _embedding_text, iter_files

    kb.ensure_corpus()
    started = time.perf_counter()
    report = kb.ingest([folder])
    ingest_s = time.perf_counter() - started
    if not model:
        return {
            "files": float(report.files),
            "chunks": float(report.chunks_added),
            "ingest_s": ingest_s,
            "model_s": float("nan"),
        }
    texts = []
    for path in iter_files(folder.resolve()):
        planned = kb._plan(path, str(path))
        texts += [_embedding_text(planned.document, chunk) for chunk in planned.chunks]
    texts.sort(key=len)
    minilm._CACHE.clear()
    started = time.perf_counter()
    for start in range(0, len(texts), EMBED_BATCH):
        minilm.embed_texts(texts[start : start + EMBED_BATCH])
    model_s = time.perf_counter() - started
    return {
        "files": float(report.files),
        "chunks": float(report.chunks_added),
        "ingest_s": ingest_s,
        "model_s": model_s,
    }


def _print_queries(label: str, figures: dict[str, dict[str, float]]) -> None:
    parts = [f"{k} p50 {v['p50']:.1f} ms / p95 {v['p95']:.1f} ms" for k, v in figures.items()]
    print(f"{label} query latency (uncached): " + "; ".join(parts))


def _child(tree: Path, store: Path) -> dict[str, dict[str, float]]:
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child-queries", str(store)],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree)},
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--keep", type=Path, help="keep (or reuse) the built store here")
    parser.add_argument("--baseline", type=Path, help="an older tree to time queries against")
    parser.add_argument(
        "--no-model", action="store_true", help="skip the model-alone pass (halves the run)"
    )
    parser.add_argument("--child-queries", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    from knowledge.store import KnowledgeBase

    if args.child_queries:
        print(json.dumps(query_latencies(KnowledgeBase.open(args.child_queries))))
        return
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shipped = KnowledgeBase.open(root / "shipped")
        started = time.perf_counter()
        shipped.ensure_corpus()
        print(f"shipped corpus: {shipped.count()} chunks, indexed in "
              f"{time.perf_counter() - started:.1f} s")
        _print_queries("shipped corpus", query_latencies(shipped))
        store = args.keep or root / "big"
        if not (store / "chroma.sqlite3").exists():
            synthetic = root / "synthetic"
            synthetic.mkdir()
            files = synthesise(synthetic, args.scale)
            kb = KnowledgeBase.open(store)
            f = ingest_against_model(kb, synthetic, model=not args.no_model)
            print(
                f"{args.scale}x corpus: {files} files, {f['chunks']:.0f} chunks; ingest "
                f"{f['ingest_s']:.1f} s ({f['chunks'] / f['ingest_s']:.1f} chunks/s), model "
                f"alone {f['model_s']:.1f} s; ingest/model {f['ingest_s'] / f['model_s']:.2f}x"
            )
        else:
            kb = KnowledgeBase.open(store)
            print(f"reusing {store}: {kb.count()} chunks")
        now = query_latencies(kb)
        _print_queries(f"{kb.count()} chunks, now", now)
        if args.baseline is not None:
            copy = root / "baseline-copy"
            shutil.copytree(store, copy)
            base = _child(args.baseline, copy)
            _print_queries(f"{kb.count()} chunks, baseline", base)
            print(
                "now/baseline p95: "
                + "; ".join(f"{k} {now[k]['p95'] / base[k]['p95']:.2f}x" for k in FILTERS)
            )


if __name__ == "__main__":
    main()
