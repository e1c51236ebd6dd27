"""Generated plan drafts the trainer approves: rules always, an optional AI provider, never stored unvalidated."""

from fitbud.services.plan_generation.service import generate_plan, save_generated_templates

__all__ = ["generate_plan", "save_generated_templates"]
