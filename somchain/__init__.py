"""Python tooling of the national money stack: deploy, operate and audit its contracts."""
