// A QR Code encoder following ISO/IEC 18004:2015, written here so the portal loads nothing from outside the broker.
// Scope: byte mode, error correction level M, versions 1–10 (up to 213 bytes: plenty for a phone link).
// The steps below follow the spec's section 7.1 outline: encode data (7.4), add error correction (7.5), place
// function patterns (7.3, 7.6), place codewords (7.7.3), choose a mask (7.8), add format/version information (7.9, 7.10).

// ---- Tables for level M (7.5.1, table 9) and alignment pattern centres (annex E, table E.1) ----

/** Error correction codewords per block and number of blocks, for level M, index = version. */
const EC_PER_BLOCK = [0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26];
const BLOCKS = [0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5];
const ALIGNMENT = [
  [], [], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34], [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50],
];
const MAX_VERSION = 10;
const EC_LEVEL_M = 0b00; // format information bits for level M (7.9.1, table 12)

/** Modules left for codewords (data + EC + remainder bits) in a symbol of `version`: all minus function patterns. */
function rawDataModules(version) {
  const size = version * 4 + 17;
  let modules = size * size - 3 * 64 - 2 * (size - 16) - 31; // finders+separators, timing, format + dark module
  if (version >= 2) {
    const count = ALIGNMENT[version].length;
    modules -= (count * count - 3) * 25 - 2 * (count - 2) * 5; // alignment patterns, less those over the timing
    if (version >= 7) modules -= 36; // two version information blocks
  }
  return modules;
}

function dataCodewords(version) {
  return Math.floor(rawDataModules(version) / 8) - EC_PER_BLOCK[version] * BLOCKS[version];
}

// ---- Step 1: data encoding in byte mode (7.4.2, 7.4.5, 7.4.9, 7.4.10) ----

/** The data codewords for `bytes` in the smallest version that holds them. */
function encodeData(bytes) {
  for (let version = 1; version <= MAX_VERSION; version++) {
    const countBits = version <= 9 ? 8 : 16; // character count indicator length, table 3
    const capacity = dataCodewords(version) * 8;
    if (4 + countBits + bytes.length * 8 > capacity) continue;
    const bits = [];
    const push = (value, length) => {
      for (let i = length - 1; i >= 0; i--) bits.push((value >>> i) & 1);
    };
    push(0b0100, 4); // mode indicator: byte mode
    push(bytes.length, countBits);
    for (const byte of bytes) push(byte, 8);
    push(0, Math.min(4, capacity - bits.length)); // terminator
    push(0, (8 - (bits.length % 8)) % 8); // pad to a codeword boundary
    const codewords = [];
    for (let i = 0; i < bits.length; i += 8) codewords.push(bits.slice(i, i + 8).reduce((a, b) => (a << 1) | b, 0));
    for (let pad = 0xec; codewords.length < capacity / 8; pad ^= 0xec ^ 0x11) codewords.push(pad); // 7.4.10
    return { version, codewords };
  }
  throw new RangeError(`Text too long for a version ${MAX_VERSION}-M QR code (${bytes.length} bytes)`);
}

// ---- Step 2: Reed–Solomon error correction over GF(256), polynomial x^8+x^4+x^3+x^2+1 (7.5.2) ----

const EXP = new Uint8Array(512);
const LOG = new Uint8Array(256);
for (let i = 0, x = 1; i < 255; i++) {
  EXP[i] = x;
  LOG[x] = i;
  x = (x << 1) ^ (x & 0x80 ? 0x11d : 0);
}
for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255];

const multiply = (a, b) => (a === 0 || b === 0 ? 0 : EXP[LOG[a] + LOG[b]]);

/** Generator polynomial (x - α^0)(x - α^1)…(x - α^(degree-1)), coefficients from the highest power down. */
function generator(degree) {
  let poly = [1];
  for (let i = 0; i < degree; i++) {
    const next = new Array(poly.length + 1).fill(0);
    poly.forEach((c, j) => {
      next[j] ^= c;
      next[j + 1] ^= multiply(c, EXP[i]);
    });
    poly = next;
  }
  return poly;
}

/** The remainder of data·x^degree divided by the generator: the block's error correction codewords. */
function errorCorrection(data, degree) {
  const gen = generator(degree);
  const remainder = new Array(degree).fill(0);
  for (const byte of data) {
    const factor = byte ^ remainder.shift();
    remainder.push(0);
    for (let i = 0; i < degree; i++) remainder[i] ^= multiply(gen[i + 1], factor);
  }
  return remainder;
}

