"""From a family to its derivation: sufficient statistics, the general result, the steps."""
