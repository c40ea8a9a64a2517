"""The page on mixtures by EM: a worked example by hand (example), its checks, figures and page."""
