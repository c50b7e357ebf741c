"""A demo's Turing test: the page that shows a round and takes the answer, the round's two
images, and the tally as JSON. Everything else is in app/services/turing_test.py."""

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from app.deps import CSRF, READER_COOKIE, ClientDep, DemoDep, Reader, ReaderDep, SessionDep, SettingsDep, TemplatesDep
from app.schemas.problems import problems
from app.services import turing_test
from app.services.turing_test import PairSet

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api/v1/demos", tags=["demos"], responses=problems(400, 404, 422, 503))

YEAR = 365 * 24 * 3600


def _pairs(spec) -> PairSet:
    pairs = turing_test.pair_set(spec)
    if pairs is None:
        raise HTTPException(404, f"{spec.name} has no Turing test")
    return pairs


def _remember(response: Response, reader: Reader, request: Request) -> Response:
    if reader.new:
        response.set_cookie(READER_COOKIE, reader.cookie or "", max_age=YEAR, httponly=True, samesite="lax",
                            secure=request.url.scheme == "https")
    return response


@router.get("/demos/{demo}/test", response_class=HTMLResponse)
def test_page(spec: DemoDep, request: Request, session: SessionDep, templates: TemplatesDep, reader: ReaderDep):
    pairs = _pairs(spec)
    current = turing_test.next_round(session, pairs, reader.id)
    context = {"spec": spec, "pairs": pairs, "round": current, "rounds": len(turing_test.reader_plan(pairs, reader.id)),
               "score": turing_test.reader_score(session, pairs, reader.id),
               "paper_rate": turing_test.PAPER_FOOLING_RATE}
    if current is None:
        context["overall"], context["per_photo"] = turing_test.fooling_rates(session, pairs)
    return _remember(templates.TemplateResponse(request, "turing.html", context), reader, request)


@router.post("/demos/{demo}/test", dependencies=[CSRF])
def answer(spec: DemoDep, session: SessionDep, settings: SettingsDep, reader: ReaderDep, client: ClientDep,
           photo: str = Form(max_length=40), choice: str = Form(max_length=10)):
    if reader.new:
        raise HTTPException(409, "open the test page first: it gives this browser its rounds")
    turing_test.record_answer(session, _pairs(spec), reader=reader.id, client=client, photo=photo, choice=choice,
                              per_minute=settings.turing_votes_per_minute)
    return RedirectResponse(f"/demos/{spec.name}/test", status_code=303)


@router.get("/demos/{demo}/test/image/{number}/{side}")
def round_image(spec: DemoDep, session: SessionDep, reader: ReaderDep, number: int, side: str):
    """One of the current round's two pictures, named by side so the address gives nothing away."""
    pairs = _pairs(spec)
    current = turing_test.next_round(session, pairs, reader.id)
    if current is None or current.number != number or side not in turing_test.SIDES:
        raise HTTPException(404, "no such picture in your current round")
    kind = "real" if side == current.real_side else "model"
    return FileResponse(pairs.file(current.photo, kind), media_type="image/jpeg",
                        headers={"Cache-Control": "private, no-store"})


@api_router.get("/{demo}/turing", summary="The Turing test's tally: how often readers took the model's picture as real")
def turing_tally(spec: DemoDep, session: SessionDep) -> dict:
    """Every reader's answers for the current model: how often the model's picture was taken
    for the real one, overall and per photo, with 95% Wilson intervals, beside the paper's rate."""
    pairs = _pairs(spec)
    overall, per_photo = turing_test.fooling_rates(session, pairs)

    def tally(t: turing_test.Tally) -> dict:
        return {"votes": t.votes, "fooled": t.fooled, "rate": t.rate,
                "interval_95": list(t.interval) if t.interval else None}

    return {"demo": spec.name, "model": pairs.model, "paper_rate": turing_test.PAPER_FOOLING_RATE,
            "overall": tally(overall),
            "photos": {pair.id: tally(per_photo[pair.id]) | {"credit": pair.credit, "licence": pair.licence}
                       for pair in pairs.pairs}}
