"""govparts.finance: the finance part (财务)."""
