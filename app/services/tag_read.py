"""Tags across papers and the annotations a viewer may see."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.models import Annotation, Paper, Tag, User, annotation_tags, paper_tags
from app.services.annotation_read import visible_to


def visible_annotation_tag_counts(session: Session, viewer: User | None) -> dict[str, int]:
    rows = session.execute(
        select(Tag.name, func.count())
        .join(annotation_tags, annotation_tags.c.tag_id == Tag.id)
        .join(Annotation, Annotation.id == annotation_tags.c.annotation_id)
        .where(visible_to(viewer))
        .group_by(Tag.name)
    )
    return dict(rows.all())


def tag_is_visible(session: Session, viewer: User | None, name: str) -> bool:
    """A tag page exists when a live paper or a visible annotation carries the tag; a tag
    used only on someone's private notes does not exist for anyone else."""
    on_paper = session.scalar(
        select(func.count()).select_from(paper_tags).join(Tag, Tag.id == paper_tags.c.tag_id)
        .join(Paper, Paper.id == paper_tags.c.paper_id)
        .where(Tag.name == name, Paper.removed_at.is_(None))
    )
    if on_paper:
        return True
    return bool(session.scalar(
        select(func.count(Annotation.id)).where(Annotation.tags.any(Tag.name == name), visible_to(viewer))
    ))


def suggest_tags(session: Session, viewer: User | None, prefix: str, *, limit: int = 10) -> list[str]:
    """For the editor's autocomplete: paper tags and visible annotation tags, most used first."""
    prefix = prefix.strip().lower()
    counts: dict[str, int] = {}
    paper_counts = session.execute(
        select(Tag.name, func.count()).join(paper_tags, paper_tags.c.tag_id == Tag.id).group_by(Tag.name)
    )
    for source in (dict(paper_counts.all()), visible_annotation_tag_counts(session, viewer)):
        for name, count in source.items():
            if name.startswith(prefix):
                counts[name] = counts.get(name, 0) + count
    return sorted(counts, key=lambda name: (-counts[name], name))[:limit]
