import re
from pathlib import Path

from app.db.engine import make_engine
from app.settings import Settings

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_setting_is_documented_in_the_readme() -> None:
    documented = set(re.findall(r"`MARGINALIA_([A-Z_]+)`", README.read_text(encoding="utf-8")))
    assert {name.upper() for name in Settings.model_fields} <= documented


def test_environment_prefix_and_default_database(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("MARGINALIA_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("MARGINALIA_PORT", "9001")
    settings = Settings()
    assert settings.port == 9001
    assert settings.resolved_database_url == f"sqlite:///{tmp_path.resolve()}/marginalia.db"


def test_sqlite_runs_in_wal_mode(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/x.db")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    engine.dispose()
