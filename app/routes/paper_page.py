"""One paper: header, contents, summary, demos, and the margin for annotations."""

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from app.deps import CatalogDep, FragmentsDep, TemplatesDep

router = APIRouter(include_in_schema=False)


# async on purpose: the paper comes from the in-memory catalog and its article from the
# fragment cache, so the request never waits on a thread-pool hop or a database query.
@router.get("/papers/{slug}", response_class=HTMLResponse)
async def paper_page(
    slug: str, request: Request, catalog: CatalogDep, fragments: FragmentsDep, templates: TemplatesDep
):
    paper = catalog.get(slug)
    if paper is None:
        raise HTTPException(404, f"There is no summary called “{slug}”.")
    # the demos (widgets in the margin) are fixed for the life of the app, so they may sit in the cache
    main_html = fragments.render(("paper", slug, paper.content_hash), "_paper_main.html", paper=paper)
    related = [(catalog.get(item.slug), item) for item in catalog.related(slug)]
    return templates.TemplateResponse(request, "paper.html", {
        "paper": paper, "main_html": main_html, "related": [(view, item) for view, item in related if view]})
