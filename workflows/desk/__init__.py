"""The desk's views of a unit: the board (stories by workflow stage) and
the daily plan."""
