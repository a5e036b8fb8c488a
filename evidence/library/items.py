"""The evidence library: recording evidence items, linking them to judgements, finding them.

Service functions take plain values, check everything before writing anything, record each
change in the audit log, and leave committing to the caller (one request, one transaction).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Select, case, func, or_, select

from councils import audit_log, standing_cache
from councils.db import db
from councils.errors import InputError, keep, raise_all
from councils.ids import record_id
from councils.models import ServiceArea, User
from councils.tenancy import find
from councils.versions import saving, touch
from evidence.library.models import EvidenceItem, EvidenceKind, EvidenceLink, EvidenceStatus, Leaning
from judgement_framework import Framework, load_framework

ITEM_FIELDS = [
    "title",
    "kind",
    "summary",
    "grade",
    "leaning",
    "evidence_date",
    "review_by",
    "owner_id",
    "service_area",
    "source_reference",
    "status",
]


class EvidenceError(InputError):
    """Bad input to the evidence library or a case audit."""


def framework_of(council_or_review) -> Framework:
    """The framework a council prepares against, or a review (mock inspection) is graded on."""
    return load_framework(council_or_review.framework_id)


@dataclass
class EvidenceFields:
    title: str
    kind: EvidenceKind
    leaning: Leaning
    evidence_date: date
    summary: str = ""
    grade: str | None = None
    review_by: date | None = None
    owner_id: int | None = None
    service_area: ServiceArea | None = None
    source_reference: str = ""
    status: EvidenceStatus = EvidenceStatus.DRAFT
    links: list[str] = field(default_factory=list)


def parse_link(value: str, framework: Framework) -> tuple[str, str | None]:
    """'area' or 'area:criterion' into ids the framework knows. The refusal never repeats the
    id: a person chose from a list, so an unknown one was not theirs to read."""
    area_id, _, criterion_id = value.partition(":")
    area = framework.area_by_id.get(area_id)
    if area is None:
        raise EvidenceError("Choose judgement areas from the options shown", "links")
    if criterion_id and criterion_id not in {c.id for c in area.criteria}:
        raise EvidenceError(f"A criterion chosen is not one of the area '{area.title}'", "links")
    return area_id, criterion_id or None


def check_grade(grade: str | None, framework: Framework, field_name: str = "grade") -> None:
    if grade and grade not in framework.grade_rank:
        # In words, as a person reads and an import file may write them ("requires improvement").
        names = ", ".join(g.id.replace("_", " ") for g in framework.grades)
        raise EvidenceError(f"Choose a grade on the scale: {names}", field_name)


def check_not_future(day: date, today: date, field_name: str, label: str) -> None:
    if day > today:
        raise EvidenceError(f"{label} must be today or in the past", field_name)


def _check(fields: EvidenceFields, framework: Framework, today: date) -> list[tuple[str, str | None]]:
    """Everything wrong with the item, all at once, before anything is written."""
    problems: list[InputError] = []
    if not (fields.title or "").strip():
        problems.append(EvidenceError("Enter a title for the evidence", "title"))
    keep(problems, check_grade, fields.grade, framework)
    if fields.evidence_date is None:
        problems.append(EvidenceError("Enter the date of the evidence", "evidence_date"))
    else:
        keep(problems, check_not_future, fields.evidence_date, today, "evidence_date", "The date of the evidence")
        if fields.review_by and fields.review_by < fields.evidence_date:
            problems.append(
                EvidenceError("The review-by date must be on or after the date of the evidence", "review_by")
            )
    if fields.owner_id is not None and find(User, fields.owner_id) is None:
        problems.append(EvidenceError("Choose an owner from your council", "owner_id"))
    links = parse_links(fields.links, framework, problems, "links")
    if fields.status is EvidenceStatus.ACCEPTED and not fields.links:
        problems.append(EvidenceError("Link accepted evidence to at least one judgement area", "links"))
    raise_all(problems)
    return links


def parse_links(values: list[str], framework: Framework, problems: list[InputError], field_name: str) -> list:
    """Each distinct link parsed; one problem on the field however many of them are unknown."""
    links, refused = [], []
    for value in values:
        link = keep(refused, parse_link, value, framework)
        if link is not None and link not in links:
            links.append(link)
    for message in dict.fromkeys(str(problem) for problem in refused):
        problems.append(EvidenceError(message, field_name))
    return links


def check_item(fields: EvidenceFields, framework: Framework, today: date) -> None:
    """The checks of an item's fields alone, writing nothing: a form runs them beside its own
    field checks so every problem is shown at once."""
    _check(fields, framework, today)


def create_item(fields: EvidenceFields, framework: Framework, today: date) -> EvidenceItem:
    links = _check(fields, framework, today)
    item = EvidenceItem(**_values(fields))
    item.links = [EvidenceLink(area_id=a, criterion_id=c) for a, c in links]
    db.session.add(item)
    db.session.flush()
    audit_log.record("evidence.created", "evidence_item", item.id, after=_snapshot(item))
    return item


def update_item(item: EvidenceItem, fields: EvidenceFields, framework: Framework, today: date, *, version: int) -> None:
    """Change the item, if the person's form was based on the version now saved."""
    links = _check(fields, framework, today)
    with saving(item, "evidence", version):
        before = _snapshot(item)
        for name, value in _values(fields).items():
            setattr(item, name, value)
        wanted = set(links)
        item.links = [link for link in item.links if (link.area_id, link.criterion_id) in wanted]
        present = {(link.area_id, link.criterion_id) for link in item.links}
        item.links.extend(EvidenceLink(area_id=a, criterion_id=c) for a, c in links if (a, c) not in present)
    audit_log.record("evidence.updated", "evidence_item", item.id, before=before, after=_snapshot(item))


