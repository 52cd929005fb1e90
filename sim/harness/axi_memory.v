// AXI4 read-only memory model for co-simulation (testbench only, not synthesizable, not generated).
//
// Contents come from two $readmemh files the TypeScript harness writes (see
// sim/harness/axi-memory.ts): MemFile holds one DataWidth-bit word per line (word address = byte
// address / (DataWidth/8)); TagFile one hex digit (0..7) per word: bits 1:0 the plane whose byte
// counter the word counts towards, bit 2 = answer reads of this word with SLVERR. Reads beyond
// Depth answer DECERR with zero data.
//
// Timing: an accepted burst becomes eligible LatencyMin..LatencyMax cycles later (uniform). Among
// the eligible bursts one is picked at random, except that bursts of the same ID leave in the
// order they came (AXI ordering), so bursts of different IDs complete out of order. Bursts are not
// interleaved. R beats leave at most BytesPerCycle bytes per cycle on average (a credit of at most
// one beat, or one cycle's bytes, builds up while idle). With +stall=P (per mille, the harness's
// stall plusarg) ARREADY and each R beat are withheld with probability P/1000; +seed=N seeds the
// model.
//
// Checks: ARSIZE must be the full width, ARBURST INCR, a burst must not cross 4 KB, at most
// QueueDepth bursts are accepted at once, and once ARVALID is high it stays high with the same
// address, length, size, burst and ID until ARREADY (AXI handshake rule). Each broken rule prints
// a violation line. When report_i is seen high, one line is printed:
//   AXIMEM channel=C plane0=B plane1=B plane2=B plane3=B beats=N bursts=N error_beats=N
//   violations=N (on one line)
`timescale 1ns/1ps
module axi_memory #(
  parameter integer DataWidth     = 64,
  parameter integer AddrWidth     = 32,
  parameter integer IdWidth       = 4,
  parameter integer Depth         = 1024,
  parameter integer LatencyMin    = 8,
  parameter integer LatencyMax    = 8,
  parameter integer BytesPerCycle = 8,
  parameter integer QueueDepth    = 16,
  parameter integer Channel       = 0,
  parameter MemFile = "axi_mem.hex",
  parameter TagFile = "axi_tag.hex"
) (
  input  wire                 clk_i,
  input  wire                 rst_ni,
  input  wire                 s_axi_arvalid_i,
  output wire                 s_axi_arready_o,
  input  wire [AddrWidth-1:0] s_axi_araddr_i,
  input  wire [7:0]           s_axi_arlen_i,
  input  wire [2:0]           s_axi_arsize_i,
  input  wire [1:0]           s_axi_arburst_i,
  input  wire [IdWidth-1:0]   s_axi_arid_i,
  output wire                 s_axi_rvalid_o,
  input  wire                 s_axi_rready_i,
  output wire [DataWidth-1:0] s_axi_rdata_o,
  output wire [1:0]           s_axi_rresp_o,
  output wire                 s_axi_rlast_o,
  output wire [IdWidth-1:0]   s_axi_rid_o,
  input  wire                 report_i
);
  localparam integer Bytes    = DataWidth / 8;
  localparam integer SizeLog2 = $clog2(Bytes);
  localparam integer CreditMax = (BytesPerCycle > Bytes) ? BytesPerCycle : Bytes;
  localparam integer QueueBits = (QueueDepth > 1) ? $clog2(QueueDepth) : 1;
  localparam [2:0]  SIZE  = SizeLog2[2:0];
  localparam [31:0] BYTES = Bytes;

  reg [DataWidth-1:0] mem [0:Depth-1];
  reg [2:0]           tag [0:Depth-1];

  integer seed;
  integer stall;
  initial begin
    if (!$value$plusargs("seed=%d", seed)) seed = 1;
    if (!$value$plusargs("stall=%d", stall)) stall = 0;
    $readmemh(MemFile, mem);
    $readmemh(TagFile, tag);
  end

  // ---- Random source: xorshift32, one step per cycle ----
  reg [31:0] rng_q;
  wire [31:0] rng_a = rng_q ^ (rng_q << 13);
  wire [31:0] rng_b = rng_a ^ (rng_a >> 17);
  wire [31:0] rng_d = rng_b ^ (rng_b << 5);
  wire        ar_go = ({22'd0, rng_q[9:0]} % 1000) >= stall;
  wire        r_go  = ({22'd0, rng_q[25:16]} % 1000) >= stall;

  integer cycle;

  // ---- Burst queue ----
  reg                 q_valid [0:QueueDepth-1];
  reg [IdWidth-1:0]   q_id    [0:QueueDepth-1];
  reg [AddrWidth-1:0] q_addr  [0:QueueDepth-1];   // word address
  reg [8:0]           q_len   [0:QueueDepth-1];   // beats
  integer             q_due   [0:QueueDepth-1];
  integer             q_seq   [0:QueueDepth-1];
  integer             next_seq;
  integer             q_count;

  // Free entry for an incoming burst.
  reg [QueueBits-1:0] free_idx;
  integer i;
  always @* begin
    free_idx = {QueueBits{1'b0}};
    for (i = QueueDepth - 1; i >= 0; i = i - 1) if (!q_valid[i]) free_idx = i[QueueBits-1:0];
  end
  assign s_axi_arready_o = ar_ready_q;
  reg ar_ready_q;

  // Eligible burst to start: due, and no older burst of the same ID waiting; scan from a random
  // entry.
  integer pick_idx;
  integer j;
  integer k;
  integer cand;
  reg     blocked;
  always @* begin
    pick_idx = -1;
    blocked = 1'b0;
    for (j = 0; j < QueueDepth; j = j + 1) begin
      cand = (j + {20'd0, rng_q[31:20]}) % QueueDepth;
      if (pick_idx < 0 && q_valid[cand] && q_due[cand] <= cycle) begin
        blocked = 1'b0;
        for (k = 0; k < QueueDepth; k = k + 1) begin
          if (q_valid[k] && q_id[k] == q_id[cand] && q_seq[k] < q_seq[cand]) blocked = 1'b1;
        end
        if (!blocked) pick_idx = cand;
      end
    end
  end

  // ---- Active burst and R channel ----
  reg                 act_valid_q;
  reg [AddrWidth-1:0] act_addr_q;
  reg [8:0]           act_left_q;
  reg [IdWidth-1:0]   act_id_q;
  integer             credit_q;
  reg                 r_valid_q;
  reg [DataWidth-1:0] r_data_q;
  reg [1:0]           r_resp_q;
  reg                 r_last_q;
  reg [IdWidth-1:0]   r_id_q;

  wire r_free = !r_valid_q || s_axi_rready_i;
  wire emit   = act_valid_q && r_free && credit_q >= Bytes && r_go;
  wire act_ends = emit && act_left_q == 9'd1;
  wire take_next = (!act_valid_q || act_ends) && pick_idx >= 0;
  wire in_range = act_addr_q < Depth;
  wire [2:0] act_tag = in_range ? tag[act_addr_q] : 3'd0;

  // ---- Counters ----
  reg [63:0] plane_bytes [0:3];
  integer beats;
  integer bursts;
  integer error_beats;
  integer violations;
  reg     reported;

  wire [AddrWidth-1:0] ar_word = s_axi_araddr_i >> SizeLog2;
  wire ar_fire = s_axi_arvalid_i && ar_ready_q;
  // Last byte of the burst in the same 4 KB page as the first.
  wire [AddrWidth-1:0] ar_end =
    s_axi_araddr_i + ({{(AddrWidth-8){1'b0}}, s_axi_arlen_i} << SizeLog2);
  wire unused_ar_end = ^ar_end[11:0];
  wire ar_bad = (s_axi_arsize_i != SIZE) || (s_axi_arburst_i != 2'b01) ||
                (ar_end[AddrWidth-1:12] != s_axi_araddr_i[AddrWidth-1:12]) ||
                (s_axi_araddr_i[SizeLog2-1:0] != 0);

  // A request offered but not taken must be offered again, unchanged, the next cycle.
  wire [AddrWidth+IdWidth+12:0] ar_payload = {s_axi_araddr_i, s_axi_arlen_i, s_axi_arsize_i,
                                              s_axi_arburst_i, s_axi_arid_i};
  reg  [AddrWidth+IdWidth+12:0] ar_wait_payload_q;
  reg                           ar_wait_q;
  wire ar_unstable = ar_wait_q && (!s_axi_arvalid_i || ar_payload != ar_wait_payload_q);

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      ar_wait_q <= 1'b0;
    end else begin
      ar_wait_q <= s_axi_arvalid_i && !ar_ready_q;
      ar_wait_payload_q <= ar_payload;
    end
  end

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      rng_q <= 32'h2545f491 ^ (seed * (2 * Channel + 7));
      cycle <= 0;
      for (i = 0; i < QueueDepth; i = i + 1) q_valid[i] <= 1'b0;
      next_seq <= 0;
      q_count <= 0;
      ar_ready_q <= 1'b0;
      act_valid_q <= 1'b0;
      credit_q <= 0;
      r_valid_q <= 1'b0;
      for (i = 0; i < 4; i = i + 1) plane_bytes[i] <= 64'd0;
      beats <= 0;
      bursts <= 0;
      error_beats <= 0;
      violations <= 0;
      reported <= 1'b0;
    end else begin
      rng_q <= rng_d;
      cycle <= cycle + 1;
      // Address channel.
      if (ar_fire) begin
        q_valid[free_idx] <= 1'b1;
        q_id[free_idx]    <= s_axi_arid_i;
        q_addr[free_idx]  <= ar_word;
        q_len[free_idx]   <= {1'b0, s_axi_arlen_i} + 9'd1;
        q_due[free_idx]   <= cycle + LatencyMin + ((LatencyMax > LatencyMin)
                             ? ({16'd0, rng_q[31:16]} % (LatencyMax - LatencyMin + 1)) : 0);
        q_seq[free_idx]   <= next_seq;
        next_seq <= next_seq + 1;
        bursts <= bursts + 1;
        if (ar_bad) begin
          $display("AXIMEM channel=%0d violation: burst addr=%h len=%0d size=%0d burst=%0d",
                   Channel, s_axi_araddr_i, s_axi_arlen_i, s_axi_arsize_i, s_axi_arburst_i);
        end
      end
      violations <= violations + ((ar_fire && ar_bad) ? 1 : 0) + (ar_unstable ? 1 : 0);
      if (ar_unstable) begin
        $display("AXIMEM channel=%0d violation: %s", Channel,
                 "ARVALID dropped or AR payload changed before ARREADY");
      end
      q_count <= q_count + (ar_fire ? 1 : 0) - (take_next ? 1 : 0);
      // A free entry must remain after this cycle's acceptance for ARREADY to be offered next
      // cycle.
      ar_ready_q <= (q_count + (ar_fire ? 1 : 0) - (take_next ? 1 : 0) < QueueDepth) && ar_go;
      // Bandwidth credit.
      credit_q <= ((credit_q - (emit ? Bytes : 0) + BytesPerCycle) > CreditMax) ? CreditMax
                : (credit_q - (emit ? Bytes : 0) + BytesPerCycle);
      // Data channel.
      if (emit) begin
        r_valid_q <= 1'b1;
        r_data_q  <= in_range ? mem[act_addr_q] : {DataWidth{1'b0}};
        r_resp_q  <= !in_range ? 2'b11 : act_tag[2] ? 2'b10 : 2'b00;
        r_last_q  <= act_left_q == 9'd1;
        r_id_q    <= act_id_q;
        act_addr_q <= act_addr_q + 1'b1;
        act_left_q <= act_left_q - 1'b1;
        plane_bytes[act_tag[1:0]] <= plane_bytes[act_tag[1:0]] + {32'd0, BYTES};
        beats <= beats + 1;
        if (!in_range || act_tag[2]) error_beats <= error_beats + 1;
      end else if (s_axi_rready_i) begin
        r_valid_q <= 1'b0;
      end
      if (take_next) begin
        act_valid_q <= 1'b1;
        act_addr_q  <= q_addr[pick_idx];
        act_left_q  <= q_len[pick_idx];
        act_id_q    <= q_id[pick_idx];
        q_valid[pick_idx] <= 1'b0;
      end else if (act_ends) begin
        act_valid_q <= 1'b0;
      end
      if (report_i && !reported) begin
        reported <= 1'b1;
        // One line, written in two parts.
        $write("AXIMEM channel=%0d plane0=%0d plane1=%0d plane2=%0d plane3=%0d",
               Channel, plane_bytes[0], plane_bytes[1], plane_bytes[2], plane_bytes[3]);
        $display(" beats=%0d bursts=%0d error_beats=%0d violations=%0d",
                 beats, bursts, error_beats, violations);
      end
    end
  end

  assign s_axi_rvalid_o = r_valid_q;
  assign s_axi_rdata_o  = r_data_q;
  assign s_axi_rresp_o  = r_resp_q;
  assign s_axi_rlast_o  = r_last_q;
  assign s_axi_rid_o    = r_id_q;
endmodule
