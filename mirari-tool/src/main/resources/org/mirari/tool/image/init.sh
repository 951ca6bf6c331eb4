#!/bin/busybox sh
# Process 1 of a Mirari VM: mounts what the JVM needs, brings the network up from the boot-time
# parameters (the kernel hands everything after "--" on its command line to init as arguments),
# runs the app's JVM, prints its exit code and powers off. Console lines starting with "mirari-"
# are read by `mirari run`.
# Every busybox applet this script runs is a fork and an exec of a dynamically linked program: under
# TCG about 45 ms each (the loader and libc start up again in each process), where a builtin
# costs nothing and a subshell about 3 ms. So each step is one applet for all its work (one mount -a,
# one modprobe), and the guest clock is read with builtins (boot_ms sets $ms; no $(...)).
bb=/bin/busybox
boot_ms() {
  read up rest </proc/uptime
  ms=$(( ${up%.*} * 1000 + 1${up#*.} * 10 - 1000 ))
}
# /proc, /sys, /dev, /tmp and /run in one process (was one mount each).
$bb mount -a -T /etc/mirari/fstab
boot_ms; echo "mirari-vm: init boot_ms=$ms"
dhcp=false ip=10.0.0.2 mask=255.255.255.0 gw=10.0.0.1 fwcfg=false
for a in "$@"; do
  case "$a" in
    *=/sys/firmware/qemu_fw_cfg/*) fwcfg=true ;;
    ip-use-dhcp=*) dhcp=${a#*=} ;;
    ip-address=*) ip=${a#*=} ;;
    ip-netmask=*) mask=${a#*=} ;;
    ip-gateway=*) gw=${a#*=} ;;
  esac
done

# The kernel modules in one modprobe (-q: a driver for absent hardware, Xen's under QEMU and
# QEMU's under Xen, refuses to load, which is expected; /lib/modules/<release>/modules.dep names
# them): those that mount the runtime and the app (/etc/mirari/images) first, then the network's
# (/etc/mirari/modules), then the one that shows the files QEMU hands over through fw_cfg (a run's
# TLS certificate and key) under /sys/firmware/qemu_fw_cfg, only when a boot-time parameter names
# one (/etc/mirari/fw_cfg), so other boots pay nothing. Without a PCI bus (QEMU microvm, Xen PVH) virtio's PCI transport has
# nothing to drive: three modules fewer to load under emulation.
pci=false
for d in /sys/bus/pci/devices/*; do [ -e "$d" ] && pci=true; break; done
mods= fwlist=
[ "$fwcfg" = true ] && fwlist=/etc/mirari/fw_cfg
for list in /etc/mirari/images /etc/mirari/modules $fwlist; do
  [ -f "$list" ] || continue
  while read -r m; do
    m=${m##*/}
    case "$m" in virtio_pci*) [ "$pci" = true ] || continue ;; esac
    mods="$mods ${m%.ko}"
  done <"$list"
done
[ -n "$mods" ] && $bb modprobe -qa $mods 2>/dev/null
boot_ms; echo "mirari-vm: modules boot_ms=$ms"

# The runtime and the app are read-only squashfs images, each mounted at the directory it names in
# its /.mirari-mount: the kernel decompresses their pages as the JVM reads them and may drop them
# again, where an unpacked initramfs would hold all of it in the guest's memory. On QEMU and Xen they
# are read-only disks (virtio-blk, blkfront), so not even their compressed bytes take guest memory;
# on a UEFI disk (EC2) they are files in the initramfs (/mirari/*.sqfs), mounted through loop.
if [ -f /etc/mirari/images ]; then
  mount_image() {  # FILE-OR-DEVICE [loop]
    $bb mount -t squashfs -o "ro${2:+,$2}" "$1" /mirari/probe 2>/dev/null || return 1
    at=
    [ -f /mirari/probe/.mirari-mount ] && read -r at </mirari/probe/.mirari-mount
    if [ -n "$at" ] && [ -d "$at" ] && $bb mount -o move /mirari/probe "$at"; then return 0; fi
    $bb umount /mirari/probe
    return 1
  }
  for img in /mirari/*.sqfs; do
    [ -f "$img" ] && { mount_image "$img" loop || echo "mirari-vm: cannot mount $img; the guest kernel needs loop and squashfs"; }
  done
  # QEMU attaches the runtime's disk first and the app's second (QemuBackend), so they are vda and
  # vdb once virtio_blk has loaded: one mount -a puts both where they belong, checked against each
  # image's own /.mirari-mount (a mount and a move per disk were four processes). Any other layout
  # (Xen's xvd*, which attach later; another order) is undone and left to the probe below.
  tried=
  if [ -f /etc/mirari/fstab.disks ] && [ -b /dev/vda ] && [ -b /dev/vdb ]; then
    $bb mount -a -T /etc/mirari/fstab.disks 2>/dev/null
    while read -r d; do
      at=
      [ -f "$d/.mirari-mount" ] && read -r at <"$d/.mirari-mount"
      [ "$at" = "$d" ] || tried=undo
    done </etc/mirari/mounts
    [ "$tried" = undo ] && $bb umount /jre /app 2>/dev/null
    tried=
  fi
  # Xen's block front-end attaches its disks after its module loaded: wait for them (5 s at most).
  n=0
  while :; do
    missing=
    while read -r d; do [ -f "$d/.mirari-mount" ] || missing="$missing $d"; done </etc/mirari/mounts
    [ -z "$missing" ] && break
    if [ $n -ge 250 ]; then
      echo "mirari-vm: nothing to mount at$missing; attach the image's read-only disks (mir-*.jre.sqfs, mir-*.app.sqfs)"
      break
    fi
    new=false
    for b in /sys/block/vd* /sys/block/xvd*; do
      [ -e "$b" ] || continue
      case " $tried " in *" ${b##*/} "*) continue ;; esac
      tried="$tried ${b##*/}"
      new=true
      mount_image "/dev/${b##*/}"
    done
    [ "$new" = true ] || $bb usleep 20000
    n=$((n + 1))
  done
  boot_ms; echo "mirari-vm: mounted boot_ms=$ms"
