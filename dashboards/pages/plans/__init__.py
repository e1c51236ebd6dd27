"""Plans: the trainer's template list, and the workout and diet template editor.

Saving goes through the API's own input shapes and the plans service, so the editor applies
exactly the API's rules; a 422's paths map onto the editor's fields. layout.py builds the list
and the editor, forms.py the editor's form, draft.py edits and saves the draft, callbacks.py
wires them up.
"""

from __future__ import annotations

from dashboards.page import Page
from dashboards.pages.plans.callbacks import register_callbacks
from dashboards.pages.plans.layout import every_component, layout
from fitbud.auth.roles import Role

PAGE = Page(
    path="plans",
    name="Plans",
    roles=frozenset({Role.TRAINER}),
    layout=layout,
    register_callbacks=register_callbacks,
    more_paths=("plans/<plan_id>",),
    validation_layout=every_component,
)
