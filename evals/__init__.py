"""The eval suite: dataset, metrics, runner, reports and the quality gate (`python -m evals`)."""