fi

netargs=
if [ -f /etc/mirari/modules ]; then
  $bb ifconfig lo 127.0.0.1 up
  iface=
  n=0
  while [ -z "$iface" ] && [ $n -lt 500 ]; do
    for d in /sys/class/net/*; do
      [ "${d##*/}" != lo ] && [ -e "$d" ] && iface=${d##*/} && break
    done
    [ -z "$iface" ] && $bb usleep 20000
    n=$((n + 1))
  done
  if [ -z "$iface" ]; then
    echo "mirari-vm: no network interface appeared; give the VM a NIC (or use main-noip)"
  elif [ "$dhcp" = true ]; then
    # udhcpc returns once it holds a lease and stays in the background to renew it.
    if $bb udhcpc -i "$iface" -s /etc/mirari/udhcpc.script -t 10 -T 2 -n >/dev/null 2>&1 && [ -f /run/mirari-lease ]; then
      read -r ip mask gw </run/mirari-lease
    else
      echo "mirari-vm: DHCP on $iface got no lease"
      ip= mask= gw=
    fi
  else
    $bb ifconfig "$iface" "$ip" netmask "$mask" up
    [ -n "$gw" ] && $bb route add default gw "$gw"
  fi
  if [ -n "$ip" ]; then
    read -r mac </sys/class/net/$iface/address
    boot_ms
    echo "mirari-vm: network address=$ip netmask=$mask gateway=$gw interface=$iface mac=$mac uptime_ms=0 boot_ms=$ms"
    netargs="ip-address=$ip ip-netmask=$mask ip-gateway=$gw"
  fi
fi

# On EC2 (MIRARI_IMDS on the disk's command line) the instance's user data, read once the network
# is up, comes after the built-in parameters and so wins over them (see user-data.sh).
userargs=
[ -n "${MIRARI_IMDS:-}" ] && [ -n "$netargs" ] && . /etc/mirari/user-data.sh

