"""Reference data shipped with Fitbud (versioned files) and the pure code that reads them."""
