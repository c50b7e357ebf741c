"""A demo's Turing test (Zhang et al. 2016, §3.1): readers see a real photo and the model's
version of it side by side and pick the real one; the share of answers that pick the model's
is its fooling rate.

The pairs are files the model package writes (`<page_dir>/turing/pairs.json` and the JPEGs beside
it; see models/colorization/turing.py). Which pair a reader sees next and on which side the real
photo stands are drawn from the reader's id, so a page reload shows the same round and an answer
can be checked without storing anything before it: every block of ten rounds puts the real photo
on the left five times and on the right five times, in a shuffled order.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from pathlib import Path

from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.clock import utcnow
from app.db.models import TuringVote
from models.spec import DemoSpec

ROUNDS = 10  # one game; the real photo is left in half of them
SIDES = ("left", "right")
PAPER_FOOLING_RATE = 0.32  # Zhang et al. 2016, table 1: the full model (classification, rebalanced)
Z_95 = 1.959964


class TuringRefused(Exception):
    def __init__(self, status: int, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status, self.retry_after = status, retry_after


@dataclass(frozen=True)
class Pair:
    id: str
    credit: str
    licence: str
    source: str


@dataclass(frozen=True)
class PairSet:
    demo: str
    folder: Path
    model: str  # the first 12 hex digits of the weights' sha256
    pairs: tuple[Pair, ...]

    def file(self, photo: str, kind: str) -> Path:
        return self.folder / f"{photo}-{kind}.jpg"


@dataclass(frozen=True)
class Round:
    number: int  # 1-based within the reader's game
    photo: str
    real_side: str


@dataclass(frozen=True)
class Tally:
    votes: int
    fooled: int

    @property
    def rate(self) -> float | None:
        return self.fooled / self.votes if self.votes else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson_interval(self.fooled, self.votes)


def wilson_interval(successes: int, trials: int, z: float = Z_95) -> tuple[float, float] | None:
    """The Wilson score interval for a binomial share (95% by default); None with no trials.
    Unlike the normal approximation it stays inside [0, 1] and is honest for small counts."""
    if trials == 0:
        return None
    share = successes / trials
    centre = (share + z * z / (2 * trials)) / (1 + z * z / trials)
    half = z * math.sqrt(share * (1 - share) / trials + z * z / (4 * trials * trials)) / (1 + z * z / trials)
    return max(0.0, centre - half), min(1.0, centre + half)


def pair_set(spec: DemoSpec) -> PairSet | None:
    """The demo's pairs, or None when its package ships no Turing test."""
    path = spec.page_dir / "turing" / "pairs.json" if spec.page_dir else None
    if path is None or not path.is_file():
        return None
    return _read_pairs(spec.name, path, path.stat().st_mtime)


@lru_cache(maxsize=8)
def _read_pairs(demo: str, path: Path, modified: float) -> PairSet:  # `modified` keys the cache
    manifest = json.loads(path.read_text())
    pairs = tuple(Pair(p["id"], p["credit"], p["licence"], p["source"]) for p in manifest["pairs"])
    return PairSet(demo, path.parent, manifest["weights_sha256"][:12], pairs)


def _rng(*parts: object) -> random.Random:
    digest = hashlib.sha256("/".join(map(str, parts)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def reader_plan(pairs: PairSet, reader: str) -> list[Round]:
    """The reader's game: ten pairs (all, if fewer) in an order drawn from their id, the real
    photo on the left in exactly half of the rounds, shuffled."""
    order = [pair.id for pair in pairs.pairs]
    _rng(pairs.model, reader, "order").shuffle(order)
    order = order[:ROUNDS]
    sides = [SIDES[i % 2] for i in range(len(order))]
    _rng(pairs.model, reader, "sides").shuffle(sides)
    return [Round(number + 1, photo, side) for number, (photo, side) in enumerate(zip(order, sides, strict=True))]


def _answered(session: Session, pairs: PairSet, reader: str) -> dict[str, TuringVote]:
    votes = session.scalars(select(TuringVote).where(
        TuringVote.demo == pairs.demo, TuringVote.model == pairs.model, TuringVote.reader == reader))
    return {vote.photo: vote for vote in votes}


def next_round(session: Session, pairs: PairSet, reader: str) -> Round | None:
    """The reader's next unanswered round, or None when their game is over (one game per reader
    and model: a retrained model starts a new one)."""
    answered = _answered(session, pairs, reader)
    return next((r for r in reader_plan(pairs, reader) if r.photo not in answered), None)


def record_answer(session: Session, pairs: PairSet, *, reader: str, client: str, photo: str, choice: str,
                  per_minute: int) -> TuringVote:
    """Store one answer: `choice` is the side the reader took for the real photo. Refused with
    422 for a side that is not left/right, 409 for a pair that is not the reader's current round
    (answered already, or not yet shown), 429 beyond `per_minute` answers from one client."""
    if choice not in SIDES:
        raise TuringRefused(422, "choice must be left or right")
    current = next_round(session, pairs, reader)
    if current is None or current.photo != photo:
        raise TuringRefused(409, f"{photo!r} is not your current round; reload the test")
    recent = session.scalar(select(func.count(TuringVote.id)).where(
        TuringVote.client == client, TuringVote.created_at >= utcnow() - timedelta(minutes=1))) or 0
    if recent >= per_minute:
        raise TuringRefused(429, "too many answers from this address; try again in a minute", 60)
    vote = TuringVote(demo=pairs.demo, model=pairs.model, photo=photo, reader=reader, client=client,
                      real_side=current.real_side, chose_real=choice == current.real_side, created_at=utcnow())
    session.add(vote)
    try:
        session.commit()
    except IntegrityError:  # the same answer sent twice at once: the first one counts
        session.rollback()
        raise TuringRefused(409, "this pair is answered already") from None
    return vote


def reader_score(session: Session, pairs: PairSet, reader: str) -> Tally:
    """How often the reader was fooled (picked the model's photo) in the answers so far."""
    answered = _answered(session, pairs, reader).values()
    return Tally(len(answered), sum(not vote.chose_real for vote in answered))


def fooling_rates(session: Session, pairs: PairSet) -> tuple[Tally, dict[str, Tally]]:
    """Every reader's answers for the current model: overall and per photo."""
    rows = session.execute(
        select(TuringVote.photo, func.count(TuringVote.id),
               func.sum(case((TuringVote.chose_real.is_(False), 1), else_=0)))
        .where(TuringVote.demo == pairs.demo, TuringVote.model == pairs.model)
        .group_by(TuringVote.photo)).all()
    counted = {photo: Tally(int(votes), int(fooled or 0)) for photo, votes, fooled in rows}
    per_photo = {pair.id: counted.get(pair.id, Tally(0, 0)) for pair in pairs.pairs}
    overall = Tally(sum(t.votes for t in per_photo.values()), sum(t.fooled for t in per_photo.values()))
    return overall, per_photo
