"""The fault suite (`make faults`): Fitbud's processes killed, stopped and stalled under load."""
