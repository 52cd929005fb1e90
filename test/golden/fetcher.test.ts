import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deriveFetcher } from '../../generator/config/derive-fetcher';
import {
  byteAccounting,
  byteToWordAddress,
  emptyImage,
  fetchRow,
  packRow,
  splitElement,
  writePlane,
} from '../../sim/golden/fetcher';
import { imageHex, parseHexWords, readHexImage } from '../../sim/harness/axi-memory';
import { Rng } from '../../sim/harness/random';
import { headInDram, indexPattern, requestBeats } from '../../sim/harness/targets/fetcher';
import { configWith, problemsOf } from '../support/config';

const splits = [
  { name: 'tiny 4+4', preset: 'tiny', sets: [] },
  { name: 'fpga 8+4', preset: 'fpga', sets: [] },
  {
    name: '6+4 on a 10-bit key',
    preset: 'tiny',
    sets: ['datapath.keyBits=10', 'fetcher.msbBits=6', 'fetcher.lsbBits=4'],
  },
  { name: 'paper 8+4 on 256-bit words', preset: 'paper', sets: [] },
  { name: '8+4 on 512-bit words', preset: 'paper', sets: ['fetcher.axiDataBits=512'] },
];

describe('fetcher golden model', () => {
  it.each(splits)(
    'merges MSB and LSB rows into the full key with no hole: $name',
    ({ preset, sets }) => {
      const seed = 7;
      const { config } = configWith(preset, sets);
      const rng = new Rng(seed);
      const head = headInDram(config, rng);
      const full = config.fetcher.msbBits + config.fetcher.lsbBits;
      for (const index of [0, 1, rng.int(2, config.model.maxTokens - 1)]) {
        const msb = fetchRow(config, head.image, {
          base: head.bases.msb,
          plane: 'msb',
          index,
          last: true,
        });
        const lsb = fetchRow(config, head.image, {
          base: head.bases.lsb,
          plane: 'lsb',
          index,
          last: true,
        });
        // Every element: (MSB << lsbBits) | LSB, and the two planes never overlap.
        expect(msb.data & lsb.data, `seed ${seed} index ${index}`).toBe(0n);
        const merged = msb.data | lsb.data;
        for (let e = 0; e < config.model.headDim; e += 1) {
          const element = BigInt.asUintN(full, merged >> BigInt(e * full));
          const parts = splitElement(config, element);
          expect((parts.msb << BigInt(config.fetcher.lsbBits)) | parts.lsb).toBe(element);
        }
      }
    },
  );

  it('packs a row little-endian without gaps, padding above it zero', () => {
    const { config } = configWith('tiny', ['fetcher.msbBits=4', 'fetcher.lsbBits=4']);
    // D = 8 elements of 4 bits = 32 bits in one 64-bit word.
    const words = packRow(config, 'msb', [1n, 2n, 3n, 4n, 5n, 6n, 7n, 0xfn]);
    expect(words).toEqual([0xf7654321n]);
    const full = packRow(config, 'full', [-1n, 0n, 1n, 2n, 3n, 4n, 5n, 0x80n]);
    expect(full).toEqual([0x80050403020100ffn]);
  });

  it('places row t of a plane at base + t × stride and returns rows as the hardware does', () => {
    const { config } = configWith('fpga');
    const image = emptyImage(1024);
    const rows = [
      Array.from({ length: 64 }, (_, e) => BigInt(e)),
      Array.from({ length: 64 }, (_, e) => BigInt(255 - e)),
    ];
    writePlane(config, image, 'msb', 100, rows);
    expect(deriveFetcher(config).strideBeats.msb).toBe(8);
    expect(image.planeOf.slice(100, 116)).toEqual(new Array(16).fill(0));
    expect(image.words[108]).toBe(0xf8f9fafbfcfdfeffn);
    const row = fetchRow(config, image, { base: 100, plane: 'msb', index: 1, last: false });
    // MSB plane into the high 8 of 12 bits.
    expect(BigInt.asUintN(12, row.data)).toBe(255n << 4n);
    expect(row).toMatchObject({ index: 1, plane: 'msb', error: false, last: false });
  });

  it('flags rows touching SLVERR words or lying beyond memory', () => {
    const { config } = configWith('fpga');
    const image = emptyImage(64);
    image.error[13] = true;
    expect(fetchRow(config, image, { base: 0, plane: 'msb', index: 1, last: true }).error).toBe(
      true,
    );
    expect(fetchRow(config, image, { base: 0, plane: 'msb', index: 2, last: true }).error).toBe(
      false,
    );
    expect(fetchRow(config, image, { base: 60, plane: 'msb', index: 0, last: true }).error).toBe(
      true,
    );
  });

  it('counts whole beats per plane, and the padding as the only over-fetch', () => {
    const { config } = configWith('paper', ['fetcher.axiDataBits=512']);
    const head = headInDram(config, new Rng(3));
    const beats = [
      ...requestBeats(head, 'msb', [0, 1, 2]),
      ...requestBeats(head, 'lsb', [5]),
      ...requestBeats(head, 'full', [9, 4]),
    ];
    // 64-byte words: MSB row 64 B (1 beat), LSB row 32 B in 1 beat, full row 96 B in 2 beats.
    expect(byteAccounting(config, beats)).toEqual({
      rows: 6,
      bytesByPlane: { msb: 192, lsb: 64, full: 256 },
      bytes: 512,
      neededBytes: 192 + 32 + 192,
    });
  });

  it('draws the benchmark patterns with the expected densities', () => {
    const rng = new Rng(5);
    expect(indexPattern(rng, 'sequential', 100)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    const sparse = indexPattern(rng, 'sparse20', 10000);
    expect(sparse.length).toBeGreaterThan(1800);
    expect(sparse.length).toBeLessThan(2200);
    expect([...sparse].sort((a, b) => a - b)).toEqual(sparse);
  });

  it('rejects a byte base that is not aligned to the AXI data width', () => {
    const { config } = configWith('fpga');
    expect(byteToWordAddress(config, 4096 + 64)).toBe(520);
    expect(() => byteToWordAddress(config, 4100)).toThrow(
      'base address 0x1004 is not aligned to the AXI data width (8 bytes)',
    );
  });
});

describe('hex memory images', () => {
  it('round-trips an image through the files the memory model loads', () => {
    const resolved = configWith('tiny');
    const head = headInDram(resolved.config, new Rng(2), 0.1);
    const dir = mkdtempSync(join(tmpdir(), 'fetcher-hex-'));
    const { mem, tag } = imageHex(resolved, head.image);
    writeFileSync(join(dir, 'mem.hex'), mem);
    writeFileSync(join(dir, 'tag.hex'), tag);
    expect(readHexImage(resolved, join(dir, 'mem.hex'), join(dir, 'tag.hex'))).toEqual(head.image);
  });

  it('names file:line of every malformed word', () => {
    const text = [
      '00ff',
      '// a comment',
      '',
      'xyz',
      '1_0000_0000_0000_0000',
      'abc // trailing',
    ].join('\n');
    expect(problemsOf(() => parseHexWords(text, 'mem.hex', 64))).toEqual([
      'mem.hex:4: "xyz" is not a hex word (digits 0-9, a-f)',
      'mem.hex:5: 1_0000_0000_0000_0000 does not fit in 64 bits (at most 16 hex digits)',
    ]);
    expect(parseHexWords('00ff\nabc // trailing\n', 'mem.hex', 64)).toEqual([0xffn, 0xabcn]);
  });

  it('rejects a tag file whose length differs from the data file', () => {
    const resolved = configWith('tiny');
    const dir = mkdtempSync(join(tmpdir(), 'fetcher-hex-'));
    writeFileSync(join(dir, 'mem.hex'), '0\n1\n2\n');
    writeFileSync(join(dir, 'tag.hex'), '0\n9\n');
    expect(
      problemsOf(() => readHexImage(resolved, join(dir, 'mem.hex'), join(dir, 'tag.hex'))),
    ).toEqual([`${join(dir, 'tag.hex')}:2: 9 does not fit in 3 bits (at most 1 hex digits)`]);
    writeFileSync(join(dir, 'tag.hex'), '0\n4\n');
    expect(
      problemsOf(() => readHexImage(resolved, join(dir, 'mem.hex'), join(dir, 'tag.hex'))),
    ).toEqual([`${join(dir, 'tag.hex')}: 2 tags for the 3 words of ${join(dir, 'mem.hex')}`]);
  });
});
