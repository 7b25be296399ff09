# shellcheck shell=bash
# teardown.sh - `down`: stop every process of a lab and delete its namespaces and files.
# Sourced by scripts/lab.sh; uses common.sh.  Only namespaces recorded in LAB_DIR/namespaces
# (or carrying this lab's marker alias on their veth) are ever deleted, and only processes
# inside them are ever signalled.

pids_in_ns() { ip netns pids "$1" 2>/dev/null || true; }

# TERM everything in the namespaces, up to ten times, then KILL what is left.
kill_ns_procs() { # NS...
    local ns pids i
    for i in 1 2 3 4 5 6 7 8 9 10 11; do
        pids=""
        for ns in "$@"; do pids+=" $(pids_in_ns "$ns" | tr '\n' ' ')"; done
        [[ -z ${pids// /} ]] && return 0
        if (( i == 11 )); then
            # shellcheck disable=SC2086
            kill -KILL $pids 2>/dev/null || true
            sleep 0.2
            return 0
        fi
        # shellcheck disable=SC2086
        kill -TERM $pids 2>/dev/null || true
        sleep 0.2
    done
}

# Is NS one of ours?  Recorded at creation, or marked by our veth alias.
owns_ns() { # NAME NS DIR
    local name=$1 ns=$2 dir=$3 dev info
    if [[ -n $dir && -f $dir/namespaces ]] && grep -qxF -- "$ns" "$dir/namespaces"; then
        return 0
    fi
    for dev in "${name}s" "${name}t"; do
        info=$(ip -n "$ns" -o link show dev "$dev" 2>/dev/null) || continue
        [[ $info == *"alias xmaplab:$name"* ]] && return 0
    done
    return 1
}

do_down() { # NAME
    local name=$1 reg dir ns pidfile pid
    reg=$(registry_of "$name")
    dir=$(lab_dir_of "$name")

    local nss=()
    for ns in "${name}-net" "${name}-scan"; do
        if ns_exists "$ns"; then
            if owns_ns "$name" "$ns" "$dir"; then
                nss+=("$ns")
            else
                log "not touching namespace $ns: not created by this lab"
            fi
        fi
    done

    if [[ -z $dir && ${#nss[@]} -eq 0 ]]; then
        rm -f -- "$reg"
        log "no lab named $name (nothing to do)"
        return 0
    fi

    # Pid files first (only pids really inside our namespaces), then everything left.
    local killed=()
    if [[ -n $dir && ${#nss[@]} -gt 0 ]]; then
        for pidfile in "$dir"/*.pid; do
            [[ -f $pidfile ]] || continue
            pid=$(head -n1 "$pidfile" 2>/dev/null || true)
            [[ $pid =~ ^[0-9]+$ ]] || continue
            for ns in "${nss[@]}"; do
                if [[ $'\n'$(pids_in_ns "$ns")$'\n' == *$'\n'"$pid"$'\n'* ]]; then
                    kill -TERM "$pid" 2>/dev/null || true
                    killed+=("$pid")
                fi
            done
        done
    fi
    (( ${#nss[@]} == 0 )) || kill_ns_procs "${nss[@]}"
    # Give init a moment to reap them, so callers see no leftovers.
    local i
    for pid in "${killed[@]}"; do
        for i in 1 2 3 4 5 6 7 8 9 10; do [[ -e /proc/$pid ]] || break; sleep 0.1; done
    done
    for ns in "${nss[@]}"; do
        ip netns del "$ns" 2>/dev/null || log "warning: could not delete namespace $ns"
    done

    [[ -n $dir && -d $dir ]] && rm -rf -- "$dir"
    rm -f -- "$reg"
    log "lab $name is down"
}
