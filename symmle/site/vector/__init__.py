"""The pages of the vector families (section "Vector observations"): the multivariate Normal,
the Multinomial and the Dirichlet, each derived for n rows, worked on its example and fitted
to a larger seeded sample, with its figure and checks."""
