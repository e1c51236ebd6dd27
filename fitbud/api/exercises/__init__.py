"""The exercise library endpoints: search, custom exercises, vocabulary, alternatives."""
