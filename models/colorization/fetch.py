"""Set-up step: the training photos that ship inside Debian packages we do not install.

`debian_photos.json` lists, per package, the photographs chosen from it by looking at a contact
sheet of every image it ships (no drawings, renders, screenshots or text), each with its sha256
and, where it differs from the package's, its licence. `python -m models.colorization.fetch`
downloads each package's .deb with `apt-get download` (no install, no dependencies: several of
these packages would pull hundreds of MB of programs for a few JPEGs), unpacks it with
`dpkg -x` into a temporary folder, checks every listed photo against its sha256 and copies it
to `data/debian-photos/<package>/<file name>`. Run it again and it does nothing while every
photo is there and intact. Only training reads these photos; the app never does.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from models.spec import sha256_of

MANIFEST = Path(__file__).resolve().parent / "debian_photos.json"
PHOTOS_DIR = Path(__file__).resolve().parents[2] / "data" / "debian-photos"
FETCH_COMMAND = "python -m models.colorization.fetch"


class FetchError(RuntimeError):
    """A package's photo is missing or not the one listed; nothing of that package is written."""


@dataclass(frozen=True)
class PackagedPhoto:
    package: str
    installed_path: str  # where the package would install it
    sha256: str
    licence: str  # the package's, unless the copyright file names another for this file

    @property
    def name(self) -> str:
        return Path(self.installed_path).name

    @property
    def path(self) -> Path:
        return self.path_in(PHOTOS_DIR)

    def path_in(self, root: Path) -> Path:
        return root / self.package / self.name

    def intact_in(self, root: Path) -> bool:
        path = self.path_in(root)
        return path.is_file() and sha256_of(path) == self.sha256


@lru_cache(maxsize=1)
def packaged_photos() -> tuple[PackagedPhoto, ...]:
    return tuple(
        PackagedPhoto(entry["package"], photo["path"], photo["sha256"], photo.get("licence", entry["licence"]))
        for entry in json.loads(MANIFEST.read_text())
        for photo in entry["photos"]
    )


def _deb(package: str, folder: Path, debs: Path | None) -> Path:
    """The package's .deb: from `debs` when given, else downloaded into `folder`."""
    if debs is not None:
        found = sorted(debs.glob(f"{package}_*.deb"))
        if not found:
            raise FetchError(f"no {package}_*.deb in {debs}")
        return found[0]
    # as root, apt hands the download to its unprivileged `_apt` user, who cannot write into
    # our private temporary folder; there is no system to protect from a file we only unpack
    sandbox = ["-o", "APT::Sandbox::User=root"] if os.geteuid() == 0 else []
    subprocess.run(["apt-get", "download", "-qq", *sandbox, package], cwd=folder, check=True)
    debs = sorted(folder.glob(f"{package}_*.deb"))
    if not debs:
        raise FetchError(f"apt-get download {package} left no .deb in {folder}")
    return debs[0]


def fetch(photos: tuple[PackagedPhoto, ...] | None = None, *, root: Path = PHOTOS_DIR, debs: Path | None = None,
          log=print) -> int:
    """Unpack every package with a missing or altered photo under `root` (its .deb downloaded,
    or taken from the folder `debs`); the number of photos written. Nothing is written from a
    package whose photo does not match its checksum."""
    photos = packaged_photos() if photos is None else photos
    wanted: dict[str, list[PackagedPhoto]] = {}
    for photo in photos:
        if not photo.intact_in(root):
            wanted.setdefault(photo.package, []).append(photo)
    written = 0
    for package, missing in wanted.items():
        with tempfile.TemporaryDirectory(prefix="marginalia-deb-") as scratch:
            folder = Path(scratch)
            deb = _deb(package, folder, debs)
            subprocess.run(["dpkg", "-x", str(deb), str(folder / "root")], check=True)
            sources = [folder / "root" / photo.installed_path.lstrip("/") for photo in missing]
            for photo, source in zip(missing, sources, strict=True):
                actual = sha256_of(source) if source.is_file() else None
                if actual != photo.sha256:
                    found = "missing" if actual is None else f"sha256 {actual[:12]}…"
                    raise FetchError(f"{deb.name}: {photo.installed_path} is {found}, expected "
                                     f"{photo.sha256[:12]}… (has the package changed?)")
            for photo, source in zip(missing, sources, strict=True):
                target = photo.path_in(root)
                target.parent.mkdir(parents=True, exist_ok=True)
                partial = target.with_suffix(target.suffix + ".part")
                shutil.copyfile(source, partial)
                partial.replace(target)
                written += 1
        log(f"{package}: {len(missing)} photo(s) from {deb.name}")
    return written


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(argv)
    written = fetch()
    print(f"{len(packaged_photos())} Debian-packaged training photos in {PHOTOS_DIR} ({written} fetched now)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
