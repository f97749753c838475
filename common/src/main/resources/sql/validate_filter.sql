-- Fails with SQLSTATE 2201B when the filter is not a valid regular expression. Parameters: $1 filter.
SELECT '' ~* $1::text AS valid
