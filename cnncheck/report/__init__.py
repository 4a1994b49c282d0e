"""Reporters: a graded report or a solved assignment -> renderables or JSON-ready data. They never
compute."""
