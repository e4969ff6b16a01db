"""Benchmark: ingestion throughput and query latency, shipped corpus and 100x synthetic.

Run from the repo root: python -m bench.bench_knowledge [--scale 100]
(figures go into docs/BENCHMARKS.md)
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from knowledge.store import KnowledgeBase, shipped_guides

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


def synthesise(target: Path, scale: int, seed: int = 7) -> int:
    """Write ``scale`` shuffled variants of each shipped guide; returns the file count."""
    rng = random.Random(seed)
    count = 0
    for guide in shipped_guides():
        lines = guide.read_text(encoding="utf-8").split("\n---\n", 1)[-1].splitlines()
        for copy in range(scale):
            body = [line for line in lines if line.strip()]
            head = [line for line in body if line.startswith("#")]
            rest = [line for line in body if not line.startswith("#")]
            rng.shuffle(rest)
            text = f"# {guide.stem} variant {copy}\n\n" + "\n\n".join(head[1:2] + rest)
            (target / f"{guide.stem}-{copy:03d}.md").write_text(text, encoding="utf-8")
            count += 1
    return count


def measure(kb: KnowledgeBase, label: str, paths: list[Path] | None) -> dict[str, float]:
    """Time one ingest and a few hundred queries."""
    started = time.perf_counter()
    report = kb.ingest(paths) if paths else kb.ensure_corpus()
    ingest_s = time.perf_counter() - started
    chunks = kb.count()
    latencies = []
    for _ in range(25):
        for query in QUERIES:
            t0 = time.perf_counter()
            kb.search(query, k=5)
            latencies.append((time.perf_counter() - t0) * 1000)
    latencies.sort()
    figures = {
        "chunks": float(chunks),
        "ingest_s": ingest_s,
        "chunks_per_s": (report.chunks_added if report else chunks) / ingest_s,
        "p50_ms": statistics.median(latencies),
        "p95_ms": latencies[int(len(latencies) * 0.95)],
    }
    print(
        f"{label}: {int(chunks)} chunks, ingest {ingest_s:.1f} s "
        f"({figures['chunks_per_s']:.0f} chunks/s), query p50 {figures['p50_ms']:.1f} ms, "
        f"p95 {figures['p95_ms']:.1f} ms"
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        measure(KnowledgeBase.open(root / "shipped"), "shipped corpus", None)
        synthetic = root / "synthetic"
        synthetic.mkdir()
        files = synthesise(synthetic, args.scale)
        print(f"synthetic corpus: {files} files ({args.scale}x)")
        measure(KnowledgeBase.open(root / "big"), f"{args.scale}x corpus", [synthetic])


if __name__ == "__main__":
    main()
