"""`page_callback`: the one wrapper every dashboard callback goes through.

It resolves the logged-in user, enforces the roles that may run the callback, and turns a
`DomainError` raised by a service into an alert in one of the callback's outputs:

    @app.callback(
        output={"feedback": Output("cs-invite-result", "children"), **error_outputs(INVITE_FIELDS), ...},
        inputs={"clicks": Input("cs-invite-submit", "n_clicks"), ...},
        prevent_initial_call=True,
    )
    @page_callback(Role.TRAINER, alert="feedback", fields=INVITE_FIELDS)
    def invite(user, clicks, name, email):
        created = clients.create_client(user, {...})  # may raise DomainError
        return {"feedback": done("Invited."), **error_values({}, INVITE_FIELDS), ...}

- The wrapped function receives the user first, then Dash's arguments (positional or, with dict
  `inputs=`, keyword).
- No user (a layout built outside a request) or a role not listed: nothing updates
  (`PreventUpdate`, HTTP 204), as if the callback never ran.
- A `DomainError` rolls the session back (nothing a service flushed before refusing is kept) and
  becomes `render(error)` in the `alert` output; the form fields named in `fields`
  (control id -> the service's field name) show their messages from `error.errors`; every other
  output gets `others` (no update by default; None clears charts that would otherwise show stale
  data). Outputs are named by a dict `output={...}`; a callback with one plain `Output` just
  returns the alert. Without `alert` the error propagates: a callback that can raise one must
  say where it is shown.
- An input of a type the callback cannot use (a list where a text box's string belongs, a huge
  number, a dict for a date) is a 400 in the error envelope, never a 500: the renderer never
  sends those, so only a forged request does. This is the one place that decides it.
- Errors the page shows differently (an empty state rather than an alert) go through `render`,
  which receives the error and may look at its class.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import dash
from dash.exceptions import PreventUpdate
from sqlalchemy.exc import DataError

from dashboards.auth import current_dashboard_user
from dashboards.forms import error_values, problem
from fitbud.auth.roles import Role
from fitbud.errors import BadRequestError, DomainError
from fitbud.extensions import db
from fitbud.services.inputs import out_of_range

F = TypeVar("F", bound=Callable[..., Any])
logger = logging.getLogger("fitbud.dashboards")
# What Python (or the database, for a number past its columns) raises on a value of the wrong
# type or size for what the code does with it.
UNUSABLE_INPUT = (TypeError, ValueError, AttributeError, KeyError, IndexError, OverflowError, DataError)


def page_callback(
    *roles: Role,
    alert: str | None = None,
    fields: Mapping[str, str] | None = None,
    render: Callable[[DomainError], Any] = problem,
    others: Any = dash.no_update,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Run the callback for a logged-in user of one of `roles`, showing domain errors in `alert`.

    Place it under `@app.callback(...)`; see the module docstring for the contract.
    """
    if not roles:
        raise TypeError("page_callback needs the roles that may run the callback")
    allowed = frozenset(roles)
    form_fields = dict(fields or {})

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> Any:
            user = current_dashboard_user()
            if user is None or user.role not in allowed:
                raise PreventUpdate
            if out_of_range([args, kwargs]):
                # A number no component holds (past 32 bits, or not finite): a forged request.
                raise BadRequestError("The page sent a number out of range; reload the page.")
            try:
                return func(user, *args, **kwargs)
            except DomainError as error:
                if alert is None:
                    raise
                # As the API's error handler does: a refused change leaves nothing flushed behind
                # (a service may have flushed rows before a later rule refused the request).
                db.session.rollback()
                return error_outputs(error, alert, form_fields, render, others)
            except UNUSABLE_INPUT as error:
                # The renderer only sends what the page's components hold; a value of another type
                # (a list for a text box, a dict for a date) is a forged request, answered as one:
                # a 400 envelope, never a 500. Logged with its traceback, should it be a bug after all.
                logger.warning("callback %s refused its inputs", func.__name__, exc_info=error)
                raise BadRequestError("The page sent a value it cannot use; reload the page.") from None

        del run.__wrapped__  # Dash passes Dash's arguments only: don't advertise `user` as one
        run.roles = allowed  # type: ignore[attr-defined]  # who may run it (tests walk every callback)
        return run

    return decorate


def error_outputs(
    error: DomainError, alert: str, fields: Mapping[str, str], render: Callable[[DomainError], Any], others: Any
) -> Any:
    """The outputs of a callback that raised `error`: the alert, the fields' messages, `others` elsewhere.

    A callback with a single (non-dict) output gets just the alert; `alert` only documents it then.
    """
    ctx = dash.callback_context
    if not ctx.using_outputs_grouping:
        if isinstance(ctx.outputs_list, dict) and not fields:
            return render(error)
        raise TypeError("page_callback(alert=...) needs dict outputs (output={...}) or a single output") from error
    names = ctx.outputs_grouping
    values = dict.fromkeys(names, others)
    values.update(error_values(error.errors, fields))
    values[alert] = render(error)
    unknown = set(values) - set(names)
    if unknown:
        raise KeyError(f"page_callback names outputs the callback lacks: {sorted(unknown)}") from error
    return values
