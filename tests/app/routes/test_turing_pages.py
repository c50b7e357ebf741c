"""The colourization Turing test over HTTP: a reader plays ten rounds through the form, the
pictures are served by side, one answer per pair, then the score and the live tally (JSON too)."""

from __future__ import annotations

import io
import re

from PIL import Image
from sqlalchemy import select

from app.auth import CSRF_COOKIE
from app.db.models import TuringVote
from app.deps import READER_COOKIE

PAGE = "/demos/colorization/test"


def _round(client) -> tuple[int, str]:
    page = client.get(PAGE)
    assert page.status_code == 200
    number = int(re.search(r"Round (\d+) of 10", page.text).group(1))
    photo = re.search(r'name="photo" value="([^"]+)"', page.text).group(1)
    return number, photo


def _answer(client, photo: str, choice: str):
    return client.post(PAGE, data={"photo": photo, "choice": choice, "csrf_token": client.cookies[CSRF_COOKIE]},
                       follow_redirects=False)


def test_ten_rounds_then_the_score_and_the_tally(client, session) -> None:
    for expected in range(1, 11):
        number, photo = _round(client)
        assert number == expected and READER_COOKIE in client.cookies
        left = client.get(f"{PAGE}/image/{number}/left")
        assert left.status_code == 200 and left.headers["content-type"] == "image/jpeg"
        assert "no-store" in left.headers["cache-control"]
        Image.open(io.BytesIO(left.content)).verify()
        answered = _answer(client, photo, "left")
        assert answered.status_code == 303 and answered.headers["location"] == PAGE
    votes = session.scalars(select(TuringVote)).all()
    assert len(votes) == 10 and sum(v.real_side == "left" for v in votes) == 5  # left half the time
    fooled = sum(not v.chose_real for v in votes)
    assert fooled == 5  # always answering "left" is right exactly when the real photo was left
    result = client.get(PAGE)
    assert "Your result" in result.text and f"the model fooled you {fooled} times" in result.text
    tally = client.get("/api/v1/demos/colorization/turing").json()
    assert tally["overall"]["votes"] == 10 and tally["overall"]["fooled"] == fooled
    assert tally["overall"]["rate"] == 0.5 and tally["paper_rate"] == 0.32
    low, high = tally["overall"]["interval_95"]
    assert 0 < low < 0.5 < high < 1
    assert sum(p["votes"] for p in tally["photos"].values()) == 10 and len(tally["photos"]) >= 10
    assert client.get(f"{PAGE}/image/10/left").status_code == 404  # no round left to show


def test_answers_out_of_turn_or_malformed_are_refused(client, session) -> None:
    number, photo = _round(client)
    assert _answer(client, photo, "middle").status_code == 422
    assert _answer(client, "not-a-photo", "left").status_code == 409
    assert client.post(PAGE, data={"photo": photo, "choice": "left", "csrf_token": "forged"}).status_code == 403
    assert session.scalars(select(TuringVote)).all() == []
    assert _answer(client, photo, "right").status_code == 303
    assert _answer(client, photo, "right").status_code == 409  # one answer per pair
    assert client.get(f"{PAGE}/image/{number}/left").status_code == 404  # that round is over
    assert client.get(f"{PAGE}/image/{number + 1}/up").status_code == 404
    assert len(session.scalars(select(TuringVote)).all()) == 1


def test_an_answer_needs_the_page_first(client) -> None:
    client.get("/login")  # a CSRF cookie but no reader cookie yet
    answer = client.post(PAGE, data={"photo": "x", "choice": "left", "csrf_token": client.cookies[CSRF_COOKIE]})
    assert answer.status_code == 409


def test_a_demo_without_pairs_has_no_test(client) -> None:
    assert client.get("/demos/lrp/test").status_code == 404
    assert client.get("/api/v1/demos/lrp/turing").status_code == 404
    assert client.get("/api/v1/demos/nonexistent/turing").status_code == 404
