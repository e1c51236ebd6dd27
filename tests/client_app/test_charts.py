"""The Progress page's SVG charts: shapes, scales and the words that describe them."""

from __future__ import annotations

from datetime import date

from fitbud.client_app.charts import Series, bar_chart, line_chart

FIRST, LAST = date(2026, 3, 1), date(2026, 3, 11)


def test_a_line_chart_draws_a_path_per_series_and_a_dot_per_first_series_point():
    svg = line_chart(
        "c",
        "Weight",
        "Latest 79 kg",
        [Series("w", [(FIRST, 80.0), (LAST, 79.0)], "main"), Series("avg", [(FIRST, 80.0), (LAST, 79.5)], "trend")],
        "kg",
        FIRST,
        LAST,
    )
    assert svg.count("<path") == 2 and svg.count("<circle") == 2
    assert '<title id="c-title">Weight</title>' in svg and '<desc id="c-desc">Latest 79 kg</desc>' in svg


def test_the_first_and_last_points_sit_at_the_ends_of_the_x_axis():
    svg = line_chart("c", "t", "d", [Series("w", [(FIRST, 1.0), (LAST, 2.0)], "main")], "kg", FIRST, LAST)
    assert 'cx="44.0"' in svg and 'cx="350.0"' in svg


def test_missing_values_are_skipped_and_an_empty_chart_is_nothing():
    svg = line_chart("c", "t", "d", [Series("w", [(FIRST, None), (LAST, 2.0)], "main")], "kg", FIRST, LAST)
    assert svg.count("<circle") == 1
    assert line_chart("c", "t", "d", [Series("w", [(FIRST, None)], "main")], "kg", FIRST, LAST) == ""


def test_titles_are_escaped():
    svg = line_chart("c", "<b>", "a & b", [Series("w", [(FIRST, 1.0)], "main")], "kg", FIRST, LAST)
    assert "&lt;b&gt;" in svg and "a &amp; b" in svg


def test_a_bar_chart_draws_a_bar_per_non_empty_point_and_the_targets():
    bars = Series("kcal", [(FIRST, 1800.0), (date(2026, 3, 2), 0.0), (LAST, 2100.0)], "main")
    target = Series("target", [(FIRST, 2000.0), (LAST, 2000.0)], "target")
    svg = bar_chart("k", "Calories", "d", bars, "kcal", target=target)
    assert svg.count("<rect") == 2 and svg.count('class="target target"') == 2


def test_a_bar_chart_with_a_maximum_keeps_that_scale():
    svg = bar_chart("a", "Adherence", "d", Series("a", [(FIRST, 50.0)], "main"), "%", maximum=100)
    assert ">100<" in svg and 'height="66.0"' in svg
