#!/bin/busybox sh
# Process 1 of a Mirari VM: mounts what the JVM needs, brings the network up from the boot-time
# parameters (the kernel hands everything after "--" on its command line to init as arguments),
# runs the app's JVM, prints its exit code and powers off. Console lines starting with "mirari-"
# are read by `mirari run`.
bb=/bin/busybox
boot_ms() {
  read up rest </proc/uptime
  echo $(( ${up%.*} * 1000 + 1${up#*.} * 10 - 1000 ))
}
$bb mount -t proc -o nosuid,nodev,noexec proc /proc
$bb mount -t sysfs -o nosuid,nodev,noexec sysfs /sys
$bb mount -t devtmpfs -o nosuid devtmpfs /dev
$bb mount -t tmpfs -o nosuid,nodev tmpfs /tmp
$bb mount -t tmpfs -o nosuid,nodev tmpfs /run
echo "mirari-vm: init boot_ms=$(boot_ms)"
# The runtime and the app come as squashfs files (/mirari/<dir>.sqfs, mounted at /<dir>): the kernel
# decompresses their pages as the JVM reads them and may drop them again, where an unpacked
# initramfs would hold all of it in the guest's memory. The modules that mount them come first.
if [ -f /etc/mirari/images ]; then
  while read -r m; do $bb insmod "$m"; done </etc/mirari/images
  for img in /mirari/*.sqfs; do
    d=${img##*/}
    $bb mount -t squashfs -o ro,loop "$img" "/${d%.sqfs}" ||
      echo "mirari-vm: cannot mount $img at /${d%.sqfs}; the guest kernel needs loop and squashfs (zstd)"
  done
  echo "mirari-vm: mounted boot_ms=$(boot_ms)"
fi

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

netargs=
if [ -f /etc/mirari/modules ]; then
  # Drivers for absent hardware (Xen netfront under QEMU) refuse to load; that is expected.
  # Without a PCI bus (QEMU microvm, Xen PVH) virtio's PCI transport has nothing to drive: three
  # modules fewer to load under emulation.
  pci=false
  for d in /sys/bus/pci/devices/*; do [ -e "$d" ] && pci=true; break; done
  while read -r m; do
    case "${m##*/}" in virtio_pci*) [ "$pci" = true ] || continue ;; esac
    $bb insmod "$m" 2>/dev/null
  done </etc/mirari/modules
  echo "mirari-vm: modules boot_ms=$(boot_ms)"
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
    echo "mirari-vm: network address=$ip netmask=$mask gateway=$gw interface=$iface mac=$mac uptime_ms=0 boot_ms=$(boot_ms)"
    netargs="ip-address=$ip ip-netmask=$mask ip-gateway=$gw"
  fi
fi

# Files QEMU hands over through fw_cfg (a run's TLS certificate and key): the module that shows
# them under /sys/firmware/qemu_fw_cfg is loaded only when a boot-time parameter names one.
if [ "$fwcfg" = true ] && [ -f /etc/mirari/fw_cfg ]; then
  while read -r m; do $bb insmod "$m"; done </etc/mirari/fw_cfg
fi

# On EC2 (MIRARI_IMDS on the disk's command line) the instance's user data, read once the network
# is up, comes after the built-in parameters and so wins over them (see user-data.sh).
userargs=
[ -n "${MIRARI_IMDS:-}" ] && [ -n "$netargs" ] && . /etc/mirari/user-data.sh

# The app sees the address it really has (from DHCP, say), not the conf's default.
set -- $(for a in "$@"; do case "$a" in ip-*) ;; *) echo "$a" ;; esac; done) $userargs $netargs
# MIRARI_JVM_OPTIONS comes from the kernel command line (the kernel hands unknown NAME=value
# parameters to init as environment): mirari run adds options that depend on the accelerator.
# The app's AOT cache (trained at build time for this runtime and these flags): the JVM says in its
# log whether it maps the cache; a reader prints that line (and any AOT warning or error) on the
# console as "mirari-vm: aot ...". The log is a small file in /run (a FIFO stayed silent in the
# guest); busybox tail -F reads it once a second until sed has the verdict, which the JVM logs
# before the app's main, and ends with sed at tail's next write.
aot=
if [ -f /app/app.aot ]; then
  ( $bb tail -n +1 -F /run/mirari-aot.log 2>/dev/null |
      $bb sed -n -e 's/.*\] \(Using AOT-linked classes.*\)/mirari-vm: aot \1/p' \
        -e 's/.*\[\(warning\|error\)\]\[aot\] /mirari-vm: aot \1: /p' -e '/Using AOT-linked classes/q' ) &
  # No cached adapters: they are the build host's machine code (see AotTraining). The cache is
  # mapped at the address it was made for (ArchiveRelocationMode=0, no ASLR inside a one-app VM):
  # relocating it writes to every page, which makes private copies of the whole cache in the
  # guest's memory and costs time under emulation.
  aot="-XX:AOTCache=/app/app.aot -XX:+UnlockDiagnosticVMOptions -XX:-AOTAdapterCaching -XX:ArchiveRelocationMode=0 -Xlog:aot=info:file=/run/mirari-aot.log::filecount=0"
