// Host harness of the integration shell on Verilator (testbench only, not generated): a C++ main
// that plays the CPU of an SoC. It runs the generated C host driver (<prefix>driver.c, linked as
// C) against the Verilated system (soc_system: spatten_soc with the ring and K/V memory models),
// implementing the driver's platform: register access drives the AXI4-Lite slave one cycle at a
// time, the interrupt wait ticks until irq_o, and cache maintenance copies ring entries between
// the CPU's buffers and the ring memory model, as DMA memory.
//
// host_config.h (written by the harness) includes the driver's header and defines HOST_PREFIX,
// HOST_UPREFIX (the design's prefix), HOST_RESET (the reset port) and HOST_RESET_ACTIVE.
// Plusargs: +desc_file= (the descriptors' entry words, hex, one per line), +results_file=
// (written: the results' words), +count=, +desc_base= +desc_size= +res_base= +res_size= (bytes
// and entries), +cycles= (a bound).
// Prints "HOST status=S results=N cycles=C" (S: what the driver's run returned) and the counters;
// exits non-zero when the run passed its cycle bound.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "Vsoc_system.h"
#include "Vsoc_system___024root.h"
#include "verilated.h"

#include "host_config.h"

#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define DRV(name) CAT(HOST_PREFIX, name)
#define REG(name) CAT(HOST_UPREFIX, name)

namespace {

struct Host {
  Vsoc_system *top;
  uint64_t cycles = 0;
  uint64_t limit = 0;
  bool timed_out = false;
  // The CPU's view of the rings and their bus addresses.
  uint8_t *desc = nullptr;
  uint64_t desc_bus = 0;
  size_t desc_bytes = 0;
  uint8_t *res = nullptr;
  uint64_t res_bus = 0;
  size_t res_bytes = 0;
};

void tick(Host &h) {
  h.top->clk_i = 1;
  h.top->eval();
  h.top->clk_i = 0;
  h.top->eval();
  h.cycles += 1;
  if (h.cycles >= h.limit && !h.timed_out) {
    h.timed_out = true;
    std::printf("ERROR the run passed %llu cycles\n", static_cast<unsigned long long>(h.limit));
  }
}

// Inputs change while the clock is low; a handshake seen now happens at the next rising edge.
uint32_t read32(void *ctx, uint32_t offset) {
  Host &h = *static_cast<Host *>(ctx);
  Vsoc_system &t = *h.top;
  t.s_axil_araddr_i = offset;
  t.s_axil_arvalid_i = 1;
  t.s_axil_rready_i = 1;
  while (!h.timed_out) {
    t.eval();
    const bool address = t.s_axil_arvalid_i && t.s_axil_arready_o;
    const bool data = t.s_axil_rvalid_o != 0;
    const uint32_t value = t.s_axil_rdata_o;
    const bool okay = t.s_axil_rresp_o == 0;
    tick(h);
    if (address) t.s_axil_arvalid_i = 0;
    if (data) {
      t.s_axil_rready_i = 0;
      if (!okay) std::printf("ERROR read %03x answered with an error\n", offset);
      return value;
    }
  }
  return 0;
}

void write32(void *ctx, uint32_t offset, uint32_t value) {
  Host &h = *static_cast<Host *>(ctx);
  Vsoc_system &t = *h.top;
  t.s_axil_awaddr_i = offset;
  t.s_axil_awvalid_i = 1;
  t.s_axil_wdata_i = value;
  t.s_axil_wstrb_i = 0xf;
  t.s_axil_wvalid_i = 1;
  t.s_axil_bready_i = 1;
  while (!h.timed_out) {
    t.eval();
    const bool address = t.s_axil_awvalid_i && t.s_axil_awready_o;
    const bool data = t.s_axil_wvalid_i && t.s_axil_wready_o;
    const bool response = t.s_axil_bvalid_o != 0;
    const bool okay = t.s_axil_bresp_o == 0;
    tick(h);
    if (address) t.s_axil_awvalid_i = 0;
    if (data) t.s_axil_wvalid_i = 0;
    if (response) {
      t.s_axil_bready_i = 0;
      if (!okay) std::printf("ERROR write %03x answered with an error\n", offset);
      return;
    }
  }
}

void wait_irq(void *ctx) {
  Host &h = *static_cast<Host *>(ctx);
  for (int i = 0; i < 100000 && !h.top->irq_o && !h.timed_out; i += 1) tick(h);
}

// The bus address of a CPU pointer into one of the rings.
uint64_t bus_of(const Host &h, const void *ptr) {
  const uint8_t *p = static_cast<const uint8_t *>(ptr);
  if (p >= h.desc && p < h.desc + h.desc_bytes) return h.desc_bus + (p - h.desc);
  if (p >= h.res && p < h.res + h.res_bytes) return h.res_bus + (p - h.res);
  std::printf("ERROR cache maintenance outside the rings\n");
  std::exit(1);
}

void to_device(void *ctx, const void *ptr, size_t bytes) {
  Host &h = *static_cast<Host *>(ctx);
  const uint64_t word = bus_of(h, ptr) / 4;
  for (size_t i = 0; i < bytes / 4; i += 1) {
    uint32_t value;
    std::memcpy(&value, static_cast<const uint8_t *>(ptr) + 4 * i, 4);
    h.top->rootp->soc_system__DOT__u_ring__DOT__mem[word + i] = value;
  }
}

void from_device(void *ctx, void *ptr, size_t bytes) {
  Host &h = *static_cast<Host *>(ctx);
  const uint64_t word = bus_of(h, ptr) / 4;
  for (size_t i = 0; i < bytes / 4; i += 1) {
    const uint32_t value = h.top->rootp->soc_system__DOT__u_ring__DOT__mem[word + i];
    std::memcpy(static_cast<uint8_t *>(ptr) + 4 * i, &value, 4);
  }
}

std::string plusarg(const char *name) {
  const std::string prefix = std::string("+") + name + "=";
  const char *match = Verilated::commandArgsPlusMatch((std::string(name) + "=").c_str());
  if (match == nullptr || std::strncmp(match, prefix.c_str(), prefix.size()) != 0) {
    std::printf("ERROR missing %s\n", prefix.c_str());
    std::exit(1);
  }
  return std::string(match + prefix.size());
}

uint64_t number(const char *name) { return std::strtoull(plusarg(name).c_str(), nullptr, 0); }

}  // namespace

