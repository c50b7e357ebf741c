"""The full-text index behind search: SQLite FTS5 or PostgreSQL tsvector/GIN, one interface.

Three indexes, created by the migrations for each database (0001, 0003 and 0006 on SQLite, 0007
on PostgreSQL): `paper_search` (one row per paper: title, authors, tags, body), `paper_section_search`
(one row per heading: anchor, heading, text) and `annotation_search` (comment, quote, tags).
The services above (`search`, `annotation_search`, `annotation_read`, `paper_index`,
`annotation_write`) call `fulltext(session)` and never see which database answers: both backends
take the same words, rank title hits above body hits, and mark snippets with MARK_OPEN/MARK_CLOSE.

Queries are built from the user's words only (every word must occur, the last may be a prefix),
quoted for each engine, so no operator or punctuation in the text reaches its query parser.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import text
from sqlalchemy.orm import Session

MARK_OPEN, MARK_CLOSE = "\x02", "\x03"  # snippet markers no summary contains; become <mark> after escaping
SNIPPET_WORDS = 24
_WORD = re.compile(r"\w+", re.UNICODE)


def query_words(query: str) -> list[str]:
    return _WORD.findall(query)


@dataclass(frozen=True)
class SectionRow:
    anchor: str
    heading: str
    body: str


@dataclass(frozen=True)
class RankedPaper:
    paper_id: int
    score: float  # higher is better
    snippet: str  # with MARK_OPEN/MARK_CLOSE around the matched words


@dataclass(frozen=True)
class SectionMatch:
    anchor: str
    heading: str
    snippet: str


class FullTextIndex(Protocol):
    def index_paper(self, session: Session, paper_id: int, *, title: str, authors: str, tags: str,
                    body: str, sections: Sequence[SectionRow]) -> None: ...
    def remove_paper(self, session: Session, paper_id: int) -> None: ...
    def index_annotation(self, session: Session, annotation_id: str, *, body: str, quote: str, tags: str,
                         fresh: bool) -> None: ...
    def remove_annotation(self, session: Session, annotation_id: str) -> None: ...
    def count_papers(self, session: Session, words: list[str]) -> int: ...
    def rank_papers(self, session: Session, words: list[str], *, limit: int, offset: int) -> list[RankedPaper]: ...
    def ranked_paper_ids(self, session: Session, words: list[str]) -> list[int]:
        """Every matching paper's id, best first, without snippets (the library's filter)."""
    def best_section(self, session: Session, words: list[str], paper_id: int) -> SectionMatch | None: ...
    def annotation_matches(self, session: Session, words: list[str], *, limit: int | None) -> list[tuple[str, str]]:
        """(annotation id, snippet), best first."""


def fulltext(session: Session) -> FullTextIndex:
    return _BACKENDS[session.get_bind().dialect.name]


class _IndexRows:
    """Writing the index rows: the same statements on both databases, except the key of a
    paper's row (FTS5's rowid; a column on PostgreSQL)."""

    paper_key = "rowid"

    def index_paper(self, session, paper_id, *, title, authors, tags, body, sections):
        self.remove_paper(session, paper_id)
        if sections:
            session.execute(
                text("INSERT INTO paper_section_search (paper_id, anchor, heading, body) "
                     "VALUES (:id, :anchor, :heading, :body)"),
                [{"id": paper_id, "anchor": s.anchor, "heading": s.heading, "body": s.body} for s in sections],
            )
        session.execute(
            text(f"INSERT INTO paper_search ({self.paper_key}, title, authors, tags, body) "
                 "VALUES (:id, :title, :authors, :tags, :body)"),
            {"id": paper_id, "title": title, "authors": authors, "tags": tags, "body": body},
        )

    def remove_paper(self, session, paper_id):
        session.execute(text(f"DELETE FROM paper_search WHERE {self.paper_key} = :id"), {"id": paper_id})
        session.execute(text("DELETE FROM paper_section_search WHERE paper_id = :id"), {"id": paper_id})

    def remove_annotation(self, session, annotation_id):
        session.connection().execute(
            text("DELETE FROM annotation_search WHERE annotation_id = :id"), {"id": annotation_id})


class Fts5Index(_IndexRows):
    """SQLite FTS5 with the porter stemmer, ranked by bm25 with column weights."""

    _PAPER_WEIGHTS = "10.0, 5.0, 5.0, 1.0"  # title, authors, tags, body

    @staticmethod
    def match(words: list[str]) -> str:
        quoted = [f'"{word}"' for word in words]
        quoted[-1] += "*"
        return " ".join(quoted)

    def index_annotation(self, session, annotation_id, *, body, quote, tags, fresh):
        if not fresh:
            self.remove_annotation(session, annotation_id)
        session.connection().execute(
            text("INSERT INTO annotation_search (annotation_id, body, quote, tags) "
                 "VALUES (:id, :body, :quote, :tags)"),
            {"id": annotation_id, "body": body, "quote": quote, "tags": tags},
        )

    def count_papers(self, session, words):
        return session.scalar(text("SELECT count(*) FROM paper_search WHERE paper_search MATCH :q"),
                              {"q": self.match(words)}) or 0

    def rank_papers(self, session, words, *, limit, offset):
        rows = session.execute(
            text(f"SELECT rowid, bm25(paper_search, {self._PAPER_WEIGHTS}) AS rank, "
                 f"snippet(paper_search, -1, :open, :close, '…', {SNIPPET_WORDS}) "
                 "FROM paper_search WHERE paper_search MATCH :q ORDER BY rank LIMIT :limit OFFSET :offset"),
            {"q": self.match(words), "open": MARK_OPEN, "close": MARK_CLOSE, "limit": limit, "offset": offset},
        )
        return [RankedPaper(paper_id, -rank, snippet) for paper_id, rank, snippet in rows]

    def ranked_paper_ids(self, session, words):
        rows = session.execute(
            text(f"SELECT rowid FROM paper_search WHERE paper_search MATCH :q "
                 f"ORDER BY bm25(paper_search, {self._PAPER_WEIGHTS})"),
            {"q": self.match(words)},
        )
        return [paper_id for paper_id, in rows]

    def best_section(self, session, words, paper_id):
        row = session.execute(
            text("SELECT anchor, heading, "
                 f"snippet(paper_section_search, 3, :open, :close, '…', {SNIPPET_WORDS}) "
                 "FROM paper_section_search WHERE paper_section_search MATCH :q AND paper_id = :id "
                 "ORDER BY bm25(paper_section_search, 0.0, 0.0, 1.0, 2.0) LIMIT 1"),
            {"q": self.match(words), "id": paper_id, "open": MARK_OPEN, "close": MARK_CLOSE},
        ).first()
        return SectionMatch(row[0] or "", row[1] or "", row[2]) if row else None

    def annotation_matches(self, session, words, *, limit):
        rows = session.execute(
            text("SELECT annotation_id, snippet(annotation_search, -1, :open, :close, '…', 20) "
                 "FROM annotation_search WHERE annotation_search MATCH :q ORDER BY rank LIMIT :limit"),
            {"q": self.match(words), "open": MARK_OPEN, "close": MARK_CLOSE, "limit": limit or -1},
        )
        return [(annotation_id, snippet) for annotation_id, snippet in rows]


class PostgresIndex(_IndexRows):
    """PostgreSQL: tsvector columns generated from the text (english stemming), GIN indexes,
    ts_rank with the title weighted highest, ts_headline for snippets (migration 0007)."""

    paper_key = "paper_id"

    # ts_rank's weights for the labels D, C, B, A: body, -, authors/tags, title
    _WEIGHTS = "'{0.1, 0.2, 0.5, 1.0}'"
    _HEADLINE = (f"StartSel={MARK_OPEN}, StopSel={MARK_CLOSE}, MaxWords={SNIPPET_WORDS}, "
                 f"MinWords={SNIPPET_WORDS // 2}, ShortWord=2, FragmentDelimiter=\" … \", MaxFragments=1")

    # Every word stemmed as English; the last one also as typed, as a prefix, so a half-typed
    # word or a stop word ("a", "the") still narrows as it does on FTS5 instead of matching nothing.
    _QUERY = ("WITH q AS (SELECT to_tsquery('english', :head) "
              "&& (to_tsquery('english', :last) || to_tsquery('simple', :last)) AS query) ")

    @staticmethod
    def query_params(words: list[str]) -> dict[str, str]:
        # Each word a quoted lexeme (words hold no quote or backslash: they are \w+ runs).
        return {"head": " & ".join(f"'{word}'" for word in words[:-1]), "last": f"'{words[-1]}':*"}

    def index_annotation(self, session, annotation_id, *, body, quote, tags, fresh):
        session.connection().execute(
            text("INSERT INTO annotation_search (annotation_id, body, quote, tags) "
                 "VALUES (:id, :body, :quote, :tags) ON CONFLICT (annotation_id) DO UPDATE "
                 "SET body = excluded.body, quote = excluded.quote, tags = excluded.tags"),
            {"id": annotation_id, "body": body, "quote": quote, "tags": tags},
        )

    def count_papers(self, session, words):
        return session.scalar(
            text(f"{self._QUERY}SELECT count(*) FROM paper_search, q WHERE document @@ q.query"),
            self.query_params(words)) or 0

    def rank_papers(self, session, words, *, limit, offset):
        # The snippet quotes the body where it matches, else the title (a title-only hit).
        rows = session.execute(
            text(f"{self._QUERY}, hits AS (SELECT paper_id, title, body, "
                 f"ts_rank({self._WEIGHTS}, document, q.query, 1) AS score, q.query "
                 "FROM paper_search, q WHERE document @@ q.query "
                 "ORDER BY score DESC, paper_id LIMIT :limit OFFSET :offset) "
                 "SELECT paper_id, score, ts_headline('english', "
                 "CASE WHEN to_tsvector('english', body) @@ query THEN body ELSE title END, query, :opts) "
                 "FROM hits ORDER BY score DESC, paper_id"),
            {**self.query_params(words), "limit": limit, "offset": offset, "opts": self._HEADLINE},
        )
        return [RankedPaper(paper_id, float(score), snippet) for paper_id, score, snippet in rows]

    def ranked_paper_ids(self, session, words):
        rows = session.execute(
            text(f"{self._QUERY}SELECT paper_id FROM paper_search, q WHERE document @@ q.query "
                 f"ORDER BY ts_rank({self._WEIGHTS}, document, q.query, 1) DESC, paper_id"),
            self.query_params(words),
        )
        return [paper_id for paper_id, in rows]

    def best_section(self, session, words, paper_id):
        row = session.execute(
            text(f"{self._QUERY}SELECT anchor, heading, ts_headline('english', body, q.query, :opts) "
                 "FROM paper_section_search, q WHERE paper_id = :id AND document @@ q.query "
                 "ORDER BY ts_rank(document, q.query) DESC, id LIMIT 1"),
            {**self.query_params(words), "id": paper_id, "opts": self._HEADLINE},
        ).first()
        return SectionMatch(row[0] or "", row[1] or "", row[2]) if row else None

    def annotation_matches(self, session, words, *, limit):
        rows = session.execute(
            text(f"{self._QUERY}SELECT annotation_id, ts_headline('english', concat_ws(' … ', nullif(body, ''), "
                 "nullif(quote, ''), nullif(tags, '')), q.query, :opts) "
                 "FROM annotation_search, q WHERE document @@ q.query "
                 "ORDER BY ts_rank(document, q.query) DESC, annotation_id LIMIT :limit"),
            {**self.query_params(words), "opts": self._HEADLINE, "limit": limit},
        )
        return [(annotation_id, snippet) for annotation_id, snippet in rows]


_BACKENDS: dict[str, FullTextIndex] = {"sqlite": Fts5Index(), "postgresql": PostgresIndex()}
