#!/usr/bin/env bash
# deploy/cds-archive.sh JAR ARCHIVE: writes ARCHIVE, a class-data-sharing archive for JAR: the classes
# that a training run of the jar loads (StartupTraining: each command against a closed port, no
# server needed), dumped by the JVM, which then maps them at start instead of loading them from the
# jar. The launcher runs it beside the jar under its build lock; the images run it at build time with
# their own JDK (an archive serves only the JDK that made it). It writes a temporary file and renames
# it, so that nothing ever sees half an archive; on any failure it leaves no ARCHIVE and exits
# non-zero, and the commands run without one. The list keeps the lambda proxies (each one the JVM
# would otherwise spin at run time) but picocli's: its interfaces are Java 5 class files, whose
# proxies the JVM cannot archive, and JDK 17 crashes dumping them
# (SystemDictionaryShared::adjust_lambda_proxy_class_dictionary, JDK-8274944).
set -euo pipefail
[[ $# == 2 ]] || { echo "Usage: deploy/cds-archive.sh JAR ARCHIVE" >&2; exit 2; }
jar=$1 archive=$2
tmp=$(mktemp "$archive.XXXXXX")
trap 'rm -f "$tmp" "$tmp.classes" "$tmp.list" "$tmp.crash"' EXIT
java -XX:+UseSerialGC -Djava.net.preferIPv4Stack=true -Dhazelcast.logging.type=slf4j -XX:ErrorFile="$tmp.crash" \
  -XX:DumpLoadedClassList="$tmp.classes" -jar "$jar" --startup-training >/dev/null 2>&1
grep -v -E '^@lambda-proxy [^ ]+ [^ ]+ [(][^)]*[)]Lpicocli/' "$tmp.classes" >"$tmp.list"
java -XX:+UseSerialGC -XX:ErrorFile="$tmp.crash" -Xshare:dump -XX:SharedClassListFile="$tmp.list" \
  -XX:SharedArchiveFile="$tmp" -cp "$jar" >/dev/null 2>&1
# Readable by every user that runs the jar (mktemp makes it the owner's alone).
chmod 644 "$tmp"
mv -f "$tmp" "$archive"
