// Plane-major key memory for qk_bitserial co-simulation (testbench only, not synthesizable, not
// generated; see sim/harness/plane-memory.ts).
//
// It loads a request's keys as the unit takes them: KeyFile holds every key of the run, whole
// (element e in bits e*KeyWidth +: KeyWidth), one per line in the order they are sent on `key`;
// the n-th key taken is written to row {bank, index}, the bank turning after each `last`, as the
// unit's requests take banks 0 and 1 in turn. Each lane has a synchronous read port: the plane at
// {bank, index, plane} is on data_o the cycle after read_en_i (plane j: bit KeyWidth-1-j of each
// element); without a read, data_o holds noise, so a unit that uses data it did not read fails.
//
// Checks: a read of a row never written, or of plane 0 (the sign plane comes with the key) or a
// plane beyond the key, prints a violation. When report_i is seen high, one line is printed:
//   PLANEMEM reads=N violations=N
`timescale 1ns/1ps
module plane_memory #(
  parameter integer HeadDim         = 8,
  parameter integer KeyWidth        = 8,
  parameter integer IndexWidth      = 4,
  parameter integer PlaneIndexWidth = 3,
  parameter integer AddrWidth       = 8,  // 1 + IndexWidth + PlaneIndexWidth
  parameter integer Lanes           = 1,
  parameter integer Keys            = 16,
  parameter KeyFile = "plane_keys.hex"
) (
  input  wire                       clk_i,
  input  wire                       rst_ni,
  input  wire                       key_fire_i,
  input  wire                       key_last_i,
  input  wire [IndexWidth-1:0]      key_index_i,
  input  wire [Lanes-1:0]           read_en_i,
  input  wire [Lanes*AddrWidth-1:0] read_addr_i,
  output reg  [Lanes*HeadDim-1:0]   data_o,
  input  wire                       report_i
);
  localparam integer Rows = 2 << IndexWidth;

  reg [HeadDim*KeyWidth-1:0] image   [0:Keys-1];
  reg [HeadDim*KeyWidth-1:0] rows    [0:Rows-1];
  reg [Rows-1:0]             written;
  initial $readmemh(KeyFile, image);

  reg     bank;
  integer next_key;
  integer reads;
  integer violations;
  reg     reported;
  reg [31:0] noise;

  integer lane;
  integer e;
  integer cycle_reads;  // this cycle's, counted with blocking assignments
  integer cycle_bad;
  reg [AddrWidth-1:0]            addr;
  reg [AddrWidth-PlaneIndexWidth-1:0] row;
  reg [PlaneIndexWidth-1:0]      plane;
  reg [HeadDim*KeyWidth-1:0]     key;

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      bank       <= 1'b0;
      next_key   <= 0;
      reads      <= 0;
      violations <= 0;
      reported   <= 1'b0;
      noise      <= 32'h2545f491;
      written    <= {Rows{1'b0}};
    end else begin
      noise <= {noise[30:0], noise[31] ^ noise[21] ^ noise[1] ^ noise[0]};
      cycle_reads = 0;
      cycle_bad   = 0;
      for (lane = 0; lane < Lanes; lane = lane + 1) begin
        addr  = read_addr_i[lane*AddrWidth +: AddrWidth];
        row   = addr[AddrWidth-1:PlaneIndexWidth];
        plane = addr[PlaneIndexWidth-1:0];
        key   = rows[row];
        for (e = 0; e < HeadDim; e = e + 1)
          data_o[lane*HeadDim + e] <= read_en_i[lane] ? key[e*KeyWidth + KeyWidth - 1 - plane]
                                                      : noise[(e + 7 * lane) % 32];
        if (read_en_i[lane]) begin
          cycle_reads = cycle_reads + 1;
          if (!written[row] || plane == 0 || plane >= KeyWidth) begin
            cycle_bad = cycle_bad + 1;
            $display("PLANEMEM violation: lane %0d read bank %0d index %0d plane %0d%s", lane,
                     row[AddrWidth-PlaneIndexWidth-1], row[IndexWidth-1:0], plane,
                     written[row] ? "" : " (row never written)");
          end
        end
      end
      reads      <= reads + cycle_reads;
      violations <= violations + cycle_bad;
      if (key_fire_i) begin
        rows[{bank, key_index_i}]    <= image[next_key];
        written[{bank, key_index_i}] <= 1'b1;
        next_key                     <= next_key + 1;
        if (key_last_i) bank <= !bank;
      end
      if (report_i && !reported) begin
        reported <= 1'b1;
        $display("PLANEMEM reads=%0d violations=%0d", reads, violations);
      end
    end
  end
endmodule
