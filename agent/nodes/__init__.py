"""Graph nodes: one module per capability, each node a small function with a verb name."""
