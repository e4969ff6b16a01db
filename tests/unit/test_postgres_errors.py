"""COACH_DATABASE_URL problems as one clear line, never with the URL's password."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from agent.cli import run
from agent.errors import CoachError, UserInputError
from agent.stores import _postgres_problem, open_postgres


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # closed again when the block ends


def test_an_unreachable_server_says_where_and_hides_the_password() -> None:
    from contextlib import ExitStack

    port = _closed_port()
    with ExitStack() as stack, pytest.raises(CoachError) as caught:
        open_postgres(f"postgresql://coach:hunter2@127.0.0.1:{port}/coach", stack)
    assert str(caught.value) == (
        f"cannot connect to PostgreSQL at 127.0.0.1:{port}: is the server running and reachable?"
    )
    assert not isinstance(caught.value, UserInputError)


@pytest.mark.parametrize(
    ("url", "got"),
    [("mysql://x:hunter2@y/z", ", got mysql://"), ("localhost/coach", ", got no scheme")],
)
def test_a_url_that_is_not_postgresql_is_bad_input(
    url: str,
    got: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("COACH_DATABASE_URL", url)
    assert run(["pair", "list"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == (
        "coach: error: COACH_DATABASE_URL must look like "
        f"postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE{got}"
    )
    assert "hunter2" not in err


def test_an_unrecognised_failure_keeps_its_text_without_the_password() -> None:
    problem = _postgres_problem(
        RuntimeError("server said: bad things for coach:hunter2"),
        "postgresql://coach:hunter2@db.internal:6000/coach",
        "db.internal:6000",
        "coach",
    )
    assert problem == (
        "cannot open the PostgreSQL database 'coach' on db.internal:6000: "
        "server said: bad things for coach:***"
    )
