"""govparts.assets: the state-owned assets part (国有资产)."""