def check_archivable(item: EvidenceItem) -> None:
    """What refuses archiving the item now, writing nothing (its confirmation says it)."""
    if item.status is EvidenceStatus.ARCHIVED:
        raise EvidenceError("This evidence is already archived", "status")


def archive_item(item: EvidenceItem) -> None:
    check_archivable(item)
    before = _snapshot(item)
    item.status = EvidenceStatus.ARCHIVED
    db.session.flush()
    audit_log.record("evidence.archived", "evidence_item", item.id, before=before, after=_snapshot(item))


def link_area(item: EvidenceItem, value: str, framework: Framework) -> EvidenceLink:
    area_id, criterion_id = parse_link(value, framework)
    if any((link.area_id, link.criterion_id) == (area_id, criterion_id) for link in item.links):
        raise EvidenceError("The evidence is already linked to that area or criterion", "link")
    link = EvidenceLink(area_id=area_id, criterion_id=criterion_id)
    item.links.append(link)
    touch(item)  # the edit form lists the links: one opened before this is stale
    db.session.flush()
    audit_log.record(
        "evidence.linked", "evidence_item", item.id, after={"area_id": area_id, "criterion_id": criterion_id}
    )
    return link


def unlink_area(item: EvidenceItem, link: EvidenceLink) -> None:
    if link.evidence_item_id != item.id:
        raise EvidenceError("That link belongs to other evidence", "link")
    if item.status is EvidenceStatus.ACCEPTED and len(item.links) == 1:
        raise EvidenceError("Accepted evidence must stay linked to at least one judgement area", "link")
    before = {"area_id": link.area_id, "criterion_id": link.criterion_id}
    item.links.remove(link)
    touch(item)
    db.session.flush()
    audit_log.record("evidence.unlinked", "evidence_item", item.id, before=before)


def _values(fields: EvidenceFields) -> dict:
    values = {name: getattr(fields, name) for name in ITEM_FIELDS}
    values["title"] = fields.title.strip()
    values["grade"] = fields.grade or None
    return values


def _snapshot(item: EvidenceItem) -> dict:
    data = audit_log.snapshot(item, ITEM_FIELDS)
    data["links"] = sorted(f"{link.area_id}:{link.criterion_id or ''}".rstrip(":") for link in item.links)
    return data


# Finding evidence ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    area: str = ""  # an area id, or 'area:criterion'
    kind: str = ""
    service_area: str = ""
    owner: str = ""
    stale: bool = False
    grade: str = ""
    status: str = ""  # blank: draft and accepted, not archived

    def as_args(self) -> dict[str, str]:
        args = {k: v for k, v in self.__dict__.items() if v and k != "stale"}
        if self.stale:
            args["stale"] = "yes"
        return args


