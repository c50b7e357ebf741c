"""HTTP routes: thin handlers that parse, call one service, and render or serialize."""

from app.routes import account_pages, api_account, api_annotation_io, api_annotations, api_demos, stream_pages, api_docs, api_papers, api_search, demo_pages, health, library, paper_page, search_page

ROUTERS = (
    health.router,
    api_docs.router,
    api_papers.router,
    api_account.router,
    api_annotation_io.router,  # before api_annotations: /export and /import are not ids
    api_annotations.router,
    api_search.router,
    api_demos.router,
    library.router,
    paper_page.router,
    search_page.router,
    demo_pages.router,
    account_pages.router,
    stream_pages.router,
)
