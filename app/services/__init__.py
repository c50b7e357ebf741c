"""Application logic: each module owns one concept and its transactions."""
