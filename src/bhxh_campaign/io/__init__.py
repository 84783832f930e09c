"""Reading campaign data from files, at the edge of the library."""
