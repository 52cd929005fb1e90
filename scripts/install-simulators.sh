#!/usr/bin/env bash
# Installs the simulators the RTL tests need (Debian/Ubuntu): Verilator and Icarus Verilog, with
# the g++ and make that build their C++ models and the C host driver.
# Yosys comes from npm (@yowasp/yosys), so it needs nothing here.
set -euo pipefail
if command -v verilator >/dev/null && command -v iverilog >/dev/null && command -v g++ >/dev/null \
  && command -v make >/dev/null; then
  echo "verilator, iverilog, g++ and make already installed"
  exit 0
fi
sudo_cmd=""
if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
$sudo_cmd apt-get update
# g++ and make build Verilator's models and the generated C host driver's co-simulation.
DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y verilator iverilog g++ make
