#!/usr/bin/env bash
# nginx lane: the HTTP symbol-store client against Debian's nginx serving a static symbol store
# (built from test/fixtures) on a loopback port, with a private prefix, config and logs in a
# temporary directory. Runs test/integration/http/nginx.test.ts.
#   npm run test:nginx                 (installs nginx-light with apt-get when root and absent)
#   DBGHELP_NGINX=/path/to/nginx npm run test:nginx
# Without nginx (and no way to install it) it says so and exits 0: the default suite already
# covers the client against a Node server; this lane adds a real web server's behaviour.
set -euo pipefail
cd "$(dirname "$0")/.."

NGINX="${DBGHELP_NGINX:-$(command -v nginx || true)}"
[ -z "$NGINX" ] && [ -x /usr/sbin/nginx ] && NGINX=/usr/sbin/nginx
if [ -z "$NGINX" ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "== nginx lane: installing Debian's nginx-light"
  export DEBIAN_FRONTEND=noninteractive
  (apt-get update -qq && { apt-get install -y -qq --no-install-recommends nginx-light || apt-get install -y -qq --no-install-recommends nginx; }) >/dev/null 2>&1 || true
  NGINX="$(command -v nginx || true)"
  [ -z "$NGINX" ] && [ -x /usr/sbin/nginx ] && NGINX=/usr/sbin/nginx
fi
if [ -z "$NGINX" ]; then
  echo "nginx lane: did not run: no nginx binary (install Debian's nginx-light, or set DBGHELP_NGINX)"
  exit 0
fi
echo "== nginx lane: $("$NGINX" -v 2>&1)"
DBGHELP_NGINX="$NGINX" npx jest --runInBand test/integration/http/nginx.test.ts
