"""The load run's bookkeeping: verdicts, merged rounds, the wrk script and RESULTS.md, without running wrk."""

from __future__ import annotations

from types import SimpleNamespace

from bench.load import (
    RESULTS_MARKER,
    Outcome,
    Request,
    Scenario,
    SoakReport,
    Target,
    WrkResult,
    format_section,
    judge,
    merge_rounds,
    soak_verdict,
    write_lua,
    write_results,
)


def _result(rps: float, p99_ms: float = 20.0, statuses: dict[int, int] | None = None) -> WrkResult:
    requests = int(rps * 10)
    return WrkResult(requests, 10.0, 5.0, 10.0, p99_ms, p99_ms * 2, statuses or {200: requests}, 0)


def _scenario(name: str = "clients_list", target: Target = Target()) -> Scenario:
    return Scenario(name, f"GET /{name}", "fitbud", lambda _world: [], target)


def test_throughput_below_the_reference_ratio_misses():
    outcome = Outcome(_scenario(target=Target(min_ratio=1.0)), "measured", _result(90))
    assert judge(outcome, reference_rps=100) == "misses (0.90x < 1x)"


def test_throughput_and_latency_within_targets_meet():
    outcome = Outcome(_scenario(target=Target(min_rps=300, max_p99_ms=150)), "measured", _result(400, p99_ms=80))
    assert judge(outcome, reference_rps=None) == "meets"


def test_non_2xx_responses_miss_even_when_fast():
    outcome = Outcome(_scenario(target=Target(min_rps=10)), "measured", _result(400, statuses={200: 3990, 500: 10}))
    assert judge(outcome, reference_rps=None) == "misses (errors)"


def test_scenario_without_target_has_no_verdict():
    assert judge(Outcome(_scenario(), "measured", _result(50)), reference_rps=100) == "-"


def test_rounds_merge_into_total_throughput_and_the_median_rounds_latency():
    rounds = [
        (Outcome(_scenario(), "measured", _result(100, p99_ms=30), statements=3),),
        (Outcome(_scenario(), "measured", _result(300, p99_ms=10), statements=3),),
        (Outcome(_scenario(), "measured", _result(200, p99_ms=20), statements=3),),
    ]
    (merged,) = merge_rounds(rounds)
    assert merged.result.rps == 200
    assert merged.result.p99_ms == 20
    assert merged.note == "3 rounds: 100, 300, 200 req/s"


def test_soak_with_drift_and_growth_misses_both():
    minutes = [_result(100, p99_ms=10), _result(100, p99_ms=13)]
    report = SoakReport("clients_list", 2, 100, 8, minutes, {1: 100_000}, {1: 111_000}, workers_replaced=False)
    assert soak_verdict(report) == "misses (p99 drift, memory growth)"


def test_wrk_script_escapes_bodies_and_lists_every_request(tmp_path, monkeypatch):
    monkeypatch.setattr("bench.load.RUN_DIR", tmp_path)
    requests = [
        Request("POST", "/api/v1/auth/login", body={"email": 'a"b@x.test', "password": "p\\w"}),
        Request("GET", "/api/v1/users/me", token="tok"),
    ]
    script = write_lua("login", requests).read_text()
    assert '"{\\"email\\":\\"a\\\\\\"b@x.test\\",\\"password\\":\\"p\\\\\\\\w\\"}"' in script
    assert '{"GET", "/api/v1/users/me", "tok", ""}' in script
    assert "function delay()" not in script


def test_paced_wrk_script_waits_before_each_request(tmp_path, monkeypatch):
    monkeypatch.setattr("bench.load.RUN_DIR", tmp_path)
    script = write_lua("soak", [Request("GET", "/healthz")], delay_ms=12.5).read_text()
    assert "pause_ms = 12.500" in script and "function delay()" in script


def test_new_run_goes_on_top_and_earlier_runs_stay(tmp_path):
    path = tmp_path / "RESULTS.md"
    write_results("## first run\n", path)
    write_results("## second run\n", path)
    text = path.read_text()
    assert text.index(RESULTS_MARKER) < text.index("## second run") < text.index("## first run")


def test_section_reports_missing_routes_and_the_headline():
    args = SimpleNamespace(workers=4, threads=2, connections=8, duration=10, warmup=2, rounds=2, source="")
    facts = {"commit": "abc1234 on bench", "machine": "2 CPUs", "calibration": "argon2 30 ms",
             "software": "Python", "data": "about users 1"}
    outcomes = [
        Outcome(_scenario("reference_list"), "measured", _result(600), statements=3),
        Outcome(_scenario("feed", Target(min_rps=300)), "missing", note="route not on this branch"),
    ]
    section = format_section(args, facts, outcomes, "n/a", None)
    assert "| reference_list | GET /reference_list | 600 |" in section
    assert "| feed | GET /feed | missing |" in section and "route not on this branch" in section
    assert "abc1234 on bench · 4 sync workers" in section
