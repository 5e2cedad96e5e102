-- Run once by the TimescaleDB image when its data volume is new: the schema
-- registry keeps its tables in a schema of their own.
CREATE SCHEMA IF NOT EXISTS apicurio AUTHORIZATION smp;
