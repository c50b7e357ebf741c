"""The one settings object, read from `MARGINALIA_*` environment variables.

Every setting is listed in README.md's settings table; a test fails when one is not.
"""

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MARGINALIA_", extra="ignore")

    content_dir: Path = Field(Path("content"), description="Folder holding papers/<slug>.md.")
    data_dir: Path = Field(Path("data"), description="Database, uploads and results.")
    database_url: str | None = Field(
        None, description="SQLAlchemy URL; default: SQLite file marginalia.db in DATA_DIR."
    )
    queue: Literal["inline", "celery"] = Field("inline", description="Job queue backend.")
    redis_url: str = Field("redis://127.0.0.1:6379/0", description="Celery broker and results.")
    device: Literal["auto", "cpu", "cuda"] = Field("auto", description="Torch device for demos.")
    host: str = Field("127.0.0.1", description="Address `marginalia serve` binds.")
    port: int = Field(8000, ge=1, le=65535, description="Port `marginalia serve` binds.")
    access_log: bool = Field(False, description="Log every request (uvicorn access log).")
    page_size: int = Field(12, ge=1, le=100, description="Papers per page in the library.")
    job_workers: int = Field(1, ge=1, le=32, description="Threads running demo jobs (inline queue).")
    preload_models: bool = Field(
        True, description="Load the demos that ask for it when a server or worker starts, not on the first job.")
    max_active_jobs: int = Field(20, ge=1, description="Queued + running jobs before submissions get 429.")
    demo_runs_per_minute: int = Field(30, ge=1, description="Demo submissions one client may make a minute.")
    turing_votes_per_minute: int = Field(
        20, ge=1, description="Turing-test answers one client (address) may give a minute.")
    upload_limit_mb: float = Field(10, gt=0, description="Largest accepted demo upload.")
    result_retention_hours: float = Field(24, gt=0, description="How long job results are kept.")
    worker_metrics_port: int | None = Field(
        None, ge=1, le=65535, description="Port where `marginalia worker` serves /metrics (off when unset).")
    cors_origins: list[str] = Field(
        [], description="Origins (https://host) whose scripts may call the API; none by default (CORS closed).")
    demo_specs: str = Field("models.registry:DEMOS", description="Dotted path of the demo specs to serve.")
    celery_visibility_timeout: int = Field(
        600, ge=1, description="Seconds before Redis hands an unacknowledged job (its worker died) to another worker.")

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'marginalia.db').resolve()}"

    @property
    def papers_dir(self) -> Path:
        return self.content_dir / "papers"


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings; tests pass their own Settings to `create_app` instead."""
    return Settings()
