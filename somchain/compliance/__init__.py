"""Actions on the controls both tokens share: freeze, seize, pause and roles."""
