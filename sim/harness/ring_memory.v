// AXI4 memory model of the integration shell's rings for co-simulation (testbench only, not
// synthesizable, not generated): one 32-bit word memory behind a read port (descriptors) and a
// write port (results), one burst at a time on each.
//
// Contents come from MemFile ($readmemh, one word per line, word address = byte address / 4);
// when dump_i rises the memory is written to DumpFile ($writememh) for the harness to check.
// With +stall=P (per mille) ARREADY, AWREADY, WREADY and each R beat and B response are withheld
// with probability P/1000; +seed=N seeds the model. Addresses beyond Depth answer SLVERR.
// +fault_lo=A +fault_hi=B (byte addresses, B exclusive): reads and writes there answer SLVERR
// (a faulty region, for the shell's error paths); writes there are dropped.
// +write_lo=A +write_hi=B (byte addresses, B exclusive) bound where the host allows writes: a beat
// outside [A, B) is a violation (the result ring's bounds; no check without +write_hi).
//
// Checks (each broken rule prints "RINGMEM violation: ..."): 4-byte beats, INCR bursts, no burst
// across 4 KB, WLAST on exactly the burst's last beat, and a valid stays high with the same
// payload until it is taken (AR, AW, W).
`timescale 1ns/1ps
module ring_memory #(
  parameter integer AddrWidth = 32,
  parameter integer Depth     = 1024,
  parameter MemFile  = "ring_mem.hex",
  parameter DumpFile = "ring_out.hex"
) (
  input  wire                 clk_i,
  input  wire                 rst_ni,
  input  wire                 s_arvalid_i,
  output reg                  s_arready_o,
  input  wire [AddrWidth-1:0] s_araddr_i,
  input  wire [7:0]           s_arlen_i,
  input  wire [2:0]           s_arsize_i,
  input  wire [1:0]           s_arburst_i,
  output reg                  s_rvalid_o,
  input  wire                 s_rready_i,
  output reg  [31:0]          s_rdata_o,
  output reg  [1:0]           s_rresp_o,
  output reg                  s_rlast_o,
  input  wire                 s_awvalid_i,
  output reg                  s_awready_o,
  input  wire [AddrWidth-1:0] s_awaddr_i,
  input  wire [7:0]           s_awlen_i,
  input  wire [2:0]           s_awsize_i,
  input  wire [1:0]           s_awburst_i,
  input  wire                 s_wvalid_i,
  output reg                  s_wready_o,
  input  wire [31:0]          s_wdata_i,
  input  wire [3:0]           s_wstrb_i,
  input  wire                 s_wlast_i,
  output reg                  s_bvalid_o,
  input  wire                 s_bready_i,
  output reg  [1:0]           s_bresp_o,
  input  wire                 dump_i
);
  // Public: the C++ host harness (soc_host.cpp) copies ring entries in and out, as a CPU would.
  reg [31:0] mem [0:Depth-1] /* verilator public_flat_rw */;
  integer stall = 0;
  integer seed = 1;
  integer violations = 0;
  reg [63:0] write_lo = 0;
  reg [63:0] write_hi = 0;
  reg [63:0] fault_lo = 0;
  reg [63:0] fault_hi = 0;
  initial begin
    if (!$value$plusargs("stall=%d", stall)) stall = 0;
    if (!$value$plusargs("write_lo=%d", write_lo)) write_lo = 0;
    if (!$value$plusargs("write_hi=%d", write_hi)) write_hi = 0;
    if (!$value$plusargs("fault_lo=%d", fault_lo)) fault_lo = 0;
    if (!$value$plusargs("fault_hi=%d", fault_hi)) fault_hi = 0;
    if (!$value$plusargs("seed=%d", seed)) seed = 1;
    $readmemh(MemFile, mem);
  end

  function go;  // not withheld this cycle
    input integer unused;
    begin
      go = ({$random(seed)} % 1000) >= stall;
    end
  endfunction

  task violation(input [8*48-1:0] what);
    begin
      $display("RINGMEM violation: %0s", what);
      violations = violations + 1;
    end
  endtask

  function answers;  // the word at this word address exists and is not in the faulty region
    input [AddrWidth-1:0] word;
    reg [AddrWidth+1:0] byte_address;
    begin
      byte_address = {word, 2'b00};
      answers = word < Depth && !(byte_address >= fault_lo && byte_address < fault_hi);
    end
  endfunction

  function crosses;  // a burst of len + 1 words from addr crosses a 4 KB boundary
    input [AddrWidth-1:0] addr;
    input [7:0] len;
    begin
      crosses = (addr[11:0] + ({4'd0, len} + 13'd1) * 4) > 13'h1000;
    end
  endfunction

  // Read port: an accepted burst streams its words, one burst at a time.
  reg                 r_busy = 0;
  reg [AddrWidth-1:0] r_word;
  reg [7:0]           r_left;
  // Write port.
  reg                 w_busy = 0;
  reg [AddrWidth-1:0] w_word;
  reg [7:0]           w_left;
  reg                 w_bad;
  wire [AddrWidth+1:0] w_byte = {w_word, 2'b00};
  // Stability of the host's valids.
  reg                 ar_wait = 0, aw_wait = 0, w_wait = 0;
  reg [AddrWidth+7:0] ar_held, aw_held;
  reg [36:0]          w_held;
  reg                 dumped = 0;

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      s_arready_o <= 0; s_rvalid_o <= 0; s_awready_o <= 0; s_wready_o <= 0; s_bvalid_o <= 0;
      r_busy <= 0; w_busy <= 0; ar_wait <= 0; aw_wait <= 0; w_wait <= 0;
    end else begin
      if (ar_wait && (!s_arvalid_i || {s_araddr_i, s_arlen_i} != ar_held))
        violation("ARVALID or its payload changed before ARREADY");
      if (aw_wait && (!s_awvalid_i || {s_awaddr_i, s_awlen_i} != aw_held))
        violation("AWVALID or its payload changed before AWREADY");
      if (w_wait && (!s_wvalid_i || {s_wdata_i, s_wstrb_i, s_wlast_i} != w_held))
        violation("WVALID or its payload changed before WREADY");
      ar_wait <= s_arvalid_i && !s_arready_o;
      aw_wait <= s_awvalid_i && !s_awready_o;
      w_wait  <= s_wvalid_i && !s_wready_o;
      ar_held <= {s_araddr_i, s_arlen_i};
      aw_held <= {s_awaddr_i, s_awlen_i};
      w_held  <= {s_wdata_i, s_wstrb_i, s_wlast_i};

      // Read address and beats.
      s_arready_o <= !r_busy && go(0);
      if (s_arvalid_i && s_arready_o) begin
        if (s_arsize_i != 3'd2) violation("ARSIZE is not 4 bytes");
        if (s_arburst_i != 2'b01) violation("ARBURST is not INCR");
        if (crosses(s_araddr_i, s_arlen_i)) violation("read burst crosses 4 KB");
        r_busy <= 1; r_word <= s_araddr_i >> 2; r_left <= s_arlen_i;
        s_arready_o <= 0;
      end
      if (s_rvalid_o && s_rready_i) begin
        s_rvalid_o <= 0;
        if (s_rlast_o) r_busy <= 0;
      end
      if (r_busy && (!s_rvalid_o || s_rready_i) && !(s_rvalid_o && s_rlast_o) && go(0)) begin
        s_rvalid_o <= 1;
        s_rdata_o  <= answers(r_word) ? mem[r_word] : 32'd0;
        s_rresp_o  <= answers(r_word) ? 2'b00 : 2'b10;
        s_rlast_o  <= r_left == 0;
        r_word <= r_word + 1; r_left <= r_left - 1;
      end

      // Write address, beats and response.
      s_awready_o <= !w_busy && go(0);
      if (s_awvalid_i && s_awready_o) begin
        if (s_awsize_i != 3'd2) violation("AWSIZE is not 4 bytes");
        if (s_awburst_i != 2'b01) violation("AWBURST is not INCR");
        if (crosses(s_awaddr_i, s_awlen_i)) violation("write burst crosses 4 KB");
        w_busy <= 1; w_word <= s_awaddr_i >> 2; w_left <= s_awlen_i; w_bad <= 0;
        s_awready_o <= 0;
      end
      s_wready_o <= w_busy && !s_bvalid_o && go(0);
      if (s_wvalid_i && s_wready_o) begin
        if (s_wlast_i != (w_left == 0)) violation("WLAST not on the burst's last beat");
        if (write_hi != 0 && (w_byte < write_lo || w_byte >= write_hi))
          violation("write outside the allowed window");
        if (answers(w_word)) begin
          if (s_wstrb_i[0]) mem[w_word][7:0]   <= s_wdata_i[7:0];
          if (s_wstrb_i[1]) mem[w_word][15:8]  <= s_wdata_i[15:8];
          if (s_wstrb_i[2]) mem[w_word][23:16] <= s_wdata_i[23:16];
          if (s_wstrb_i[3]) mem[w_word][31:24] <= s_wdata_i[31:24];
        end else w_bad <= 1;
        w_word <= w_word + 1; w_left <= w_left - 1;
        if (s_wlast_i) begin
          s_wready_o <= 0;
          s_bvalid_o <= 1;
          s_bresp_o  <= (w_bad || !answers(w_word)) ? 2'b10 : 2'b00;
        end
      end
      if (s_bvalid_o && s_bready_i) begin
        s_bvalid_o <= 0;
        w_busy <= 0;
      end
    end
    if (dump_i && !dumped) begin
      dumped <= 1;
      $writememh(DumpFile, mem);
      $display("RINGMEM violations=%0d", violations);
    end
  end
endmodule
