"""Portfolio pages, one module per page family: board, ranking, projects, imports."""
