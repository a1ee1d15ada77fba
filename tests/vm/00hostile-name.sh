# SPDX-License-Identifier: GPL-2.0-or-later
# A member whose superblock name holds a newline, a terminal escape, a quote and an invalid UTF-8 byte: every output form escapes it, --export prints only MD_ lines, --examine --scan one ARRAY line that assembles the array and adds no keyword.
# timeout: 300

make_loops 2 32
mdadm --create /dev/md0 --run --metadata=1.2 --level=1 -n2 --assume-clean --name=plain "$dev0" "$dev1" 2>&1
mdadm --stop /dev/md0 2>&1
rm -f /etc/mdctl.conf /etc/mdadm/mdadm.conf /etc/mdadm.conf

# le32 at byte OFF of DEV, as a decimal number
le32() { dd if="$1" bs=1 skip="$2" count=4 2>/dev/null | od -An -tu4 | tr -d ' '; }

# write the 32-byte name "a\nPROGRAM /x\nMD_X=y\e[31m'\xff" into the 1.2 superblock (4 KiB in)
# of DEV and fix its checksum (le32 sum over 256 + 2 * max_dev bytes, carries folded in)
hostile_name() {
	{ printf 'a\012PROGRAM /x\012MD_X=y\033[31m\047\377'; head -c 32 /dev/zero; } | head -c 32 |
		dd of="$1" bs=1 seek=$((4096 + 32)) conv=notrunc 2>/dev/null
	_len=$((256 + 2 * $(le32 "$1" $((4096 + 220)))))
	printf '\000\000\000\000' | dd of="$1" bs=1 seek=$((4096 + 216)) conv=notrunc 2>/dev/null
	_c=$(dd if="$1" bs=1 skip=4096 count="$_len" 2>/dev/null | od -An -tu4 -v |
		awk '{ for (i = 1; i <= NF; i++) s += $i } END { lo = s % 4294967296;
			c = (lo + int(s / 4294967296)) % 4294967296; printf "%.0f", c }')
	printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $((_c & 255)) $((_c >> 8 & 255)) \
		$((_c >> 16 & 255)) $((_c >> 24 & 255)))" |
		dd of="$1" bs=1 seek=$((4096 + 216)) conv=notrunc 2>/dev/null
}
hostile_name "$dev0"
hostile_name "$dev1"
sync
echo 3 >/proc/sys/vm/drop_caches
# the kernel's own checksum agrees: mdadm reads the superblock as valid
mdadm --examine "$dev0" >/dev/null 2>&1 || fail "the patched superblock is not valid for mdadm"

# only_printable WHAT: stdin holds nothing but printable ASCII and newlines
only_printable() {
	_bad=$(LC_ALL=C tr -d '\n\040-\176' | wc -c)
	assert_eq 0 "$_bad" "bytes other than printable ASCII in $1"
}
# only_md_lines WHAT: every line of stdin is MD_KEY=value
only_md_lines() {
	_other=$(grep -v '^MD_[A-Za-z0-9_]*=' || true)
	[ -z "$_other" ] || fail "$1: lines udev would read as other properties: $_other"
}
check_forms() { # check_forms CMD... (--examine DEV or --detail MD)
	out=$(mdctl "$@")
	echo "$out"
	echo "$out" | only_printable "mdctl $*"
	assert_contains "$out" 'a\x0aPROGRAM /x\x0aMD_X=y\x1b[31m' "mdctl $*: the escaped name"
	mdctl "$@" --export | only_printable "mdctl $* --export"
	mdctl "$@" --export | only_md_lines "mdctl $* --export"
	assert_contains "$(mdctl "$@" --export)" "MD_NAME='a\\x0aPROGRAM /x\\x0aMD_X=y\\x1b[31m'\\''\\xff'" \
		"mdctl $* --export: MD_NAME"
	mdctl "$@" --json | only_printable "mdctl $* --json"
	assert_contains "$(mdctl "$@" --json)" '"a\\x0aPROGRAM /x\\x0aMD_X=y\\x1b[31m'"'"'\\xff"' \
		"mdctl $* --json: name"
	mdctl "$@" --brief | only_printable "mdctl $* --brief"
	assert_eq 1 "$(mdctl "$@" --brief | grep -c .)" "lines of mdctl $* --brief"
}
check_forms --examine "$dev0"

# the README's recipe: the scan appended to the config adds one ARRAY and nothing else
echo "MAILADDR root@localhost" >/etc/mdctl.conf
mdctl --examine --scan >>/etc/mdctl.conf
cat /etc/mdctl.conf
assert_eq 2 "$(grep -c . /etc/mdctl.conf)" "lines of the config"
assert_eq 0 "$(grep -c '^PROGRAM' /etc/mdctl.conf || true)" "PROGRAM lines in the config"
mdctl --assemble --scan 2>&1 || fail "the config written by --examine --scan does not assemble"
md=/dev/$(basename "$(readlink -f /dev/md/*)")
[ -b "$md" ] || fail "no array assembled from the scanned config"
ls /dev/md/ | only_printable "/dev/md/ link names"
check_forms --detail "$md"

# udev's view: --incremental --export of each member after a stop
mdctl --stop "$md" 2>&1
for d in $dev0 $dev1; do
	out=$(mdctl --incremental --export "$d" 2>/dev/null) || true
	echo "$out"
	echo "$out" | only_printable "mdctl --incremental --export $d"
	echo "$out" | only_md_lines "mdctl --incremental --export $d"
done
md_cleanup
rm -f /etc/mdctl.conf
