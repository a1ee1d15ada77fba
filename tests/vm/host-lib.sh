# SPDX-License-Identifier: GPL-2.0-or-later
# Host side of the VM harness, sourced by tests/vm/run and tests/torture/run: the kernel series, the cached
# kernel and base initramfs (busybox, Debian's tools, the md, loop and dm modules), and the cached virtio
# block add-on for guests whose disks are files on the host (qemu -drive).
# The sourcing script sets: die(), top, logdir; this file sets cache, kseries, kdir, kver and the helpers.
# Bump when the base initramfs recipe changes, so every cache rebuilds it.
recipe=4
cache=${MDCTL_VM_CACHE:-$top/tests/vm/.cache}

# The kernel series: 6.1 is Debian 12's default kernel (its cache directory is
# kernel/, as before there was a choice); any other series X.Y is Debian 12's
# linux-image-X.Y-amd64 from the same archive, cached in kernel-X.Y/ with its
# logs in logs/X.Y/ (durations differ between kernels).
kseries=${MDCTL_VM_KERNEL:-6.1}
case "$kseries" in
6.1) kmeta=linux-image-amd64 kname=kernel ;;
[0-9].[0-9]|[0-9].[0-9][0-9]) kmeta=linux-image-$kseries-amd64 kname=kernel-$kseries logdir=$logdir/$kseries ;;
*) die "MDCTL_VM_KERNEL must be a kernel series such as 6.1 or 6.12, not '$kseries'" ;;
esac
mkdir -p "$cache" "$logdir"
cache=$(cd "$cache" && pwd)
kdir=$cache/$kname

# ---------------------------------------------------------------- helpers

# copy_bin ROOT FILE [DEST]: FILE into ROOT at DEST (default: same path), plus
# every shared library ldd lists and the program loader.
copy_bin() {
	local root=$1 f=$2 dest=${3:-$2} lib
	mkdir -p "$root$(dirname "$dest")"
	cp -L "$f" "$root$dest"
	for lib in $(ldd "$f" 2>/dev/null | awk '/=> \//{print $3} /^[ \t]*\//{print $1}'); do
		[ -e "$root$lib" ] && continue
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}

# mod_order MODDIR NAME...: module paths (relative to MODDIR) in load order.
mod_order() {
	local moddir=$1; shift
	declare -A seen=()
	local out=()
	visit() {
		local path=$1 dep
		[ -n "${seen[$path]:-}" ] && return 0
		seen[$path]=1
		local deps
		deps=$(awk -v p="$path:" '$1 == p { $1 = ""; print }' "$moddir/modules.dep")
		for dep in $deps; do visit "$dep"; done
		out+=("$path")
	}
	local name path
	for name in "$@"; do
		path=$(awk -v n="$name" -F: '{ m = $1; sub(".*/", "", m); sub("\\.ko.*", "", m); gsub("_", "-", m); x = n; gsub("_", "-", x); if (m == x) { print $1; exit } }' "$moddir/modules.dep")
		[ -n "$path" ] || die "module $name not found in the kernel package"
		visit "$path"
	done
	printf '%s\n' "${out[@]}"
}

# build_base: download and unpack the kernel, build the cached part of the initramfs.
build_base() {
	local tmp kpkg kdeb dep ver root moddir m
	tmp=$(mktemp -d "$cache/build.XXXXXX")
	trap 'rm -rf "$tmp"; trap - RETURN' RETURN
	echo "vm: fetching Debian's $kmeta into $kdir" >&2
	(
		cd "$tmp"
		apt-get download "$kmeta" >/dev/null 2>&1 || {
			[ "$(id -u)" -eq 0 ] && apt-get update -qq >/dev/null 2>&1
			apt-get download "$kmeta" >/dev/null 2>&1
		} || die "apt-get download $kmeta failed"
		kpkg=$(dpkg-deb -f "$kmeta"_*.deb Depends | tr ',' '\n' | grep -o 'linux-image-[0-9][^ ]*-amd64' | head -1)
		[ -n "$kpkg" ] || die "cannot find the versioned kernel package"
		apt-get download "$kpkg" >/dev/null 2>&1 || die "apt-get download $kpkg failed"
		mkdir x
		dpkg-deb -x "$kpkg"_*.deb x
		# Debian's dynamic busybox: busybox-static is built "standalone" and would
		# run its own applets in preference to mdadm's neighbours (losetup, blkid).
		apt-get download busybox >/dev/null 2>&1 || die "apt-get download busybox failed"
		mkdir bb
		dpkg-deb -x busybox_*.deb bb
	) || exit 2
	ver=$(ls "$tmp/x/lib/modules")
	[ -f "$tmp/x/boot/vmlinuz-$ver" ] || die "no vmlinuz in the kernel package"
	case "$ver" in "$kseries".*) ;; *) die "$kmeta holds kernel $ver, not $kseries" ;; esac
	depmod -b "$tmp/x" "$ver"
	moddir=$tmp/x/lib/modules/$ver

	root=$tmp/root
	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,run,lib/modules/"$ver",var/tmp}
	copy_bin "$root" "$tmp/bb/bin/busybox" /bin/busybox
	local a
	for a in $("$tmp/bb/bin/busybox" --list-full); do
		[ -e "$root/$a" ] || [ -L "$root/$a" ] || ln -s /bin/busybox "$root/$a"
	done
	# Debian's tools replace the busybox applets of the same name.
	for m in /sbin/mdadm /sbin/dmsetup /sbin/mke2fs /sbin/losetup /sbin/blkid /sbin/wipefs /usr/bin/hexdump; do
		[ -x "$m" ] || [ -x "/usr$m" ] || continue
		[ -x "$m" ] || m=/usr$m
		rm -f "$root$m" "$root/bin/$(basename "$m")" "$root/sbin/$(basename "$m")" "$root/usr/bin/$(basename "$m")" "$root/usr/sbin/$(basename "$m")"
		copy_bin "$root" "$m" "/sbin/$(basename "$m")"
	done
	for a in mkfs.ext2 mkfs.ext3 mkfs.ext4; do rm -f "$root/sbin/$a"; ln -s mke2fs "$root/sbin/$a"; done
	[ -f /etc/mke2fs.conf ] && cp /etc/mke2fs.conf "$root/etc/"
	printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
	printf 'root:x:0:\ndisk:x:6:\n' >"$root/etc/group"

	# Modules, in dependency order: busybox ignores softdeps, so crc32c_generic
	# (libcrc32c's softdep) goes first. 6.12 ships them xz-compressed, which
	# busybox's insmod cannot load: they are stored decompressed. 6.12 has no
	# linear personality (md's linear.ko was removed in 6.8): only 6.1 loads it.
	local mods=(crc32c_generic md-mod raid456 raid1 raid10 raid0 loop dm-mod dm-flakey)
	grep -q '/linear\.ko' "$moddir/modules.dep" && mods+=(linear)
	mod_order "$moddir" "${mods[@]}" >"$tmp/mods"
	while read -r m; do
		mkdir -p "$root/lib/modules/$ver/$(dirname "$m")"
		case "$m" in
		*.ko.xz) xz -dc "$moddir/$m" >"$root/lib/modules/$ver/${m%.xz}"; m=${m%.xz} ;;
		*) cp "$moddir/$m" "$root/lib/modules/$ver/$m" ;;
		esac
		echo "/lib/modules/$ver/$m"
	done <"$tmp/mods" >"$root/etc/vm-modules"
	cp "$moddir"/modules.dep "$moddir"/modules.order "$moddir"/modules.builtin "$root/lib/modules/$ver/" 2>/dev/null || true

	(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) | gzip -1 >"$tmp/base.cpio.gz"
	mkdir -p "$tmp/out"
	cp "$tmp/x/boot/vmlinuz-$ver" "$tmp/out/vmlinuz"
	mv "$tmp/base.cpio.gz" "$tmp/out/base.cpio.gz"
	echo "$ver" >"$tmp/out/version"
	echo "$recipe" >"$tmp/out/recipe"
	rm -rf "$kdir.old"
	[ -d "$kdir" ] && mv "$kdir" "$kdir.old"
	mv "$tmp/out" "$kdir"
	rm -rf "$kdir.old"
	echo "vm: kernel $ver cached" >&2
}

