"""Benchmark: prep-email drafts for 1,000 synthetic pairs, offline: time and peak memory.

Run from the repo root: python -m bench.bench_email [--pairs 1000]
(figures go into docs/BENCHMARKS.md)

Each pair gets a real offline agenda (``draft_agenda_offline`` over an ``AgendaContext``, about
1 ms each, so no LLM and no knowledge base: the passages are a fixed synthetic set), then
``build_prep_messages`` and ``write_drafts`` into a temporary directory, one pair at a time, the
way ``coach email --all`` streams. Every 10th pair has no mentor email (one message, not two);
every 7th has no session time (no invitation). Stages vary with the session number.

``--coach-pairs N`` first runs the real `coach email --all` path (Coach.prep_emails_due over N
stored pairs) in a child process, then warm agenda and single-email latencies; ``--baseline
DIR`` (an exported older tree) runs the same in that tree, for a ratio from one run.

Two passes: the first is timed without tracing; the second runs under tracemalloc for the
Python heap's peak (tracing slows it, so its time is not reported). ru_maxrss is the process's
resident high-water mark, imports included.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from agent.agenda import AgendaContext, OpenItem
from agent.mail import PrepContent, build_prep_messages, missing_roles, write_drafts
from agent.memory import Pair, StoredItem
from agent.models import CuriousQuestion
from agent.offline.agenda import draft_agenda_offline
from knowledge.models import Passage

FROM = "coach@example.org"
NOW = datetime(2025, 5, 30, 9, 0, tzinfo=UTC)
FIRST_START = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)

_GUIDES = [
    ("meeting-template", "During the meeting: five blocks in 60-90 minutes"),
    ("meeting-template", "Before the meeting: how the mentee prepares"),
    ("lets-get-clear-conversation", "Purpose, scope and logistics"),
    ("first-session-questions", "Icebreaker questions"),
    ("problem-solution-action", "Problem, solution, action"),
    ("unstuck-intervention", "The Unstuck intervention: five possible causes"),
    ("stale-patch-reset", "Make the next meeting about the relationship, not the goals"),
    ("graduation-assessment", "The four Graduation questions"),
    ("next-chapter-protocol", "Next chapter"),
]
PASSAGES = [
    Passage(
        id=f"{doc}#{n}",
        text=f"Synthetic passage about {section.lower()}.",
        score=1.0 - n / 100,
        title=doc.replace("-", " ").capitalize(),
        section=section,
        source="https://mentorcruise.com/",
        doc_id=doc,
    )
    for n, (doc, section) in enumerate(_GUIDES)
]
GOALS = [
    "Get comfortable reviewing pull requests",
    "Lead a design discussion",
    "Learn Rust ownership and lifetimes",
    "Prepare for a staff engineer promotion",
    "Give a talk at a local meetup",
]


def synthetic_content(i: int) -> PrepContent:
    """Pair ``i`` with its agenda, open items and questions: distinct data per pair."""
    mentor, mentee = f"Mentor{i} Smith", f"Mentee{i} Jones"
    session = 1 + i % 12
    pair = Pair(
        id=f"mentor{i}-mentee{i}",
        created_at=datetime(2025, 1, 6, tzinfo=UTC) + timedelta(minutes=i),
        mentor=mentor,
        mentee=mentee,
        mentor_email=None if i % 10 == 9 else f"mentor{i}@example.org",
        mentee_email=f"mentee{i}@example.com",
        goals=[GOALS[i % 5], GOALS[(i + 2) % 5]],
        minutes=60,
    )
    actions = [f"Draft the RFC section {i}", f"Pair on the flaky test {i}"]
    ctx = AgendaContext(
        mentor=mentor,
        mentee=mentee,
        goals=pair.goals,
        session_number=session,
        programme_weeks=12,
        minutes=60,
        open_items=[OpenItem(owner=mentee, action=a, due=date(2025, 6, 1)) for a in actions],
        prep=f"I'm stuck on {GOALS[i % 5].lower()}. How do I make progress this week?",
        recent_notes=[f"Session {session - 1}: we talked about code review habits."],
        progress_flags=[True, i % 4 != 0],
    )
    agenda = draft_agenda_offline(ctx, PASSAGES)
    items = [
        StoredItem(
            id=f"{i}-{n}",
            owner=mentee if n == 0 else mentor,
            action=a,
            due=date(2025, 6, 1),
            created_at=datetime(2025, 5, 26, tzinfo=UTC),
            session=session - 1 or None,
        )
        for n, a in enumerate(actions)
    ]
    questions = [
        CuriousQuestion(
            question=f"What made “{actions[0]}” harder than expected?",
            rationale="Asks about obstacles instead of assuming a reason.",
        ),
        CuriousQuestion(question="What would help most this week?", rationale="Open, forward."),
    ]
    return PrepContent(
        pair=pair,
        session_number=session,
        session_start=None if i % 7 == 6 else FIRST_START + timedelta(hours=i),
        agenda=agenda,
        open_items=items,
        questions=questions,
    )


@dataclass
class Run:
    """Totals of one pass over the pairs."""

    agenda_s: float = 0.0
    build_s: float = 0.0
    write_s: float = 0.0
    messages: int = 0
    missing: int = 0
    bytes: int = 0
    stages: dict[str, int] = field(default_factory=dict)

    @property
    def total_s(self) -> float:
        """Agenda + build + write time."""
        return self.agenda_s + self.build_s + self.write_s


def run(pairs: int, out_dir: Path) -> Run:
    result = Run()
    for i in range(pairs):
        started = time.perf_counter()
        content = synthetic_content(i)
        built = time.perf_counter()
        messages = build_prep_messages(content, FROM, now=NOW)
        written = time.perf_counter()
        paths = write_drafts(messages, out_dir)
        done = time.perf_counter()
        result.agenda_s += built - started
        result.build_s += written - built
        result.write_s += done - written
        result.messages += len(messages)
        result.missing += len(missing_roles(content.pair))
        result.bytes += sum(p.stat().st_size for p in paths)
        result.stages[content.agenda.stage] = result.stages.get(content.agenda.stage, 0) + 1
    return result


def _rss_mib() -> float:
    # ru_maxrss is KiB on Linux, bytes on macOS.
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def end_to_end(count: int, agendas: int = 100) -> dict[str, float]:
    """The whole `coach email --all` path: stored pairs, graph agendas, questions, drafts.

    Then the warm latency of ``Coach.draft_agenda`` and of one pair's ``prep_email``.
    """
    from agent.api import Coach
    from agent.config import Settings

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        with Coach(Settings(home=home / "home", engine="offline")) as coach:
            soon = datetime.now() + timedelta(hours=20)
            for index in range(count):
                coach.add_pair(
                    mentor=f"Mentor {index}",
                    mentee=f"Mentee {index}",
                    mentor_email=f"mentor{index}@example.org",
                    mentee_email=f"mentee{index}@example.org",
                    goals=[GOALS[index % 5], GOALS[(index + 2) % 5]],
                    next_session=soon,
                )
            coach.search("warm up the index", k=1)
            started, cpu = time.perf_counter(), time.process_time()
            batch = coach.prep_emails_due(timedelta(days=2), out_dir=home / "outbox")
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
            ids = [p.id for p in coach.list_pairs()[:agendas]]
            agenda_ms = []
            for pair_id in ids:
                t0 = time.perf_counter()
                coach.draft_agenda(pair_id=pair_id)
                agenda_ms.append((time.perf_counter() - t0) * 1000)
            email_ms = []
            for pair_id in ids:
                t0 = time.perf_counter()
                coach.prep_email(pair_id, out_dir=home / "again")
                email_ms.append((time.perf_counter() - t0) * 1000)
    agenda_ms.sort()
    email_ms.sort()
    return {
        "pairs": count,
        "elapsed_s": elapsed,
        "cpu_s": cpu,
        "prepared": batch.prepared,
        "failed": len(batch.failed),
        "agenda_p50": agenda_ms[len(agenda_ms) // 2],
        "agenda_p95": agenda_ms[int(len(agenda_ms) * 0.95)],
        "email_p50": email_ms[len(email_ms) // 2],
        "email_p95": email_ms[int(len(email_ms) * 0.95)],
    }


def _e2e_line(label: str, f: dict[str, float]) -> str:
    return (
        f"{label}: Coach.prep_emails_due for {f['pairs']:.0f} stored pairs {f['elapsed_s']:.1f} s "
        f"({f['elapsed_s'] / f['pairs'] * 1000:.0f} ms per pair, CPU {f['cpu_s']:.1f} s, "
        f"{f['prepared']:.0f} prepared, "
        f"{f['failed']:.0f} failed); warm draft_agenda p50 {f['agenda_p50']:.0f} ms / p95 "
        f"{f['agenda_p95']:.0f} ms; one pair's prep_email p50 {f['email_p50']:.0f} ms / p95 "
        f"{f['email_p95']:.0f} ms"
    )


def _child_e2e(tree: Path, count: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child-e2e", str(count)],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree)},
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--pairs", type=int, default=1000)
    parser.add_argument(
        "--coach-pairs",
        type=int,
        default=1000,
        help="pairs for the end-to-end pass through Coach.prep_emails_due (0 to skip)",
    )
    parser.add_argument("--baseline", type=Path, help="an older tree to run end to end too")
    parser.add_argument("--child-e2e", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_e2e:
        print(json.dumps(end_to_end(args.child_e2e)))
        return
    pairs: int = args.pairs
    if args.coach_pairs:
        now = _child_e2e(Path.cwd(), args.coach_pairs)
        print(_e2e_line("now", now))
        if args.baseline is not None:
            base = _child_e2e(args.baseline, args.coach_pairs)
            print(_e2e_line("baseline", base))
            print(
                f"now/baseline: batch {now['elapsed_s'] / base['elapsed_s']:.2f}x (CPU "
                f"{now['cpu_s'] / base['cpu_s']:.2f}x), agenda p95 "
                f"{now['agenda_p95'] / base['agenda_p95']:.2f}x, email p95 "
                f"{now['email_p95'] / base['email_p95']:.2f}x"
            )
    if not pairs:
        return
    synthetic_content(0)  # warm imports and caches out of the timing
    rss_before = _rss_mib()
    with tempfile.TemporaryDirectory() as tmp:
        timed = run(pairs, Path(tmp) / "timed")
        files = len(list((Path(tmp) / "timed").iterdir()))
    with tempfile.TemporaryDirectory() as tmp:
        tracemalloc.start()
        run(pairs, Path(tmp) / "traced")
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    rss_after = _rss_mib()

    stages = ", ".join(f"{k} {v}" for k, v in sorted(timed.stages.items()))
    print(f"prep-email drafts, offline, {pairs} pairs ({stages})")
    print(
        f"  {timed.messages} .eml files written ({files} on disk), {timed.missing} roles "
        f"without an address skipped, {timed.bytes / 1024 / 1024:.1f} MiB, "
        f"{timed.bytes / max(timed.messages, 1) / 1024:.1f} KiB per message"
    )
    print(
        f"  wall: {timed.total_s:.2f} s total, {timed.total_s / pairs * 1000:.2f} ms per pair "
        f"(agenda {timed.agenda_s:.2f} s, build {timed.build_s:.2f} s, "
        f"write {timed.write_s:.2f} s)"
    )
    print(
        f"  memory: tracemalloc peak {peak / 1024 / 1024:.1f} MiB; ru_maxrss "
        f"{rss_after:.0f} MiB (process, imports included; {rss_before:.0f} MiB before the runs)"
    )


if __name__ == "__main__":
    main()
