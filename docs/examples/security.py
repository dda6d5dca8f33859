"""Who may read classified material, and personal data kept out of logs."""

from govparts.core.security import Actor, can_read, mask_citizen_id

# Synthetic people; clearances are the secrecy levels of GB/T 9704-2012 (绝密 > 机密 > 秘密).
archivist = Actor(id="u-2001", name="古丽娜尔·买买提", roles={"archivist"}, clearance="机密")
clerk = Actor(id="u-2002", name="王芳", roles={"clerk"})

assert can_read(archivist, "MM")  # 秘密
assert not can_read(archivist, "绝密")
assert not can_read(clerk, "MM")

assert mask_citizen_id("650102199001011239") == "650102********1239"
