"""Readable rich renderings of results for the CLI (the --json path never comes here)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.markup import escape

if TYPE_CHECKING:  # annotations only: `coach --help` must not build the pydantic models
    from collections.abc import Sequence
    from datetime import datetime

    from rich.console import Console

    from agent.memory import Pair, StoredItem
    from agent.models import (
        ActionExtraction,
        Agenda,
        EmailBatch,
        EmailResult,
        QuestionSuggestions,
        ReframeResult,
        SimulationTurn,
        SimulationView,
    )
    from evals.report import Summary  # the eval modules pull in the whole engine
    from evals.runner import Comparison
    from knowledge.models import IngestReport, SearchResults

COUNT_FIELDS = (
    "files",
    "added",
    "updated",
    "removed",
    "unchanged",
    "chunks_added",
    "chunks_removed",
)


def ingest_report(console: Console, report: IngestReport) -> None:
    """One summary line for an ingest."""

    def n(count: int, word: str) -> str:
        return f"{count} {word}{'' if count == 1 else 's'}"

    console.print(
        f"{n(report.files, 'file')}: {report.added} added, {report.updated} updated, "
        f"{report.removed} removed, {report.unchanged} unchanged "
        f"({n(report.chunks_added, 'passage')} added, {report.chunks_removed} removed)"
        + (f", {len(report.skipped)} skipped" if report.skipped else "")
    )
    for path in report.gone:
        console.print(f"Removed {path} from the index: it no longer exists.")


# Relevance (0-1, see knowledge.models.Passage) under which no guide is about the query.
UNRELATED = 0.2


def search_results(console: Console, results: SearchResults) -> None:
    """Ranked passages with their title, section and score."""
    if not results.results:
        console.print("No passages found.")
    elif results.results[0].score < UNRELATED:
        console.print(
            "No guide is clearly about this (relevance near 0); the nearest passages follow.\n"
        )
    for rank, passage in enumerate(results.results, start=1):
        console.print(
            f"[bold]{rank}. {_heading(passage.title, passage.section)}[/] "
            f"[dim](relevance {passage.score:.2f}, similarity {passage.similarity:.2f})[/]"
        )
        console.print(passage.text.strip(), markup=False)
        console.print(f"[dim]source: {escape(passage.url or passage.source)}[/]\n")


def eval_summary(console: Console, summary: Summary, out: object) -> None:
    """Per-task metrics and the verdict."""
    for task in summary.tasks:
        parts = [
            f"{name} {metric.mean:.3f}" + ("" if metric.ok else f" [red](< {metric.threshold})[/]")
            for name, metric in task.metrics.items()
        ]
        console.print(f"[bold]{task.task}[/] ({task.samples} samples): " + ", ".join(parts))
    verdict = "[green]PASS[/]" if summary.ok else "[red]FAIL[/]"
    console.print(f"{verdict}  report in {out}/summary.md")


def _heading(title: str, section: str) -> str:
    """The guide title once, then its innermost section (escaped for rich markup)."""
    from knowledge.models import subsection

    inner = subsection(title, section).split(" > ")[-1]
    return escape(f"{title} › {inner}" if inner else title)


def _citations(console: Console, citations: list[Any], indent: str = "  ") -> None:
    for citation in citations:
        url = f" ({escape(citation.url)})" if citation.url else ""
        console.print(f"[dim]{indent}cited: {_heading(citation.title, citation.section)}{url}[/]")


def _questions(console: Console, questions: list[Any]) -> None:
    for index, item in enumerate(questions, start=1):
        console.print(f"  {index}. [bold]{escape(item.question)}[/]")
        console.print(f"     [dim]{escape(item.rationale)}[/]")


def reframe_result(console: Console, result: ReframeResult) -> None:
    """The verdict, the curious alternatives with rationales, and citations."""
    if result.language != "English":
        for note in result.notes:
            console.print(escape(note))
        console.print(f"[dim]engine: {result.engine}[/]")
        return
    if result.judgemental and result.markers:
        console.print(f"[yellow]Judgemental[/] ({escape(', '.join(result.markers))}). Try instead:")
    elif result.judgemental:
        console.print("[yellow]Judgemental[/] in its tone. Try instead:")
    elif result.input.rstrip().endswith("?"):
        console.print("[green]Already curious.[/] Optional refinements:")
    else:  # a statement ("I think you should learn Go first"): not judgemental, not a question
        console.print("[green]Not judgemental.[/] To ask it as a curious question:")
    _questions(console, list(result.questions))
    _citations(console, list(result.citations))
    for note in result.notes:
        console.print(f"[dim]note: {escape(note)}[/]")
    console.print(f"[dim]engine: {result.engine}[/]")


def question_suggestions(console: Console, result: QuestionSuggestions) -> None:
    """Questions for the next session."""
    console.print("Questions for your next session:")
    _questions(console, list(result.questions))
    _citations(console, list(result.citations))


def _local(when: datetime) -> str:
    """A stored session time on this machine's clock, with the offset the emails print."""
    from agent.text import local_clock

    return local_clock(when)


