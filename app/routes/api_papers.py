"""JSON API for papers and tags."""

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request

from app.deps import CatalogDep, SessionDep, ViewerDep, base_url
from app.schemas.common import PageNumber, PerPage, YearFilter
from app.schemas.papers import PaperDetailOut, PaperListOut, RelatedOut, TagOut
from app.schemas.problems import problems
from app.services.paper_read import PaperSort, get_paper, list_papers, list_tags
from app.services.tag_read import suggest_tags

router = APIRouter(prefix="/api/v1", tags=["papers"], responses=problems(400, 422, 503))


@router.get("/papers", response_model=PaperListOut, summary="List papers, filtered and paged")
def papers(
    session: SessionDep,
    q: str | None = None,
    tag: str | None = None,
    year: YearFilter = None,
    sort: PaperSort | None = None,
    page: PageNumber = 1,
    per_page: PerPage = 20,
) -> PaperListOut:
    sort = sort or (PaperSort.relevance if q else PaperSort.year)
    found = list_papers(session, query=q, tag=tag, year=year, sort=sort, page=page, per_page=per_page)
    return PaperListOut.of(found)


@router.get(
    "/papers/{slug}",
    response_model=PaperDetailOut,
    summary="One paper: metadata, rendered HTML and markdown source",
    responses=problems(404),
)
def paper(slug: str, session: SessionDep) -> PaperDetailOut:
    found = get_paper(session, slug)
    if found is None:
        raise HTTPException(404, f"no paper with slug {slug!r}")
    return PaperDetailOut.of(found)


@router.get(
    "/papers/{slug}/related",
    response_model=list[RelatedOut],
    summary="The closest other summaries, best first (words of the summaries and shared tags)",
    responses=problems(404),
)
def related(slug: str, request: Request, catalog: CatalogDep) -> list[RelatedOut]:
    if catalog.get(slug) is None:
        raise HTTPException(404, f"no paper with slug {slug!r}")
    base = base_url(request)
    return [RelatedOut(slug=item.slug, title=view.title, score=item.score, shared_tags=list(item.shared_tags),
                       url=f"{base}/papers/{item.slug}", api_url=f"{base}/api/v1/papers/{item.slug}")
            for item in catalog.related(slug) if (view := catalog.get(item.slug))]


@router.get("/tags", response_model=list[TagOut], summary="Tags with their paper counts")
def tags(session: SessionDep) -> list[TagOut]:
    return [TagOut.of(tag) for tag in list_tags(session)]


@router.get("/tags/suggest", response_model=list[str], summary="Tag names starting with a prefix, most used first")
def tag_suggestions(session: SessionDep, viewer: ViewerDep,
                    prefix: Annotated[str, Query(max_length=50)] = "") -> list[str]:
    return suggest_tags(session, viewer, prefix)
