"""`marginalia train echo --out FILE` and `marginalia evaluate echo`: commands found through the spec."""

import argparse
from pathlib import Path


def cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="marginalia train echo")
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    Path(args.out).write_text("trained\n")
    return 0


def evaluate_cli(argv: list[str]) -> int:
    print("echo: mean absolute error 0.0")
    return 0