def stale_condition(today: date, freshness_days: int):
    """Older than the council's freshness window, or past its own review-by date."""
    return or_(
        EvidenceItem.evidence_date < today - timedelta(days=freshness_days),
        EvidenceItem.review_by < today,
    )


def is_stale(item: EvidenceItem, today: date, freshness_days: int) -> bool:
    old = item.evidence_date < today - timedelta(days=freshness_days)
    return old or (item.review_by is not None and item.review_by < today)


def in_label_order(column, enum_class):
    """A column of a labelled enum in the order of its labels, as the list shows them."""
    return case(*((column == m, rank) for rank, m in enumerate(sorted(enum_class, key=lambda m: m.label))))


# What the evidence list may be sorted by (inspect_ready/sorting.py reads the request).
SORTS = {
    "title": lambda: func.lower(EvidenceItem.title),
    "kind": lambda: in_label_order(EvidenceItem.kind, EvidenceKind),
    "date": lambda: EvidenceItem.evidence_date,
    "status": lambda: in_label_order(EvidenceItem.status, EvidenceStatus),
}


def find_items(
    filters: Filters,
    framework: Framework,
    today: date,
    freshness_days: int,
    sort: str = "date",
    descending: bool = True,
) -> Select:
    """The query behind the evidence list; a filter naming an unknown id is an error. Sorted
    by one of SORTS, newest first within it, then by id so a page's rows never swap."""
    column = SORTS[sort]()
    # Newest first within the chosen order; by date, the date once, so the database reads
    # the page from its (council, date, id) index and stops.
    then = [EvidenceItem.id.desc()] if sort == "date" else [EvidenceItem.evidence_date.desc(), EvidenceItem.id.desc()]
    query = select(EvidenceItem).order_by(column.desc() if descending else column.asc(), *then)
    if filters.area:
        area_id, criterion_id = parse_link(filters.area, framework)
        linked = select(EvidenceLink.evidence_item_id).where(EvidenceLink.area_id == area_id)
        if criterion_id:
            linked = linked.where(EvidenceLink.criterion_id == criterion_id)
        query = query.where(EvidenceItem.id.in_(linked))
    if filters.kind:
        query = query.where(EvidenceItem.kind == _member(EvidenceKind, filters.kind, "kind"))
    if filters.service_area:
        query = query.where(EvidenceItem.service_area == _member(ServiceArea, filters.service_area, "service_area"))
    if filters.owner:
        owner_id = record_id(filters.owner)
        if owner_id is None:
            raise EvidenceError("Choose an owner from the list", "owner")
        query = query.where(EvidenceItem.owner_id == owner_id)
    if filters.grade:
        check_grade(filters.grade, framework)
        query = query.where(EvidenceItem.grade == filters.grade)
    if filters.status:
        query = query.where(EvidenceItem.status == _member(EvidenceStatus, filters.status, "status"))
    else:
        query = query.where(EvidenceItem.status != EvidenceStatus.ARCHIVED)
    if filters.stale:
        query = query.where(stale_condition(today, freshness_days))
    return query


def count_items(council_id: int, query: Select, filters: Filters, today: date) -> int:
    """How many items `find_items(filters, ...)` finds. Counting every match is the one part of
    the list that grows with the council, so the count is kept until its evidence next changes
    (councils/standing_cache.py: any write to an item or a link moves the version); staleness
    depends on the day too."""
    key = "library-count:" + "&".join(f"{k}={v}" for k, v in sorted(filters.as_args().items()))
    if filters.stale:
        key += f":{today.isoformat()}"
    counting = select(func.count()).select_from(query.order_by(None).subquery())
    return standing_cache.cached(council_id, key, lambda: db.session.scalar(counting), small=True)


def _member(enum_class, value: str, field_name: str):
    try:
        return enum_class(value)
    except ValueError:
        raise EvidenceError(f"Choose a {field_name.replace('_', ' ')} from the options shown", field_name) from None
