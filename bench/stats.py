"""Summaries of latency samples (seconds in, milliseconds out)."""

from __future__ import annotations

import math
import statistics

from pydantic import BaseModel

MILLISECONDS = 1000.0
P95 = 0.95
SAMPLE_DECIMALS = 3  # microseconds


class Timings(BaseModel):
    """Median, 95th percentile (nearest rank), extremes and count of samples, in milliseconds."""

    count: int
    median_ms: float | None
    p95_ms: float | None
    min_ms: float | None
    max_ms: float | None
    samples_ms: list[float]

    @classmethod
    def of(cls, seconds: list[float]) -> Timings:
        """Summarise samples given in seconds."""
        samples = [value * MILLISECONDS for value in seconds]
        if not samples:
            return cls(
                count=0, median_ms=None, p95_ms=None, min_ms=None, max_ms=None, samples_ms=[]
            )
        ordered = sorted(samples)
        return cls(
            count=len(samples),
            median_ms=statistics.median(ordered),
            p95_ms=nearest_rank(ordered, P95),
            min_ms=ordered[0],
            max_ms=ordered[-1],
            samples_ms=[round(value, SAMPLE_DECIMALS) for value in samples],
        )


def nearest_rank(ordered: list[float], fraction: float) -> float:
    """The nearest-rank percentile of sorted samples (p95 of 30 samples is the 29th)."""
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]
