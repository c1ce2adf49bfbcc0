"""Simple bar charts out of text, for the terminal (the CLI and the staff screens share them)."""

from __future__ import annotations

BLOCKS = " ▏▎▍▌▋▊▉█"


def bar(value: float, largest: float, width: int) -> str:
    """A horizontal bar of up to ``width`` cells, in eighths of a cell."""
    if largest <= 0 or value <= 0:
        return ""
    eighths = round(value / largest * width * 8)
    full, rest = divmod(eighths, 8)
    return "█" * full + (BLOCKS[rest] if rest else "")


def bar_lines(values: dict[str, int], width: int = 30) -> list[str]:
    """One line per label: label, bar, number."""
    if not values:
        return []
    largest = max(values.values())
    label_width = max(len(k) for k in values)
    return [f"{label:<{label_width}}  {bar(v, largest, width):<{width}}  {v}" for label, v in values.items()]
