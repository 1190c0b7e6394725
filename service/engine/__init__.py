"""Gap analysis and path planning: pure functions over the built artifact."""
