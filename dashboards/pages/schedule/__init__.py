"""Schedule: the trainer's week and month calendar, booking (once or weekly), moves, statuses, hours.

Everything goes through the scheduling and availability services; the conflict preview
expands and checks a booking as booking it would, so what the trainer sees before saving is
what the service would refuse. layout.py builds the page, views.py draws the calendar and a
session's details, forms.py reads the forms and books, callbacks.py wires them up.
"""

from __future__ import annotations

from dashboards.page import Page
from dashboards.pages.schedule.callbacks import register_callbacks
from dashboards.pages.schedule.layout import layout
from fitbud.auth.roles import Role

PAGE = Page(
    path="schedule",
    name="Schedule",
    roles=frozenset({Role.TRAINER}),
    layout=layout,
    register_callbacks=register_callbacks,
)
