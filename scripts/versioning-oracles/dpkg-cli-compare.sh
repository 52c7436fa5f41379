#!/usr/bin/env bash
# Spot-check oracle for the dpkg version scheme: the plain `dpkg --compare-versions` CLI.
# Reads records "A\x1fB" (one a line) on stdin and prints, a line each, -1, 0 or 1 (the order dpkg
# gives A vs B) or E when dpkg fails (a bad version, or one starting with "-" read as an option).
set -u
holds() {
  dpkg --compare-versions "$1" "$2" "$3" 2>/dev/null
  case $? in 0) return 0 ;; 1) return 1 ;; *) return 2 ;; esac
}
while IFS=$'\x1f' read -r a b; do
  holds "$a" lt "$b"
  case $? in
    0) echo -1; continue ;;
    2) echo E; continue ;;
  esac
  if holds "$a" eq "$b"; then echo 0; else echo 1; fi
done
