"""Quality and speed benchmarks: ctscreen side by side with peers on the same data (bench/README.md)."""
