import subprocess
import sys
from pathlib import Path

from app.cli import main
from tests.conftest import write_paper


def test_check_content_reports_each_failure_and_a_total(tmp_path: Path, capsys) -> None:
    write_paper(tmp_path, "good", "---\ntitle: Good\n---\nFine $x$.\n")
    write_paper(tmp_path, "bad-yaml", "---\ntitle: [oops\n---\nText\n")
    (tmp_path / "nested").mkdir()
    write_paper(tmp_path / "nested", "bad-demo", "---\ntitle: T\ndemos: [nope]\n---\nText\n")
    assert main(["check-content", str(tmp_path)]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 3
    assert lines[0].startswith(f"{tmp_path / 'bad-yaml.md'}: front matter is not valid YAML")
    assert lines[1].startswith(f"{tmp_path / 'nested' / 'bad-demo.md'}: demos: ")
    assert lines[-1] == "3 files, 2 errors"


def test_check_content_passes_on_the_shipped_content() -> None:
    done = subprocess.run(
        [str(Path(sys.executable).with_name("marginalia")), "check-content", "content"],
        capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 0, done.stdout
    assert done.stdout.strip().splitlines()[-1].endswith(" errors")
    assert done.stdout.strip().endswith(", 0 errors")


def test_migrate_and_reindex_use_the_settings(tmp_path: Path, monkeypatch, capsys) -> None:
    papers = tmp_path / "content" / "papers"
    papers.mkdir(parents=True)
    write_paper(papers, "one", "---\ntitle: One\n---\nText.\n")
    monkeypatch.setenv("MARGINALIA_CONTENT_DIR", str(tmp_path / "content"))
    monkeypatch.setenv("MARGINALIA_DATA_DIR", str(tmp_path / "data"))
    from app.settings import get_settings

    get_settings.cache_clear()
    try:
        assert main(["migrate"]) == 0
        assert main(["reindex"]) == 0
        assert capsys.readouterr().out.strip() == "1 added, 0 updated, 0 removed, 0 unchanged, 0 errors"
        assert (tmp_path / "data" / "marginalia.db").exists()
    finally:
        get_settings.cache_clear()


def test_figures_check_passes_on_the_shipped_charts() -> None:
    done = subprocess.run(
        [str(Path(sys.executable).with_name("marginalia")), "figures", "--check"],
        capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 0, done.stdout + done.stderr
