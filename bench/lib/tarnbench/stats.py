"""Medians and spreads of repeated measurements."""
import statistics


def summarize(values):
    """Median, min, max and relative spread ((max - min) / median) of a list of numbers."""
    vals = [float(v) for v in values if v is not None]
    if not vals:
        return None
    med = statistics.median(vals)
    lo, hi = min(vals), max(vals)
    spread = (hi - lo) / med if med else 0.0
    return {"median": med, "min": lo, "max": hi, "spread": spread, "runs": vals}


def fmt(value, unit=""):
    """A short human form of a number: 12,345 / 123 / 12.3 / 1.23 / 0.0123."""
    if value is None:
        return "—"
    v = float(value)
    a = abs(v)
    if a >= 1000:
        s = f"{v:,.0f}"
    elif a >= 100:
        s = f"{v:.0f}"
    elif a >= 10:
        s = f"{v:.1f}"
    elif a >= 1:
        s = f"{v:.2f}"
    elif a == 0:
        s = "0"
    else:
        s = f"{v:.3g}"
    return f"{s} {unit}".strip()
