"""Plan templates: a trainer's reusable workout and diet plans."""
