/** The shapes the bit-serial and pre-score property tests run at, with their key counts. */
export const BITSERIAL_PROPERTY_SHAPES = [
  { name: 'tiny (D 8, 8-bit keys)', sets: [] as string[], keys: 60_000 },
  {
    name: 'D 64, 12-bit keys and queries',
    sets: ['model.headDim=64', 'datapath.keyBits=12', 'datapath.queryBits=12', 'fetcher.msbBits=8'],
    keys: 40_000,
  },
];
