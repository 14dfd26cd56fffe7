# Shared helpers of the benchmark scripts (sourced).

# Seconds since the epoch with nanoseconds.
now() { date +%s.%N; }

# elapsed START: seconds since START, 2 decimals.
elapsed() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.2f", e - s }'; }

# group N: 1234567 -> 1,234,567.
group() { echo "$1" | sed ':a; s/\B[0-9]\{3\}\>/,&/; ta'; }

# rate ROWS SECONDS: rows per second, no decimals, thousands grouped.
rate() { group "$(awk -v r="$1" -v s="$2" 'BEGIN { printf "%d", r / s }')"; }

# A line describing this machine.
machine() {
  local cpu
  cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)
  printf '%s, %s cores, %s RAM, Linux %s' "${cpu:-unknown CPU}" "$(nproc)" \
    "$(free -g | awk '/^Mem:/ { print $2 " GiB" }')" "$(uname -r)"
}

# splice FILE NAME: replaces the block between <!-- NAME:begin --> and
# <!-- NAME:end --> in FILE with standard input (appending the block if absent).
splice() {
  local file=$1 name=$2 block
  block=$(cat)
  [ -f "$file" ] || printf '# Benchmarks\n' > "$file"
  if ! grep -q "<!-- $name:begin -->" "$file"; then
    printf '\n<!-- %s:begin -->\n<!-- %s:end -->\n' "$name" "$name" >> "$file"
  fi
  awk -v name="$name" -v block="$block" '
    $0 == "<!-- " name ":begin -->" { print; print block; skip = 1; next }
    $0 == "<!-- " name ":end -->" { skip = 0 }
    !skip { print }' "$file" > "$file.tmp" && mv "$file.tmp" "$file"
}