def pair_list(console: Console, pairs: list[Pair]) -> None:
    """One line per pair."""
    if not pairs:
        console.print("No pairs yet. Add one with `coach pair add --mentor NAME --mentee NAME`.")
    # Columns padded to the longest entry, so a list of pairs reads as a table.
    names = [f"{pair.mentor} → {pair.mentee}" for pair in pairs]
    id_width = max((len(pair.id) for pair in pairs), default=0)
    name_width = max((len(name) for name in names), default=0)
    for pair, name in zip(pairs, names, strict=True):
        when = _local(pair.next_session) if pair.next_session else "not set"
        console.print(
            f"[bold]{escape(pair.id.ljust(id_width))}[/]  {escape(name.ljust(name_width))}  "
            f"{pair.cadence.ljust(11)} {pair.minutes:>3} min, next: {when}"
        )


def pair_added(console: Console, pair: Pair) -> None:
    """A new pair: its id first (what every later command takes), then its record."""
    console.print(
        f"Added pair [bold]{escape(pair.id)}[/]: use --pair {escape(pair.id)} with agenda, "
        f"actions and email (`coach pair show {escape(pair.id)}`)."
    )
    console.print(
        f"Agendas and emails address them as {escape(pair.called('mentor'))} and "
        f"{escape(pair.called('mentee'))} (change with `coach pair set {escape(pair.id)} "
        "--mentor-short NAME` or --mentee-short NAME)."
    )
    pair_detail(console, pair, [])


def pair_detail(
    console: Console, pair: Pair, items: list[StoredItem], overdue: list[str] | None = None
) -> None:
    """A pair's record and open items, overdue ones first and flagged."""
    console.print(
        f"[bold]{escape(pair.id)}[/]: {escape(pair.mentor)} (mentor) and "
        f"{escape(pair.mentee)} (mentee)"
    )
    console.print(
        f"  programme: {pair.programme_weeks} week{'' if pair.programme_weeks == 1 else 's'} "
        f"from {pair.start}, "
        f"{pair.cadence}, {pair.minutes}-minute sessions"
    )
    if pair.next_session:
        console.print(f"  next session: {_local(pair.next_session)}")
    emails = [
        f"{role} {addr}"
        for role, addr in (("mentor", pair.mentor_email), ("mentee", pair.mentee_email))
        if addr
    ]
    console.print(f"  email: {escape(', '.join(emails))}" if emails else "  email: none on record")
    if pair.mentor_short or pair.mentee_short:
        console.print(
            f"  addressed as: {escape(pair.called('mentor'))} (mentor), "
            f"{escape(pair.called('mentee'))} (mentee)"
        )
    for goal in pair.goals:
        console.print(f"  goal: {escape(goal)}")
    late = set(overdue or [])
    for item in sorted(items, key=lambda i: i.id not in late):
        due = f" (due {item.due})" if item.due else ""
        flag = "OVERDUE" if item.id in late else "open"
        console.print(
            f"  {flag}: [{item.id}] {item.owner or 'unassigned'}: {item.action}{due}", markup=False
        )


def eval_comparison(console: Console, comparison: Comparison) -> None:
    """Metric deltas and the samples whose verdict changed."""
    console.print(f"old: {escape(comparison.old)}\nnew: {escape(comparison.new)}")
    for delta in comparison.metrics:
        if delta.old is None:
            console.print(f"  {delta.task}.{delta.metric}: {delta.new:.3f} (new)")
        elif abs(delta.new - delta.old) >= 0.0005:
            console.print(
                f"  {delta.task}.{delta.metric}: {delta.old:.3f} → {delta.new:.3f} "
                f"({delta.new - delta.old:+.3f})"
            )
    if not comparison.changed:
        console.print("No sample changed verdict.")
    for change in comparison.changed:
        verdict = {True: "pass", False: "fail", None: "absent"}
        console.print(
            f"  {change.task}/{change.sample_id}: {verdict[change.old]} → {verdict[change.new]}"
        )


def item_list(console: Console, items: list[StoredItem]) -> None:
    """A pair's action items."""
    if not items:
        console.print("No action items.")
    for item in items:
        due = f" (due {item.due})" if item.due else ""
        mark = "x" if item.status == "done" else " "
        console.print(
            f"[{mark}] {item.id}  {item.owner or 'unassigned'}: {item.action}{due}", markup=False
        )


