"""How the client app words a plan item's target: reps, ranges, AMRAP, time and distance, in their units."""

import pytest

from fitbud.client_app.today_view import prescription


@pytest.mark.parametrize(
    ("item", "unit_system", "shown"),
    [
        ({"sets": 4, "reps": 5}, "metric", "4 × 5"),
        ({"sets": 3, "reps": "8-12"}, "metric", "3 × 8-12"),
        ({"sets": 3, "reps": "AMRAP"}, "metric", "3 × AMRAP (as many as you can)"),
        ({"sets": 3, "duration_seconds": 45}, "metric", "3 × 45 s"),
        ({"sets": 4, "distance_m": 400}, "metric", "4 × 400 m"),
        ({"sets": 1, "distance_m": 5000}, "metric", "1 × 5 km"),
        ({"sets": 1, "distance_m": 1609.344}, "imperial", "1 × 1.00 mi"),
        ({"sets": 2, "distance_m": 500, "duration_seconds": 120}, "metric", "2 × 500 m in 120 s"),
    ],
)
def test_a_target_reads_as_the_client_expects(item, unit_system, shown):
    assert prescription(item, unit_system) == shown
