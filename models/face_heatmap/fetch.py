"""Set-up step: the released MTCNN weights, taken from the `facenet-pytorch` 2.5.3 wheel.

`python -m models.face_heatmap.fetch` downloads the wheel with pip (without installing it or
its dependencies), extracts `data/pnet.pt`, `rnet.pt` and `onet.pt`, checks each against its
sha256 below and writes it into `models/face_heatmap/weights/` through a temporary file. Run
it again and it does nothing while the three files are there and intact. `--wheel PATH` uses
a wheel already on disk instead of downloading one. Nothing here runs when the demo serves:
`verify` only checks the files and names this command when one is missing or altered.

The weights are the MTCNN models of Zhang et al. (2016) as converted to PyTorch by Tim Esler's
facenet-pytorch (MIT licence), from David Sandberg's facenet port of the authors' release.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from models.spec import sha256_of

PACKAGE = "facenet-pytorch==2.5.3"
WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"
FETCH_COMMAND = "python -m models.face_heatmap.fetch"
# In the order `predict.load` takes them: P-Net, R-Net, O-Net.
SHA256 = {
    "pnet.pt": "a2a71925e0b9996a42f63e47efc1ca19043e69558b5c523b978d611dfae49c8f",
    "rnet.pt": "bbb937de72efc9ef83b186c49f5f558467a1d7e3453a8ece0d71a886633f6a86",
    "onet.pt": "165bfbe42940416ccfb977545cf0e976d5bf321f67083ae2aaaa5c764280118d",
}
MEMBER = "facenet_pytorch/data/{name}"  # where each file lies inside the wheel


class FaceWeightsError(RuntimeError):
    """A weights file is missing or altered; the message names it and the command to run."""


def weight_paths(directory: Path = WEIGHTS_DIR) -> list[Path]:
    return [directory / name for name in SHA256]


def problem_with(path: Path) -> str | None:
    """Why `path` is not the expected file (None when it is)."""
    expected = SHA256.get(path.name)
    if expected is None:
        return f"{path.name} is not one of {', '.join(SHA256)}"
    if not path.is_file():
        return f"weights file {path} is missing"
    actual = sha256_of(path)
    if actual != expected:
        return f"weights file {path} is altered (sha256 {actual[:12]}…, expected {expected[:12]}…)"
    return None


def verify(paths: list[Path]) -> None:
    """FaceWeightsError naming the first bad file and the command that restores it."""
    if [path.name for path in paths] != list(SHA256):
        raise FaceWeightsError(f"expected the weights {list(SHA256)} in that order, got {[p.name for p in paths]}")
    for path in paths:
        problem = problem_with(path)
        if problem:
            raise FaceWeightsError(f"{problem}; restore it with `{FETCH_COMMAND}`")


def download_wheel(folder: Path) -> Path:
    """The facenet-pytorch wheel, by pip, into `folder`: no install, no dependencies."""
    command = [sys.executable, "-m", "pip", "download", PACKAGE, "--no-deps", "--only-binary=:all:",
               "--quiet", "-d", str(folder)]
    subprocess.run(command, check=True)
    wheels = sorted(folder.glob("facenet_pytorch-*.whl"))
    if not wheels:
        raise FaceWeightsError(f"pip download {PACKAGE} left no wheel in {folder}")
    return wheels[0]


def write_atomically(data: bytes, path: Path) -> None:
    """Through a temporary file in the same folder: a reader never sees half a file."""
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(data)
    os.replace(partial, path)


def extract(wheel: Path, directory: Path, names: list[str]) -> None:
    """Each named file out of the wheel, checked against its sha256 before it is written."""
    directory.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(wheel) as archive:
        for name in names:
            data = archive.read(MEMBER.format(name=name))
            actual = hashlib.sha256(data).hexdigest()
            if actual != SHA256[name]:
                raise FaceWeightsError(f"{name} in {wheel.name} has sha256 {actual}, expected {SHA256[name]}")
            write_atomically(data, directory / name)


def fetch(directory: Path = WEIGHTS_DIR, *, wheel: Path | None = None) -> list[str]:
    """Make the three files right; returns the names written (none when all were right)."""
    needed = [path.name for path in weight_paths(directory) if problem_with(path)]
    if not needed:
        return []
    if wheel is not None:
        extract(wheel, directory, needed)
        return needed
    with tempfile.TemporaryDirectory(prefix="face-heatmap-") as folder:
        extract(download_wheel(Path(folder)), directory, needed)
    return needed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=FETCH_COMMAND, description=__doc__.split("\n\n")[0])
    parser.add_argument("--wheel", type=Path, help="a facenet-pytorch 2.5.3 wheel already on disk")
    parser.add_argument("--dir", type=Path, default=WEIGHTS_DIR, help="where the weights go")
    args = parser.parse_args(argv)
    written = fetch(args.dir, wheel=args.wheel)
    print(f"wrote {', '.join(written)} to {args.dir}" if written else f"weights in {args.dir} are present and intact")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
