# SPDX-License-Identifier: GPL-2.0-or-later
# Every --replace form on raid1, raid4, raid5, raid6 and raid10: data intact, slots and states read back.
# timeout: 1500

MDCTL_STATE_DIR=$(mktemp -d /tmp/mdctl-state.XXXXXX)
export MDCTL_STATE_DIR

# kn DEV: kernel name; st DEV: md0 state of DEV; slot DEV: its slot.
kn() { _kname "$1"; }
slot() { cat "/sys/block/md0/md/dev-$(kn "$1")/slot"; }
gone() { [ ! -e "/sys/block/md0/md/dev-$(kn "$1")" ]; }

# took_over NEW OLD SLOT: NEW holds SLOT in sync, OLD is out of the array (or faulty with KEEP).
took_over() {
	assert_eq "$3" "$(slot "$1")" "slot of $1 after replacing $2"
	assert_state /dev/md0 "$1" in_sync
	case "$(dev_state /dev/md0 "$1")" in
	*replacement*) fail "$1 still flagged as a replacement: $(dev_state /dev/md0 "$1")" ;;
	esac
	assert_eq 0 "$(cat /sys/block/md0/md/degraded)" "md0 degraded after replacing $2"
}

# no_intents: the state file lists nothing for md0.
no_intents() {
	_j=$(mdctl --replace --list --json)
	case "$_j" in
	*'"state"'*) fail "intents left after the replacement finished: $_j" ;;
	esac
	return 0
}

# one_level LEVEL N [EXTRA]: run every form on a fresh LEVEL array of N members.
one_level() {
	level=$1
	n=$2
	md_cleanup
	make_loops $((n + 8)) 12
	members=""
	i=0
	while [ $i -lt "$n" ]; do
		eval "members=\"\$members \$dev$i\""
		i=$((i + 1))
	done
	eval "s0=\$dev$n s1=\$dev$((n + 1)) s2=\$dev$((n + 2)) s3=\$dev$((n + 3))"
	eval "s4=\$dev$((n + 4)) s5=\$dev$((n + 5)) s6=\$dev$((n + 6)) s7=\$dev$((n + 7))"
	chunk="--chunk=64"
	[ "$level" = raid1 ] && chunk=""
	# shellcheck disable=SC2086
	mdadm --create /dev/md0 --run --assume-clean --level="$level" --raid-devices="$n" $chunk $members 2>&1
	wait_sync /dev/md0 300
	data_write /dev/md0 8
	echo "== $level: form 1: mdctl --replace /dev/md0 OLD --with NEW --wait (NEW not in the array)"
	old=$dev0
	oslot=$(slot "$old")
	mdctl --replace /dev/md0 "$old" --with "$s0" --wait
	took_over "$s0" "$old" "$oslot"
	gone "$old" || fail "$level: retired $old still in md0: $(dev_state /dev/md0 "$old")"
	no_intents
	data_verify /dev/md0

	echo "== $level: form 2: mdadm spelling, mdctl /dev/md0 --replace OLD --with SPARE (already a spare)"
	mdadm /dev/md0 --add "$s1" 2>&1
	assert_state /dev/md0 "$s1" spare
	old=$dev1
	oslot=$(slot "$old")
	mdctl /dev/md0 --replace "$old" --with "$s1"
	wait_sync /dev/md0 300
	took_over "$s1" "$old" "$oslot"
	assert_state /dev/md0 "$old" faulty
	mdadm /dev/md0 --remove "$old" 2>&1
	data_verify /dev/md0

	echo "== $level: form 3: mark only (mdctl --replace /dev/md0 OLD), then a spare arrives"
	old=$s0
	oslot=$(slot "$old")
	mdctl --replace /dev/md0 "$old"
	assert_state /dev/md0 "$old" want_replacement
	assert_contains "$(mdctl --replace --list)" "$(kn "$old")" "--list shows the marked $old"
	assert_contains "$(mdctl --replace --list)" "marked" "--list state of $old"
	mdadm /dev/md0 --add "$s2" 2>&1
	wait_sync /dev/md0 300
	took_over "$s2" "$old" "$oslot"
	assert_state /dev/md0 "$old" faulty
	# --list notices the finished replacement and forgets it
	assert_contains "$(mdctl --replace --list)" "finished" "--list after the kernel finished"
	no_intents
	mdadm /dev/md0 --remove "$old" 2>&1
	data_verify /dev/md0

	echo "== $level: form 4: mdctl --replace /dev/md0 --with NEW, OLD marked beforehand"
	old=$s1
	oslot=$(slot "$old")
	echo want_replacement >"/sys/block/md0/md/dev-$(kn "$old")/state"
	out=$(mdctl --replace /dev/md0 --with "$s3" --wait 2>&1) || fail "form 4: $out"
	echo "$out"
	assert_contains "$out" "$(kn "$old")" "form 4 names the member it chose"
	took_over "$s3" "$old" "$oslot"
	gone "$old" || fail "$level: retired $old still in md0"
	data_verify /dev/md0

	echo "== $level: form 5: two pairs in one call, mdadm spelling"
	a=$s2
	b=$s3
	aslot=$(slot "$a")
	bslot=$(slot "$b")
	mdctl /dev/md0 --replace "$a" --with "$s4" --replace "$b" --with "$s5" --wait
	took_over "$s4" "$a" "$aslot"
	took_over "$s5" "$b" "$bslot"
	gone "$a" && gone "$b" || fail "$level: retired members still in md0"
	no_intents
	data_verify /dev/md0

	echo "== $level: form 6: --add NEW --replace OLD --with NEW (mdadm's recipe), --keep-old"
	old=$s4
	oslot=$(slot "$old")
	mdctl /dev/md0 --add "$s6" --replace "$old" --with "$s6" --wait --keep-old
	took_over "$s6" "$old" "$oslot"
	assert_state /dev/md0 "$old" faulty
	data_verify /dev/md0
	if [ "$level" = raid5 ]; then
		echo "== $level: form 7: mark only with --wait, the spare arrives while it waits"
		old=$s5
		oslot=$(slot "$old")
		mdctl --replace /dev/md0 "$old" --wait >/tmp/wait7.out 2>&1 &
		waiter=$!
		_t=0
		until case "$(dev_state /dev/md0 "$old")" in *want_replacement*) true ;; *) false ;; esac; do
			_t=$((_t + 1))
			[ $_t -lt 100 ] || fail "form 7: $old not marked"
			usleep 100000
		done
		mdadm /dev/md0 --add "$s7" 2>&1
		wait "$waiter" || { cat /tmp/wait7.out; fail "form 7: mdctl --wait failed"; }
		cat /tmp/wait7.out
		assert_contains "$(cat /tmp/wait7.out)" "no spare yet" "form 7 says it waits for a spare"
		took_over "$s7" "$old" "$oslot"
		gone "$old" || fail "form 7: retired $old still in md0"
		no_intents
		data_verify /dev/md0
	fi
	mdadm --detail /dev/md0 >/dev/null
	mdadm --stop /dev/md0 2>&1
	echo "== $level: all forms passed"
}

one_level raid1 2
one_level raid4 3
one_level raid5 3
one_level raid6 4
one_level raid10 4
