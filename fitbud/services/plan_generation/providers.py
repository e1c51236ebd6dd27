"""Plan providers: the rule-based generator (always there) and an optional HTTP (AI) provider.

The HTTP provider POSTs the request's inputs and the exercises it may use as JSON to
`PLAN_AI_URL` (Bearer `PLAN_AI_API_KEY`) and must answer 2xx with
`{"workout": <workout content>, "diet": <diet content> | null, "explanations": [...]}` in the
plan content schema (`fitbud.services.plan_content`). It is sent the client's allergies and
dietary preferences and the foods of the table the diet may use (those already exclude what the
client must not have); a diet with any other food is refused. It never sees names, emails,
ids or dates of birth. Anything wrong (timeout, connection error, non-2xx, non-JSON, oversized
answer) raises `ProviderError`; the caller then validates what did come back before using it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import requests

from fitbud.services.exercises import LibraryExercise
from fitbud.services.plan_generation.diet import DietDraft, DietFood, build_diet
from fitbud.services.plan_generation.inputs import GenerationRequest
from fitbud.services.plan_generation.workout import WorkoutDraft, build_workout

PROTOCOL_VERSION = 1


class ProviderError(Exception):
    """The provider gave no usable answer; `reason` says why, for the trainer."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class RulesDraft:
    """What the rule-based generator produced."""

    workout: WorkoutDraft
    diet: DietDraft | None


@dataclass
class RawAnswer:
    """An external provider's answer, not yet validated."""

    workout: Any
    diet: Any
    explanations: Any


class PlanProvider(Protocol):
    """Something that drafts plans from a request and the exercises it may use."""

    name: str

    def generate(self, request: GenerationRequest, library: Sequence[LibraryExercise]) -> Any:
        """A draft (rules: RulesDraft; external: RawAnswer) or ProviderError."""


class RulesProvider:
    """The deterministic rule-based generator."""

    name = "rules"

    def generate(
        self, request: GenerationRequest, library: Sequence[LibraryExercise], foods: dict[str, DietFood]
    ) -> RulesDraft:
        """Workout and, when body data is known, diet from `foods` (422 when either is impossible)."""
        return RulesDraft(build_workout(request, library), build_diet(request, foods))


def foods_payload(foods: Sequence[DietFood]) -> list[dict[str, Any]]:
    """The foods of the table the provider may put in a diet (the client's restrictions already applied)."""
    return [
        {
            "id": f.id,
            "name": f.name,
            "per_100_g": {"kcal": f.kcal, "protein": f.protein, "carbs": f.carbs, "fat": f.fat},
            "serving_g": f.serving_g,
        }
        for f in foods
    ]


def library_payload(exercises: Sequence[LibraryExercise]) -> list[dict[str, Any]]:
    """The exercises as the provider sees them."""
    return [
        {
            "id": e.id,
            "name": e.name,
            "category": e.category,
            "movement_pattern": e.movement_pattern,
            "primary_muscles": list(e.primary_muscles),
            "secondary_muscles": list(e.secondary_muscles),
            "equipment": e.equipment,
            "extra_equipment": list(e.extra_equipment),
            "level": e.level,
            "tracking": e.tracking,
            "unilateral": e.unilateral,
        }
        for e in exercises
    ]


class HttpProvider:
    """An external planner reached over HTTP with a timeout and a size limit."""

    name = "ai"

    def __init__(self, url: str, api_key: str | None, timeout: float, max_bytes: int) -> None:
        self.url = url
        self.api_key = api_key
        self.timeout = timeout
        self.max_bytes = max_bytes

    def generate(
        self, request: GenerationRequest, library: Sequence[LibraryExercise], foods: Sequence[DietFood] = ()
    ) -> RawAnswer:
        """POST the inputs; the answer's JSON, or ProviderError."""
        payload: dict[str, Any] = {
            "protocol_version": PROTOCOL_VERSION,
            "request": request.for_provider(),
            "exercises": library_payload(library),
            "foods": foods_payload(foods),
            "answer_format": {
                "workout": "plan content: {weeks: [{name?, days: [{name, rest?, items: [{exercise_id, sets, "
                "reps | duration_seconds, load?: {type: kg|percent_1rm|rpe, value}, rest_seconds?, "
                "tempo?, notes?, group?}]}]}]}; day k of week w is start + 7w + k",
                "diet": "null, or {days: [{name, meals: [{name, time: HH:MM, items: [{food_id, quantity, "
                "unit: g | oz | serving}]}]}], targets?: {kcal, protein, carbs, fat}}; food_id from foods "
                "(energy and macros come from the table); no food carrying one of request.allergies or "
                "breaking request.dietary_preferences, or the diet is refused",
                "explanations": "[{topic?, path?, message}]",
            },
        }
        headers = {"Accept": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        try:
            # No redirects: a provider that moved is misconfigured, and the payload holds health data.
            with requests.post(
                self.url,
                json=payload,
                headers=headers,
                timeout=(self.timeout, self.timeout),
                stream=True,
                allow_redirects=False,
            ) as response:
                if not 200 <= response.status_code < 300:
                    raise ProviderError(f"the AI provider answered HTTP {response.status_code}")
                body = self._read(response)
        except requests.Timeout:
            raise ProviderError(f"the AI provider did not answer within {self.timeout:g} s") from None
        except requests.ConnectionError as error:
            raise ProviderError(f"could not reach the AI provider ({type(error).__name__})") from None
        except requests.RequestException as error:
            raise ProviderError(f"the request to the AI provider failed ({type(error).__name__})") from None
        try:
            document = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            raise ProviderError("the AI provider's answer is not JSON") from None
        if not isinstance(document, dict) or "workout" not in document:
            raise ProviderError("the AI provider's answer has no workout")
        return RawAnswer(document["workout"], document.get("diet"), document.get("explanations"))

    def _read(self, response: requests.Response) -> bytes:
        # The timeout bounds each wait for data; this deadline also bounds a slow trickle.
        deadline = time.monotonic() + self.timeout
        chunks, size = [], 0
        try:
            for chunk in response.iter_content(chunk_size=65536):
                size += len(chunk)
                if size > self.max_bytes:
                    raise ProviderError(f"the AI provider's answer is larger than {self.max_bytes} bytes")
                if time.monotonic() > deadline:
                    raise requests.Timeout()
                chunks.append(chunk)
        except requests.ConnectionError as error:
            # A read that times out mid-body surfaces as a connection error; say what it was.
            if "timed out" in str(error).lower():
                raise requests.Timeout() from None
            raise
        return b"".join(chunks)
