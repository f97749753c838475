package io.github.backfill.coordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PrestartTest {
  @AfterEach
  void takeWhatWasStarted() {
    if (Prestart.pending()) {
      Prestart.vertx().close().await();
    }
  }

  @Test
  void startsAnInstanceForACommandThatRunsOnOneAndHandsItOutOnce() {
    Prestart.begin(new String[] {"--debug", "copy", "--source", "s", "--target", "t"});
    assertThat(Prestart.pending()).isTrue();

    Vertx started = Prestart.vertx();
    assertThat(Prestart.pending()).isFalse();
    Vertx next = Prestart.vertx();
    try {
      assertThat(next).isNotSameAs(started);
    } finally {
      started.close().await();
      next.close().await();
    }
  }

  @Test
  void startsNothingForHelpTheVersionAWorkerOrAClusteredRun() {
    for (String[] args :
        new String[][] {
          {}, {"--help"}, {"--version"}, {"coppy"}, {"status", "--help"}, {"copy", "-h"},
          {"worker", "--cluster-name", "c"},
          {"copy", "--source", "s", "--target", "t", "--cluster-name", "c"},
          {"verify", "--cluster-name=c", "--source", "s", "--target", "t"},
        }) {
      Prestart.begin(args);
      assertThat(Prestart.pending()).as(String.join(" ", args)).isFalse();
    }
  }
}
