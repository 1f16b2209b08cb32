"""Dates of articles as timestamps, whatever their format and time zone.

:func:`timestamps` reads the values pandas reads (ISO dates, ``2020年3月1日`` after the
reader's normalisation, RFC 2822 dates of RSS feeds, ``2020/02/28`` …). A value with a time
zone is taken at its own wall-clock time, the zone dropped: a paper's date is the day it
printed, and dates with and without zones, or in several zones, must compare (pandas
refuses to mix them in one column, which ended trends and reprints with a "bug" line).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

__all__ = ["timestamps"]


def timestamps(values: Iterable[object]) -> pd.Series:
    """``values`` as a Series of naive Timestamps (NaT where there is no date), indexed
    like ``values`` when it is a Series.

    >>> timestamps(["Wed, 01 Apr 2020 06:00:00 +0800", "2020-03-31", "", None]).tolist()
    [Timestamp('2020-04-01 06:00:00'), Timestamp('2020-03-31 00:00:00'), NaT, NaT]
    """
    index = values.index if isinstance(values, pd.Series) else None
    series = pd.Series(list(values), dtype=object, index=index).map(_text)
    try:
        out = pd.to_datetime(series, errors="coerce", format="mixed")
    except (ValueError, TypeError, OverflowError):  # mixed zones
        out = None
    if out is None or out.dtype == object:
        out = pd.Series([_one(v) for v in series], index=series.index, dtype="datetime64[ns]")
    elif isinstance(out.dtype, pd.DatetimeTZDtype):
        out = out.dt.tz_localize(None)
    return out


def _text(value: object) -> object:
    if isinstance(value, str):
        return value.strip() or None
    return value


def _one(value: object) -> pd.Timestamp:
    try:
        stamp = pd.to_datetime(value, errors="coerce")
    except (ValueError, TypeError, OverflowError):
        return pd.NaT
    if stamp is pd.NaT or not isinstance(stamp, pd.Timestamp):
        return pd.NaT
    return stamp.tz_localize(None) if stamp.tzinfo is not None else stamp
