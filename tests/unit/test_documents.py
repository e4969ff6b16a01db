"""Reading files: front matter, admonitions, links, HTML, plain text, mojibake, bad input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from knowledge.documents import MAX_FILE_BYTES, SkipFile, load_document
from tests.conftest import SEEDS


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_markdown_front_matter_and_docusaurus_features(tmp_path: Path) -> None:
    doc = load_document(
        write(
            tmp_path / "page.md",
            "---\nid: pairing\ntitle: Pair on real code\ntopics: [Practice, learning]\n"
            "stage: regular\nsource: {title: Example, url: 'https://example.org/p'}\n---\n"
            "# Pair on real code\n\nSee [the agreement](../agreement.md) and "
            "![diagram](./img.png) **now**.\n\n:::tip Try this\nShare your screen first.\n:::\n",
        ),
        "key",
    )
    assert doc.doc_id == "pairing"
    assert doc.title == "Pair on real code"
    assert doc.topics == ("practice", "learning")
    assert doc.stage == ("regular",)
    assert doc.source == "https://example.org/p"
    assert "See the agreement and  now." in doc.body
    assert "../agreement.md" not in doc.body and "img.png" not in doc.body
    assert "Try this: Share your screen first." in doc.body
    assert ":::" not in doc.body


def test_mojibake_is_repaired(tmp_path: Path) -> None:
    # UTF-8 bytes read as MacRoman: exactly how the seed articles were damaged.
    damaged = "We like the ‘secret sauce’ and it’s great".encode().decode("mac_roman")
    assert "‚Äò" in damaged
    doc = load_document(write(tmp_path / "m.txt", f"A Title For Mojibake\n\n{damaged}.\n"), "k")
    assert "‘secret sauce’" in doc.body
    assert "it’s great" in doc.body
    assert "‚Äò" not in doc.body


@pytest.mark.skipif(not SEEDS.exists(), reason="shared seeds not beside the repo")
def test_seed_articles_are_repaired_and_read_as_markdown() -> None:
    doc = load_document(SEEDS / "000_9fe97739cc932a75.txt", "seed")
    assert doc.doc_id == "working-with-mentoring-partner"
    assert doc.title == "Working With Your Mentoring Partner"
    assert "‘secret sauce’" in doc.body
    assert "‚Äô" not in doc.body and "‚Äò" not in doc.body
    assert "Tip: Curiosity isn’t only" in doc.body


def test_html_page_keeps_headings_and_lists_drops_chrome(tmp_path: Path) -> None:
    html = """<html><head><title>Feedback loops</title><script>alert(1)</script></head>
    <body><nav>Home | About</nav><main><h1>Feedback loops</h1>
    <p>Short rounds beat <a href="/x">long reviews</a>.</p>
    <h2>Steps</h2><ol><li>Pick a skill</li><li>Try it for real</li></ol></main>
    <footer>Copyright</footer></body></html>"""
    doc = load_document(write(tmp_path / "f.html", html), "k")
    assert doc.title == "Feedback loops"
    assert "## Steps" in doc.body
    assert "- Pick a skill\n- Try it for real" in doc.body
    assert (
        "Short rounds beat long reviews ." in doc.body
        or "Short rounds beat long reviews." in doc.body
    )
    for chrome in ("alert", "Home | About", "Copyright"):
        assert chrome not in doc.body


def test_plain_text_headings_are_detected(tmp_path: Path) -> None:
    text = (
        "Mentoring That Lasts Beyond The Programme\n\n"
        "Relationships need care over time.\n\n"
        "Keep Them Updated\n\nTell your mentor how their advice played out.\n\n"
        "Things to share:\n  • a win\n  • a setback\n"
    )
    doc = load_document(write(tmp_path / "t.txt", text), "k")
    assert doc.title == "Mentoring That Lasts Beyond The Programme"
    assert "## Keep Them Updated" in doc.body
    assert "## Things to share" not in doc.body
    assert "- a win" in doc.body


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.md", b"   \n\n", "empty file"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary file"),
        ("latin.txt", b"caf\xe9 au lait", "not UTF-8 text"),
        # Any byte pair decodes as UTF-16: this was ingested as a guide reading "Ā楢慮祲".
        ("weird.md", b"\xff\xfe\x00\x01binary", "not UTF-8 text (it starts with a UTF-16"),
        ("utf16.txt", "A real UTF-16 note".encode("utf-16"), "re-save it as UTF-8"),
        ("image.png", b"fake", "unsupported file type '.png'"),
        # The line and what to do; "while parsing a flow sequence" said neither.
        (
            "bad.md",
            b"---\nid: x\ntitle: [unclosed\n---\nbody",
            "invalid YAML front matter on line 3: a '[' that is not closed with ']'; close it, "
            'or put a value with [ ] { } : or # in it in quotes (title: "...")',
        ),
        (
            "colon.md",
            b"---\ntitle: Reviews: a guide\n---\nbody",
            "invalid YAML front matter on line 2: a second ': ' in one line; put a value",
        ),
        (
            "quote.md",
            b"---\ntitle: 'Reviews\n---\nbody",
            "invalid YAML front matter on line 2: a quote that is not closed; close it",
        ),
        ("stage.md", b"---\nstage: someday\n---\n# T\n\nbody", "unknown stage 'someday'"),
    ],
)
def test_bad_files_are_skipped_with_a_reason(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SkipFile, match=re.escape(reason)):
        load_document(path, "k")


def test_huge_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB without writing it
    assert path.stat().st_size > MAX_FILE_BYTES
    with pytest.raises(SkipFile, match=r"too large: 50\.0 MB"):
        load_document(path, "k")