int main(int argc, char **argv) {
  Verilated::commandArgs(argc, argv);
  Vsoc_system top;
  Host h;
  h.top = &top;
  h.limit = number("cycles");
  const uint32_t count = static_cast<uint32_t>(number("count"));
  std::vector<DRV(descriptor_t)> descriptors(count);
  std::FILE *in = std::fopen(plusarg("desc_file").c_str(), "r");
  if (in == nullptr) return std::printf("ERROR no descriptor file\n"), 1;
  uint32_t *words = reinterpret_cast<uint32_t *>(descriptors.data());
  for (size_t i = 0; i < count * sizeof(DRV(descriptor_t)) / 4; i += 1) {
    unsigned value = 0;
    if (std::fscanf(in, "%x", &value) != 1) return std::printf("ERROR short descriptors\n"), 1;
    words[i] = value;
  }
  std::fclose(in);

  DRV(dev_t) dev;
  std::memset(&dev, 0, sizeof(dev));
  dev.desc_size = static_cast<uint32_t>(number("desc_size"));
  dev.res_size = static_cast<uint32_t>(number("res_size"));
  std::vector<DRV(descriptor_t)> desc_ring(dev.desc_size);
  std::vector<DRV(result_t)> res_ring(dev.res_size);
  dev.desc = desc_ring.data();
  dev.desc_bus = number("desc_base");
  dev.res = res_ring.data();
  dev.res_bus = number("res_base");
  h.desc = reinterpret_cast<uint8_t *>(desc_ring.data());
  h.desc_bus = dev.desc_bus;
  h.desc_bytes = desc_ring.size() * sizeof(DRV(descriptor_t));
  h.res = reinterpret_cast<uint8_t *>(res_ring.data());
  h.res_bus = dev.res_bus;
  h.res_bytes = res_ring.size() * sizeof(DRV(result_t));
  dev.io = {&h, read32, write32, wait_irq, to_device, from_device};

  top.HOST_RESET = HOST_RESET_ACTIVE;
  for (int i = 0; i < 4; i += 1) tick(h);
  top.HOST_RESET = !HOST_RESET_ACTIVE;
  tick(h);

  std::vector<DRV(result_t)> results(count);
  int status = DRV(init)(&dev);
  if (status == 0) status = DRV(run)(&dev, descriptors.data(), count, results.data(), 1000000);
  std::printf("HOST status=%d results=%u cycles=%llu\n", status, count,
              static_cast<unsigned long long>(h.cycles));
  std::printf("HOST requests=%llu key_bytes=%llu value_bytes=%llu busy_cycles=%llu\n",
              static_cast<unsigned long long>(DRV(counter)(&dev, REG(REQUESTS_LO_OFFSET))),
              static_cast<unsigned long long>(DRV(counter)(&dev, REG(KEY_BYTES_LO_OFFSET))),
              static_cast<unsigned long long>(DRV(counter)(&dev, REG(VALUE_BYTES_LO_OFFSET))),
              static_cast<unsigned long long>(DRV(counter)(&dev, REG(CYCLES_LO_OFFSET))));

  std::FILE *out = std::fopen(plusarg("results_file").c_str(), "w");
  const uint32_t *result_words = reinterpret_cast<const uint32_t *>(results.data());
  for (size_t i = 0; i < count * sizeof(DRV(result_t)) / 4; i += 1)
    std::fprintf(out, "%08x\n", result_words[i]);
  std::fclose(out);

  // The memory models report (violations, counters) once the run is over.
  top.dump_i = 1;
  for (int i = 0; i < 40; i += 1) tick(h);
  top.final();
  return h.timed_out ? 1 : 0;
}
