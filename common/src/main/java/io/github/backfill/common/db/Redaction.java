package io.github.backfill.common.db;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hides passwords in text that may repeat the command line, such as a parser's "Unmatched argument
 * 'postgres://user:secret@host/db'" when a flag was mistyped: each argument that holds a password,
 * in the URL's user information or as a {@code password=} keyword, appears with {@code ***} in its
 * place.
 */
public final class Redaction {
  private static final String HIDDEN = "***";
  /**
   * Shorter passwords are not searched for on their own, nor one equal to the user's name: they
   * would blot out ordinary words.
   */
  private static final int MIN_HIDDEN_LENGTH = 4;
  /** The user information of a URL up to its last {@code @}: a password may hold an unencoded one. */
  private static final Pattern URL_PASSWORD =
      Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://[^:@/?#]*):.*@([^@]*)$", Pattern.DOTALL);
  /** The keyword form's {@code password=value}, quoted or not. */
  private static final Pattern KEYWORD_PASSWORD =
      Pattern.compile("(?i)(password\\s*=\\s*)('(?:[^'\\\\]|\\\\.)*'?|\\S+)");
  /** The keyword form's unquoted {@code user=value}. */
  private static final Pattern KEYWORD_USER = Pattern.compile("(?i)(?:^|\\s)user\\s*=\\s*([^'\\s]+)");
  /** A URL's {@code ?password=} parameter. */
  private static final Pattern QUERY_PASSWORD = Pattern.compile("(?i)([?&]password=)([^&#\\s]*)");

  private Redaction() {}

  /** {@code argument} with any password in it replaced by {@code ***}. */
  public static String mask(String argument) {
    if (!argument.contains("://")) {
      return KEYWORD_PASSWORD.matcher(argument).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + HIDDEN));
    }
    Matcher url = URL_PASSWORD.matcher(argument);
    String masked = url.matches() ? url.group(1) + ":" + HIDDEN + "@" + url.group(2) : argument;
    return QUERY_PASSWORD.matcher(masked).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + HIDDEN));
  }

  /**
   * {@code text} with every argument of {@code arguments} that holds a password, and the value of
   * each {@code --flag=value} that does, masked as {@link #mask} does.
   */
  public static String hide(String text, String... arguments) {
    if (text == null) {
      return null;
    }
    String hidden = text;
    String[] candidates = Arrays.stream(arguments)
        .flatMap(a -> a.startsWith("-") && a.contains("=")
            ? Arrays.stream(new String[] {a, a.substring(a.indexOf('=') + 1)})
            : Arrays.stream(new String[] {a}))
        .filter(a -> !a.isEmpty())
        .sorted(Comparator.comparingInt(String::length).reversed())
        .toArray(String[]::new);
    for (String candidate : candidates) {
      String masked = mask(candidate);
      if (!masked.equals(candidate)) {
        hidden = hidden.replace(candidate, masked);
      }
    }
    // The password itself, as typed and decoded, wherever a message may have put it on its own;
    // the longest first, so that a password that begins another leaves no tail of it behind.
    List<String> passwords = Arrays.stream(candidates)
        .flatMap(c -> passwords(c).stream())
        .filter(p -> p.length() >= MIN_HIDDEN_LENGTH)
        .distinct()
        .sorted(Comparator.comparingInt(String::length).reversed())
        .toList();
    for (String password : passwords) {
      hidden = hidden.replace(password, HIDDEN);
    }
    return hidden;
  }

  private static List<String> passwords(String argument) {
    List<String> found = new ArrayList<>();
    if (!argument.contains("://")) {
      Matcher user = KEYWORD_USER.matcher(argument);
      String name = user.find() ? user.group(1) : null;
      Matcher keyword = KEYWORD_PASSWORD.matcher(argument);
      while (keyword.find()) {
        if (keyword.group(2).equals(name)) {
          continue;
        }
        String value = keyword.group(2);
        found.add(value);
        if (value.startsWith("'")) {
          String unquoted = value.substring(1, value.length() > 1 && value.endsWith("'") ? value.length() - 1 : 1);
          found.add(unquoted.replaceAll("\\\\(.)", "$1"));
        }
      }
      return found;
    }
    Matcher url = URL_PASSWORD.matcher(argument);
    if (url.matches()) {
      String user = url.group(1).substring(url.group(1).indexOf("://") + 3);
      String password = argument.substring(url.end(1) + 1, argument.length() - url.group(2).length() - 1);
      // A password that is the user's name (postgres/postgres) is no secret, and hiding it on its
      // own would hide the user's name and the URL's scheme in every message.
      if (!password.equals(user)) {
        addEncoded(found, password);
      }
    }
    Matcher query = QUERY_PASSWORD.matcher(argument);
    while (query.find()) {
      addEncoded(found, query.group(2));
    }
    return found;
  }

  /** A percent-encoded password, and what it decodes to. */
  private static void addEncoded(List<String> found, String encoded) {
    found.add(encoded);
    try {
      found.add(URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      // not valid percent-encoding: only the text as typed can appear
    }
  }
}
