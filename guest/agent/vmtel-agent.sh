#!/bin/sh
# vmtel-agent: the in-guest half of vmtel's guest_agent source. Once per tick it writes one JSON
# object per line to a virtio-serial port, which QEMU hands to vmtel through a unix socket.
# POSIX sh, so it runs under busybox in a minimal guest as under any Linux /bin/sh. Per tick it
# forks only `sleep` (and `date` on shells without $EPOCHREALTIME): the rest is builtins and
# `read`, so sampling barely perturbs the guest it measures.
#
# Settings, from the environment:
#   VMTEL_AGENT_PORT_NAME   name of the virtio-serial port       [cis490.guest.agent]
#   VMTEL_AGENT_INTERVAL_S  seconds between rows; fractions like 0.25 allowed   [1]
#   VMTEL_AGENT_PORTS_DIR   where the kernel lists port names    [/sys/class/virtio-ports]
#   VMTEL_AGENT_DEV_DIR     where the port devices are           [/dev]
#   VMTEL_AGENT_PROC_DIR    where procfs is mounted              [/proc]
#   VMTEL_AGENT_MARKS_DIR   markers waiting to be sent           [/run/vmtel-agent/marks]
# The row fields are listed in docs/real-vm.md.
#
# `vmtel-agent.sh mark [--phase] NAME`, run beside the agent by a workload in the guest, leaves a
# marker for the running agent to send through the port as one row (docs/control.md).

set -u
# A write to a port whose reader went away must fail (EPIPE) and be retried, not kill the agent.
trap '' PIPE

port_name=${VMTEL_AGENT_PORT_NAME:-cis490.guest.agent}
interval_s=${VMTEL_AGENT_INTERVAL_S:-1}
ports_dir=${VMTEL_AGENT_PORTS_DIR:-/sys/class/virtio-ports}
dev_dir=${VMTEL_AGENT_DEV_DIR:-/dev}
proc=${VMTEL_AGENT_PROC_DIR:-/proc}
marks_dir=${VMTEL_AGENT_MARKS_DIR:-/run/vmtel-agent/marks}
# How long to wait before looking for the port again; the drivers may still be loading.
port_retry_s=1
nanos_per_s=1000000000

log() { printf 'vmtel-agent: %s\n' "$*" >&2; }

# "1", "0.25" or "2.5" seconds -> integer ns, in sh arithmetic (64-bit in busybox, dash, bash).
seconds_to_ns() {
  case $1 in '' | *[!0-9.]* | *.*.* | . ) return 1 ;; esac
  whole=${1%%.*}
  frac=
  case $1 in *.*) frac=${1#*.} ;; esac
  frac=${frac}000000000
  frac=${frac%"${frac#?????????}"}
  ns=$(( ${whole:-0} * nanos_per_s + 1${frac} - nanos_per_s ))
  [ "$ns" -gt 0 ]
}

# integer ns -> "S.NNNNNNNNN" for sleep.
ns_to_seconds() {
  frac=000000000$(( $1 % nanos_per_s ))
  seconds="$(( $1 / nanos_per_s )).${frac#"${frac%?????????}"}"
}

