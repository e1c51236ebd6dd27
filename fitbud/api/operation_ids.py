"""The operationIds that deriving from the path (fitbud/ext/smorest.py) would make unclear or take twice.

Generated SDKs name their functions after operationIds, so these are part of v1: never rename one.
Keys are "METHOD /path" as the document writes them.
"""

from __future__ import annotations

OPERATION_ID_OVERRIDES = {
    # accounts
    "POST /api/v1/auth/register": "register",
    "POST /api/v1/auth/login": "login",
    "POST /api/v1/auth/refresh": "refresh_tokens",
    "POST /api/v1/auth/logout": "logout",
    "POST /api/v1/auth/accept-invite": "accept_invitation",
    "GET /api/v1/users/me": "get_current_user",
    "PATCH /api/v1/users/me": "update_current_user",
    "GET /api/v1/admin/users": "list_users",
    "PATCH /api/v1/admin/users/{user_id}": "update_user",
    "POST /api/v1/clients/{client_id}/invitation": "resend_client_invitation",
    "DELETE /api/v1/clients/{client_id}/invitation": "revoke_client_invitation",
    # a client's own plans, sessions, trainer and billing: beside the trainer's operations of the same name
    "GET /api/v1/me/plan": "get_my_plans",
    "GET /api/v1/me/sessions": "list_my_sessions",
    "GET /api/v1/me/sessions/{session_id}": "get_my_session",
    "POST /api/v1/me/sessions/{session_id}/cancel": "cancel_my_session",
    "GET /api/v1/me/sessions/requests": "list_my_session_requests",
    "GET /api/v1/me/availability": "get_my_trainer_availability",
    "GET /api/v1/me/billing": "get_my_billing",
    "GET /api/v1/me/billing/packages": "list_my_trainer_packages",
    "POST /api/v1/me/billing/checkout": "start_checkout",
    "POST /api/v1/me/billing/portal": "open_billing_portal",
    # progress
    "POST /api/v1/me/body-metrics/import": "import_body_metrics",
    "GET /api/v1/me/imports": "list_my_imports",
    "POST /api/v1/me/imports": "import_file",
    "GET /api/v1/me/imports/{import_id}": "get_my_import",
    "POST /api/v1/me/imports/{import_id}/undo": "undo_import",
    "GET /api/v1/me/exercise-mappings": "list_my_exercise_mappings",
    "PUT /api/v1/me/exercise-mappings": "set_my_exercise_mappings",
    "POST /api/v1/clients/{client_id}/check-ins/{check_in_id}/reply": "reply_to_check_in",
    # scheduling and messaging
    "POST /api/v1/sessions/{session_id}/status": "set_session_status",
    "GET /api/v1/trainers/me/working-hours": "list_working_hours",
    "GET /api/v1/calendar/{feed_token}.ics": "get_calendar_ics",
    "GET /api/v1/conversations/{conversation_id}/messages": "list_messages",
    "POST /api/v1/conversations/{conversation_id}/messages": "send_message",
    "POST /api/v1/conversations/{conversation_id}/read": "mark_conversation_read",
    # analytics and billing
    "GET /api/v1/stats/trainer": "get_trainer_stats",
    "POST /api/v1/billing/webhook": "handle_stripe_webhook",
    # health
    "GET /healthz": "check_liveness",
    "GET /readyz": "check_readiness",
}
