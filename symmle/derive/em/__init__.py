"""EM for finite mixtures: the updates derived, compiled, run and written as steps."""
