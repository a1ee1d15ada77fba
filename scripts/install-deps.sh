#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Installs the Debian packages mdctl needs to build and test; a no-op when all are present.
set -euo pipefail
pkgs=(build-essential pkg-config clang libclang-rt-14-dev
      libblkid-dev libudev-dev libjson-c-dev libcmocka-dev
      qemu-system-x86 busybox-static mdadm cpio kmod zstd xz-utils dmsetup e2fsprogs
      prometheus python3-jsonschema
      bash-completion debhelper dpkg-dev lintian mandoc man-db git
      systemd udev)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "install-deps: installing ${missing[*]}"
	SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
