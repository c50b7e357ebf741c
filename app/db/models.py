"""ORM models. The full-text index `paper_search` (SQLite FTS5) is created by migration
0001 and maintained by `app.services.paper_index`; it has no ORM class."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Column, DateTime, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, defer, mapped_column, relationship

from app.db.values import Visibility


class Base(DeclarativeBase):
    pass


paper_tags = Table(
    "paper_tags",
    Base.metadata,
    Column("paper_id", ForeignKey("papers.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Tag(Base):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)

    papers: Mapped[list[Paper]] = relationship(secondary=paper_tags, back_populates="tags")


class Paper(Base):
    __tablename__ = "papers"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    authors: Mapped[list[str]] = mapped_column(JSON, default=list)
    year: Mapped[int | None] = mapped_column(Integer, index=True)
    venue: Mapped[str | None] = mapped_column(String(200))
    arxiv: Mapped[str | None] = mapped_column(String(50))
    url: Mapped[str | None] = mapped_column(String(500))
    code: Mapped[str | None] = mapped_column(String(500))
    demos: Mapped[list[str]] = mapped_column(JSON, default=list)
    gist: Mapped[str] = mapped_column(Text, default="")
    # The summary itself is large and most queries (listings, annotations) never read it:
    # loaded on first access, all four columns together.
    bibtex: Mapped[str | None] = mapped_column(Text, deferred=True, deferred_group="content")
    markdown: Mapped[str] = mapped_column(Text, deferred=True, deferred_group="content")
    html: Mapped[str] = mapped_column(Text, deferred=True, deferred_group="content")
    toc: Mapped[list[dict]] = mapped_column(JSON, default=list, deferred=True, deferred_group="content")
    text: Mapped[str] = mapped_column(Text, deferred=True, deferred_group="content")
    word_count: Mapped[int] = mapped_column(Integer, default=0)
    content_hash: Mapped[str] = mapped_column(String(64))
    source_path: Mapped[str] = mapped_column(String(1000))
    indexed_at: Mapped[datetime] = mapped_column(DateTime)
    # Set by the annotation service; the library can sort by it.
    last_annotated_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    # A summary whose file is gone is withdrawn, not deleted: its annotations stay readable.
    removed_at: Mapped[datetime | None] = mapped_column(DateTime)

    tags: Mapped[list[Tag]] = relationship(
        secondary=paper_tags, back_populates="papers", order_by=Tag.name, lazy="selectin"
    )

    @property
    def tag_names(self) -> list[str]:
        return [tag.name for tag in self.tags]


# Loader option for lists of papers (the library, tag pages, search results): a card shows the
# title, gist and tags, so the summary's text in its three forms (tens of kB a paper) stays unloaded.
CARD_ONLY = defer(Paper.markdown).defer(Paper.html).defer(Paper.text).defer(Paper.toc).defer(Paper.bibtex)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(10), default="user")  # "user" or "admin"
    created_at: Mapped[datetime] = mapped_column(DateTime)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


class LoginSession(Base):
    """A browser session; the cookie holds a random token, the table only its sha256."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)

    user: Mapped[User] = relationship(lazy="joined")


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))  # shown in lists so users can tell tokens apart
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship(lazy="joined")


class LoginAttempt(Base):
    """Failed logins, counted to throttle password guessing per account and per client."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), index=True)
    client: Mapped[str] = mapped_column(String(80), index=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)


annotation_tags = Table(
    "annotation_tags",
    Base.metadata,
    Column("annotation_id", ForeignKey("annotations.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Annotation(Base):
    """One W3C Web Annotation. Its target is a passage of a paper's summary (quote and
    position selectors, made on the summary version `content_hash`) or, for a reply, the
    parent annotation."""

    __tablename__ = "annotations"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # uuid4 hex: unguessable
    creator_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    paper_id: Mapped[int] = mapped_column(ForeignKey("papers.id"), index=True)
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("annotations.id"), index=True)
    motivation: Mapped[str] = mapped_column(String(20))
    body_markdown: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    visibility: Mapped[str] = mapped_column(String(10), default=Visibility.PRIVATE, index=True)
    quote_exact: Mapped[str | None] = mapped_column(Text)
    quote_prefix: Mapped[str | None] = mapped_column(Text)
    quote_suffix: Mapped[str | None] = mapped_column(Text)
    position_start: Mapped[int | None] = mapped_column(Integer)
    position_end: Mapped[int | None] = mapped_column(Integer)
    content_hash: Mapped[str | None] = mapped_column(String(64))
    orphaned: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)  # kept as a stub for its replies
    imported_from: Mapped[str | None] = mapped_column(String(500))  # original id, for idempotent import
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    modified_at: Mapped[datetime] = mapped_column(DateTime)

    creator: Mapped[User] = relationship(lazy="joined")
    paper: Mapped[Paper] = relationship(lazy="selectin")  # one query for all rows: papers are big
    tags: Mapped[list[Tag]] = relationship(secondary=annotation_tags, order_by=Tag.name, lazy="selectin")

    @property
    def tag_names(self) -> list[str]:
        return [tag.name for tag in self.tags]

    @property
    def is_reply(self) -> bool:
        return self.parent_id is not None

    @property
    def creator_name(self) -> str:
        return self.creator.name

    @property
    def paper_slug(self) -> str:
        return self.paper.slug


class Job(Base):
    """One demo run. With the inline queue the row is the queue; with Celery it mirrors the
    task so pages and the API read one place."""

    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # uuid4 hex: unguessable
    demo: Mapped[str] = mapped_column(String(50), index=True)
    status: Mapped[str] = mapped_column(String(10), index=True)  # a JobStatus
    progress: Mapped[float] = mapped_column(default=0.0)
    submitter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    client: Mapped[str] = mapped_column(String(80), index=True)  # for per-client rate limits
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    inputs: Mapped[dict] = mapped_column(JSON, default=dict)  # field -> stored upload file name
    result: Mapped[dict | None] = mapped_column(JSON)
    files: Mapped[list[str]] = mapped_column(JSON, default=list)  # result files, in DATA_DIR/jobs/<id>/
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)


class TuringVote(Base):
    """One reader's answer to one pair of a demo's Turing test (real photo or the model's?).
    Pairs are counted per model: `model` is the start of the sha256 of the weights that made
    the fake, so a retrained model starts a fresh tally."""

    __tablename__ = "turing_votes"
    __table_args__ = (UniqueConstraint("demo", "model", "photo", "reader"),)  # one vote per reader per pair

    id: Mapped[int] = mapped_column(primary_key=True)
    demo: Mapped[str] = mapped_column(String(50))
    model: Mapped[str] = mapped_column(String(16), index=True)
    photo: Mapped[str] = mapped_column(String(40))
    reader: Mapped[str] = mapped_column(String(80), index=True)  # "user:<id>" or "anon:<cookie token>"
    client: Mapped[str] = mapped_column(String(80), index=True)  # for the per-client rate limit
    real_side: Mapped[str] = mapped_column(String(5))  # "left" or "right": where the real photo was shown
    chose_real: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)
