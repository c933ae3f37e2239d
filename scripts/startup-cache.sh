#!/usr/bin/env bash
# The JVM's start-up cache of a tarn.jar: what the JVM loaded, linked and profiled in a training run,
# mapped by later starts instead of reading, parsing and verifying every class again.
#   JDK 25 and newer: an AOT cache (JEP 483/514; -XX:AOTCacheOutput, then -XX:AOTCache);
#   JDK 21 to 24: a dynamic class-data sharing archive (-XX:ArchiveClassesAtExit, then -XX:SharedArchiveFile).
# Sourced by ./tarn (after scripts/java-home.sh); run as a script, it prints the flags ./tarn adds to
# the given options for a jar (the defaults below, then the cache's), one a line:
#   scripts/startup-cache.sh JAR [JVM OPTION...]
# tarn_startup_cache_flags CREATE JAR [JVM OPTION...] prints the JVM flags that map the cache of JAR
# for those options. The cache lives in startup-cache/ beside the jar (target/ for ./tarn, never a
# tracked file), named by a fingerprint of the jar (path, size, modification time) and the JDK, and
# one of the options other than system properties (-D...), so a rebuilt jar, another JDK or other JVM
# options get a new one; making one removes those of earlier builds. A missing cache is made when
# CREATE is 1: one training run (`java -jar JAR train`: a server on throw-away folders and a free
# loopback port, a request of each common kind, then stop; 10 s of CPU), logged to
# startup-cache/training.log. Nothing here can stop the server: a training run that fails leaves no
# cache (the flags are then empty); a cache changed since it was made (size or time differ from
# those kept in its .made file) is made again; options about sharing of the user's own (-Xshare:...,
# -XX:SharedArchiveFile, -XX:AOT...) turn it off; and a cache the JVM cannot map is ignored by the JVM
# itself, which prints why and starts without it (-Xshare:auto and -XX:AOTMode=auto, the defaults). TARN_STARTUP_CACHE=off turns it off;
# TARN_STARTUP_CACHE=cds uses the class-data sharing archive on any JDK.
tarn_startup_cache_flags() {
  local create="$1" jar="$2"
  shift 2
  local mode="${TARN_STARTUP_CACHE:-auto}" major kind dir key file tmp opt jvm_opts=()
  [ "$mode" = off ] && return 0
  [ -f "$jar" ] || return 0
  major=${TARN_JAVA_MAJOR:-$(tarn_java_major "$JAVA_HOME" 2>/dev/null)} || return 0
  [ -n "$major" ] || return 0
  if [ "$mode" = cds ] || [ "$major" -lt 25 ]; then kind=cds; else kind=aot; fi
  jar="$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")"
  dir="$(dirname "$jar")/startup-cache"
  # system properties (-D) do not change what the cache holds; every other option is part of its name
  for opt in "$@"; do
    case "$opt" in
      # options of the user's own about class-data sharing or AOT: theirs alone (the JVM refuses some
      # pairs, e.g. -XX:AOTCache with -Xshare:auto, and would not start)
      -Xshare:*|-XX:SharedArchiveFile=*|-XX:*AutoCreateSharedArchive|-XX:ArchiveClassesAtExit=*|-XX:AOT*) return 0 ;;
      -D*) ;;
      *) jvm_opts+=("$opt") ;;
    esac
  done
  local build opts_key
  build=$( { printf '%s\n' "$jar" "$kind" "$JAVA_HOME"; stat -c '%s %Y' "$jar"
             cat "$JAVA_HOME/release" 2>/dev/null; } | sha256sum | cut -c1-12)
  opts_key=$(printf '%s\n' "${jvm_opts[*]:-}" | sha256sum | cut -c1-8)
  key="$build-$opts_key"
  file="$dir/tarn-$key.$kind"
  # a cache written to since it was made (its size and time are kept beside it) is made again
  if [ -e "$file" ] && [ "$(stat -c '%s %Y' "$file" 2>/dev/null)" != "$(cat "$file.made" 2>/dev/null)" ]; then
    rm -f "$file" "$file.made" 2>/dev/null || true
  fi
  if [ ! -s "$file" ] && [ "$create" = 1 ]; then
    mkdir -p "$dir" 2>/dev/null || return 0
    # the caches of earlier builds go; those of this build with other options stay
    for opt in "$dir"/tarn-*."$kind"; do
      case "$opt" in "$dir/tarn-$build-"*) ;; *) rm -f "$opt" "$opt.made" 2>/dev/null || true ;; esac
    done
    tmp="$dir/tarn-$key.$$.tmp"
    echo "tarn: preparing the JVM's start-up cache for this build (once per build, 10-60 s; log: $dir/training.log)" >&2
    local record
    if [ "$kind" = aot ]; then record="-XX:AOTCacheOutput=$tmp"; else record="-XX:ArchiveClassesAtExit=$tmp"; fi
    if (cd "$dir" && timeout 300 "$JAVA_HOME/bin/java" "$@" "$record" -jar "$jar" train) >"$dir/training.log" 2>&1 \
        && [ -s "$tmp" ]; then
      mv -f "$tmp" "$file" 2>/dev/null && stat -c '%s %Y' "$file" >"$file.made" 2>/dev/null || true
    else
      echo "tarn: no start-up cache (the training run failed, see $dir/training.log); starting without it" >&2
    fi
    rm -f "$tmp" "$tmp.config" 2>/dev/null || true
  fi
  [ -s "$file" ] && [ -e "$file.made" ] || return 0
  if [ "$kind" = aot ]; then
    printf '%s\n' "-XX:AOTCache=$file"
  else
    printf '%s\n' "-XX:SharedArchiveFile=$file" "-Xshare:auto"
  fi
}

# tarn_default_jvm_flags [JVM OPTION...] prints the launcher's JVM defaults that the given options do not
# set themselves: an initial heap of 32 MiB (-Xms32m; the JVM's own default is 1/64 of the machine's
# memory, and every page of it the start touches stays resident: 384 MiB on a 24 GiB machine, of which
# a start touched ~20 MiB more than with 32 MiB), the heap growing as the load needs.
tarn_default_jvm_flags() {
  local opt
  for opt in "$@"; do
    case "$opt" in -Xms*|-XX:InitialHeapSize=*|-XX:InitialRAMPercentage=*|-XX:MinRAMPercentage=*) return 0 ;; esac
  done
  printf '%s\n' "-Xms32m"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  # as ./tarn does: the defaults, the given options, then the cache's flags for all of them
  set -euo pipefail
  # shellcheck source=scripts/java-home.sh
  . "$(dirname "${BASH_SOURCE[0]}")/java-home.sh"
  tarn_jar="$1"
  shift
  mapfile -t tarn_defaults < <(tarn_default_jvm_flags "$@")
  [ "${#tarn_defaults[@]}" -eq 0 ] || printf '%s\n' "${tarn_defaults[@]}"
  tarn_startup_cache_flags 1 "$tarn_jar" "${tarn_defaults[@]}" "$@"
fi
