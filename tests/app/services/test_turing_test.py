"""The Turing test's logic: the Wilson interval, each reader's rounds (balanced sides, stable,
different per reader), one answer per pair in order, the rate limit and the tallies."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.db.models import TuringVote
from app.services import turing_test
from app.services.turing_test import Pair, PairSet, TuringRefused, reader_plan, wilson_interval

PAIRS = PairSet("colorization", Path("/nowhere"), "abc123abc123",
                tuple(Pair(f"photo{i}", "someone", "CC0-1.0", f"p{i}.jpg") for i in range(14)))


@pytest.mark.parametrize(("successes", "trials", "expected"), [
    (0, 10, (0.0, 0.2775)),  # upper end z² / (n + z²)
    (5, 10, (0.2366, 0.7634)),
    (32, 100, (0.2367, 0.4166)),  # by hand: centre 0.33921 / 1.03842, half 1.96 * 0.047666 / 1.03842
])
def test_wilson_interval_matches_known_values(successes, trials, expected) -> None:
    low, high = wilson_interval(successes, trials)
    assert low == pytest.approx(expected[0], abs=1e-4) and high == pytest.approx(expected[1], abs=1e-4)
    assert wilson_interval(0, 0) is None


def test_each_reader_sees_the_real_photo_left_in_exactly_half_the_rounds() -> None:
    plans = [reader_plan(PAIRS, f"anon:{n}") for n in range(200)]
    assert all(len(plan) == turing_test.ROUNDS for plan in plans)
    assert all(sum(r.real_side == "left" for r in plan) == 5 for plan in plans)
    assert all(len({r.photo for r in plan}) == turing_test.ROUNDS for plan in plans)  # no pair twice
    # ... and the order of sides and photos varies between readers: no position is always left
    assert all(0.3 < sum(plan[k].real_side == "left" for plan in plans) / len(plans) < 0.7 for k in range(10))
    assert len({tuple(r.photo for r in plan) for plan in plans}) == len(plans)
    assert reader_plan(PAIRS, "anon:7") == plans[7]  # a reload shows the same round


def _play(db, reader: str, *, pick_real: int, client: str = "127.0.0.1") -> None:
    for number in range(turing_test.ROUNDS):
        current = turing_test.next_round(db, PAIRS, reader)
        wrong = "right" if current.real_side == "left" else "left"
        turing_test.record_answer(db, PAIRS, reader=reader, client=client, photo=current.photo,
                                  choice=current.real_side if number < pick_real else wrong, per_minute=1000)


def test_a_game_is_ten_answers_and_the_tallies_add_up(db) -> None:
    _play(db, "anon:a", pick_real=7)
    _play(db, "anon:b", pick_real=10)
    assert turing_test.next_round(db, PAIRS, "anon:a") is None  # the game is over
    score = turing_test.reader_score(db, PAIRS, "anon:a")
    assert (score.votes, score.fooled) == (10, 3)
    overall, per_photo = turing_test.fooling_rates(db, PAIRS)
    assert (overall.votes, overall.fooled, overall.rate) == (20, 3, 0.15)
    assert sum(t.votes for t in per_photo.values()) == 20 and set(per_photo) == {p.id for p in PAIRS.pairs}
    other_model = PairSet("colorization", PAIRS.folder, "def456def456", PAIRS.pairs)
    assert turing_test.fooling_rates(db, other_model)[0].votes == 0  # a retrained model starts afresh
    assert turing_test.next_round(db, other_model, "anon:a") is not None


def test_answers_out_of_turn_twice_or_malformed_are_refused_and_store_nothing(db) -> None:
    current = turing_test.next_round(db, PAIRS, "anon:c")
    later = reader_plan(PAIRS, "anon:c")[1]
    cases = [(later.photo, "left", 409), ("nonexistent", "left", 409), (current.photo, "up", 422)]
    for photo, choice, status in cases:
        with pytest.raises(TuringRefused) as refused:
            turing_test.record_answer(db, PAIRS, reader="anon:c", client="x", photo=photo, choice=choice,
                                      per_minute=1000)
        assert refused.value.status == status
    assert db.scalars(select(TuringVote)).all() == []
    turing_test.record_answer(db, PAIRS, reader="anon:c", client="x", photo=current.photo, choice="left",
                              per_minute=1000)
    with pytest.raises(TuringRefused) as again:  # the same pair once more
        turing_test.record_answer(db, PAIRS, reader="anon:c", client="x", photo=current.photo, choice="right",
                                  per_minute=1000)
    assert again.value.status == 409 and len(db.scalars(select(TuringVote)).all()) == 1


def test_one_address_may_answer_only_so_often(db) -> None:
    for n in range(3):
        current = turing_test.next_round(db, PAIRS, f"anon:r{n}")
        turing_test.record_answer(db, PAIRS, reader=f"anon:r{n}", client="10.0.0.9", photo=current.photo,
                                  choice="left", per_minute=3)
    current = turing_test.next_round(db, PAIRS, "anon:r9")
    with pytest.raises(TuringRefused) as refused:
        turing_test.record_answer(db, PAIRS, reader="anon:r9", client="10.0.0.9", photo=current.photo,
                                  choice="left", per_minute=3)
    assert refused.value.status == 429 and refused.value.retry_after == 60
    turing_test.record_answer(db, PAIRS, reader="anon:r9", client="10.0.0.10", photo=current.photo,
                              choice="left", per_minute=3)  # another address is not held back
