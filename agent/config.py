"""Settings read from the environment (prefix ``COACH_``), resolved only when asked for."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from platformdirs import user_data_dir
from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

EngineChoice = Literal["auto", "offline", "llm"]


def _default_home() -> Path:
    return Path(user_data_dir("session-coach", appauthor=False))


class Settings(BaseSettings):
    """Everything configurable; see README.md for the variables."""

    model_config = SettingsConfigDict(env_prefix="COACH_", extra="ignore", frozen=True)

    home: Path = Field(default_factory=_default_home)
    engine: EngineChoice = "auto"
    model: str = "gpt-4o-mini"
    embeddings: str = "local"
    chroma_url: str | None = None
    database_url: str | None = None
    collection: str = "guides"
    llm_timeout: float = Field(default=60.0, gt=0, allow_inf_nan=False)
    llm_deadline: float = Field(default=120.0, gt=0, allow_inf_nan=False)
    llm_retry_timeouts: bool = False
    llm_max_attempts: int = Field(default=4, ge=1)
    openai_api_key: str | None = Field(
        default=None,
        repr=False,  # never printed: reprs end up in logs and bug reports
        validation_alias=AliasChoices("OPENAI_API_KEY", "COACH_OPENAI_API_KEY"),
    )
    openai_base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_BASE_URL", "COACH_OPENAI_BASE_URL")
    )

    @field_validator("embeddings")
    @classmethod
    def _check_embeddings(cls, value: str) -> str:
        if value != "local" and not (value.startswith("openai:") and len(value) > len("openai:")):
            raise ValueError("COACH_EMBEDDINGS must be 'local' or 'openai:<model>'")
        return value

    @property
    def resolved_engine(self) -> Literal["offline", "llm"]:
        """The engine ``auto`` stands for: llm when an endpoint is configured."""
        if self.engine != "auto":
            return self.engine
        return "llm" if (self.openai_api_key or self.openai_base_url) else "offline"

    @property
    def chroma_path(self) -> Path:
        """Where the embedded Chroma database lives."""
        return self.home / "chroma"

    @property
    def sqlite_path(self) -> Path:
        """Where the embedded checkpointer and store live."""
        return self.home / "coach.sqlite"


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment, with explicit overrides winning."""
    return Settings(**overrides)  # type: ignore[arg-type]