def action_extraction(console: Console, result: ActionExtraction, saved: bool) -> None:
    """Items with owner, due date and evidence, and the session's balance."""
    if not result.items:
        console.print("No action items found in these notes.")
    repeated = {r.text: r.item_id for r in result.repeats}
    for item in result.items:
        due = f" [dim](due {item.due})[/]" if item.due else ""
        outside = "" if item.owner_known else " [dim](not an attendee)[/]"
        if item.action in repeated:
            due += f" [dim](not stored: repeats {escape(repeated[item.action])})[/]"
        console.print(
            f"• [bold]{escape(item.owner or 'unassigned')}[/]{outside}: {escape(item.action)}{due}"
        )
        # Evidence is verbatim, line breaks included; a wrapped sentence is quoted on one line.
        console.print(f"  [dim]“{escape(' '.join(item.evidence.split()))}”[/]")
    if result.ratio:
        r = result.ratio
        console.print(
            f"Balance: {r.insight:.0%} insight, {r.action:.0%} action, "
            f"{r.relationship:.0%} relationship — {escape(r.verdict)}"
        )
    if saved:
        console.print(
            "[green]Saved[/] on the pair as open items."
            if result.items
            else "[green]Saved[/] the notes on the pair's session record (no items to add)."
        )
    for note in result.notes:
        console.print(f"[dim]note: {escape(note)}[/]")


def agenda(console: Console, result: Agenda) -> None:
    """Blocks with minutes and items, then the mentee's prep checklist."""
    from agent.models import STAGE_NAMES

    console.print(f"[bold]Agenda[/] ({STAGE_NAMES[result.stage]}, {result.minutes} minutes)")
    for block in result.blocks:
        console.print(f"\n[bold]{escape(block.name)}[/] — {block.minutes} min")
        for line in block.items:
            console.print(f"  • {escape(line)}")
        _citations(console, list(block.citations), indent="    ")
    if result.prep_checklist:
        console.print("\n[bold]Mentee prep checklist[/]")
        for line in result.prep_checklist:
            console.print(f"  □ {escape(line)}")
    for note in result.notes:
        console.print(f"[dim]note: {escape(note)}[/]")


_EXERCISES = {"experience": "Years of Experience in Months", "ffwd": "Feedback Fast-Forward"}
# Each step by what it waits for; a step's title says the same.
_WAITING_FOR = {
    "approach": "your approach",
    "upcoming": "an upcoming situation of yours",
    "skill": "the skill to practise",
    "report": "how your last try went",
}


def simulation_turn(
    console: Console, turn: SimulationTurn, *, seen: Sequence[str] = (), here: bool = False
) -> None:
    """The current prompt and how to answer it.

    ``seen``: prompts already on screen; a step asked again repeats them (the situation), so
    only what is new is printed. ``here``: answered at this terminal's prompt (``-i``).
    """
    waiting = _WAITING_FOR.get(turn.step)
    title = waiting[0].upper() + waiting[1:] if waiting else "Finished" if turn.done else turn.step
    console.print(f"[bold]{escape(title)}[/] [dim](thread {turn.thread})[/]")
    shown = max((p for p in seen if p and turn.prompt.startswith(p)), key=len, default="")
    console.print(escape(turn.prompt[len(shown) :].strip() or turn.prompt))
    if not turn.done:
        mark = "/" if here else "--"  # a slash command at the -i prompt, else a CLI option
        how = {"clarify": f"{mark}clarify QUESTION", "skip": f"{mark}skip", "stop": f"{mark}stop"}
        others = [how[c] for c in turn.can if c in how]
        lead = (
            "answer below"
            if here
            else f"answer with: coach simulate answer --thread {turn.thread} TEXT"
        )
        console.print(f"[dim]{lead}" + (f" (or {', '.join(others)})" if others else "") + "[/]")
    for note in turn.notes:
        console.print(f"[dim]note: {escape(note)}[/]")


