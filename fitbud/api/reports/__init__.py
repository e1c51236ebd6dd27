"""Report endpoints: start a report job, follow its progress, download the file."""
