"""Tools for people who write rules: case files, lint checks, drawings, impact."""
