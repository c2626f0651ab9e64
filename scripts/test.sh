#!/usr/bin/env bash
# Runs the whole test suite (every test assembly in Epsilon.sln) on a fresh Debian machine with
# the .NET 10 SDK. Installs, with apt-get, the interop peers the tests talk to when missing.
# Extra arguments go to `dotnet test` (for example: --filter "Category=Unit").
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v nc >/dev/null 2>&1 || missing+=(netcat-openbsd)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
# ss reports a listening socket's backlog (HttpServerSettingsLoopbackTests).
command -v ss >/dev/null 2>&1 || missing+=(iproute2)
# Reverse proxies in front of Epsilon's HTTP server (Conformance/Proxies); they live in /usr/sbin.
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing test peers: ${missing[*]}"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
rm -rf TestResults
dotnet test Epsilon.sln --results-directory TestResults --logger trx --logger "console;verbosity=normal" "$@"
