#!/usr/bin/env bash
# Runs every test of the project on a fresh Debian 12 machine.
# Installs what the tests need when it is missing (needs root or sudo for apt):
#   JDK 17 + Maven, PostgreSQL 15 + PostGIS 3 (tests start their own throwaway cluster),
#   MapServer CGI (SLD render test), and the real clients of the service tests: chromium + chromium-driver
#   (Selenium drives the map viewer), python3-owslib (OGC API acceptance test), curl (the docs' examples).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v javac >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need+=(maven)
[ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql-15)
[ -f /usr/share/postgresql/15/extension/postgis.control ] || need+=(postgresql-15-postgis-3)
[ -x /usr/lib/cgi-bin/mapserv ] || need+=(cgi-mapserver mapserver-bin)
[ -d /usr/share/fonts/truetype/dejavu ] || need+=(fonts-dejavu-core)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
/usr/bin/python3 -c 'import owslib' >/dev/null 2>&1 || need+=(python3-owslib)
command -v curl >/dev/null 2>&1 || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing test prerequisites: ${need[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
fi

# DJL must never download: natives come from the pytorch-native-cpu jar.
export DJL_OFFLINE=true
mvn -B -ntp verify "$@"
