"""Citations and search results carry the source article's URL; guide titles print once."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from rich.console import Console

from agent import render
from agent.api import Coach
from agent.mail import LINK_HOSTS, PrepContent, build_prep_messages
from agent.memory import Pair
from agent.models import Agenda, AgendaBlock, Citation
from knowledge.documents import load_document
from knowledge.models import Passage, SearchResults, subsection
from knowledge.store import KnowledgeBase

GUIDES = Path(__file__).resolve().parents[2] / "knowledge" / "guides"
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
ARTICLE = (
    "https://mentorcruise.com/blog/heres-our-guide-on-how-to-build-a-healthy-mentor-mentee-"
    "relationship"
)


def front_matter(path: Path) -> dict[str, object]:
    meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
    assert isinstance(meta, dict)
    return meta


def test_every_shipped_guide_names_its_article_not_a_home_page() -> None:
    paths = sorted(GUIDES.glob("*.md"))
    assert len(paths) >= 20
    for path in paths:
        url = front_matter(path).get("source_url")
        assert isinstance(url, str), f"{path.name} has no source_url"
        parts = urlsplit(url)
        assert parts.scheme == "https", path.name
        assert parts.path.strip("/"), f"{path.name}: {url} is a site's home page"
        assert parts.hostname in LINK_HOSTS, f"{path.name}: emails would drop the link to {url}"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed articles not present")
def test_project_thrive_urls_match_the_seed_articles_ids() -> None:
    # The Project Thrive seeds carry their Docusaurus id, which is the page's last path part.
    seed_ids = set()
    for seed in SEEDS.glob("*.txt"):
        text = seed.read_text(encoding="utf-8", errors="replace")
        if text.startswith("---"):
            seed_ids.add(str(yaml.safe_load(text.split("---")[1]).get("id")))
    thrive = {
        str(front_matter(p)["source_url"]).rstrip("/").rsplit("/", 1)[-1]
        for p in GUIDES.glob("*.md")
        if "developermentoring.guide" in str(front_matter(p)["source_url"])
    }
    assert thrive and thrive <= seed_ids


def test_ingestion_keeps_source_url(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "---\ntitle: Pair on real code\nsource: {title: Example, url: 'https://example.org/'}\n"
        "source_url: https://example.org/articles/pairing\n---\n# Pair on real code\n\nText.\n",
        encoding="utf-8",
    )
    doc = load_document(page, "key")
    assert doc.url == "https://example.org/articles/pairing"
    assert doc.source == "https://example.org/articles/pairing"

    plain = tmp_path / "plain.md"
    # A source that is not a URL ("internal", "42") was cited as it stood; the file is findable.
    plain.write_text("---\ntitle: No link\nsource: Someone's notes\n---\nText.\n", "utf-8")
    doc = load_document(plain, "key2")
    assert (doc.url, doc.source) == ("", str(plain))


def test_search_results_and_citations_carry_the_article_url(shipped_kb: KnowledgeBase) -> None:
    results = shipped_kb.search("my mentee keeps not doing what we agreed", k=3)
    assert results[0].doc_id == "curiosity-over-judgement"
    expected = front_matter(GUIDES / "curiosity-over-judgement.md")["source_url"]
    assert results[0].url == expected
    assert all(urlsplit(p.url).path.strip("/") for p in results)

    coach = Coach(knowledge=shipped_kb)
    reframed = coach.reframe("Why didn't you finish the chapter again?")
    assert reframed.citations
    by_id = {p.id: p for p in shipped_kb.search("curiosity judgement", k=50)}
    for citation in reframed.citations:
        assert citation.url.startswith("https://")
        if citation.id in by_id:
            assert citation.url == by_id[citation.id].url
    dumped = reframed.model_dump()
    assert "url" in dumped["citations"][0]
    coach.close()


def test_subsection_drops_the_leading_title() -> None:
    assert subsection("Lead with curiosity", "Lead with curiosity > When it slips") == (
        "When it slips"
    )
    assert subsection("Lead with curiosity", "Lead with curiosity") == ""
    assert subsection("T", "Other > Inner") == "Other > Inner"


TITLE = "Structure each session so the hour is well spent"


def citation() -> Citation:
    return Citation(
        id="meeting-template#0",
        title=TITLE,
        section=f"{TITLE} > Before the meeting",
        source=ARTICLE,
        url=ARTICLE,
    )


def test_email_prints_each_title_once_and_links_the_article() -> None:
    pair = Pair(
        id="ada-grace",
        created_at=datetime(2026, 1, 6, tzinfo=UTC),
        mentor="Ada Lovelace",
        mentee="Grace Hopper",
        mentee_email="grace@example.com",
    )
    agenda = Agenda(
        stage="regular",
        minutes=60,
        blocks=[AgendaBlock(name="Check-in", minutes=60, items=["How has the week been?"])],
        citations=[citation()],
    )
    content = PrepContent(pair=pair, session_number=2, agenda=agenda)
    (message,) = build_prep_messages(content, "coach@example.org")
    parsed = BytesParser(policy=policy.default).parsebytes(message.as_bytes())
    assert isinstance(parsed, EmailMessage)
    bodies = {}
    for subtype in ("plain", "html"):
        part = parsed.get_body(preferencelist=(subtype,))
        assert part is not None
        bodies[subtype] = " ".join(str(part.get_content()).split())
    for body in bodies.values():
        assert body.count(TITLE) == 1, body
        assert "Before the meeting" in body
        assert ARTICLE in body
    assert f'href="{ARTICLE}"' in bodies["html"]


def test_render_prints_titles_once_with_url() -> None:
    out = io.StringIO()
    console = Console(file=out, width=300, highlight=False)
    passage = Passage(
        id="x",
        text="Some text.",
        score=1.0,
        title=TITLE,
        section=f"{TITLE} > Before the meeting",
        source=ARTICLE,
        url=ARTICLE,
    )
    render.search_results(console, SearchResults(results=[passage]))
    render._citations(console, [citation()])
    printed = out.getvalue()
    assert printed.count(TITLE) == 2  # once in the result, once in the citation line
    assert f"{TITLE} › Before the meeting" in printed
    assert ARTICLE in printed


def test_chat_search_prints_each_title_once_with_its_url(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "agent.cli", "chat"],
        input="/search my mentee keeps not doing what we agreed\n/quit\n",
        capture_output=True,
        text=True,
        env={**os.environ, "COACH_HOME": str(tmp_path / "home")},
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    title = "Lead with curiosity, not judgement"
    first = next(line for line in result.stdout.splitlines() if "1. " in line)
    assert first.count(title) == 1 and "›" in first
    url = str(front_matter(GUIDES / "curiosity-over-judgement.md")["source_url"])
    assert url in result.stdout


def test_editing_only_the_front_matter_updates_the_passages(
    small_kb: KnowledgeBase, tmp_path: Path
) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    page = folder / "page.md"
    body = "# Pairing on real code\n\nShare your screen and let the mentee drive the keyboard.\n"
    page.write_text(f"---\nsource_url: https://example.org/old\n---\n{body}", "utf-8")
    small_kb.ingest([folder])
    page.write_text(f"---\nsource_url: https://example.org/new\n---\n{body}", "utf-8")
    report = small_kb.ingest([folder])
    assert (report.updated, report.unchanged, report.chunks_added) == (1, 0, 0)
    hits = small_kb.search("let the mentee drive the keyboard", k=5)
    assert "https://example.org/new" in {p.url for p in hits}
    assert "https://example.org/old" not in {p.url for p in hits}
    assert small_kb.ingest([folder]).unchanged == 1