# ---------------------------------------------------------------- kernel + base initramfs (cached)

# vm_base_ready: the cached kernel and base initramfs exist (built under the cache's lock if not); sets kver.
vm_base_ready() {
	exec 8>"$cache/.lock"
	flock 8
	if [ "$(cat "$kdir/recipe" 2>/dev/null)" != "$recipe" ] || [ ! -f "$kdir/base.cpio.gz" ]; then
		build_base
	fi
	flock -u 8
	exec 8>&-
	kver=$(cat "$kdir/version")
}

# vm_virtio_ready: $kdir/virtio-$kver.cpio.gz, the virtio block driver and its dependencies (stored
# decompressed, listed in load order in /etc/vm-modules-virtio) for guests given disks with qemu -drive.
# Apart from the base image so that the VM suite's guests stay as they are; taken from the kernel
# package boottest keeps in the cache, else fetched (apt-get download linux-image-$kver).  Sets virtio.
vm_virtio_ready() {
	virtio=$kdir/virtio-$kver.cpio.gz
	[ -f "$virtio" ] && return 0
	exec 8>"$cache/.lock"
	flock 8
	[ -f "$virtio" ] || build_virtio
	flock -u 8
	exec 8>&-
}

build_virtio() {
	local tmp deb m
	tmp=$(mktemp -d "$cache/build.XXXXXX")
	trap 'rm -rf "$tmp"; trap - RETURN' RETURN
	deb=$(ls "$cache"/boot/linux-image-"$kver"_*.deb 2>/dev/null | head -1 || true)
	if [ -z "$deb" ]; then
		echo "vm: fetching linux-image-$kver for its virtio modules" >&2
		(cd "$tmp" && apt-get download "linux-image-$kver" >/dev/null 2>&1) ||
			die "apt-get download linux-image-$kver failed (the archive moved on? rm -r $kdir to rebuild the base)"
		deb=$(ls "$tmp"/linux-image-*.deb | head -1)
	fi
	mkdir "$tmp/x" "$tmp/root"
	dpkg-deb -x "$deb" "$tmp/x"
	depmod -b "$tmp/x" "$kver"
	mod_order "$tmp/x/lib/modules/$kver" virtio_pci virtio_blk >"$tmp/mods"
	mkdir -p "$tmp/root/etc" "$tmp/root/lib/modules/$kver/virtio"
	while read -r m; do
		case "$m" in
		*.ko.xz) xz -dc "$tmp/x/lib/modules/$kver/$m" >"$tmp/root/lib/modules/$kver/virtio/$(basename "${m%.xz}")" ;;
		*) cp "$tmp/x/lib/modules/$kver/$m" "$tmp/root/lib/modules/$kver/virtio/" ;;
		esac
		echo "/lib/modules/$kver/virtio/$(basename "${m%.xz}")"
	done <"$tmp/mods" >"$tmp/root/etc/vm-modules-virtio"
	(cd "$tmp/root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) | gzip -1 >"$tmp/virtio.cpio.gz"
	mv "$tmp/virtio.cpio.gz" "$virtio"
	echo "vm: virtio block modules for $kver cached" >&2
}
