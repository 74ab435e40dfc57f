"""The Agency's view of the cycle: the overview of every body × direction, rankings with bands,
charts, a body across cycles, exports and the cycle report. Reads only what the other features
store, through their models' access rules (``assessments.kernel.access``)."""