# Sets $mono_ns: CLOCK_MONOTONIC in ns, exact from /proc/timer_list ("now at N nsecs" on line 3),
# else /proc/uptime (centiseconds) when timer_list is unreadable (it is root-only).
read_mono_timer_list() { { read -r _; read -r _; read -r _ _ mono_ns _; } < "$proc"/timer_list; }
read_mono_uptime() {
  read -r up _ < "$proc"/uptime
  # "12.05": the 1 prefix keeps a leading 0 of the hundredths from reading as octal.
  mono_ns=$(( (${up%.*} * 100 + 1${up#*.} - 100) * 10000000 ))
}
if read_mono_timer_list 2>/dev/null && case $mono_ns in '' | *[!0-9]*) false ;; esac; then
  read_mono() { read_mono_timer_list; }
else
  log "/proc/timer_list unreadable: t_guest_mono_ns from /proc/uptime (10 ms steps)"
  read_mono() { read_mono_uptime; }
fi

# Sets $wall_ns: the guest's wall clock in ns. $EPOCHREALTIME (busybox ash, bash 5) costs no
# fork; else GNU date's %N; else whole seconds from `date +%s`.
if [ -n "${EPOCHREALTIME:-}" ]; then
  read_wall() { w=$EPOCHREALTIME; wall_ns=${w%%[.,]*}${w#*[.,]}000; }
else
  case $(date +%s%N) in
    *[!0-9]*) read_wall() { wall_ns=$(date +%s)000000000; } ;;
    *) read_wall() { wall_ns=$(date +%s%N); } ;;
  esac
fi

# Sets $net: {"<ifname>":{counters}, ...} from /proc/net/dev. A name is written only when it is
# plain (the guest is untrusted and names go into JSON unescaped).
read_net() {
  net=
  {
    read -r _
    read -r _
    while read -r line; do
      ifname=${line%%:*}
      case $ifname in '' | *[!A-Za-z0-9_.@-]*) continue ;; esac
      # shellcheck disable=SC2086 # splitting the counters into $1.. is the point
      set -- ${line#*:}
      net="$net${net:+,}\"$ifname\":{\"rx_bytes\":$1,\"rx_packets\":$2,\"rx_errs\":$3,\"rx_drop\":$4,\"tx_bytes\":$9,\"tx_packets\":${10},\"tx_errs\":${11},\"tx_drop\":${12}}"
    done
  } < "$proc"/net/dev
}

# Sets $row: one JSON object for tick $seq.
sample() {
  read_mono
  read_wall
  read -r _ cpu_user cpu_nice cpu_system cpu_idle cpu_iowait cpu_irq cpu_softirq cpu_steal _ < "$proc"/stat
  mem_total= mem_available=
  while read -r key value _; do
    case $key in
      MemTotal:) mem_total=$value ;;
      MemAvailable:) mem_available=$value; break ;;
    esac
  done < "$proc"/meminfo
  tasks=
  read -r load_1m load_5m load_15m tasks _ < "$proc"/loadavg
  case $tasks in */*) ;; *) tasks=null/null ;; esac
  set -- "$proc"/[0-9]*
  read_net
  row="{\"seq\":$seq,\"t_guest_mono_ns\":$mono_ns,\"t_guest_wall_ns\":$wall_ns,\"interval_ns\":$interval_ns"
  row="$row,\"cpu_user_jiffies\":${cpu_user:-null},\"cpu_nice_jiffies\":${cpu_nice:-null},\"cpu_system_jiffies\":${cpu_system:-null},\"cpu_idle_jiffies\":${cpu_idle:-null}"
  row="$row,\"cpu_iowait_jiffies\":${cpu_iowait:-null},\"cpu_irq_jiffies\":${cpu_irq:-null},\"cpu_softirq_jiffies\":${cpu_softirq:-null},\"cpu_steal_jiffies\":${cpu_steal:-null}"
  row="$row,\"mem_total_kb\":${mem_total:-null},\"mem_available_kb\":${mem_available:-null}"
  row="$row,\"load_1m\":${load_1m:-null},\"load_5m\":${load_5m:-null},\"load_15m\":${load_15m:-null}"
  row="$row,\"tasks_running\":${tasks%/*},\"tasks_total\":${tasks#*/},\"process_count\":$#,\"net\":{$net}}"
}

# Sets $dev to the device of the port named $port_name; fails while the port is not there.
find_port() {
  for name_file in "$ports_dir"/*/name; do
    name=
    read -r name < "$name_file" 2>/dev/null || [ -n "${name:-}" ] || continue
    [ "$name" = "$port_name" ] || continue
    port_dir=${name_file%/name}
    dev=$dev_dir/${port_dir##*/}
    # Only a device (or a FIFO standing in for one): `exec 3>` would create a plain file.
    [ -c "$dev" ] || [ -p "$dev" ]
    return
  done
  return 1
}

