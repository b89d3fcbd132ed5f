"""Running Jospar as a service: the production server (`jospar serve`), the background worker
with its heartbeat (`jospar worker`, jospar.ops.heartbeat), and later health and backups."""