fi
# Snapshot restores (mirari run --qemu): a VM restored from a snapshot continues here with the
# RNG state, clock and app state of the VM the snapshot was taken of. MIRARI_RESTORE (from the
# kernel command line) names the serial port on which mirari run then writes one line per restore:
# "mirari-restore gen=N time=EPOCH seed=HEX ...". Before any host port reaches the app, this reader
# sets the clock, reseeds the kernel's RNG (RNDADDENTROPY + RNDRESEEDCRNG: a write to /dev/urandom
# only mixes into the input pool, and the CRNG would go on with the shared key for up to a minute)
# and hands the line to the app's runtime through a FIFO; the runtime reseeds the JVM's
# SecureRandom, runs the app's restore hooks and answers "mirari-restored gen=N" on the console.
if [ -n "$MIRARI_RESTORE" ] && [ -c "/dev/$MIRARI_RESTORE" ]; then
  $bb mkfifo -m 600 /run/mirari-restore
  ( exec 3<"/dev/$MIRARI_RESTORE"
    $bb stty -F "/dev/$MIRARI_RESTORE" raw -echo 2>/dev/null
    while read -r word rest <&3; do
      [ "$word" = mirari-restore ] || continue
      gen= time= seed=
      for kv in $rest; do
        case "$kv" in gen=*) gen=${kv#*=} ;; time=*) time=${kv#*=} ;; seed=*) seed=${kv#*=} ;; esac
      done
      # The clock to the second at once (rounded), then, in the background, to the next second's
      # edge: busybox date takes whole seconds only.
      case "$time" in
        *[0-9].[0-9][0-9][0-9])
          s=${time%.*} ms=${time#*.}
          ms=${ms#0}; ms=${ms#0}
          if [ "$ms" -ge 500 ]; then $bb date -u -s "@$((s + 1))" >/dev/null; else $bb date -u -s "@$s" >/dev/null; fi
          ( $bb usleep $(( (1000 - ms) * 1000 )); $bb date -u -s "@$((s + 1))" >/dev/null ) & ;;
      esac
      echo "$seed" | /bin/mirari-reseed ||
        echo "mirari-vm: restore gen=$gen: the kernel RNG could not be reseeded"
      echo "$rest" >/run/mirari-restore
    done ) &
fi
cd /
# For mirari run's boot timeline, while the JVM starts: when the kernel unpacked the initramfs.
( $bb dmesg | $bb sed -n 's/^\[ *\([0-9]*\)\.\([0-9][0-9][0-9]\).*Trying to unpack rootfs.*/s=\1\2/p; s/^\[ *\([0-9]*\)\.\([0-9][0-9][0-9]\).*Freeing initrd memory.*/e=\1\2/p' | $bb sed 's/=0*\([0-9]\)/=\1/' | {
    s= e=
    while read -r kv; do case $kv in s=*) s=${kv#s=} ;; e=*) e=${kv#e=} ;; esac; done
    [ -n "$s" ] && [ -n "$e" ] && echo "mirari-vm: kernel unpack_start_ms=$s unpack_end_ms=$e"
  } ) &
echo "mirari-vm: jvm boot_ms=$(boot_ms)"
/jre/bin/java $MIRARI_JVM_OPTIONS $aot @/app/jvm.args "$@"
code=$?
echo "mirari-vm: exit code=$code boot_ms=$(boot_ms)"
$bb sync
$bb poweroff -f
