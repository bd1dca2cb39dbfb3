#!/bin/sh
# QEMU runs this (`-netdev tap,script=…`) with the tap device it created as $1: the host side of
# the tap is brought up, so the host's counters see the guest's packets (on a tap left down they
# are counted as rx_dropped, and nothing else).
exec ip link set "$1" up
