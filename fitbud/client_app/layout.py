"""What every app page shows around its content: the navigation, the unread badge, units and dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask import Blueprint, current_app, g, request, url_for

from fitbud.client_app.offline import user_key
from fitbud.client_app.session import app_client, csrf_value
from fitbud.services import messaging
from fitbud.services.local_time import zone_of
from fitbud.services.units import from_si_length, from_si_mass, length_unit, mass_unit

# The app's sections, in the order the navigation lists them. A section shows once its page
# exists (its endpoint is registered), so pages can land one at a time.
SECTIONS = (
    ("Today", "client_app.today", "today"),
    ("Plan", "client_app.plan", "plan"),
    ("Progress", "client_app.progress", "progress"),
    ("Check-in", "client_app.check_in", "check-in"),
    ("Messages", "client_app.messages", "messages"),
    ("Sessions", "client_app.sessions", "sessions"),
    ("Billing", "client_app.billing", "billing"),
    ("Import", "client_app.imports_page", "import"),
    ("Profile", "client_app.profile", "profile"),
)
# On a phone the tab bar holds these (when they exist); the rest sit under "More".
TAB_BAR = ("client_app.today", "client_app.plan", "client_app.progress", "client_app.messages")


@dataclass(frozen=True)
class NavItem:
    """One section in the navigation."""

    label: str
    url: str
    icon: str
    current: bool
    badge: int = 0


def nav_items() -> list[NavItem]:
    """The sections that exist, the one being shown marked current, Messages with its unread count."""
    items = []
    unread = g.get("app_unread", 0)
    for label, endpoint, icon in SECTIONS:
        if endpoint not in current_app.view_functions:
            continue
        items.append(
            NavItem(
                label=label,
                url=url_for(endpoint),
                icon=icon,
                current=request.endpoint == endpoint or g.get("app_section") == endpoint,
                badge=unread if endpoint == "client_app.messages" else 0,
            )
        )
    return items


def long_date(day: date) -> str:
    """ "Monday 7 December" (with the year when it is not this year's)."""
    text = f"{day:%A} {day.day} {day:%B}"
    return text if day.year == date.today().year else f"{text} {day.year}"


def short_date(day: date) -> str:
    """ "7 Dec"."""
    return f"{day.day} {day:%b}"


def mass(kg: float | None) -> str:
    """A mass in the client's unit: "72.4 kg" or "159.6 lb"."""
    unit_system = g.app_user.unit_system
    return f"{number(from_si_mass(kg, unit_system))} {mass_unit(unit_system)}" if kg is not None else ""


def length_value(cm: float | None) -> str:
    """A length in the client's unit: "81 cm" or "31.9 in"."""
    unit_system = g.app_user.unit_system
    return f"{number(from_si_length(cm, unit_system))} {length_unit(unit_system)}" if cm is not None else ""


def local_time(value: datetime) -> str:
    """A moment in the client's timezone: "7 Dec, 14:05"."""
    local = value.astimezone(zone_of(app_client()))
    return f"{local.day} {local:%b}, {local:%H:%M}"


def number(value: float | None, decimals: int = 1) -> str:
    """A quantity without a trailing ".0"."""
    if value is None:
        return ""
    text = f"{value:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def inject() -> dict:
    """Template context of every app page: the user, their units, the navigation."""
    user = g.get("app_user")
    # When the page was made: a copy the service worker shows offline says how old it is.
    rendered_at = datetime.now(UTC).isoformat(timespec="seconds")
    if user is None:
        return {"rendered_at": rendered_at}
    if "app_unread" not in g:
        g.app_unread = messaging.unread_total(user)
    tab_endpoints = {url_for(endpoint) for endpoint in TAB_BAR if endpoint in current_app.view_functions}
    items = nav_items()
    return {
        "me": user,
        "rendered_at": rendered_at,
        "user_key": user_key(user.id),
        "csrf": csrf_value(),
        "mass_unit": mass_unit(user.unit_system),
        "length_unit": length_unit(user.unit_system),
        "nav": items,
        "tab_items": [item for item in items if item.url in tab_endpoints],
        "more_items": [item for item in items if item.url not in tab_endpoints],
        "unread": g.app_unread,
    }


def init_layout(bp: Blueprint) -> None:
    """Give the app's templates their context and formatting filters."""
    bp.context_processor(inject)
    bp.add_app_template_filter(long_date, "long_date")
    bp.add_app_template_filter(short_date, "short_date")
    bp.add_app_template_filter(number, "num")
    bp.add_app_template_filter(local_time, "local_time")
    bp.add_app_template_filter(mass, "mass")
    bp.add_app_template_filter(length_value, "length_value")
