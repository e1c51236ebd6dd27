"""Plan rows for the dashboard's list: the trainer's own templates, filtered and capped."""

from __future__ import annotations

from fitbud.models import PlanKind, utcnow
from fitbud.services import plans
from tests.factories import PlanTemplateFactory, diet_content


def test_find_plans_lists_only_the_trainers_current_templates(trainer, other_trainer):
    mine = PlanTemplateFactory(trainer=trainer, name="Mine")
    PlanTemplateFactory(trainer=trainer, name="Old", archived_at=utcnow())
    PlanTemplateFactory(trainer=other_trainer, name="Theirs")
    assert [plan.id for plan in plans.find_plans(trainer)] == [mine.id]
    assert [plan.name for plan in plans.find_plans(trainer, archived=True)] == ["Old"]


def test_find_plans_filters_by_kind_and_search_and_caps_the_rows(trainer):
    PlanTemplateFactory(trainer=trainer, name="Cut diet", kind=PlanKind.DIET, content=diet_content())
    for number in range(3):
        PlanTemplateFactory(trainer=trainer, name=f"Strength {number}")
    assert [plan.name for plan in plans.find_plans(trainer, kind=PlanKind.DIET)] == ["Cut diet"]
    assert len(plans.find_plans(trainer, search="strength")) == 3
    assert len(plans.find_plans(trainer, limit=2)) == 2
