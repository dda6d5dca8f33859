"""govparts.archives: the official documents and archives part (公文与档案)."""
