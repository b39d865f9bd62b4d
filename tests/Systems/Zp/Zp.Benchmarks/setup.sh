#!/bin/sh
# Prepares the zp benchmarks' competitors on this machine (never run in CI): installs rsync and
# openssh-server, then starts an rsync daemon and an sshd listening on 127.0.0.1 only, on free
# ports, with a throwaway ssh key pair for the current user. Writes what the benchmarks need to
# $ZP_BENCH_DIR/bench.env (default /tmp/zp-bench). Needs root for apt-get and sshd.
#   sh tests/Systems/Zp/Zp.Benchmarks/setup.sh          # set up and start
#   sh tests/Systems/Zp/Zp.Benchmarks/setup.sh stop     # stop the daemons it started, remove the copied trees
set -eu
dir=${ZP_BENCH_DIR:-/tmp/zp-bench}

if [ "${1:-}" = stop ]; then
    for pid in "$dir/sshd.pid" "$dir/rsyncd.pid"; do
        [ -f "$pid" ] && kill "$(cat "$pid")" 2>/dev/null || true
    done
    # The benchmarks move copied trees here rather than deleting them between iterations.
    rm -rf "$dir/trash"
    exit 0
fi

if ! command -v rsync >/dev/null || [ ! -x /usr/sbin/sshd ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends rsync openssh-server openssh-client
fi

mkdir -p "$dir/ssh" "$dir/rsync-dest" "$dir/ssh-dest"
chmod 700 "$dir/ssh"

# A free TCP port on 127.0.0.1 (asks the kernel, then releases it).
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# sshd: its own host key, config and authorized_keys; password logins off.
[ -f "$dir/ssh/host_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -f "$dir/ssh/host_ed25519"
[ -f "$dir/ssh/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -f "$dir/ssh/id_ed25519"
cp "$dir/ssh/id_ed25519.pub" "$dir/ssh/authorized_keys"
chmod 600 "$dir/ssh/authorized_keys"
ssh_port=$(free_port)
cat > "$dir/ssh/sshd_config" <<CONF
ListenAddress 127.0.0.1:$ssh_port
HostKey $dir/ssh/host_ed25519
AuthorizedKeysFile $dir/ssh/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
PidFile $dir/sshd.pid
# scp speaks SFTP since OpenSSH 9.
Subsystem sftp internal-sftp
CONF
mkdir -p /run/sshd
[ -f "$dir/sshd.pid" ] && kill "$(cat "$dir/sshd.pid")" 2>/dev/null || true
/usr/sbin/sshd -f "$dir/ssh/sshd_config"
echo "[127.0.0.1]:$ssh_port $(cat "$dir/ssh/host_ed25519.pub" | cut -d' ' -f1,2)" > "$dir/ssh/known_hosts"

# rsync daemon: one writable module on 127.0.0.1.
rsync_port=$(free_port)
cat > "$dir/rsyncd.conf" <<CONF
pid file = $dir/rsyncd.pid
use chroot = no
[bench]
    path = $dir/rsync-dest
    read only = false
    # Write as the user that ran setup (a root daemon would otherwise switch to nobody).
    uid = $(id -u)
    gid = $(id -g)
CONF
[ -f "$dir/rsyncd.pid" ] && kill "$(cat "$dir/rsyncd.pid")" 2>/dev/null || true
rm -f "$dir/rsyncd.pid"
rsync --daemon --config="$dir/rsyncd.conf" --address=127.0.0.1 --port="$rsync_port"

cat > "$dir/bench.env" <<ENV
SSH_PORT=$ssh_port
SSH_KEY=$dir/ssh/id_ed25519
SSH_KNOWN_HOSTS=$dir/ssh/known_hosts
RSYNC_PORT=$rsync_port
ENV
# Fail now rather than in the benchmark when a daemon did not come up.
ssh -p "$ssh_port" -i "$dir/ssh/id_ed25519" -o UserKnownHostsFile="$dir/ssh/known_hosts" -o BatchMode=yes "$(id -un)@127.0.0.1" true
rsync "rsync://127.0.0.1:$rsync_port/bench/" >/dev/null
cat "$dir/bench.env"