/** Splits data into blocks, adds EC to each, and interleaves them (7.6, figure 15); shorter blocks come first. */
function interleave(version, data) {
  const count = BLOCKS[version];
  const ecLength = EC_PER_BLOCK[version];
  const shortLength = Math.floor(data.length / count);
  const longBlocks = data.length % count;
  const blocks = [];
  for (let b = 0, offset = 0; b < count; b++) {
    const length = shortLength + (b >= count - longBlocks ? 1 : 0);
    const block = data.slice(offset, offset + length);
    offset += length;
    blocks.push({ data: block, ec: errorCorrection(block, ecLength) });
  }
  const result = [];
  for (let i = 0; i <= shortLength; i++) for (const block of blocks) if (i < block.data.length) result.push(block.data[i]);
  for (let i = 0; i < ecLength; i++) for (const block of blocks) result.push(block.ec[i]);
  return result;
}

// ---- Step 3: function patterns (6.3.3–6.3.6, 6.3.8) ----

/** An empty symbol: `modules[row][col]` is true for dark; `reserved` marks function modules. */
function emptyMatrix(version) {
  const size = version * 4 + 17;
  const grid = () => Array.from({ length: size }, () => new Array(size).fill(false));
  return { version, size, modules: grid(), reserved: grid() };
}

function setFunction(m, row, col, dark) {
  m.modules[row][col] = dark;
  m.reserved[row][col] = true;
}

function drawFunctionPatterns(m) {
  const { size, version } = m;
  // Finder patterns with their light separators, at three corners (6.3.3, 6.3.4).
  for (const [top, left] of [[0, 0], [0, size - 7], [size - 7, 0]]) {
    for (let r = -1; r <= 7; r++) {
      for (let c = -1; c <= 7; c++) {
        const row = top + r, col = left + c;
        if (row < 0 || row >= size || col < 0 || col >= size) continue;
        const ring = Math.max(Math.abs(r - 3), Math.abs(c - 3)); // 0..3 inside, 4 = separator
        setFunction(m, row, col, ring !== 2 && ring !== 4);
      }
    }
  }
  // Timing patterns along row 6 and column 6 (6.3.5).
  for (let i = 8; i < size - 8; i++) {
    setFunction(m, 6, i, i % 2 === 0);
    setFunction(m, i, 6, i % 2 === 0);
  }
  // Alignment patterns at every pair of centres except where the finders are (6.3.6).
  const centres = ALIGNMENT[version];
  const last = centres.length - 1;
  centres.forEach((row, i) => centres.forEach((col, j) => {
    if ((i === 0 && j === 0) || (i === 0 && j === last) || (i === last && j === 0)) return;
    for (let r = -2; r <= 2; r++) {
      for (let c = -2; c <= 2; c++) setFunction(m, row + r, col + c, Math.max(Math.abs(r), Math.abs(c)) !== 1);
    }
  }));
  // Reserve the format and version areas now; their bits are written once the mask is chosen.
  drawFormat(m, 0);
  drawVersion(m);
}

// ---- Step 4: codeword placement in the two-module-wide zigzag (7.7.3) ----

function placeCodewords(m, codewords) {
  const { size } = m;
  let bit = 0;
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5; // skip the vertical timing pattern
    const upward = ((right + 1) & 2) === 0;
    for (let step = 0; step < size; step++) {
      const row = upward ? size - 1 - step : step;
      for (const col of [right, right - 1]) {
        if (m.reserved[row][col] || bit >= codewords.length * 8) continue; // remainder bits stay light
        m.modules[row][col] = ((codewords[bit >>> 3] >>> (7 - (bit & 7))) & 1) === 1;
        bit++;
      }
    }
  }
}

// ---- Step 5: data masking (7.8.2, table 10) and the penalty rules (7.8.3, table 11) ----

const MASKS = [
  (i, j) => (i + j) % 2 === 0,
  (i) => i % 2 === 0,
  (i, j) => j % 3 === 0,
  (i, j) => (i + j) % 3 === 0,
  (i, j) => (Math.floor(i / 2) + Math.floor(j / 3)) % 2 === 0,
  (i, j) => ((i * j) % 2) + ((i * j) % 3) === 0,
  (i, j) => (((i * j) % 2) + ((i * j) % 3)) % 2 === 0,
  (i, j) => (((i + j) % 2) + ((i * j) % 3)) % 2 === 0,
];

function applyMask(m, mask) {
  for (let i = 0; i < m.size; i++) {
    for (let j = 0; j < m.size; j++) if (!m.reserved[i][j] && MASKS[mask](i, j)) m.modules[i][j] = !m.modules[i][j];
  }
}

/** Penalty points of one row or column: rule 1 (runs of five or more) and rule 3 (finder-like 1:1:3:1:1). */
function linePenalty(line) {
  let points = 0;
  for (let start = 0; start < line.length;) {
    let end = start;
    while (end < line.length && line[end] === line[start]) end++;
    if (end - start >= 5) points += 3 + (end - start - 5);
    start = end;
  }
  // Rule 3 looks at the line with the light quiet zone around it: 1011101 with four light modules on one side.
  const padded = [0, 0, 0, 0, ...line.map(Number), 0, 0, 0, 0].join("");
  for (const pattern of ["10111010000", "00001011101"]) {
    for (let at = padded.indexOf(pattern); at !== -1; at = padded.indexOf(pattern, at + 1)) points += 40;
  }
  return points;
}