# Opens fd 3 on the port, waiting until it exists. `command` keeps a failed `exec` redirection
# from ending the shell. The open of a FIFO blocks until a reader comes, as a port write would.
open_port() {
  waiting_logged=
  until find_port && { command exec 3>"$dev"; } 2>/dev/null; do
    [ -n "$waiting_logged" ] || log "waiting for virtio port $port_name"
    waiting_logged=1
    sleep "$port_retry_s"
  done
  log "writing rows to $dev (port $port_name) every ${interval_s}s"
}

# Sleeps until the next tick of a grid of `interval_ns` steps on the guest monotonic clock. A tick
# missed (a write blocked while the host was away) is skipped, not caught up in a burst.
wait_next_tick() {
  read_mono
  next_ns=$(( next_ns + interval_ns ))
  [ "$next_ns" -gt "$mono_ns" ] || next_ns=$(( mono_ns + interval_ns - (mono_ns - next_ns) % interval_ns ))
  ns_to_seconds $(( next_ns - mono_ns ))
  sleep "$seconds"
}

# `mark [--phase] NAME`: the port has one writer, the running agent, so the marker is left in
# $marks_dir as one finished row, stamped now on the guest's clocks, named so that the agent sends
# marks in the order they were made. The name goes into JSON unescaped: only plain names pass.
mark_main() {
  phase=false
  if [ "${1:-}" = --phase ]; then phase=true; shift; fi
  name=${1:-}
  case $name in
    '' | [!A-Za-z0-9]* | *[!A-Za-z0-9_.:-]*) log "mark: NAME must be 1 to 64 letters, digits, '_', '.', ':' and '-', starting with a letter or digit, got '$name'"; exit 2 ;;
  esac
  [ "${#name}" -le 64 ] || { log "mark: NAME is longer than 64 characters"; exit 2; }
  [ $# -eq 1 ] || { log "mark: expected [--phase] NAME, got $*"; exit 2; }
  read_mono
  read_wall
  mkdir -p "$marks_dir" || exit 1
  mark_file=$marks_dir/$(printf '%020d' "$mono_ns").$$
  # Written under a hidden name, then renamed: the agent never sends half a row.
  printf '{"marker":"%s","phase":%s,"t_guest_mono_ns":%s,"t_guest_wall_ns":%s}\n' "$name" "$phase" "$mono_ns" "$wall_ns" > "$marks_dir/.mark.$$" &&
    mv "$marks_dir/.mark.$$" "$mark_file.mark"
}

# Sends the waiting markers, oldest first; one whose write fails waits for the next tick.
send_marks() {
  for mark_file in "$marks_dir"/*.mark; do
    [ -f "$mark_file" ] || continue
    read -r mark_row < "$mark_file" || continue
    printf '%s\n' "$mark_row" >&3 2>/dev/null || return 0
    rm -f "$mark_file"
  done
}

if [ "${1:-}" = mark ]; then
  shift
  mark_main "$@"
  exit
fi

seconds_to_ns "$interval_s" || { log "VMTEL_AGENT_INTERVAL_S must be a positive number of seconds, got '$interval_s'"; exit 2; }
interval_ns=$ns
seq=0
open_port
read_mono
next_ns=$mono_ns
while :; do
  sample
  # A failed write (EPIPE, EIO, a port unplugged) reopens the port and sends the same row again,
  # so seq stays contiguous. The pause keeps a port that fails every write from spinning the CPU.
  until printf '%s\n' "$row" >&3 2>/dev/null; do
    log "write to $dev failed; reopening"
    exec 3>&-
    sleep "$port_retry_s"
    open_port
  done
  seq=$(( seq + 1 ))
  send_marks
  wait_next_tick
done
