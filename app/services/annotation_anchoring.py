"""Re-anchor a paper's annotations after its summary changed (same rules as the browser)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import Annotation, Paper
from app.services.text_anchoring import anchor, summary_text


@dataclass
class ReanchorReport:
    placed: list[str] = field(default_factory=list)
    orphaned: list[str] = field(default_factory=list)


def reanchor_paper(session: Session, paper: Paper) -> ReanchorReport:
    """Moves each passage annotation to where its quote now is (new position selector and
    summary version) or marks it orphaned: a deleted paragraph must never become a
    highlight on the wrong words."""
    report = ReanchorReport()
    text = summary_text(paper.html)
    passages = session.scalars(select(Annotation).where(
        Annotation.paper_id == paper.id, Annotation.parent_id.is_(None), Annotation.content_hash != paper.content_hash,
    ))
    for annotation in passages:
        found = anchor(text, {
            "exact": annotation.quote_exact, "prefix": annotation.quote_prefix, "suffix": annotation.quote_suffix,
            "start": annotation.position_start, "end": annotation.position_end,
        })
        if found is None:
            annotation.orphaned = True
            report.orphaned.append(annotation.id)
            continue
        annotation.position_start, annotation.position_end = found
        annotation.orphaned = False
        annotation.content_hash = paper.content_hash
        report.placed.append(annotation.id)
    return report
