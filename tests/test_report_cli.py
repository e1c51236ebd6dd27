"""`flask fitbud report ...`: builds a report with a progress bar and saves the file."""


def test_report_command_saves_the_file(runner, world, tmp_path):
    target = tmp_path / "february.csv"
    result = runner.invoke(
        args=[
            "fitbud",
            "report",
            "trainer_monthly",
            "--user",
            world.trainer.email,
            "--month",
            "2026-02",
            "--format",
            "csv",
            "--output",
            str(target),
        ]
    )
    assert result.exit_code == 0, result.output
    assert f"saved to {target}" in result.output
    assert target.read_text().splitlines()[1].split(",")[1] == "Ana"


def test_report_command_with_queue_follows_the_job(runner, world, tmp_path, inline_jobs):
    target = tmp_path / "export.zip"
    result = runner.invoke(
        args=[
            "fitbud",
            "report",
            "client_export",
            "--user",
            world.trainer.email,
            "--client-id",
            str(world.ana.id),
            "--queue",
            "--output",
            str(target),
        ]
    )
    assert result.exit_code == 0, result.output
    assert target.read_bytes()[:2] == b"PK"


def test_report_command_explains_bad_requests(runner, world):
    result = runner.invoke(
        args=["fitbud", "report", "trainer_monthly", "--user", world.trainer.email, "--month", "2026-13"]
    )
    assert result.exit_code == 1 and "params.month" in result.output
    unknown = runner.invoke(args=["fitbud", "report", "platform", "--user", "nobody@example.com"])
    assert unknown.exit_code == 1 and "No account" in unknown.output
