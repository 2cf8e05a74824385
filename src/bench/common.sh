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

# The median of the numbers on stdin, one per line, in plain digits (bc reads no 2.29e+08).
median() { sort -g | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else printf "%.6f\n", (a[NR/2]+a[NR/2+1])/2}'; }
