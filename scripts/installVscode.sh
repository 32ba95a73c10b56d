#!/usr/bin/env bash
# Installs a real VS Code 1.100.3 (the build inside the npm package code-server@4.100.3) into a
# cache folder outside the repo, for the end-to-end tests (scripts/vscodeE2e.mjs), on machines that
# reach only the npm registry and Debian's packages. Idempotent: a complete install is skipped.
#
# Environment: NORMLINT_VSCODE_CACHE (default ~/.cache/normlint-vscode). Prints the install folder
# on its last line of stdout; everything else goes to stderr.
set -euo pipefail

codeServerVersion=4.100.3
cacheRoot="${NORMLINT_VSCODE_CACHE:-$HOME/.cache/normlint-vscode}"
installDir="$cacheRoot/code-server-$codeServerVersion"
vscodeDir="$installDir/node_modules/code-server/lib/vscode"
marker="$installDir/.normlint-install-complete"

log() { echo "installVscode: $*" >&2; }
fail() { echo "installVscode: FAILED: $*" >&2; exit 1; }

isComplete() { [[ -f "$marker" && -f "$vscodeDir/out/server-main.js" ]]; }

# One install at a time per cache: a second run waits here, then finds the first one's result.
mkdir -p "$cacheRoot"
exec 9>"$cacheRoot/.install.lock"
flock 9

# Debian packages: Chromium runs the workbench (checked on every run, since the tests need it),
# ripgrep replaces the rg binary that code-server's install script would download from GitHub, and
# libkrb5-dev has the headers the kerberos module builds against. The compilers are on a new machine
# of this kind already, but are cheap to check.
missingPackages=()
command -v chromium >/dev/null 2>&1 || missingPackages+=(chromium)
if ! isComplete; then
  command -v rg >/dev/null 2>&1 || missingPackages+=(ripgrep)
  dpkg-query -W -f='${Status}' libkrb5-dev 2>/dev/null | grep -q 'install ok installed' || missingPackages+=(libkrb5-dev)
  command -v make >/dev/null 2>&1 || missingPackages+=(make)
  command -v g++ >/dev/null 2>&1 || missingPackages+=(g++)
  command -v python3 >/dev/null 2>&1 || missingPackages+=(python3)
fi
if ((${#missingPackages[@]} > 0)); then
  log "installing Debian packages: ${missingPackages[*]}"
  sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || fail "need root (or sudo) to install ${missingPackages[*]}"
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update >&2 || fail "apt-get update failed"
  "${sudo[@]}" apt-get install -y --no-install-recommends "${missingPackages[@]}" >&2 \
    || fail "apt-get install ${missingPackages[*]} failed"
fi

if isComplete; then
  log "VS Code from code-server@$codeServerVersion is already installed in $installDir"
  echo "$installDir"
  exit 0
fi

# Build in a scratch folder and rename it at the end, so that an interrupted install never looks
# complete and the next run starts over cleanly.
startSeconds=$SECONDS
partialDir="$installDir.partial"
rm -rf "$partialDir" "$installDir"
mkdir -p "$partialDir"
cd "$partialDir"
# A package.json of its own keeps npm from walking up into an enclosing project.
echo '{ "name": "normlint-vscode-cache", "private": true }' >package.json

# The package's own install script downloads ripgrep from GitHub and builds everything, so skip it
# and do its steps by hand. npm's output goes to stderr: stdout is reserved for the folder's path.
log "npm install code-server@$codeServerVersion (the whole install takes about a minute)"
npm install --no-audit --no-fund --ignore-scripts "code-server@$codeServerVersion" >&2 \
  || fail "npm install code-server@$codeServerVersion failed"

cd node_modules/code-server/lib/vscode
log "installing VS Code's own dependencies"
npm install --no-audit --no-fund --omit=dev --ignore-scripts >&2 || fail "npm install in lib/vscode failed"
log "building VS Code's native modules"
npm_config_yes=true npm rebuild kerberos node-pty @parcel/watcher @vscode/spdlog native-watchdog @vscode/deviceid >&2 \
  || fail "npm rebuild of VS Code's native modules failed"
ripgrepPath=$(command -v rg) || fail "ripgrep (rg) is not on PATH after installing it"
mkdir -p node_modules/@vscode/ripgrep/bin
cp "$ripgrepPath" node_modules/@vscode/ripgrep/bin/rg
# The server looks for its modules in node_modules.asar, which only packaged builds have.
ln -sfn node_modules node_modules.asar
log "installing the built-in extensions' dependencies"
(cd extensions && npm install --no-audit --no-fund --omit=dev --ignore-scripts >&2) \
  || fail "npm install in lib/vscode/extensions failed"
cd "$partialDir"
# argon2 is needed only by the code-server launcher (driving the UI like a person); the tests run
# lib/vscode/out/server-main.js directly, so its failure is reported but not fatal.
log "building argon2 for the code-server launcher"
npm_config_build_from_source=true npm rebuild argon2 >&2 \
  || log "warning: npm rebuild argon2 failed; the code-server launcher will not start (the tests do not need it)"

[[ -f node_modules/code-server/lib/vscode/out/server-main.js ]] \
  || fail "lib/vscode/out/server-main.js is missing after the install"
# npm reports success even when it skipped a build, so load what the server needs to start.
(cd node_modules/code-server/lib/vscode && node -e "
  for (const name of ['node-pty', '@vscode/spdlog', 'native-watchdog', 'kerberos', '@parcel/watcher']) require(name);
") || fail "a native module of VS Code does not load after the rebuild (see the error above)"
date -u +%Y-%m-%dT%H:%M:%SZ >"$partialDir/.normlint-install-complete"
cd "$cacheRoot"
mv "$partialDir" "$installDir"
log "installed VS Code from code-server@$codeServerVersion in $installDir in $((SECONDS - startSeconds)) s"
echo "$installDir"
