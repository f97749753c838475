/**
 * The worker side of the backfill: worker verticles that claim chunks with a row lock on
 * {@code __backfill.task} and copy or verify each one in a single target transaction, on PgJDBC, on a
 * worker executor. Its contents arrive with the copy command; the coordinator already depends on it so
 * that one fat jar serves both roles.
 */
package io.github.backfill.worker;
