"""Import: upload another app's or device's file, follow its progress, read the result, undo it.

The same service as POST /api/v1/me/imports: small files are read during the upload, large ones
in a job whose progress the result page polls (htmx, every POLL_SECONDS) until it is done.
"""

from __future__ import annotations

from flask import Response, current_app, g, make_response, redirect, render_template, request, url_for

from fitbud.client_app import bp
from fitbud.client_app.session import app_user
from fitbud.errors import DomainError
from fitbud.models import ImportStatus
from fitbud.services import exercises, imports

RECENT_IMPORTS = 10
POLL_SECONDS = 2
# Room for the multipart envelope around the file.
MULTIPART_OVERHEAD = 64 * 1024
KIND_LABELS = {
    "activities": "Activities",
    "workouts": "Strength workouts",
    "body_metrics": "Body measurements",
    "daily_metrics": "Daily steps and resting heart rate",
}
UPLOAD_ENDPOINT = "client_app.upload_import"


@bp.url_value_preprocessor
def _room_for_uploads(endpoint: str | None, _values: dict | None) -> None:
    """An export is far larger than a form: raise the body limit for the upload alone.

    A URL value preprocessor because Flask runs those before every before_request hook: the
    app's input guard and the login guard's CSRF check both read the form (the whole body),
    and would answer 413 at MAX_CONTENT_LENGTH before a before_request of this blueprint ran.
    """
    if endpoint == UPLOAD_ENDPOINT:
        request.max_content_length = current_app.config["IMPORT_MAX_BYTES"] + MULTIPART_OVERHEAD


def _page(error: str | None = None, status: int = 200) -> Response:
    user = app_user()
    recent = imports.recent_own(user, RECENT_IMPORTS)
    return make_response(
        render_template(
            "client_app/imports.html",
            recent=recent,
            source=imports.source_label,
            error=error,
            max_mb=current_app.config["IMPORT_MAX_BYTES"] // (1024 * 1024),
        ),
        status,
    )


@bp.get("/app/import")
def imports_page() -> Response:
    """The upload form and the client's latest imports."""
    return _page()


@bp.post("/app/import")
def upload_import() -> Response:
    """Upload a file; then the result page (which follows a queued import's progress)."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _page("Choose a file to import.", 422)
    try:
        record = imports.start_import(
            app_user(), upload.stream, upload.filename, skip_unmatched=request.form.get("skip_unmatched") == "on"
        )
    except DomainError as error:
        detail = "; ".join(str(message) for messages in error.errors.values() for message in messages)
        return _page(f"{error.message} {detail}".strip() if detail not in error.message else error.message, 422)
    return redirect(url_for("client_app.import_result", import_id=record.id), 303)


def _result(import_id: int, template: str, error: str | None = None, status: int = 200) -> Response:
    g.app_section = "client_app.imports_page"
    user = app_user()
    record = imports.get_own(user, import_id)
    needs_names = record.status is ImportStatus.NEEDS_MAPPING
    return make_response(
        render_template(
            template,
            record=record,
            source=imports.source_label(record),
            kinds=KIND_LABELS,
            working=record.status in (ImportStatus.QUEUED, ImportStatus.RUNNING),
            poll_seconds=POLL_SECONDS,
            library=sorted(exercises.library_for(user).exercises, key=lambda item: item.name) if needs_names else [],
            mapped=request.args.get("mapped") == "1",
            mapping_error=error,
        ),
        status,
    )


@bp.get("/app/import/<int:import_id>")
def import_result(import_id: int) -> Response:
    """What an import found, added and already had; its error and where; unmatched exercise names."""
    return _result(import_id, "client_app/import_result.html")


@bp.get("/app/import/<int:import_id>/status")
def import_status(import_id: int) -> Response:
    """The result box alone, polled by the result page while the import's job runs."""
    return _result(import_id, "client_app/_import_status.html")


@bp.post("/app/import/<int:import_id>/undo")
def undo_import(import_id: int) -> Response:
    """Remove what the import added; back to its result."""
    try:
        imports.undo_import(app_user(), import_id)
    except DomainError as error:
        if error.status_code == 404:
            raise
    return redirect(url_for("client_app.import_result", import_id=import_id), 303)


@bp.post("/app/import/<int:import_id>/names")
def map_import_names(import_id: int) -> Response:
    """Remember which library exercise each unmatched name stands for; then the file can be imported again."""
    record = imports.get_own(app_user(), import_id)
    mappings = []
    for index, name in enumerate(record.unmatched):
        chosen = request.form.get(f"name-{index}", "")
        if chosen.isdigit():
            mappings.append({"name": name, "exercise_id": int(chosen)})
    if not mappings:
        return _result(import_id, "client_app/import_result.html", "Choose an exercise for at least one name.", 422)
    try:
        imports.set_own_mappings(app_user(), mappings)
    except DomainError as error:
        return _result(import_id, "client_app/import_result.html", error.message, 422)
    return redirect(url_for("client_app.import_result", import_id=import_id, mapped=1), 303)