def simulation_view(console: Console, view: SimulationView) -> None:
    """A simulation so far."""
    state = "finished" if view.done else f"waiting for {_WAITING_FOR.get(view.step, view.step)}"
    name = _EXERCISES.get(view.exercise, view.exercise)
    console.print(f"[bold]{escape(name)}[/] for {escape(view.pair_id)} — {state}")
    title = f"Scenario: {view.scenario.get('title')}" if view.scenario else ""
    if title and not (view.outline or "").startswith(title):  # the outline opens with it
        console.print(escape(title))
    for label, value in (
        ("Situation", view.outline),
        ("Your approach", view.approach),
        ("What happened", view.reveal),
        ("Upcoming", view.upcoming),
        ("Skill", view.skill),
    ):
        if value:
            console.print(f"\n[bold]{label}[/]\n{escape(str(value))}")
    for record in view.rounds:  # Feedback Fast-Forward: each report and what it showed
        focus = escape(str(record.get("focus")))
        console.print(f"\n[bold]Round {record.get('round_no')}[/]: {focus}")
        console.print(f"  report: {escape(str(record.get('report')))}")
        for key in ("observations", "patterns"):
            lines = record.get(key)
            for line in lines if isinstance(lines, list) else []:
                console.print(f"  • {escape(str(line))}")
        console.print(f"  next: {escape(str(record.get('adjustment')))}")
    if view.summary:
        console.print(f"\n[bold]Summary[/]\n{escape(view.summary)}")
    if view.comparison:
        for key in ("similarities", "differences", "principles"):
            points = view.comparison.get(key) or []
            if isinstance(points, list) and points:
                console.print(f"\n[bold]{key.capitalize()}[/]")
                for point in points:
                    console.print(f"  • {escape(str(point))}")
    for step in view.plan:
        console.print(f"  plan: {escape(str(step.get('action')))}")


def scenario_list(console: Console, scenarios: list[Any]) -> None:
    """One line per scenario."""
    for scenario in scenarios:
        tag = " [dim](starter)[/]" if scenario.starter else ""
        console.print(f"[bold]{escape(scenario.id)}[/]  {escape(scenario.title)}{tag}")


def scenario_detail(console: Console, scenario: Any) -> None:
    """A scenario in full."""
    console.print(f"[bold]{escape(scenario.title)}[/] ({escape(scenario.id)})")
    if scenario.starter:  # said before the story, so it is never read as the mentor's own
        console.print("[dim](a starter scenario from the guide, not the mentor's own story)[/]")
    console.print(escape(scenario.situation))
    for constraint in scenario.constraints:
        console.print(f"  constraint: {escape(constraint)}")
    if not scenario.revealed:
        console.print(
            "\n[dim]Response, outcome and principles hidden: they are for the mentor, and "
            "seeing them first spoils the exercise. Add --reveal to show them.[/]"
        )
        return
    console.print(f"\n[bold]Response[/]\n{escape(scenario.response or '')}")
    console.print(f"\n[bold]Outcome[/]\n{escape(scenario.outcome or '')}")
    for principle in scenario.principles:
        console.print(f"  principle: {escape(principle)}")


def email_result(console: Console, result: EmailResult) -> None:
    """Drafts written and deliveries."""
    console.print(f"Session {result.session} {result.kind} for {escape(result.pair_id)}:")
    for path in result.drafts:
        console.print(f"  draft: {escape(path)}")
    for outcome in result.sent:
        error = f" ({outcome['error']})" if outcome.get("error") else ""
        # The status in words ("already-sent" is the JSON value).
        status = str(outcome.get("status")).replace("-", " ")
        console.print(f"  {escape(str(outcome.get('recipient')))}: {status}{escape(error)}")
    for note in result.notes:
        console.print(f"[dim]note: {escape(note)}[/]")


def email_batch(console: Console, batch: EmailBatch) -> None:
    """One line per pair and a summary."""
    for result in batch.results:
        sent = sum(1 for o in result.sent if o.get("status") in ("sent", "resent"))
        already = sum(1 for o in result.sent if o.get("status") == "already-sent")
        console.print(
            f"{escape(result.pair_id)}: {plural(len(result.drafts), 'draft')} written"
            + (f", {sent} sent" if result.sent else "")
            + _already(already)
        )
    for skipped in batch.skipped:  # failures go to stderr, once, from the CLI
        console.print(
            f"{escape(skipped['pair'])}: skipped, {escape(skipped['reason'])} "
            f"(coach pair set {escape(skipped['pair'])} --mentor-email ... --mentee-email ...)"
        )
    summary = f"{plural(batch.pairs, 'pair')} due: {batch.prepared} prepared, {batch.sent} sent"
    summary += _already(batch.already_sent)
    if batch.skipped:
        summary += f", {len(batch.skipped)} skipped"
    console.print(f"{summary}, {len(batch.failed)} failed")


def _already(count: int) -> str:
    """Why fewer were sent than written: "0 sent" alone read as a failure."""
    if not count:
        return ""
    return f" ({count} already sent by an earlier run, unchanged)"


def plural(count: int, word: str) -> str:
    """``count`` and ``word``, pluralised with an -s ("1 pair", "1,000 pairs")."""
    return f"{count:,} {word}{'' if count == 1 else 's'}"
