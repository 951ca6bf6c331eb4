# Sourced by /init on an EC2 image (MIRARI_IMDS, the metadata service's address, is on the unified
# kernel image's command line) once the network is up: reads the instance's user data from EC2's
# instance metadata service with IMDSv2 and leaves its boot-time parameters in $userargs, which
# /init places after the built-in ones (the runtime takes the last value of a key). So the
# precedence is: user data, then the disk's built-in command line, then the conf's defaults
# compiled into the app. ip-* keys in the user data are ignored: the network is configured (by
# DHCP on EC2) before the user data can be read. The wait is bounded: three tries of two seconds.
userargs=
# Tests run this script on the host, against bin/mirari-imds on a loopback port.
imds_port=${MIRARI_IMDS_PORT:-80}
imds_run=${MIRARI_RUN_DIR:-/run}

# imds_call METHOD PATH [HEADER]: one request, HTTP/1.1 with "Connection: close" (busybox nc sends
# it and reads the answer until the server closes); sets $imds_status ("" if nothing answered) and
# leaves the body in $imds_run/imds.body.
imds_call() {
  # A PUT has content semantics, so it says its empty body's length (RFC 9110, section 8.6); a GET does not.
  len=
  [ "$1" = PUT ] && len="Content-Length: 0$cr$nl"
  printf '%s %s HTTP/1.1\r\nHost: %s\r\n%s%sConnection: close\r\n\r\n' "$1" "$2" "$MIRARI_IMDS" \
    "${3:+$3$cr$nl}" "$len" | $bb timeout 2 $bb nc -w 2 "$MIRARI_IMDS" "$imds_port" >"$imds_run/imds.response" 2>/dev/null
  imds_status=
  read -r _ imds_status _ <"$imds_run/imds.response"
  # The body: everything after the first empty line (RFC 9112, section 2.1), without CRs.
  $bb tr -d '\r' <"$imds_run/imds.response" | $bb sed '1,/^$/d' >"$imds_run/imds.body"
}

cr=$(printf '\r')
nl='
'
tries=0
imds_status=
while [ "$imds_status" != 200 ] && [ $tries -lt 3 ]; do
  [ $tries -gt 0 ] && $bb usleep 200000
  # IMDSv2 (EC2 User Guide, "Use the Instance Metadata Service to access instance metadata"): a
  # session token first, by PUT with its lifetime, then each GET carries the token.
  imds_call PUT /latest/api/token "X-aws-ec2-metadata-token-ttl-seconds: 60"
  tries=$((tries + 1))
done
if [ -z "$imds_status" ]; then
  echo "mirari-vm: user-data none: no instance metadata service answered at $MIRARI_IMDS; the disk's built-in boot-time parameters apply"
elif [ "$imds_status" != 200 ]; then
  echo "mirari-vm: user-data none: the metadata service answered HTTP $imds_status to IMDSv2's token request; the disk's built-in boot-time parameters apply"
else
  read -r token <"$imds_run/imds.body"
  imds_call GET /latest/user-data "X-aws-ec2-metadata-token: $token"
  if [ "$imds_status" = 404 ]; then
    echo "mirari-vm: user-data none: the instance has no user data; the disk's built-in boot-time parameters apply"
  elif [ "$imds_status" != 200 ]; then
    echo "mirari-vm: user-data none: the metadata service answered HTTP ${imds_status:-nothing} for the user data; the disk's built-in boot-time parameters apply"
  else
    ignored=
    while read -r line || [ -n "$line" ]; do
      case "$line" in
        '' | '#'*) ;;
        ip-*=*) ignored="$ignored ${line%%=*}" ;;
        *=*) userargs="$userargs $line" ;;
        *) echo "mirari-vm: user-data line \"$line\" ignored: it is not key=value" ;;
      esac
    done <"$imds_run/imds.body"
    echo "mirari-vm: user-data applied from $MIRARI_IMDS (IMDSv2):${userargs:- nothing to apply}${ignored:+ (ignored, the network came first:$ignored)}"
  fi
fi
