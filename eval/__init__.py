"""Offline evaluation of badgepath's matching: dev sets from ESCO, baselines and the project's matcher."""
