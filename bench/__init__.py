"""Load benchmark: data builder, bare-Flask reference app and the wrk-driven load run."""
