-- Whether this session may set session_replication_role, which keeps user triggers and foreign-key
-- checks away from the rows stage inserts and deletes to create a chunk. Parameters: none.
SELECT has_parameter_privilege('session_replication_role', 'SET') AS allowed
