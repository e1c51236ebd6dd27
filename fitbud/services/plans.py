"""Plan templates: a trainer's reusable workout and diet plans, validated, versioned and archivable."""

from __future__ import annotations

import copy
from typing import Any

from sqlalchemy import ColumnElement, Select, delete, exists, func, or_, select

from fitbud.errors import ConflictError, NotFoundError
from fitbud.extensions import db
from fitbud.models import PlanAssignment, PlanKind, PlanTemplate, User, utcnow
from fitbud.models.types import json_array_contains
from fitbud.services.plan_content import diet_totals, validate_content

PLAN_SORTS: dict[str, tuple[ColumnElement[Any], ...]] = {
    "name": (PlanTemplate.name.asc(),),
    "-name": (PlanTemplate.name.desc(),),
    "created": (PlanTemplate.created_at.asc(),),
    "-created": (PlanTemplate.created_at.desc(),),
    "updated": (PlanTemplate.updated_at.asc(),),
    "-updated": (PlanTemplate.updated_at.desc(),),
}
NAME_MAX = 120


def clean_tags(tags: list[str]) -> list[str]:
    """Tags trimmed, lower-cased and without repeats, in the order given."""
    return list(dict.fromkeys(tag.strip().lower() for tag in tags if tag.strip()))


def totals_of(plan: PlanTemplate | PlanAssignment) -> list[dict[str, Any]] | None:
    """Daily and per-meal totals of a diet plan (None for a workout plan)."""
    return diet_totals(plan.content) if plan.kind is PlanKind.DIET else None


def list_plans(
    trainer: User,
    *,
    kind: PlanKind | None = None,
    search: str | None = None,
    tags: list[str] | None = None,
    archived: bool = False,
    sort: str = "-updated",
) -> Select:
    """The trainer's templates as a statement for the caller to paginate."""
    statement = select(PlanTemplate).where(PlanTemplate.trainer_id == trainer.id)
    statement = statement.where(
        PlanTemplate.archived_at.is_not(None) if archived else PlanTemplate.archived_at.is_(None)
    )
    if kind is not None:
        statement = statement.where(PlanTemplate.kind == kind)
    if search:
        pattern = "%" + search.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        statement = statement.where(
            or_(
                func.lower(PlanTemplate.name).like(pattern, escape="\\"),
                func.lower(PlanTemplate.description).like(pattern, escape="\\"),
            )
        )
    for tag in clean_tags(tags or []):
        statement = statement.where(json_array_contains(PlanTemplate.tags, tag))
    return statement.order_by(*PLAN_SORTS[sort], PlanTemplate.id.asc())


def find_plans(
    trainer: User,
    *,
    kind: PlanKind | None = None,
    search: str | None = None,
    archived: bool = False,
    sort: str = "-updated",
    limit: int | None = 200,
) -> list[PlanTemplate]:
    """The trainer's templates as rows in `sort` order (PLAN_SORTS), at most `limit` of them (None: all)."""
    statement = list_plans(trainer, kind=kind, search=search, archived=archived, sort=sort)
    return list(db.session.execute(statement.limit(limit)).scalars())


def get_plan(trainer: User, plan_id: int, *, for_update: bool = False) -> PlanTemplate:
    """One of the trainer's templates, or 404 (also when it is someone else's)."""
    statement = select(PlanTemplate).where(PlanTemplate.id == plan_id, PlanTemplate.trainer_id == trainer.id)
    if for_update:
        statement = statement.with_for_update()
    plan = db.session.execute(statement).scalar_one_or_none()
    if plan is None:
        raise NotFoundError("No such plan.")
    return plan


def create_plan(trainer: User, data: dict[str, Any]) -> PlanTemplate:
    """A new template at version 1; its content is validated against its kind and the trainer's library."""
    kind = PlanKind(data["kind"])
    plan = PlanTemplate(
        trainer_id=trainer.id,
        kind=kind,
        name=data["name"],
        description=data.get("description", ""),
        tags=clean_tags(data.get("tags", [])),
        content=validate_content(kind, data["content"], trainer.id),
        version=1,
    )
    db.session.add(plan)
    db.session.commit()
    return plan


def update_plan(trainer: User, plan_id: int, data: dict[str, Any]) -> PlanTemplate:
    """Edit a template; every successful edit bumps its version. Assigned snapshots never change."""
    plan = get_plan(trainer, plan_id, for_update=True)
    if "version" in data and data["version"] != plan.version:
        raise ConflictError(
            f"The plan changed since you loaded it (now version {plan.version}); reload and retry.",
            errors={"version": [f"current version is {plan.version}"]},
        )
    edits = {key for key in data if key not in ("version", "archived")}
    archived = data.get("archived", plan.archived_at is not None)
    if edits and archived:
        raise ConflictError(
            "This plan is archived; restore it (archived: false) to edit it.", errors={"plan": ["archived"]}
        )
    if "content" in data:
        plan.content = validate_content(plan.kind, data["content"], trainer.id)
    if "name" in data:
        plan.name = data["name"]
    if "description" in data:
        plan.description = data["description"]
    if "tags" in data:
        plan.tags = clean_tags(data["tags"])
    if "archived" in data:
        plan.archived_at = (plan.archived_at or utcnow()) if data["archived"] else None
    plan.version += 1
    db.session.commit()
    return plan


def duplicate_plan(trainer: User, plan_id: int, name: str | None = None) -> PlanTemplate:
    """A new template (version 1, not archived) with the same kind, content and tags."""
    original = get_plan(trainer, plan_id)
    copy_name = name or f"{original.name} (copy)"
    plan = PlanTemplate(
        trainer_id=trainer.id,
        kind=original.kind,
        name=copy_name[:NAME_MAX],
        description=original.description,
        tags=list(original.tags),
        content=copy.deepcopy(original.content),
        version=1,
        source=original.source,
    )
    db.session.add(plan)
    db.session.commit()
    return plan


def delete_plan(trainer: User, plan_id: int) -> PlanTemplate | None:
    """Delete a template, or archive it when clients were given it (returned; None if deleted)."""
    plan = get_plan(trainer, plan_id, for_update=True)
    assigned = db.session.execute(select(exists().where(PlanAssignment.plan_id == plan.id))).scalar()
    if assigned:
        if plan.archived_at is None:
            plan.archived_at = utcnow()
            plan.version += 1
        db.session.commit()
        return plan
    db.session.execute(delete(PlanTemplate).where(PlanTemplate.id == plan.id))
    db.session.commit()
    return None
