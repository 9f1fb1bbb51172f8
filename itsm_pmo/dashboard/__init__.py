"""The executive view's metrics (issue 16): one module that the page, the API and the CSV
export share. Each metric is defined once in docs/metrics.md."""
