#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for the Slurm test (SlurmEnsembleTest) and for trying
# 'eddy ensemble --slurm' by hand: munged and slurmctld + slurmd of Debian 12's munge and slurm-wlm,
# with their own key, socket, configuration, state and logs under DIR, so nothing of the host's is used.
#   scripts/slurm-local.sh up DIR     installs munge and slurm-wlm if missing (root), starts the daemons,
#                                     waits until the node is idle; then: export SLURM_CONF=DIR/slurm.conf
#   scripts/slurm-local.sh down DIR   stops the daemons started by 'up' (by their pid files)
# Needs root (the daemons run as root). Exit 77 with the reason when it cannot run here.
set -euo pipefail
what="${1:-}"
dir="${2:-}"
[[ -n "$what" && -n "$dir" ]] || { echo "usage: slurm-local.sh up|down DIR" >&2; exit 2; }

stop() {
  for d in slurmd slurmctld munged; do
    if [[ -f "$dir/$d.pid" ]]; then
      pid="$(cat "$dir/$d.pid")"
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
      rm -f "$dir/$d.pid"
    fi
  done
}

case "$what" in
  down) stop; exit 0 ;;
  up) ;;
  *) echo "slurm-local.sh: unknown action '$what' (up, down)" >&2; exit 2 ;;
esac

if [[ "$(id -u)" -ne 0 ]]; then
  echo "slurm-local.sh: needs root to start munged, slurmctld and slurmd (running as $(id -un))" >&2
  exit 77
fi
missing=()
for p in munge slurm-wlm; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "slurm-local.sh: installing ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
chmod 700 "$dir"
mkdir -p "$dir/state" "$dir/spool" "$dir/munge"
chmod 700 "$dir/munge"
stop
host="$(hostname -s)"
cpus="$(nproc)"
# ports of our own, so that a host's Slurm (if any) is left alone
port=$((20000 + RANDOM % 20000))

dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
chmod 600 "$dir/munge/munge.key"
munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" --pid-file="$dir/munged.pid" \
  --log-file="$dir/munged.log" --seed-file="$dir/munge/munge.seed"

cat > "$dir/slurm.conf" <<CONF
# written by scripts/slurm-local.sh: one node, this machine
ClusterName=eddy-local
SlurmctldHost=$host
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
# finished jobs stay visible to scontrol for 10 minutes (no accounting database here)
MinJobAge=600
KillWait=5
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$dir/slurm.conf"
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
for _ in $(seq 300); do
  state="$(sinfo -h -N -o '%T' 2>/dev/null | head -1 || true)"
  if [[ "$state" == idle* ]]; then
    echo "slurm-local.sh: node $host idle ($cpus CPUs); export SLURM_CONF=$SLURM_CONF" >&2
    exit 0
  fi
  sleep 0.2
done
echo "slurm-local.sh: the node did not come up (state '${state:-none}'); see $dir/slurmctld.log and $dir/slurmd.log" >&2
tail -5 "$dir/slurmctld.log" "$dir/slurmd.log" >&2 || true
stop
exit 1
