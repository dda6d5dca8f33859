"""govparts.personnel: the personnel part (人事)."""
