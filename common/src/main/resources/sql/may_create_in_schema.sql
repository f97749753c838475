-- Whether this session may create tables in a schema. Parameters: $1 schema.
SELECT has_schema_privilege($1::text, 'CREATE') AS allowed
