#!/usr/bin/env bash
# Debian packages the test suite drives for real: a Docker engine, a registry, skopeo for OCI
# layouts, debootstrap for base images, rpm + db5.3-util for rpm databases; and the oracles of the
# version-order differential tests: libdpkg (built against with gcc), rpm's vercmp, Python's packaging.
# Needs root.
set -euo pipefail
packages=(docker.io skopeo docker-registry bpftrace debootstrap rpm db5.3-util apache2-utils openssl umoci zstd ca-certificates
  libdpkg-dev gcc libc6-dev python3 python3-packaging)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f '${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all Debian packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
