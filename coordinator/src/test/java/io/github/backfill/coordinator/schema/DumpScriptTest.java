package io.github.backfill.coordinator.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.backfill.coordinator.schema.DumpScript.Entry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What of pg_dump's plain schema script schema runs on the target, over a PostgreSQL 18 dump's form. */
class DumpScriptTest {
  private static final String DUMP = """
      --
      -- PostgreSQL database dump
      --

      \\restrict 4oebOeeDtdCdrYx3

      SET statement_timeout = 0;
      SELECT pg_catalog.set_config('search_path', '', false);

      --
      -- Name: timescaledb; Type: EXTENSION; Schema: -; Owner: -
      --

      CREATE EXTENSION IF NOT EXISTS "timescaledb" WITH SCHEMA "public";


      --
      -- Name: EXTENSION timescaledb; Type: COMMENT; Schema: -; Owner: -
      --

      COMMENT ON EXTENSION "timescaledb" IS 'Enables scalable inserts';


      --
      -- Name: metrics; Type: TABLE; Schema: app; Owner: -
      --

      CREATE TABLE "app"."metrics" (
          "time" timestamp with time zone NOT NULL,
          "value" double precision
      );
      ALTER TABLE ONLY "app"."metrics" ALTER COLUMN "time" SET (pg_attver=1160297992);
      ALTER TABLE ONLY "app"."metrics" ALTER COLUMN "value" SET (n_distinct=100, pg_attver=1160297992);


      --
      -- Name: metrics ts_insert_blocker; Type: TRIGGER; Schema: app; Owner: -
      --

      CREATE TRIGGER "ts_insert_blocker" BEFORE INSERT ON "app"."metrics" FOR EACH ROW EXECUTE FUNCTION "_timescaledb_functions"."insert_blocker"();


      --
      -- Name: metrics audit; Type: TRIGGER; Schema: app; Owner: -
      --

      CREATE TRIGGER "audit" AFTER INSERT ON "app"."metrics" FOR EACH ROW EXECUTE FUNCTION "app"."audit"();


      --
      -- PostgreSQL database dump complete
      --

      \\unrestrict 4oebOeeDtdCdrYx3
      """;

  @Test
  void theExtensionTimescaleDbsTriggersMetaCommandsAndForeignColumnOptionsGo() {
    List<Entry> entries = DumpScript.parse(DUMP).entries();

    assertThat(entries)
        .containsExactly(
            new Entry("", "SET", "",
                "SET statement_timeout = 0;\nSELECT pg_catalog.set_config('search_path', '', false);"),
            new Entry("metrics", "TABLE", "app",
                "CREATE TABLE \"app\".\"metrics\" (\n    \"time\" timestamp with time zone NOT NULL,\n"
                    + "    \"value\" double precision\n);\n\n"
                    + "ALTER TABLE ONLY \"app\".\"metrics\" ALTER COLUMN \"value\" SET (n_distinct=100);"),
            new Entry("metrics audit", "TRIGGER", "app",
                "CREATE TRIGGER \"audit\" AFTER INSERT ON \"app\".\"metrics\" FOR EACH ROW EXECUTE FUNCTION"
                    + " \"app\".\"audit\"();"));
  }
}
