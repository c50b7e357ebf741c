"""JSON shapes of papers, tags and search results.

Schemas sit below the services: `.of()` reads the services' results by their attributes
(a paging.Page, a TagCount, a SearchHit, an AnnotationHit) without importing them."""

from __future__ import annotations

from urllib.parse import urlencode

from pydantic import BaseModel

from app.db.models import Paper


class PaperSummaryOut(BaseModel):
    slug: str
    title: str
    authors: list[str]
    year: int | None
    venue: str | None
    tags: list[str]
    demos: list[str]
    gist: str
    url: str  # this paper's page
    api_url: str

    @classmethod
    def of(cls, paper: Paper) -> PaperSummaryOut:
        return cls(
            slug=paper.slug, title=paper.title, authors=paper.authors, year=paper.year,
            venue=paper.venue, tags=paper.tag_names, demos=paper.demos, gist=paper.gist,
            url=f"/papers/{paper.slug}", api_url=f"/api/v1/papers/{paper.slug}",
        )


class TocEntryOut(BaseModel):
    level: int
    anchor: str
    html: str


class PaperDetailOut(PaperSummaryOut):
    arxiv: str | None
    external_url: str | None
    code: str | None
    bibtex: str | None
    word_count: int
    content_hash: str
    toc: list[TocEntryOut]
    html: str
    markdown: str

    @classmethod
    def of(cls, paper: Paper) -> PaperDetailOut:
        return cls(
            **PaperSummaryOut.of(paper).model_dump(),
            arxiv=paper.arxiv, external_url=paper.url, code=paper.code, bibtex=paper.bibtex,
            word_count=paper.word_count, content_hash=paper.content_hash,
            toc=[TocEntryOut(**entry) for entry in paper.toc], html=paper.html,
            markdown=paper.markdown,
        )


class PaperListOut(BaseModel):
    items: list[PaperSummaryOut]
    total: int
    page: int
    per_page: int
    pages: int

    @classmethod
    def of(cls, page) -> PaperListOut:  # a services.paging.Page of papers
        return cls(
            items=[PaperSummaryOut.of(p) for p in page.items], total=page.total,
            page=page.page, per_page=page.per_page, pages=page.pages,
        )


class TagOut(BaseModel):
    name: str
    papers: int
    url: str

    @classmethod
    def of(cls, tag) -> TagOut:  # a services.paper_read.TagCount
        return cls(name=tag.name, papers=tag.papers, url=f"/tags/{tag.name}")


class SearchResultOut(BaseModel):
    type: str = "paper"
    paper: PaperSummaryOut
    snippet: str  # HTML: escaped text with <mark> around matched words, one block per line
    score: float
    section: str | None  # the heading of the section the snippet quotes (None: the opening)
    url: str  # the paper page at that section, the query's words highlighted on arrival

    @classmethod
    def of(cls, hit, query: str) -> SearchResultOut:  # a services.search.SearchHit
        summary = PaperSummaryOut.of(hit.paper)
        url = f"{summary.url}?{urlencode({'highlight': query})}" + (f"#{hit.anchor}" if hit.anchor else "")
        return cls(paper=summary, snippet=hit.snippet_html, score=hit.score, section=hit.heading or None, url=url)


class AnnotationHitOut(BaseModel):
    id: str  # the annotation's IRI
    paper: str
    creator: str
    quote: str | None
    snippet: str  # HTML: escaped text with <mark> around matched words

    @classmethod
    def of(cls, hit, base: str) -> AnnotationHitOut:  # a services.annotation_search.AnnotationHit
        a = hit.annotation
        return cls(id=f"{base}/api/v1/annotations/{a.id}", paper=a.paper.slug, creator=a.creator.name,
                   quote=a.quote_exact, snippet=hit.snippet_html)


class AnnotationResultsOut(BaseModel):
    total: int
    results: list[AnnotationHitOut]


class SearchOut(BaseModel):
    query: str
    total: int
    page: int
    per_page: int
    results: list[SearchResultOut]
    annotations: AnnotationResultsOut


class RelatedOut(BaseModel):
    slug: str
    title: str
    score: float  # 0..1: TF-IDF cosine of the summaries (0.7) and tag overlap (0.3)
    shared_tags: list[str]
    url: str
    api_url: str
