"""govparts.attendance: the attendance part (考勤)."""
