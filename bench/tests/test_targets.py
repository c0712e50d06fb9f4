from bench import run, targets
from bench.benchmarks import Report


def _rounds(*ratios):
    return targets.Rounds([(ratio, 1.0) for ratio in ratios], ratio=lambda pair: pair[0] / pair[1])


def test_a_row_is_judged_on_its_median_round_not_its_best():
    rounds = _rounds(0.9, 0.3, 0.5)
    assert rounds.median == (0.5, 1.0)
    assert rounds.median_ratio == 0.5


def test_of_an_even_number_of_rounds_the_lower_middle_one_counts():
    assert _rounds(0.7, 0.4, 0.5, 0.9).median_ratio == 0.5


def test_the_spread_of_the_rounds_is_printed_in_points():
    rounds = _rounds(0.62, 0.41, 0.55)
    assert rounds.spread == 0.62 - 0.41
    assert rounds.describe() == "rounds 41%, 55%, 62%; spread 21 points"


def test_a_share_of_a_baseline_that_answered_nothing_is_zero():
    assert targets.share(50.0, 0.0) == 0.0


def _report(*met):
    report = Report(machine="test", date="2026-12-04")
    for n, ok in enumerate(met):
        report.row(f"row {n}", "1", "2", "50%", "≥ 40%", ok)
    return report


def test_make_bench_exits_non_zero_when_a_row_misses_its_target(capsys):
    report = _report(True, False, True)
    assert report.missed() == ["row 1"]
    assert run.verdict(report) == 1
    assert "Targets missed:\n- row 1" in capsys.readouterr().err


def test_make_bench_exits_zero_when_every_row_is_met(capsys):
    assert run.verdict(_report(True, True)) == 0
    assert "All rows met their targets." in capsys.readouterr().out