# The app sees the address it really has (from DHCP, say), not the conf's default.
args=
for a in "$@"; do case "$a" in ip-*) ;; *) args="$args $a" ;; esac; done
set -- $args $userargs $netargs
# MIRARI_JVM_OPTIONS comes from the kernel command line (the kernel hands unknown NAME=value
# parameters to init as environment): mirari run adds options that depend on the accelerator.
# The app's AOT cache (trained at build time for this runtime and these flags). The JVM logs whether
# it maps the cache (-Xlog:aot) to its stderr, which passes through a filter on its way to the
# console: the verdict ("Using AOT-linked classes: true ...") and any AOT warning or error become
# "mirari-vm: aot ..." lines for mirari run, the other AOT lines are dropped, the app's own stderr
# passes unchanged; none go to stdout, where the JVM puts warnings by default. (The JVM logs only
# to regular files, so neither a FIFO nor /dev/console can be its log file, and a file needs a
# reader that polls.) The filter ends when the JVM closes its stderr.
aot=
if [ -f /app/app.aot ]; then
  # With the cache's call adapters: machine code that the build trained for QEMU's qemu64 CPU, which
  # every guest CPU has (AotTraining.Code.QEMU64). The cache is mapped at the address it was made
  # for (ArchiveRelocationMode=0, no ASLR inside a one-app VM): relocating it writes to every page,
  # which makes private copies of the whole cache in the guest's memory and costs time under
  # emulation.
  aot="-XX:AOTCache=/app/app.aot -XX:+UnlockDiagnosticVMOptions -XX:+AOTAdapterCaching -XX:ArchiveRelocationMode=0 -Xlog:aot=off:stdout -Xlog:aot=info:stderr:level,tags -Xlog:aot+codecache+init=info:stderr:level,tags"
fi
# Snapshot restores (mirari run --qemu): a VM restored from a snapshot continues here with the
# RNG state, clock and app state of the VM the snapshot was taken of. MIRARI_RESTORE (from the
# kernel command line) names the serial port on which mirari run then writes one line per restore:
# "mirari-restore gen=N time=EPOCH seed=HEX ...". Before any host port reaches the app, its reader
# /bin/mirari-reseed (a static program, see mirari-reseed.s) sets the clock to the host's time when
# it sent the line, to the millisecond, reseeds the kernel's RNG (RNDADDENTROPY + RNDRESEEDCRNG: a
# write to /dev/urandom only mixes into the input pool, and the CRNG would go on with the shared key
# for up to a minute) and hands the line to the app's runtime through a FIFO; the runtime reseeds the
# JVM's SecureRandom, runs the app's restore hooks and answers "mirari-restored gen=N" on the
# console. One program that stays, not a shell loop: after a restore every process started and
# every first code path is translated again by TCG (the loop's fork and exec of the reseed alone
# took 85-155 ms of each restore). It holds the FIFO open for reading and writing, so opening it
# never waits and the runtime never sees its end.
if [ -n "$MIRARI_RESTORE" ] && [ -c "/dev/$MIRARI_RESTORE" ]; then
  $bb mkfifo -m 600 /run/mirari-restore
  $bb stty -F "/dev/$MIRARI_RESTORE" raw -echo 2>/dev/null
  /bin/mirari-reseed <"/dev/$MIRARI_RESTORE" 3<>/run/mirari-restore &
fi
cd /
# For mirari run's boot timeline: when the kernel unpacked the initramfs, from its log (/dev/kmsg,
# one record a read: "LEVEL,SEQ,MICROSECONDS,FLAGS;TEXT"). One sed in the background (a dmesg and two
# seds were three processes while the JVM started); it stops at the kernel's "Run /init as init
# process", which the kernel logged before it started this script, so it never waits for more.
$bb sed -n -e '/;Trying to unpack rootfs/{s/^[^,]*,[^,]*,\([0-9]*\)[0-9][0-9][0-9],.*/unpack_start_ms=\1/;h;}' \
  -e '/;Freeing initrd memory/{s/^[^,]*,[^,]*,\([0-9]*\)[0-9][0-9][0-9],.*/unpack_end_ms=\1/;H;x;s/\n/ /;s/^/mirari-vm: kernel /p;q;}' \
  -e '/ as init process/q' /dev/kmsg &
