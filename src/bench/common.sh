# Helpers the benchmark scripts share (sourced: `. "$here/common.sh"`), one copy so that a fix reaches them all.

# Waits until FILE has a line matching PATTERN; after TIMEOUT_S seconds says so (and the file's end) and fails.
wait_for_line() { # file pattern timeout_s
  local deadline=$((SECONDS + $3))
  until grep -q "$2" "$1" 2>/dev/null; do
    [ $SECONDS -ge $deadline ] && { echo "timeout waiting for '$2' in $1" >&2; tail -5 "$1" >&2; return 1; }
    sleep 0.02
  done
}

# Seconds since the epoch, to the nanosecond (for bc).
now() { date +%s.%N; }

# CPU seconds (user + system) the live processes PID... have used so far, from /proc/PID/stat (fields 14 and 15, in
# clock ticks): taken just before a run's processes are stopped, it covers each one whole, its threads and the kernel's
# work on its sockets included; a process already gone counts 0.
cpu_seconds() { # pid...
  local p total=0 hz; hz=$(getconf CLK_TCK)
  for p in "$@"; do
    [ -r "/proc/$p/stat" ] || continue
    # the command name (field 2) may hold spaces: fields are counted after its closing parenthesis
    total=$((total + $(sed -E 's/^.*\) //' "/proc/$p/stat" | awk '{print $12 + $13}')))
  done
  echo "$total / $hz" | bc -l
}

# "median (min-max)" of the numbers on stdin, formatted with printf FORMAT: how far a figure moved between runs.
spread() { # format
  sort -g | awk -v f="$1" '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2;
    printf f " (" f "-" f ")\n", m, a[1], a[NR]}'
}

# A field's value in the one-line JSON on stdin (the API's answers; flat values only): `field infoHash`.
field() { sed -nE "s/.*\"$1\":\"?([^,\"}]*).*/\1/p" | head -1; }

# Publishes PATH with POLICY on the node at BASE_URL (credentials: the caller's AUTH array of curl arguments) and
# prints the swarm's info-hash once the swarm exists: a file above freshet.publish.async-bytes is hashed in the
# background (202 and a publication, polled every 0.2 s), a smaller one at once (201).
publish_path() { # base-url path policy -> info-hash
  local reply
  reply=$(curl -sf "${AUTH[@]}" -H 'Content-Type: application/json' -d "{\"path\":\"$2\",\"policy\":\"$3\"}" \
    "$1/api/swarms")
  while grep -q '"piecesHashed"' <<<"$reply" && ! grep -q '"state":"done"' <<<"$reply"; do
    grep -q '"state":"failed"' <<<"$reply" && { echo "publishing $2 failed: $reply" >&2; return 1; }
    sleep 0.2
    reply=$(curl -sf "${AUTH[@]}" "$1/api/publications/$(field id <<<"$reply")")
  done
  field infoHash <<<"$reply"
}

# The median of the numbers on stdin, one per line, in plain digits (bc reads no 2.29e+08).
median() { sort -g | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else printf "%.6f\n", (a[NR/2]+a[NR/2+1])/2}'; }
# The median of the numbers in one space-separated list (as the benches gather a run's figures: "$x ").
median_of() { tr ' ' '\n' <<<"$1" | grep . | median; }
