"""HTTP routes: thin handlers that parse, call one service, and render or serialize."""

from app.routes import (
    account_pages,
    api_account,
    api_annotation_io,
    api_annotations,
    api_demos,
    api_docs,
    api_papers,
    api_search,
    demo_pages,
    health,
    library,
    paper_page,
    search_page,
    stream_pages,
    turing_pages,
)

API_ROUTERS = (
    health.router,
    api_docs.router,
    api_papers.router,
    api_account.router,
    api_annotation_io.router,  # before api_annotations: /export and /import are not ids
    api_annotations.router,
    api_search.router,
    turing_pages.api_router,  # before api_demos' catch-alls under /api/v1/demos/{demo}
    api_demos.router,
)

# HTML pages: app.main includes them with the dependency that resolves who is signed in.
PAGE_ROUTERS = (
    library.router,
    paper_page.router,
    search_page.router,
    turing_pages.router,  # /demos/{demo}/test before demo_pages' routes
    demo_pages.router,
    account_pages.router,
    stream_pages.router,
)
