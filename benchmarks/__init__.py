"""Benchmark harness for searchlib: corpora, query sets, engine adapters, runner and report.

Run ``python -m benchmarks.run --help``. Generated corpora are cached under
``benchmarks/.cache/`` (git-ignored); results go to ``benchmarks/results/``.
"""
