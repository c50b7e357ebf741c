"""The set-up step that brings the weights: checks, idempotence, extraction from a wheel, and
the error that names the command when a file is missing or altered."""

import shutil
import zipfile
from pathlib import Path

import pytest
import torch

from models.face_heatmap import fetch
from models.face_heatmap.predict import load


def copy_weights(target: Path) -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copy(path, target / path.name)) for path in fetch.weight_paths()]


def fake_wheel(path: Path, *, altered: str | None = None) -> Path:
    """A zip laid out like the facenet-pytorch wheel, holding the real files (one altered)."""
    with zipfile.ZipFile(path, "w") as archive:
        for source in fetch.weight_paths():
            data = source.read_bytes() + (b"x" if source.name == altered else b"")
            archive.writestr(fetch.MEMBER.format(name=source.name), data)
    return path


def test_the_shipped_files_match_their_checksums() -> None:
    paths = fetch.weight_paths()
    assert [p.name for p in paths] == ["pnet.pt", "rnet.pt", "onet.pt"]
    fetch.verify(paths)
    assert {p.name: fetch.sha256_of(p) for p in paths} == fetch.SHA256


def test_fetch_does_nothing_when_all_files_are_intact(tmp_path, monkeypatch) -> None:
    copy_weights(tmp_path)
    monkeypatch.setattr(fetch, "download_wheel", lambda folder: pytest.fail("downloaded though nothing was missing"))
    assert fetch.fetch(tmp_path) == []
    assert fetch.main(["--dir", str(tmp_path)]) == 0


def test_fetch_restores_a_missing_and_an_altered_file_from_the_wheel(tmp_path) -> None:
    paths = copy_weights(tmp_path / "weights")
    paths[0].unlink()
    paths[2].write_bytes(b"not a checkpoint")
    wheel = fake_wheel(tmp_path / "facenet_pytorch-2.5.3-py3-none-any.whl")
    assert fetch.fetch(tmp_path / "weights", wheel=wheel) == ["pnet.pt", "onet.pt"]
    fetch.verify(paths)
    assert not list((tmp_path / "weights").glob("*.partial"))


def test_a_wheel_with_other_bytes_is_refused(tmp_path) -> None:
    wheel = fake_wheel(tmp_path / "facenet_pytorch-2.5.3-py3-none-any.whl", altered="rnet.pt")
    with pytest.raises(fetch.FaceWeightsError, match="rnet.pt in facenet_pytorch-2.5.3-py3-none-any.whl has sha256"):
        fetch.fetch(tmp_path / "weights", wheel=wheel)
    assert not (tmp_path / "weights" / "rnet.pt").exists()


def test_load_names_the_command_for_a_missing_file(tmp_path) -> None:
    paths = copy_weights(tmp_path)
    paths[1].unlink()
    expected = r"rnet.pt is missing; restore it with `python -m models.face_heatmap.fetch`"
    with pytest.raises(fetch.FaceWeightsError, match=expected):
        load(paths, torch.device("cpu"))


def test_load_names_the_command_for_an_altered_file(tmp_path) -> None:
    paths = copy_weights(tmp_path)
    data = bytearray(paths[0].read_bytes())
    data[-100] ^= 1  # one bit inside the tensor data
    paths[0].write_bytes(bytes(data))
    with pytest.raises(fetch.FaceWeightsError, match=r"pnet.pt is altered .*restore it with `python -m models"):
        load(paths, torch.device("cpu"))


def test_load_wants_the_three_files_in_order(tmp_path) -> None:
    paths = copy_weights(tmp_path)
    with pytest.raises(fetch.FaceWeightsError, match="in that order"):
        load(list(reversed(paths)), torch.device("cpu"))
