package io.github.backfill.common.db;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedactionTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "postgres://u:Zq9-SECRET@h:5432/db | postgres://u:***@h:5432/db",
      "postgresql://u:p%40ss%2Fw@h/db?sslmode=require | postgresql://u:***@h/db?sslmode=require",
      "postgres://u:p@ss@h/db | postgres://u:***@h/db",
      "postgres://u@h/db?password=Zq9-SECRET&sslmode=require | postgres://u@h/db?password=***&sslmode=require",
      "host=h password=Zq9-SECRET dbname=d | host=h password=*** dbname=d",
      "host=h password = 'Zq9 \\' SECRET' dbname=d | host=h password = *** dbname=d",
      "postgres://u@h:5432/db | postgres://u@h:5432/db",
      "postgres://h:5432/db | postgres://h:5432/db",
      "host=h user=u | host=h user=u",
      "host=h password=a&b dbname=d | host=h password=*** dbname=d",
      "postgres://u@h/db?sslmode=require&password=a%26b#x | postgres://u@h/db?sslmode=require&password=***#x",
      "lots | lots"})
  void masksThePasswordOfAConnectionString(String argument, String masked) {
    assertThat(Redaction.mask(argument)).isEqualTo(masked);
  }

  @Test
  void aPasswordThatIsTheUsersNameIsMaskedInPlaceButNotSearchedForOnItsOwn() {
    String[] args = {"stage", "--source", "postgres://postgres:postgres@h/db", "--target", "host=h user=app password=app"};

    String hidden = Redaction.hide("Unmatched argument 'postgres://postgres:postgres@h/db': write postgres://USER@HOST/DB;"
        + " user \"postgres\" on 'host=h user=app password=app', app refused", args);

    assertThat(hidden).isEqualTo("Unmatched argument 'postgres://postgres:***@h/db': write postgres://USER@HOST/DB;"
        + " user \"postgres\" on 'host=h user=app password=***', app refused");
  }

  @Test
  void hidesArgumentsAndFlagValuesThatHoldAPasswordWhereverTheyAppear() {
    String url = "postgres://u:Zq9-SECRET-7741%2F%40@h/db";
    String[] args = {"copy", "--source", url, "--sourc", url, "--parallelism=host=h password=Zq9-SECRET-7741"};

    String hidden = Redaction.hide("Unknown options: '--sourc', '" + url + "'; 'host=h password=Zq9-SECRET-7741'"
        + " is not an int; the login Zq9-SECRET-7741/@ failed", args);

    assertThat(hidden)
        .isEqualTo("Unknown options: '--sourc', 'postgres://u:***@h/db'; 'host=h password=***' is not an int;"
            + " the login *** failed")
        .doesNotContain("SECRET");
  }

  @Test
  void hidesADecodedQueryPassword() {
    assertThat(Redaction.hide("login with Zq9&SECRET failed", "--target", "postgres://u@h/db?password=Zq9%26SECRET"))
        .isEqualTo("login with *** failed");
  }

  @Test
  void leavesTextWithoutPasswordsAlone() {
    String text = "Missing required option: '--target=CONNSTR'";
    assertThat(Redaction.hide(text, "copy", "--source", "postgres://u@h/db", "-p", "lots")).isEqualTo(text);
    assertThat(Redaction.hide(null, "x")).isNull();
  }
}
