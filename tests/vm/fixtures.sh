# SPDX-License-Identifier: GPL-2.0-or-later
# Fixture generator (make fixtures): Debian's mdadm makes arrays, members are streamed out as regions.
# timeout: 900
# For each metadata version (1.0, 1.1, 1.2) and level (1, 5, 6): create, resync,
# record bad blocks on member 1, start replacing the last member with a spare and
# stop the array mid-copy. Saves member 0 (active), member 1 (bad blocks) and the
# spare (replacement with a recovery offset). Only the superblock and bad-block log
# sectors leave the VM; tests/vm/fixtures-unpack rebuilds sparse images from them.

hostname mdctl-fixtures

# emit_region DEV OFFSET_SECTORS COUNT_SECTORS
emit_region() {
	echo "@@FX REGION $(($2 * 512)) $(($3 * 512))"
	dd if="$1" bs=512 skip="$2" count="$3" status=none | base64
	echo "@@FX REGION-END"
}

# save NAME DEV META
save() {
	_sz=$(blockdev --getsz "$2")
	_ex=$(mdadm --examine "$2")
	case "$3" in
	1.0) _sbo=$(((_sz - 16) / 8 * 8)) ;;
	1.1) _sbo=0 ;;
	1.2) _sbo=8 ;;
	esac
	_bbo=$(echo "$_ex" | sed -n 's/.*Bad Block Log : \([0-9]*\) entries available at offset \(-\{0,1\}[0-9]*\) sectors.*/\2/p')
	_bbn=$(echo "$_ex" | sed -n 's/.*Bad Block Log : \([0-9]*\) entries available.*/\1/p')
	echo "@@FX BEGIN $1 $((_sz * 512))"
	emit_region "$2" "$_sbo" 8
	if [ -n "$_bbo" ]; then
		emit_region "$2" $((_sbo + _bbo)) $(((_bbn * 8 + 511) / 512))
	fi
	echo "@@FX EXAMINE"
	echo "$_ex"
	echo "@@FX EXAMINE-END"
	echo "@@FX BADBLOCKS"
	mdadm --examine-badblocks "$2" 2>&1 || true
	echo "@@FX BADBLOCKS-END"
	echo "@@FX END $1"
}

for meta in 1.0 1.1 1.2; do
	for lvl in 1 5 6; do
		case $lvl in 1) n=2 ;; 5) n=3 ;; 6) n=4 ;; esac
		name=r$lvl-$meta
		echo "==> $name"
		make_loops $((n + 1)) 20
		set -- $devs
		members=""
		i=0
		while [ $i -lt $n ]; do members="$members $1"; shift; i=$((i + 1)); done
		spare=$1
		last=${members##* }
		mdadm --create /dev/md0 --run --metadata=$meta --level=$lvl --raid-devices=$n \
			--homehost=fixtures --name=$name --bitmap=none $members 2>&1
		wait_sync /dev/md0 300
		bbdev=$(_kname "$dev1")
		echo "30000 16" >/sys/block/md0/md/dev-$bbdev/bad_blocks
		echo "32000 8" >/sys/block/md0/md/dev-$bbdev/bad_blocks
		mdadm /dev/md0 --add "$spare" 2>&1
		wait_sync /dev/md0 60
		throttle /dev/md0 100
		mdadm /dev/md0 --replace "$last" --with "$spare" 2>&1
		t=0
		while :; do
			c=$(cat /sys/block/md0/md/sync_completed)
			case "$c" in none | "0 /"*) ;; *) break ;; esac
			t=$((t + 1))
			[ $t -lt 300 ] || fail "$name: replacement did not start (sync_completed $c)"
			usleep 100000
		done
		sleep 2
		echo "$name: stopping at sync_completed $(cat /sys/block/md0/md/sync_completed)"
		mdadm --stop /dev/md0 2>&1
		save "$name-active" "$dev0" $meta
		save "$name-badblocks" "$dev1" $meta
		save "$name-replacement" "$spare" $meta
		md_cleanup
	done
done
