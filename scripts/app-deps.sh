# Sourced by the scripts that run the TypeScript app: installs its dependencies with
# `npm ci` on first run, or when package-lock.json changed since the last install.
app_deps() {
  local app="$1"
  if [ ! -f "$app/node_modules/.package-lock.json" ] || [ "$app/package-lock.json" -nt "$app/node_modules/.package-lock.json" ]; then
    (cd "$app" && npm ci --no-audit --no-fund)
  fi
}
