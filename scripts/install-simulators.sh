#!/usr/bin/env bash
# Installs the simulators the RTL tests need (Debian/Ubuntu): Verilator and Icarus Verilog.
# Yosys comes from npm (@yowasp/yosys), so it needs nothing here.
set -euo pipefail
if command -v verilator >/dev/null && command -v iverilog >/dev/null; then
  echo "verilator and iverilog already installed"
  exit 0
fi
sudo_cmd=""
if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
$sudo_cmd apt-get update
DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y verilator iverilog
