#!/bin/sh
# Holds a private network namespace for the end-to-end tests. Started by NetNs.java (examples/server e2e tests)
# already inside the new namespace: `unshare -n sh netns.sh ADDR/PREFIX` as root, `unshare -rn …` otherwise.
# It brings lo up, adds a veth pair veth0/veth1 with ADDR/PREFIX on veth0 (both ends stay in this namespace, so
# nothing sent to that address can leave it), prints "ready", and keeps the namespace alive until its stdin
# closes. Other processes join it with `nsenter -t PID -n` (plus `-U --preserve-credentials` after -rn).
set -eu
if [ $# -ne 1 ]; then echo "usage: unshare -n sh netns.sh ADDR/PREFIX" >&2; exit 2; fi
# Refuse to touch a namespace that has more than lo: that is not a fresh one (e.g. the host's own).
links=$(ip -o link show | wc -l)
if [ "$links" -ne 1 ]; then
  echo "netns.sh: this network namespace has $links interfaces, not only lo: run it under unshare -n" >&2
  exit 3
fi
ip link set lo up
ip link add veth0 type veth peer name veth1
ip addr add "$1" dev veth0
ip link set veth0 up
ip link set veth1 up
echo ready
exec cat >/dev/null
