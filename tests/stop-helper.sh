# stop-helper.sh — sourced by the shell tests that start palisade-helper
# themselves, its pid (the helper's own, not a wrapper's) in $helper_pid.
# stop_helper stops it as Ctrl+C would and returns its exit status: 0
# unless something went wrong while it ran or stopped, which in the ASan
# build includes a leak. Nothing to stop is success.
#
# SPDX-License-Identifier: GPL-3.0-or-later
helper_pid=
stop_helper() {
    local status=0
    if [ -n "$helper_pid" ]; then
        kill -INT "$helper_pid" 2>/dev/null
        wait "$helper_pid"
        status=$?
    fi
    helper_pid=
    return "$status"
}
