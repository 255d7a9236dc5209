"""The deterministic synthetic Xiong'an generator: a full data drop with realistic
background, planted positives and near-miss negatives for every built-in model, and
the truth written beside the drop.

``generate(out, seed, scale)`` writes ``out/drop/<dataset>.<csv|xlsx|parquet>``,
``out/ground_truth.csv`` (model_id, subject_id, period), ``out/entities_truth.csv``,
``out/synth_meta.json`` and ``out/README.txt``.
"""

from jiancha.synth.generator import SynthResult, generate

__all__ = ["SynthResult", "generate"]
