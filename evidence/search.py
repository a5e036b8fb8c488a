"""Finding things by words across the council's evidence, case audits, actions and gaps.

On PostgreSQL the words are matched by its full-text search (English stemming, so "audits"
finds "audit", and results ranked by relevance), served by expression indexes the migration
adds. SQLite has no such search built in; there every word must appear in one of the fields,
whatever its case, and results come newest first. Gaps are not stored rows: they come from
the council's standing, so they are matched in Python over its sentences.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, desc, func, literal_column, select

from councils.db import db
from evidence.action_plan.models import Action
from evidence.case_audits.models import CaseAudit
from evidence.library.models import EvidenceItem, EvidenceKind
from judgement_framework.results import Gap

MAX_WORDS = 10
PER_SECTION = 20


@dataclass(frozen=True)
class Found:
    """One section's results: the first rows and how many there are in all."""

    rows: list
    total: int


def words_of(query: str) -> list[str]:
    # Characters the databases read as syntax (% and _ in LIKE, : & | ! in tsquery) are
    # plain text here: plainto_tsquery and an escaped LIKE treat them so.
    return [word for word in query.split() if word][:MAX_WORDS]


def _text(columns: Sequence) -> object:
    """The searched text of a row: its fields joined, blanks as empty. Constants are written
    into the SQL, not bound, so PostgreSQL can match the expression to its index."""
    blank, space = literal_column("''"), literal_column("' '")
    joined = func.coalesce(columns[0], blank)
    for column in columns[1:]:
        joined = joined.op("||")(space).op("||")(func.coalesce(column, blank))
    return joined


ENGLISH = literal_column("'english'::regconfig")


def _matching(model, columns: Sequence, words: list[str], newest, *, where=None):
    query = select(model) if where is None else select(model).where(where)
    if db.session.get_bind().dialect.name == "postgresql":
        document = func.to_tsvector(ENGLISH, _text(columns))
        wanted = func.plainto_tsquery(ENGLISH, " ".join(words))
        return query.where(document.op("@@")(wanted)).order_by(desc(func.ts_rank(document, wanted)), desc(newest))
    text = func.lower(_text(columns))
    every_word = and_(*(text.like(f"%{_escaped(word.lower())}%", escape="\\") for word in words))
    return query.where(every_word).order_by(desc(newest))


def _escaped(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _found(query) -> Found:
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    return Found(list(db.session.scalars(query.limit(PER_SECTION))), total or 0)


# The fields each kind of record is searched by: also the indexed expressions (migration).
EVIDENCE_FIELDS = (EvidenceItem.title, EvidenceItem.summary, EvidenceItem.source_reference)
AUDIT_FIELDS = (CaseAudit.case_reference, CaseAudit.team, CaseAudit.worker, CaseAudit.comment)
ACTION_FIELDS = (Action.what, Action.success_measure, Action.gap_sentence, Action.completion_evidence)


def evidence(words: list[str]) -> Found:
    # A case audit is also an evidence item; it is found once, among the case audits.
    not_audits = EvidenceItem.kind != EvidenceKind.CASE_AUDIT
    return _found(_matching(EvidenceItem, EVIDENCE_FIELDS, words, EvidenceItem.evidence_date, where=not_audits))


def audits(words: list[str]) -> Found:
    return _found(_matching(CaseAudit, AUDIT_FIELDS, words, CaseAudit.audit_date))


def actions(words: list[str]) -> Found:
    return _found(_matching(Action, ACTION_FIELDS, words, Action.due_date))


def gaps(all_gaps: Sequence[Gap], words: list[str]) -> Found:
    lowered = [word.lower() for word in words]
    chosen = [gap for gap in all_gaps if all(word in f"{gap.sentence} {gap.next_step}".lower() for word in lowered)]
    return Found(chosen[:PER_SECTION], len(chosen))