function penalty(m) {
  const { size, modules } = m;
  let points = 0;
  let dark = 0;
  for (let i = 0; i < size; i++) {
    points += linePenalty(modules[i]);
    points += linePenalty(modules.map((row) => row[i]));
  }
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      if (modules[i][j]) dark++;
      // Rule 2: every 2×2 block of one colour.
      if (i < size - 1 && j < size - 1) {
        const c = modules[i][j];
        if (modules[i][j + 1] === c && modules[i + 1][j] === c && modules[i + 1][j + 1] === c) points += 3;
      }
    }
  }
  // Rule 4: 10 points per full 5% the dark share strays from 50%.
  points += Math.floor(Math.abs((dark * 100) / (size * size) - 50) / 5) * 10;
  return points;
}

// ---- Step 6: format information (7.9) and version information (7.10), each a BCH code ----

/** `value` followed by the BCH remainder of value·x^(degree) modulo `poly` (degree = bit length of poly - 1). */
function bch(value, poly, degree) {
  let remainder = value << degree;
  for (let bit = 31 - Math.clz32(remainder); bit >= degree; bit--) {
    if ((remainder >>> bit) & 1) remainder ^= poly << (bit - degree);
  }
  return (value << degree) | remainder;
}

function drawFormat(m, mask) {
  const { size } = m;
  const bits = bch((EC_LEVEL_M << 3) | mask, 0x537, 10) ^ 0x5412; // 15 bits, masked so it is never all light
  const bit = (i) => ((bits >>> i) & 1) === 1;
  // First copy around the top-left finder; bit 0 is the least significant (7.9.1, figure 25).
  for (let i = 0; i <= 5; i++) setFunction(m, i, 8, bit(i));
  setFunction(m, 7, 8, bit(6));
  setFunction(m, 8, 8, bit(7));
  setFunction(m, 8, 7, bit(8));
  for (let i = 9; i < 15; i++) setFunction(m, 8, 14 - i, bit(i));
  // Second copy split between the top-right and bottom-left finders, and the dark module.
  for (let i = 0; i < 8; i++) setFunction(m, 8, size - 1 - i, bit(i));
  for (let i = 8; i < 15; i++) setFunction(m, size - 15 + i, 8, bit(i));
  setFunction(m, size - 8, 8, true);
}

function drawVersion(m) {
  if (m.version < 7) return;
  const bits = bch(m.version, 0x1f25, 12); // 18 bits (annex D)
  for (let i = 0; i < 18; i++) {
    const dark = ((bits >>> i) & 1) === 1;
    const a = m.size - 11 + (i % 3);
    const b = Math.floor(i / 3);
    setFunction(m, b, a, dark); // the block left of the top-right finder
    setFunction(m, a, b, dark); // and its transpose, above the bottom-left finder
  }
}

// ---- The whole symbol ----

/** Encodes `text` (UTF-8, byte mode, level M): `{size, modules}` with `modules[row][col]` true for dark. */
export function encodeQR(text) {
  const { version, codewords } = encodeData(new TextEncoder().encode(text));
  const base = emptyMatrix(version);
  drawFunctionPatterns(base);
  placeCodewords(base, interleave(version, codewords));
  let best = null;
  for (let mask = 0; mask < MASKS.length; mask++) {
    const candidate = {
      ...base,
      modules: base.modules.map((row) => row.slice()),
      reserved: base.reserved.map((row) => row.slice()),
    };
    applyMask(candidate, mask);
    drawFormat(candidate, mask);
    const points = penalty(candidate);
    if (!best || points < best.points) best = { points, matrix: candidate };
  }
  return { size: best.matrix.size, modules: best.matrix.modules };
}

/**
 * Draws the QR code of `text` on `canvas`, black on white, `scale` pixels per module, with a quiet zone of
 * `margin` modules (4 is the spec's minimum). Returns what `encodeQR` returned.
 */
export function drawQR(canvas, text, { scale = 8, margin = 4 } = {}) {
  const qr = encodeQR(text);
  const pixels = (qr.size + margin * 2) * scale;
  canvas.width = pixels;
  canvas.height = pixels;
  const context = canvas.getContext("2d");
  context.fillStyle = "#ffffff";
  context.fillRect(0, 0, pixels, pixels);
  context.fillStyle = "#000000";
  qr.modules.forEach((row, r) => row.forEach((dark, c) => {
    if (dark) context.fillRect((c + margin) * scale, (r + margin) * scale, scale, scale);
  }));
  return qr;
}