# bench/vm memory's probe (a copy of the initrd with this file added; built images have none):
# it prints the guest's memory figures once the app listens.
[ -f /etc/mirari/probe.sh ] && . /etc/mirari/probe.sh
# The JIT compiler under emulation (MIRARI_JIT=deferred: mirari run sets it under TCG only) waits
# for ten times the usual calls (-XX:CompileThresholdScaling=10): TCG must translate C1's own code
# and every method C1 compiles before running them, and most methods a start-up calls a few hundred
# times are not called again, while the hot ones still reach the scaled thresholds within seconds.
# Measured under TCG (3 alternating boots, load 0.8-1.6): hello's JVM start to listening 2.30-2.58
# s against 2.76-3.02 s; the seed with HTTPS 9.6-10.2 s against 9.4-11.6 s. Raising the compiler's
# thresholds more (30) or running it at the lowest priority until the app was ready cost the seed's
# key check, run interpreted, 1.6-5 s, and slowed hello's first minute under load.
# And the JVM does not replay the AOT cache's training profiles (-XX:-AOTReplayTraining; the flag
# needs the cache's -XX:+UnlockDiagnosticVMOptions before it). They are there for C2, which does not
# run under emulation (C1 alone, see VmGuest), and replaying them had C1 compile at once, during the
# start, the methods the training run compiled. Measured under TCG (hello, 3 alternating boots, load
# 0.4-0.6): JVM start to listening 1.14-1.19 s against 1.28-1.32 s; its four compiles before
# listening were eight. The cache still holds the profiles, for a KVM run with all its tiers.
jit=
if [ "${MIRARI_JIT:-}" = deferred ]; then
  jit=-XX:CompileThresholdScaling=10
  [ -n "$aot" ] && aot="$aot -XX:-AOTReplayTraining"
fi
if [ -n "$aot" ]; then
  # A shell loop, not sed: busybox sed holds its output until it ends, even on a terminal.
  aot_filter() {
    while IFS= read -r l || [ -n "$l" ]; do
      case $l in
        "[info"*"][aot"*"] Using AOT-linked classes"*) echo "mirari-vm: aot ${l#*] }" ;;
        "[info"*"][aot,codecache,init"*"] Loaded "*) echo "mirari-vm: aot ${l#*] }" ;;
        "[warning"*"][aot"*"] "* | "[error"*"][aot"*"] "*) l=${l#?}; echo "mirari-vm: aot ${l%%[] ]*}: ${l#*] }" ;;
        "["*"][aot"*"] "*) ;;
        *) printf '%s\n' "$l" ;;
      esac
      l=
    done
  }
  boot_ms; echo "mirari-vm: jvm boot_ms=$ms"
  # The JVM's stderr goes to the filter through a pipe, its stdout to the console (fd 3); the JVM's
  # exit code comes back through a file, as a pipeline's status is its last command's. (This was a
  # FIFO: the mkfifo process alone cost about 45 ms under TCG.)
  exec 3>&1
  { /jre/bin/java $MIRARI_JVM_OPTIONS $jit $aot @/app/jvm.args "$@" 2>&1 >&3 3>&-; echo $? >/run/mirari-jvm-code; } | aot_filter >&2
  exec 3>&-
  code=
  read -r code </run/mirari-jvm-code
else
  boot_ms; echo "mirari-vm: jvm boot_ms=$ms"
  /jre/bin/java $MIRARI_JVM_OPTIONS $jit $aot @/app/jvm.args "$@"
  code=$?
fi
boot_ms; echo "mirari-vm: exit code=$code boot_ms=$ms"
$bb sync
$bb poweroff -f
